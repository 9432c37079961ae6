/*
 * tests/unit/engine/worker.c: the workers' sending, without a mail
 * server.  An account that only sends (Maildir, sendmail_command) gets a
 * worker; a kick after a message was queued flushes the outbox and the
 * worker reports "queued: <reason>" or "sent: <subject>" as events; an
 * SMTP session stuck on a server that never answers is dropped at once
 * by engine_workers_cancel(), and engine_workers_stop() does not wait
 * for it either.  The SMTP path itself is in tests/e2e/t025-compose.sh.
 */
#include "config.h"

#include <sys/socket.h>

#include <netinet/in.h>

#include <arpa/inet.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/core.h"
#include "mime/mime.h"
#include "engine/engine.h"
#include "tests/unit/tap.h"
#include "tests/unit/mailtest.h"

static const char msg[] =
    "From: Alice <alice@example.test>\n"
    "To: Bob <bob@example.test>\n"
    "Subject: Hello\n"
    "Message-ID: <hello@example.test>\n"
    "\n"
    "Hi Bob.\n";

static int
no_index(struct store_index **idx, char **cause)
{
	*idx = NULL;
	xcause(cause, "no index in this test");
	return (-1);
}

static double
now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((double)ts.tv_sec + (double)ts.tv_nsec / 1e9);
}

/*
 * Waits up to seconds for an ENGINE_EVENT_SENT event and returns its
 * text (the caller frees it), or NULL; other events are dropped.
 */
static char *
wait_sent(struct engine_workers *ws, double seconds)
{
	struct engine_event	 ev;
	struct pollfd		 pfd;
	double			 end = now() + seconds;
	char			*text = NULL;

	while (text == NULL && now() < end) {
		pfd.fd = engine_workers_fd(ws);
		pfd.events = POLLIN;
		(void)poll(&pfd, 1, 100);
		while (text == NULL && engine_workers_next(ws, &ev)) {
			if (ev.kind == ENGINE_EVENT_SENT) {
				text = ev.text;
				ev.text = NULL;
			}
			engine_event_release(&ev);
		}
	}
	return (text);
}

/* A listening socket on 127.0.0.1 that never accepts: connections
 * complete in the backlog and then hear nothing. */
static int
silent_server(int *port)
{
	struct sockaddr_in	 sin;
	socklen_t		 len = sizeof sin;
	int			 fd;

	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) == -1)
		fatal("socket");
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&sin, sizeof sin) == -1 ||
	    listen(fd, 8) == -1 ||
	    getsockname(fd, (struct sockaddr *)&sin, &len) == -1)
		fatal("listen");
	*port = ntohs(sin.sin_port);
	return (fd);
}

int
main(void)
{
	struct config		 cfg;
	struct engine_workers	*ws;
	struct buf		 b;
	char			*cause = NULL, *fail, *text;
	double			 t0;
	int			 lfd, port;

	mailtest_init("worker");
	mime_init();
	config_init(&cfg);
	free(cfg.mail_root);
	cfg.mail_root = xstrdup(mailtest_root);
	fail = mailtest_path("fail");
	lfd = silent_server(&port);
	buf_init(&b);
	buf_printf(&b, "[account alice]\nemail = alice@example.test\n"
	    "sendmail_command = f() { if [ -e %s ]; then echo full >&2; "
	    "exit 75; fi; cat > /dev/null; }; f\n"
	    "[account stuck]\nemail = stuck@example.test\n"
	    "smtp_host = 127.0.0.1\nsmtp_port = %d\nsmtp_tls = implicit\n"
	    "timeout = 60\n"
	    "[account reader]\nemail = reader@example.test\n", fail, port);
	if (config_parse(&cfg, "test.conf", b.data, b.len, &cause) != 0)
		fatalx("%s", cause);
	buf_release(&b);

	ws = engine_workers_start(&cfg, no_index, &cause);
	ok(ws != NULL && engine_workers_count(ws) == 2,
	    "a worker for each account that sends, none for one that reads");

	/* The first round finds nothing to send and says nothing. */
	text = wait_sent(ws, 0.5);
	ok(text == NULL, "an empty outbox reports nothing");
	free(text);

	mailtest_write("fail", "");
	ok(engine_outbox_queue(&cfg, &cfg.accounts[0], msg, sizeof msg - 1,
	    NULL, &cause) == 0, "queued");
	ok(engine_workers_kick(ws, "alice") == 1, "kicked");
	text = wait_sent(ws, 20);
	is_str(text, "queued: sendmail_command of account 'alice' failed "
	    "(exit status 75): full", "a temporary failure: queued, why");
	free(text);
	ok(mailtest_files("alice/.outbox") == 1, "  ... the message stays");

	unlink(fail);
	ok(engine_workers_kick(ws, "alice") == 1, "kicked again");
	text = wait_sent(ws, 20);
	is_str(text, "sent: Hello", "sent");
	free(text);
	ok(mailtest_files("alice/.outbox") == 0 && mailtest_files("alice/Sent") == 1,
	    "  ... out of the outbox, into Sent");

	/* An SMTP server that never answers: cancel drops the session. */
	ok(engine_outbox_queue(&cfg, &cfg.accounts[1], msg, sizeof msg - 1,
	    NULL, &cause) == 0, "queued for the silent server");
	ok(engine_workers_kick(ws, "stuck") == 1, "kicked");
	text = wait_sent(ws, 1.5);
	ok(text == NULL, "  ... the session hangs");
	free(text);
	t0 = now();
	ok(engine_workers_cancel(ws, "stuck") == 1, "cancelled");
	text = wait_sent(ws, 20);
	ok(text != NULL && strncmp(text, "queued: ", 8) == 0 &&
	    now() - t0 < 10, "  ... at once, the message queued");
	if (text != NULL)
		diag("%s", text);
	free(text);
	ok(mailtest_files("stuck/.outbox") == 1, "  ... and kept");

	/* Stopping does not wait for a stuck session either. */
	ok(engine_workers_kick(ws, "stuck") == 1, "kicked once more");
	text = wait_sent(ws, 1);
	free(text);
	t0 = now();
	engine_workers_stop(ws);
	ok(now() - t0 < 10, "stop does not wait for the server");

	close(lfd);
	free(fail);
	config_release(&cfg);
	mime_shutdown();
	mailtest_release();
	return (tap_done());
}
