/*
 * tests/unit/engine/outbox.c: the outbox without a server, through a
 * sendmail_command written by the test: what queueing refuses, a failure
 * that keeps the message with its reason (read back after a "restart"
 * through engine_outbox_list()), the send that moves it to Sent, the
 * lock another process holds, a stop between messages, and save_sent =
 * no; the editor files of drafts and postponing into Drafts.  The SMTP
 * path is covered by tests/e2e/t016-send.sh.
 */
#include "config.h"

#include <sys/file.h>
#include <sys/stat.h>

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/core.h"
#include "store/store.h"
#include "engine/engine.h"
#include "mime/mime.h"
#include "tests/unit/tap.h"
#include "tests/unit/mailtest.h"

static const char msg[] =
    "From: Alice <alice@example.test>\n"
    "To: Bob <bob@example.test>\n"
    "Bcc: carol@example.test\n"
    "Subject: Hello\n"
    "Message-ID: <hello@example.test>\n"
    "\n"
    "Hi Bob.\n";

static unsigned int	 nsent;

static void
report(const struct engine_outbox_item *it, int sent, void *arg)
{
	(void)it;
	(void)arg;
	if (sent)
		nsent++;
}

int
main(void)
{
	struct config			 cfg;
	struct config_account		*a;
	struct engine_outbox_opts	 o;
	struct engine_outbox_stats	 st;
	struct engine_outbox_item	*items;
	struct buf			 b;
	volatile sig_atomic_t		 stop = 0;
	char				*cause = NULL, *path = NULL, *lock;
	char				*fail, *out, *draft, **list, *other;
	struct stat			 sb;
	size_t				 n;
	int				 fd;

	mailtest_init("outbox");
	mime_init();
	config_init(&cfg);
	free(cfg.mail_root);
	cfg.mail_root = xstrdup(mailtest_root);
	fail = mailtest_path("fail");
	out = mailtest_path("stdin");
	buf_init(&b);
	/* The recipients come as "$@": a function takes and ignores them. */
	buf_printf(&b, "[account alice]\nemail = alice@example.test\n"
	    "sendmail_command = f() { if [ -e %s ]; then echo full >&2; "
	    "exit 75; fi; cat > %s; }; f\n", fail, out);
	if (config_parse(&cfg, "test.conf", b.data, b.len, &cause) != 0)
		fatalx("%s", cause);
	buf_release(&b);
	a = &cfg.accounts[0];
	memset(&o, 0, sizeof o);
	o.report = report;

	ok(engine_outbox_flush(&cfg, NULL, &o, &st, &cause) == 0 &&
	    st.sent == 0 && st.queued == 0, "an outbox never made is empty");
	ok(engine_outbox_queue(&cfg, a, "Subject: x\n\nno one\n", 20, NULL,
	    &cause) == -1 && cause != NULL && strstr(cause, "no recipients") !=
	    NULL, "a message without recipients is not queued");
	free(cause);
	cause = NULL;
	ok(engine_outbox_flush(&cfg, "nobody", &o, &st, &cause) == -1 &&
	    cause != NULL && strcmp(cause, "no account 'nobody'") == 0,
	    "an unknown account");
	free(cause);
	cause = NULL;

	/* The command fails: the message stays, with why. */
	mailtest_write("fail", "");
	ok(engine_outbox_queue(&cfg, a, msg, sizeof msg - 1, &path, &cause) ==
	    0 && path != NULL && strstr(path, "/alice/.outbox/cur/") != NULL,
	    "queued in the account's .outbox");
	free(path);
	ok(mailtest_files("alice/.outbox") == 1, "  ... one file");
	ok(engine_outbox_flush(&cfg, NULL, &o, &st, &cause) == 0 &&
	    st.sent == 0 && st.queued == 1 && st.permanent == 0,
	    "a temporary failure keeps it");
	ok(engine_outbox_list(&cfg, NULL, &items, &n, &cause) == 0 && n == 1,
	    "listed");
	if (n == 1) {
		is_str(items[0].reason, "sendmail_command of account 'alice' "
		    "failed (exit status 75): full", "  ... with its reason");
		is_str(items[0].subject, "Hello", "  ... its subject");
		is_str(items[0].rcpts, "bob@example.test, carol@example.test",
		    "  ... and its recipients, Bcc included");
		ok(!items[0].permanent && items[0].tried > 0,
		    "  ... temporary, with the time");
	}
	engine_outbox_items_free(items, n);

	/* Another process holds the outbox: left alone. */
	unlink(fail);
	lock = mailtest_path("alice/.outbox/.lock");
	if ((fd = open(lock, O_RDWR)) == -1 || flock(fd, LOCK_EX) != 0)
		fatal("lock");
	ok(engine_outbox_flush(&cfg, "alice", &o, &st, &cause) == 0 &&
	    st.busy == 1 && st.sent == 0 && mailtest_files("alice/.outbox") == 1,
	    "a locked outbox is left to its holder");
	close(fd);
	free(lock);

	/* Stopped before the first message: nothing goes. */
	stop = 1;
	o.stop = &stop;
	ok(engine_outbox_flush(&cfg, "alice", &o, &st, &cause) == 0 &&
	    st.sent == 0 && st.queued == 1, "a stop sends nothing more");
	o.stop = NULL;

	nsent = 0;
	ok(engine_outbox_flush(&cfg, NULL, &o, &st, &cause) == 0 &&
	    st.sent == 1 && st.queued == 0 && nsent == 1, "then it goes");
	ok(mailtest_files("alice/.outbox") == 0 && mailtest_files("alice/Sent") == 1,
	    "  ... out of the outbox, into Sent");
	ok(engine_outbox_list(&cfg, NULL, &items, &n, &cause) == 0 && n == 0,
	    "  ... nothing listed");
	engine_outbox_items_free(items, n);
	buf_init(&b);
	ok(buf_read_file(&b, out, 1 << 20, NULL) == 0 &&
	    strstr(b.data, "Bcc") == NULL && strstr(b.data, "Hi Bob.") != NULL,
	    "  ... the command read it without Bcc");
	buf_release(&b);
	ok(engine_outbox_flush(&cfg, NULL, &o, &st, &cause) == 0 &&
	    st.sent == 0 && nsent == 1, "a second flush sends nothing");

	a->save_sent = 0;
	ok(engine_outbox_queue(&cfg, a, msg, sizeof msg - 1, NULL, &cause) ==
	    0 && engine_outbox_flush(&cfg, NULL, &o, &st, &cause) == 0 &&
	    st.sent == 1 && mailtest_files("alice/Sent") == 1 &&
	    mailtest_files("alice/.outbox") == 0, "save_sent = no keeps no copy");

	/* Editor files of drafts: private, crash-safe, listed in order. */
	ok(engine_draft_list(&list, &n, &cause) == 0 && n == 0,
	    "no drafts directory: no drafts");
	ok(engine_draft_new("To: a@example.test\n\none\n", 25, &path,
	    &cause) == 0 && path != NULL, "a draft file");
	ok(stat(path, &sb) == 0 && (sb.st_mode & 0777) == 0600,
	    "  ... mode 0600");
	draft = path_dirname(path);
	ok(stat(draft, &sb) == 0 && (sb.st_mode & 0777) == 0700,
	    "  ... in a directory of mode 0700");
	free(draft);
	buf_init(&b);
	ok(buf_read_file(&b, path, 1024, NULL) == 0 && b.len == 25 &&
	    memcmp(b.data, "To: a@example.test\n\none\n", 25) == 0,
	    "  ... holding what was given");
	buf_release(&b);
	ok(engine_draft_new("x", 1, &draft, &cause) == 0 &&
	    strcmp(draft, path) != 0, "a second one, another name");
	other = engine_draft_dir();
	lock = path_join(other, "notes.txt");
	if (path_write_file(lock, "", 0, 0600, 0, NULL) != 0)
		fatal("notes.txt");
	free(lock);
	free(other);
	ok(engine_draft_list(&list, &n, &cause) == 0 && n == 2 &&
	    strcmp(list[0], path) == 0 && strcmp(list[1], draft) == 0,
	    "both listed, oldest first, nothing else");
	config_free_list(list, n);
	unlink(draft);
	free(draft);
	free(path);

	/* Postponed: into Drafts with the Draft flag. */
	ok(engine_outbox_postpone(&cfg, a, msg, sizeof msg - 1, &path,
	    &cause) == 0 && path != NULL &&
	    strstr(path, "/alice/Drafts/cur/") != NULL &&
	    (maildir_name_flags(path) & MAILDIR_DRAFT) != 0 &&
	    mailtest_files("alice/Drafts") == 1, "postponed into Drafts, flagged D");
	free(path);
	draft = engine_outbox_drafts_dir(&cfg, a);
	ok(draft != NULL && strstr(draft, "/alice/Drafts") != NULL,
	    "the Drafts Maildir");
	free(draft);
	free(a->drafts_folder);
	a->drafts_folder = xstrdup("../x");
	ok(engine_outbox_postpone(&cfg, a, msg, sizeof msg - 1, NULL,
	    &cause) == -1 && cause != NULL, "a drafts_folder that climbs out "
	    "is refused");
	free(cause);
	cause = NULL;

	free(fail);
	free(out);
	config_release(&cfg);
	mime_shutdown();
	mailtest_release();
	return (tap_done());
}
