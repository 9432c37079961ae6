/*
 * cmd/cmd-compose.c: writing mail, mutt's way.  compose, reply,
 * reply-all, forward (inline or -a as an attachment), resend (edit the
 * message at the cursor as a new one) and recall (a postponed draft, or
 * an editor file left by a crash) write the draft's editor file (see
 * mime_draft_write()) into the drafts directory of the state directory,
 * hand the terminal to $VISUAL or $EDITOR on it, then open the compose
 * screen (ui/compose.c), whose keys run the compose-* commands below:
 * send, edit again, attach, detach, change identity, postpone, abort.
 *
 * One message is composed at a time; its state lives here, and the
 * editor file is the truth for its headers and body, so nothing typed is
 * lost if satchel dies: the file stays until the message is queued,
 * postponed or aborted, and the next start offers it back.  Sending
 * builds the message (mime_compose_build()), queues it in the outbox of
 * the identity's account and kicks that account's worker, which sends it
 * and reports "sent" or "queued: <reason>" (cmd-sync.c shows it): the UI
 * thread never talks to a server.
 */
#include "config.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "core/core.h"
#include "mime/mime.h"
#include "store/store.h"
#include "engine/engine.h"
#include "ui/ui.h"
#include "cmd/cmd.h"
#include "private.h"

#define CMD_COMPOSE_SIGNATURE_MAX	(64 * 1024)
#define CMD_COMPOSE_MAX_DRAFTS		100

struct cmd_compose_att {
	char		*name;		/* what the recipient sees, or NULL */
	char		*label;		/* what the compose screen shows */
	char		*type;
	char		*data;
	size_t		 len;
};

/* The message being composed. */
struct cmd_compose {
	char			*path;		/* the editor file */
	size_t			 acct;		/* the identity's account */
	struct cmd_compose_att	*atts;
	size_t			 n_atts;
	char			*recalled;	/* the Drafts file it came from */
	char			*recalled_id;	/* ... and its Message-ID */
	char			*replied_id;	/* tagged "replied" once sent */
	/* Until the first editor run: what it started with, so that an
	 * unchanged file aborts. */
	char			*initial;
	size_t			 initial_len;
	int			 check_unchanged;
};

static struct cmd_compose	*cmd_compose;

/* A draft that recall can offer. */
struct cmd_compose_draft {
	char		*path;
	char		*label;
	size_t		 acct;		/* for a Drafts message */
	int		 unfinished;	/* an editor file */
};

/*
 * The prompts of this file, in one place.  Tab completes addresses from
 * the address book (and the global query_command: no identity is chosen
 * yet) and file names.
 */
static void
cmd_compose_ask_address(const char *label, void (*done)(const char *, void *),
    void *arg)
{
	ui_ask_complete(label, NULL, cmd_complete_addresses, NULL, done, arg);
}

static void
cmd_compose_ask_path(const char *label, void (*done)(const char *, void *),
    void *arg)
{
	ui_ask_complete(label, NULL, cmd_complete_path, NULL, done, arg);
}

static void
cmd_compose_ask_choice(const char *label, void (*done)(const char *, void *),
    void *arg)
{
	ui_ask(label, done, arg);
}

static const struct config *
cmd_compose_cfg(void)
{
	return (cmd_get_env()->cfg);
}

static void
cmd_compose_att_release(struct cmd_compose_att *a)
{
	free(a->name);
	free(a->label);
	free(a->type);
	free(a->data);
}

static void
cmd_compose_free(struct cmd_compose *c)
{
	size_t	 i;

	if (c == NULL)
		return;
	for (i = 0; i < c->n_atts; i++)
		cmd_compose_att_release(&c->atts[i]);
	free(c->atts);
	free(c->path);
	free(c->recalled);
	free(c->recalled_id);
	free(c->replied_id);
	free(c->initial);
	free(c);
}

/* The compose screen went (a key, or the end of the interface): the
 * state goes with it; the editor file stays unless it was removed. */
static void
cmd_compose_gone(void *arg)
{
	if (cmd_compose == arg) {
		cmd_compose_free(cmd_compose);
		cmd_compose = NULL;
	}
}

/* Removes the editor file: the message was queued, postponed or
 * aborted. */
static void
cmd_compose_unlink(struct cmd_compose *c)
{
	if (c->path != NULL && unlink(c->path) == -1 && errno != ENOENT)
		log_warn("compose: cannot remove '%s'", c->path);
}

/* "Name <addr>" for an account, the name quoted when it must be. */
static char *
cmd_compose_from(const struct config_account *a)
{
	struct buf	 b;
	const char	*p;

	if (a->email == NULL)
		return (NULL);
	if (a->realname == NULL || *a->realname == '\0')
		return (xstrdup(a->email));
	buf_init(&b);
	if (strpbrk(a->realname, "()<>[]:;@\\,.\"") == NULL)
		buf_addstr(&b, a->realname);
	else {
		buf_addch(&b, '"');
		for (p = a->realname; *p != '\0'; p++) {
			if (*p == '"' || *p == '\\')
				buf_addch(&b, '\\');
			buf_addch(&b, *p);
		}
		buf_addch(&b, '"');
	}
	buf_printf(&b, " <%s>", a->email);
	return (buf_detach(&b, NULL));
}

static int
cmd_compose_can_send(const struct config_account *a)
{
	return (a->smtp_host != NULL || a->sendmail_command != NULL);
}

/* The identity of new mail: the first account that sends and has an
 * address, else the first with an address; -1 when there is none. */
static int
cmd_compose_default_account(void)
{
	const struct config	*cfg = cmd_compose_cfg();
	size_t			 i;

	for (i = 0; i < cfg->n_accounts; i++) {
		if (cfg->accounts[i].email != NULL &&
		    cmd_compose_can_send(&cfg->accounts[i]))
			return ((int)i);
	}
	for (i = 0; i < cfg->n_accounts; i++) {
		if (cfg->accounts[i].email != NULL)
			return ((int)i);
	}
	return (-1);
}

/* The account whose address is in a From value, or the default. */
static size_t
cmd_compose_account_of(const char *from)
{
	const struct config	*cfg = cmd_compose_cfg();
	const char		*e, *p;
	size_t			 i, n;
	int			 def;

	for (i = 0; from != NULL && i < cfg->n_accounts; i++) {
		if ((e = cfg->accounts[i].email) == NULL || *e == '\0')
			continue;
		n = strlen(e);
		for (p = from; *p != '\0'; p++) {
			if (strncasecmp(p, e, n) == 0)
				return (i);
		}
	}
	def = cmd_compose_default_account();
	return (def < 0 ? 0 : (size_t)def);
}

/* Appends the account's signature after "-- ", when it has one. */
static void
cmd_compose_signature(const struct config_account *a, struct buf *body)
{
	struct buf	 sig;
	char		*path, *cause = NULL;

	if (a->signature == NULL)
		return;
	path = path_expand(a->signature);
	buf_init(&sig);
	if (buf_read_file(&sig, path, CMD_COMPOSE_SIGNATURE_MAX, &cause) != 0) {
		log_warnx("compose: %s", cause);
		free(cause);
	} else if (sig.len > 0) {
		if (body->len > 0 && body->data[body->len - 1] != '\n')
			buf_addch(body, '\n');
		buf_addch(body, '\n');
		if (strncmp(sig.data, "-- \n", 4) != 0)
			buf_addstr(body, "-- \n");
		buf_add(body, sig.data, sig.len);
		if (sig.data[sig.len - 1] != '\n')
			buf_addch(body, '\n');
	}
	buf_release(&sig);
	free(path);
}

/* The key line of the compose screen, from the keymap. */
static char *
cmd_compose_hint(void)
{
	static const char *const	 cmds[][2] = {
		{ "compose-send", "send" }, { "compose-edit", "edit" },
		{ "compose-attach", "attach" }, { "compose-detach", "detach" },
		{ "compose-identity", "identity" }, { "postpone", "postpone" },
		{ "compose-abort", "abort" },
	};
	const struct keymap		*km = cmd_get_keymap();
	const struct keymap_binding	*kb;
	struct buf			 b;
	size_t				 i, k;

	buf_init(&b);
	for (i = 0; km != NULL && i < sizeof cmds / sizeof cmds[0]; i++) {
		for (k = 0; k < keymap_count(km); k++) {
			kb = keymap_get(km, k);
			if (strcmp(kb->view, "compose") != 0 ||
			    strcmp(kb->command, cmds[i][0]) != 0 ||
			    keymap_lookup(km, "compose", kb->key) != kb->command)
				continue;
			buf_printf(&b, "%s%s:%s", b.len > 0 ? "  " : "",
			    kb->key, cmds[i][1]);
			break;
		}
	}
	return (buf_detach(&b, NULL));
}

/* Reads the editor file into d; -1 with *cause. */
static int
cmd_compose_read(struct cmd_compose *c, struct mime_draft *d, char **cause)
{
	struct buf	 b;
	char		*why = NULL;
	int		 rc;

	buf_init(&b);
	if (buf_read_file(&b, c->path, MIME_MAX_MESSAGE, cause) != 0) {
		buf_release(&b);
		mime_draft_init(d);
		return (-1);
	}
	rc = mime_draft_parse(b.data, b.len, d, &why);
	if (rc != 0) {
		xcause(cause, "the draft cannot be sent: %s", why);
		free(why);
	}
	buf_release(&b);
	return (rc);
}

/* Shows (or updates) the compose screen for c. */
static void
cmd_compose_show(struct cmd_compose *c)
{
	const struct config		*cfg = cmd_compose_cfg();
	struct ui_compose_field		 f[7];
	struct ui_compose_attachment	*a;
	struct ui_compose_model		 m;
	struct mime_draft		 d;
	char				*cause = NULL, *title, *hint;
	size_t				 i, n = 0;

	if (cmd_compose_read(c, &d, &cause) != 0) {
		f[n].name = "Error:";
		f[n++].value = cause;
	}
	f[n].name = "From:";
	f[n++].value = d.from;
	f[n].name = "To:";
	f[n++].value = d.to;
	f[n].name = "Cc:";
	f[n++].value = d.cc;
	f[n].name = "Bcc:";
	f[n++].value = d.bcc;
	f[n].name = "Subject:";
	f[n++].value = d.subject;
	f[n].name = "Reply-To:";
	f[n++].value = d.reply_to;
	a = xcalloc(c->n_atts + 1, sizeof *a);
	for (i = 0; i < c->n_atts; i++) {
		a[i].name = c->atts[i].label;
		a[i].type = c->atts[i].type;
		a[i].size = c->atts[i].len;
	}
	xasprintf(&title, "compose: account %s", cfg->n_accounts > 0 ?
	    cfg->accounts[c->acct].name : "(none)");
	hint = cmd_compose_hint();
	memset(&m, 0, sizeof m);
	m.title = title;
	m.hint = hint;
	m.fields = f;
	m.n_fields = n;
	m.atts = a;
	m.n_atts = c->n_atts;
	ui_compose_show(&m, cmd_compose_gone, c);
	free(hint);
	free(title);
	free(a);
	free(cause);
	mime_draft_release(&d);
}

/* 'path' for sh: the editor command is the user's, the path ours. */
static char *
cmd_compose_editor_command(const char *path)
{
	const char	*editor, *p;
	struct buf	 b;

	editor = getenv("VISUAL");
	if (editor == NULL || *editor == '\0')
		editor = getenv("EDITOR");
	if (editor == NULL || *editor == '\0')
		editor = "vi";
	buf_init(&b);
	buf_printf(&b, "%s '", editor);
	for (p = path; *p != '\0'; p++) {
		if (*p == '\'')
			buf_addstr(&b, "'\\''");
		else
			buf_addch(&b, *p);
	}
	buf_addch(&b, '\'');
	return (buf_detach(&b, NULL));
}

/*
 * Runs the editor on the file with the terminal handed over, then shows
 * the compose screen; after the first run of a new message, an empty or
 * unchanged file aborts it.  Takes ownership of c.
 */
static int
cmd_compose_edit(struct cmd_compose *c, char **cause)
{
	struct buf	 b;
	char		*command, what[64];
	int		 status, rc;

	command = cmd_compose_editor_command(c->path);
	ui_suspend();
	rc = proc_run_terminal(command, -1, &status, cause);
	ui_resume();
	free(command);
	if (rc != 0) {
		if (cmd_compose != c) {
			cmd_compose_unlink(c);
			cmd_compose_free(c);
		}
		return (-1);
	}
	if (status != 0)
		ui_error("the editor ended: %s",
		    proc_status_text(status, what, sizeof what));
	if (c->check_unchanged) {
		c->check_unchanged = 0;
		buf_init(&b);
		if (buf_read_file(&b, c->path, MIME_MAX_MESSAGE, NULL) != 0 ||
		    b.len == 0 || (b.len == c->initial_len &&
		    memcmp(b.data, c->initial, b.len) == 0)) {
			buf_release(&b);
			cmd_compose_unlink(c);
			if (cmd_compose == c)
				ui_compose_close();
			else
				cmd_compose_free(c);
			ui_message("message unchanged: aborted");
			return (0);
		}
		buf_release(&b);
	}
	free(c->initial);
	c->initial = NULL;
	cmd_compose = c;
	cmd_compose_show(c);
	return (0);
}

/*
 * Starts composing d (its From already set) as account acct: writes
 * the editor file, then runs the editor unless edit is 0.  Takes
 * ownership of atts (n of them); the caller releases d.
 */
static int
cmd_compose_start(struct mime_draft *d, size_t acct,
    struct cmd_compose_att *atts, size_t n, int edit, int check_unchanged,
    char **cause)
{
	struct cmd_compose	*c;
	char			*text;
	size_t			 len, i;

	if (cmd_compose != NULL) {
		xcause(cause, "a message is being composed already");
		for (i = 0; i < n; i++)
			cmd_compose_att_release(&atts[i]);
		free(atts);
		return (-1);
	}
	c = xcalloc(1, sizeof *c);
	c->acct = acct;
	c->atts = atts;
	c->n_atts = n;
	text = mime_draft_write(d, &len);
	if (engine_draft_new(text, len, &c->path, cause) != 0) {
		free(text);
		cmd_compose_free(c);
		return (-1);
	}
	if (!edit) {
		free(text);
		cmd_compose = c;
		cmd_compose_show(c);
		return (0);
	}
	c->initial = text;
	c->initial_len = len;
	c->check_unchanged = check_unchanged;
	return (cmd_compose_edit(c, cause));
}

/* The message a reply or forward is about: the newest the top view's
 * target holds.  Its file and Message-ID are the caller's. */
static int
cmd_compose_original(char **file, char **id, char **cause)
{
	struct store_messages	*it;
	struct store_message	 m;
	int			 rc = -1;

	if (cmd_target_messages(&it, cause) != 0)
		return (-1);
	if (store_messages_next(it, &m)) {
		*file = xstrdup(m.filename);
		*id = xstrdup(m.message_id);
		store_message_release(&m);
		rc = 0;
	} else
		xcause(cause, "no message here");
	store_messages_free(it);
	return (rc);
}

/* The accounts' addresses, for replies; *map gets each one's account. */
static const char **
cmd_compose_own(size_t *n, size_t **map)
{
	const struct config	*cfg = cmd_compose_cfg();
	const char		**own;
	size_t			 i;

	own = xcalloc(cfg->n_accounts + 1, sizeof *own);
	*map = xcalloc(cfg->n_accounts + 1, sizeof **map);
	*n = 0;
	for (i = 0; i < cfg->n_accounts; i++) {
		if (cfg->accounts[i].email == NULL)
			continue;
		(*map)[*n] = i;
		own[(*n)++] = cfg->accounts[i].email;
	}
	return (own);
}

/* Sets the draft's From to the account's; -1 with *cause without one. */
static int
cmd_compose_set_from(struct mime_draft *d, size_t acct, char **cause)
{
	const struct config	*cfg = cmd_compose_cfg();
	char			*from;

	if (acct >= cfg->n_accounts ||
	    (from = cmd_compose_from(&cfg->accounts[acct])) == NULL) {
		xcause(cause, "no account with an 'email' to send from");
		return (-1);
	}
	free(d->from);
	d->from = from;
	return (0);
}

/* An attachment from bytes; takes data's memory (detached: init it
 * again before reuse). */
static void
cmd_compose_att_add(struct cmd_compose_att **v, size_t *n, const char *name,
    const char *label, const char *type, struct buf *data)
{
	struct cmd_compose_att	*a;

	*v = xreallocarray(*v, *n + 1, sizeof **v);
	a = &(*v)[(*n)++];
	a->name = name != NULL ? xstrdup(name) : NULL;
	a->label = xstrdup(label != NULL ? label : name != NULL ? name :
	    "(no name)");
	a->type = xstrdup(type != NULL ? type :
	    mime_compose_type(name, data->data, data->len));
	a->data = buf_detach(data, &a->len);
}

/* The address prompt of "compose" answered. */
static void
cmd_compose_to(const char *answer, void *arg)
{
	struct mime_draft	 d;
	struct buf		 body;
	char			*cause = NULL;
	int			 acct;

	(void)arg;
	if (answer == NULL)
		return;
	mime_draft_init(&d);
	if ((acct = cmd_compose_default_account()) < 0 ||
	    cmd_compose_set_from(&d, (size_t)acct, &cause) != 0)
		goto out;
	if (*answer != '\0')
		d.to = xstrdup(answer);
	/* An empty line to write on, then the signature. */
	buf_init(&body);
	buf_addch(&body, '\n');
	cmd_compose_signature(&cmd_compose_cfg()->accounts[acct], &body);
	d.body = buf_detach(&body, NULL);
	(void)cmd_compose_start(&d, (size_t)acct, NULL, 0, 1, 1, &cause);
out:
	if (cause != NULL) {
		ui_error("%s", cause);
		free(cause);
	}
	mime_draft_release(&d);
}

static int
cmd_compose_exec(int argc, char **argv, char **cause)
{
	struct buf	 to;
	int		 i;

	if (cmd_compose != NULL) {
		xcause(cause, "a message is being composed already");
		return (-1);
	}
	if (cmd_compose_default_account() < 0) {
		xcause(cause, "no account with an 'email' to send from");
		return (-1);
	}
	if (argc < 2) {
		cmd_compose_ask_address("To: ", cmd_compose_to, NULL);
		return (0);
	}
	buf_init(&to);
	for (i = 1; i < argc; i++)
		buf_printf(&to, "%s%s", i > 1 ? ", " : "", argv[i]);
	cmd_compose_to(to.data, NULL);
	buf_release(&to);
	return (0);
}

/* Replies and forwards: the draft from the message at the cursor. */
static int
cmd_compose_from_original(int forward, int flags, char **cause)
{
	const struct config	*cfg = cmd_compose_cfg();
	struct mime_message	*m;
	struct mime_draft	 d;
	struct cmd_compose_att	*atts = NULL;
	struct buf		 body, raw;
	const char		**own;
	char			*file = NULL, *id = NULL, *label;
	size_t			*map, n_own, acct, n_atts = 0, who;
	int			 rc = -1;

	if (cmd_compose != NULL) {
		xcause(cause, "a message is being composed already");
		return (-1);
	}
	if (cmd_compose_original(&file, &id, cause) != 0)
		return (-1);
	if ((m = mime_message_parse_file(file, cause)) == NULL)
		goto out_file;
	own = cmd_compose_own(&n_own, &map);
	who = mime_compose_identity(m, own, n_own);
	acct = n_own > 0 ? map[who] : 0;
	if (forward)
		mime_compose_forward(m, flags, &d);
	else
		mime_compose_reply(m, flags, own, n_own, NULL, &d);
	free(own);
	free(map);
	if (cmd_compose_set_from(&d, acct, cause) != 0)
		goto out;
	if (forward && (flags & MIME_FORWARD_ATTACH)) {
		buf_init(&raw);
		if (buf_read_file(&raw, file, MIME_MAX_MESSAGE, cause) != 0) {
			buf_release(&raw);
			goto out;
		}
		xasprintf(&label, "%s", mime_message_header(m, "Subject") !=
		    NULL ? mime_message_header(m, "Subject") : "(message)");
		cmd_compose_att_add(&atts, &n_atts, NULL, label,
		    "message/rfc822", &raw);
		free(label);
	}
	if (!forward) {
		buf_init(&body);
		buf_addstr(&body, d.body != NULL ? d.body : "");
		cmd_compose_signature(&cfg->accounts[acct], &body);
		free(d.body);
		d.body = buf_detach(&body, NULL);
	}
	rc = cmd_compose_start(&d, acct, atts, n_atts, 1, 1, cause);
	if (rc == 0 && !forward && cmd_compose != NULL)
		cmd_compose->replied_id = xstrdup(id);
	atts = NULL;
out:
	if (atts != NULL) {
		cmd_compose_att_release(&atts[0]);
		free(atts);
	}
	mime_draft_release(&d);
	mime_message_free(m);
out_file:
	free(file);
	free(id);
	return (rc);
}

static int
cmd_reply_exec(int argc, char **argv, char **cause)
{
	(void)argc;
	return (cmd_compose_from_original(0, strcmp(argv[0], "reply-all") ==
	    0 ? MIME_REPLY_ALL : 0, cause));
}

static int
cmd_forward_exec(int argc, char **argv, char **cause)
{
	if (argc > 1 && strcmp(argv[1], "-a") != 0) {
		xcause(cause, "usage: forward [-a]");
		return (-1);
	}
	return (cmd_compose_from_original(1, argc > 1 ? MIME_FORWARD_ATTACH :
	    0, cause));
}

/*
 * A message file back into a draft and its attachments (recall and
 * resend): the headers as the user would type them, the first text part
 * as the body, every attachment's bytes.
 */
static int
cmd_compose_load(const char *file, struct mime_draft *d,
    struct cmd_compose_att **atts, size_t *n, char **cause)
{
	static const struct {
		const char	*name;
		size_t		 off;
	} hdrs[] = {
		{ "From", offsetof(struct mime_draft, from) },
		{ "To", offsetof(struct mime_draft, to) },
		{ "Cc", offsetof(struct mime_draft, cc) },
		{ "Bcc", offsetof(struct mime_draft, bcc) },
		{ "Subject", offsetof(struct mime_draft, subject) },
		{ "Reply-To", offsetof(struct mime_draft, reply_to) },
		{ "In-Reply-To", offsetof(struct mime_draft, in_reply_to) },
		{ "References", offsetof(struct mime_draft, references) },
		{ "Message-ID", offsetof(struct mime_draft, message_id) },
	};
	struct mime_message	*m;
	struct mime_render	 r;
	struct buf		 data;
	const char		*v;
	size_t			 i, k = 0;
	int			 have_body = 0;

	*atts = NULL;
	*n = 0;
	mime_draft_init(d);
	if ((m = mime_message_parse_file(file, cause)) == NULL)
		return (-1);
	for (i = 0; i < sizeof hdrs / sizeof hdrs[0]; i++) {
		if ((v = mime_message_header(m, hdrs[i].name)) != NULL &&
		    *v != '\0')
			*(char **)((char *)d + hdrs[i].off) = xstrdup(v);
	}
	mime_message_render(m, &r);
	for (i = 0; i < r.n_blocks; i++) {
		if (r.blocks[i].kind == MIME_BLOCK_TEXT && !have_body) {
			d->body = xstrdup(r.blocks[i].text);
			have_body = 1;
		} else if (r.blocks[i].kind == MIME_BLOCK_ATTACHMENT) {
			buf_init(&data);
			if (mime_message_attachment(m, ++k, &data, NULL) == 0)
				cmd_compose_att_add(atts, n,
				    r.blocks[i].filename, NULL,
				    r.blocks[i].content_type, &data);
			buf_release(&data);
		}
	}
	if (!have_body)
		d->body = xstrdup("");
	mime_render_release(&r);
	mime_message_free(m);
	return (0);
}

static int
cmd_resend_exec(int argc, char **argv, char **cause)
{
	struct mime_draft	 d;
	struct cmd_compose_att	*atts;
	char			*file, *id;
	size_t			 n, acct;
	int			 rc;

	(void)argc;
	(void)argv;
	if (cmd_compose != NULL) {
		xcause(cause, "a message is being composed already");
		return (-1);
	}
	if (cmd_compose_original(&file, &id, cause) != 0)
		return (-1);
	rc = cmd_compose_load(file, &d, &atts, &n, cause);
	free(file);
	free(id);
	if (rc != 0)
		return (-1);
	acct = cmd_compose_account_of(d.from);
	if ((rc = cmd_compose_set_from(&d, acct, cause)) == 0)
		rc = cmd_compose_start(&d, acct, atts, n, 1, 0, cause);
	else {
		while (n > 0)
			cmd_compose_att_release(&atts[--n]);
		free(atts);
	}
	mime_draft_release(&d);
	return (rc);
}

/* --------------------------------------------------------------------
 * recall */

static void
cmd_compose_drafts_free(struct cmd_compose_draft *v, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		free(v[i].path);
		free(v[i].label);
	}
	free(v);
}

static int
cmd_compose_collect(const char *name, void *arg)
{
	char	***v = arg;
	size_t	  n = 0;

	while ((*v)[n] != NULL)
		n++;
	if (n == CMD_COMPOSE_MAX_DRAFTS)
		return (1);
	(*v)[n] = xstrdup(name);
	return (0);
}

/* The Subject of a file, for a label; the caller frees it. */
static char *
cmd_compose_subject_of(const char *path, int editor_file)
{
	struct mime_message	*m;
	struct mime_draft	 d;
	struct buf		 b;
	const char		*s;
	char			*out = NULL;

	if (editor_file) {
		buf_init(&b);
		if (buf_read_file(&b, path, MIME_MAX_MESSAGE, NULL) == 0 &&
		    mime_draft_parse(b.data, b.len, &d, NULL) == 0) {
			if (d.subject != NULL && *d.subject != '\0')
				out = xstrdup(d.subject);
			mime_draft_release(&d);
		}
		buf_release(&b);
	} else if ((m = mime_message_parse_file(path, NULL)) != NULL) {
		if ((s = mime_message_header(m, "Subject")) != NULL &&
		    *s != '\0')
			out = xstrdup(s);
		mime_message_free(m);
	}
	return (out != NULL ? out : xstrdup("(no subject)"));
}

/* What recall offers: editor files left over first, then the messages
 * in each account's Drafts folder. */
static struct cmd_compose_draft *
cmd_compose_drafts(size_t *n)
{
	const struct config		*cfg = cmd_compose_cfg();
	struct cmd_compose_draft	*v = NULL;
	char				**files, **names, *dir, *subject;
	size_t				 nf, i, k;

	*n = 0;
	if (engine_draft_list(&files, &nf, NULL) == 0) {
		for (i = 0; i < nf; i++) {
			if (cmd_compose != NULL &&
			    strcmp(files[i], cmd_compose->path) == 0)
				continue;
			v = xreallocarray(v, *n + 1, sizeof *v);
			v[*n].path = xstrdup(files[i]);
			subject = cmd_compose_subject_of(files[i], 1);
			xasprintf(&v[*n].label, "%s (unfinished)", subject);
			free(subject);
			v[*n].acct = 0;
			v[(*n)++].unfinished = 1;
		}
		config_free_list(files, nf);
	}
	for (i = 0; i < cfg->n_accounts; i++) {
		if ((dir = engine_outbox_drafts_dir(cfg,
		    &cfg->accounts[i])) == NULL)
			continue;
		names = xcalloc(CMD_COMPOSE_MAX_DRAFTS + 1, sizeof *names);
		(void)maildir_walk(dir, cmd_compose_collect, &names, NULL);
		for (k = 0; names[k] != NULL; k++) {
			v = xreallocarray(v, *n + 1, sizeof *v);
			v[*n].path = path_join(dir, names[k]);
			subject = cmd_compose_subject_of(v[*n].path, 0);
			xasprintf(&v[*n].label, "%s (%s: %s)", subject,
			    cfg->accounts[i].name, cfg->accounts[i].drafts_folder);
			free(subject);
			v[*n].acct = i;
			v[(*n)++].unfinished = 0;
			free(names[k]);
		}
		free(names);
		free(dir);
	}
	return (v);
}

/* Recalls one draft: an editor file as it is, a Drafts message into a
 * new editor file (its copy in Drafts goes once sent or postponed). */
static int
cmd_compose_recall_one(const struct cmd_compose_draft *dr, char **cause)
{
	struct cmd_compose	*c;
	struct mime_draft	 d;
	struct cmd_compose_att	*atts;
	struct buf		 b;
	char			*id;
	size_t			 n;
	int			 rc;

	if (cmd_compose != NULL) {
		xcause(cause, "a message is being composed already");
		return (-1);
	}
	if (dr->unfinished) {
		buf_init(&b);
		rc = buf_read_file(&b, dr->path, MIME_MAX_MESSAGE, cause);
		mime_draft_init(&d);
		if (rc == 0)
			(void)mime_draft_parse(b.data, b.len, &d, NULL);
		buf_release(&b);
		if (rc != 0)
			return (-1);
		c = xcalloc(1, sizeof *c);
		c->path = xstrdup(dr->path);
		c->acct = cmd_compose_account_of(d.from);
		mime_draft_release(&d);
		cmd_compose = c;
		cmd_compose_show(c);
		ui_message("recalled an unfinished message");
		return (0);
	}
	if (cmd_compose_load(dr->path, &d, &atts, &n, cause) != 0)
		return (-1);
	id = d.message_id;
	d.message_id = NULL;	/* a new one when it is built again */
	rc = cmd_compose_start(&d, cmd_compose_account_of(d.from), atts, n, 0,
	    0, cause);
	if (rc == 0 && cmd_compose != NULL) {
		cmd_compose->recalled = xstrdup(dr->path);
		cmd_compose->recalled_id = id;
		id = NULL;
		ui_message("recalled '%s'", dr->label);
	}
	free(id);
	mime_draft_release(&d);
	return (rc);
}

/* The draft at the cursor, when the top view shows one of a Drafts
 * folder; NULL otherwise. */
static struct cmd_compose_draft *
cmd_compose_draft_here(void)
{
	const struct config		*cfg = cmd_compose_cfg();
	struct cmd_compose_draft	*dr;
	char				*file, *id, *maildir, *dir, *cur;
	size_t				 i, len;

	if (cmd_compose_original(&file, &id, NULL) != 0)
		return (NULL);
	free(id);
	cur = path_dirname(file);
	maildir = path_dirname(cur);
	free(cur);
	for (i = 0; i < cfg->n_accounts; i++) {
		if ((dir = engine_outbox_drafts_dir(cfg,
		    &cfg->accounts[i])) == NULL)
			continue;
		len = strlen(dir);
		if (strcmp(maildir, dir) == 0 ||
		    (len > 0 && strncmp(maildir, dir, len) == 0 &&
		    strcmp(maildir + len, "/") == 0)) {
			free(dir);
			free(maildir);
			dr = xcalloc(1, sizeof *dr);
			dr->path = file;
			dr->label = cmd_compose_subject_of(file, 0);
			dr->acct = i;
			return (dr);
		}
		free(dir);
	}
	free(maildir);
	free(file);
	return (NULL);
}

/* The answer to "recall which?". */
static void
cmd_compose_recall_answer(const char *answer, void *arg)
{
	struct cmd_compose_draft	*v;
	const char			*errstr;
	char				*cause = NULL;
	size_t				 n, k;

	(void)arg;
	if (answer == NULL || *answer == '\0')
		return;
	v = cmd_compose_drafts(&n);
	k = (size_t)strtonum(answer, 1, (long long)(n > 0 ? n : 1), &errstr);
	if (errstr != NULL || n == 0)
		ui_error("no draft '%s'", answer);
	else if (cmd_compose_recall_one(&v[k - 1], &cause) != 0) {
		ui_error("%s", cause);
		free(cause);
	}
	cmd_compose_drafts_free(v, n);
}

static int
cmd_recall_exec(int argc, char **argv, char **cause)
{
	struct cmd_compose_draft	*v, *here;
	struct buf			 q;
	const char			*errstr;
	size_t				 n, i, k;
	int				 rc = -1;

	if (cmd_compose != NULL) {
		xcause(cause, "a message is being composed already");
		return (-1);
	}
	if (argc < 2 && (here = cmd_compose_draft_here()) != NULL) {
		rc = cmd_compose_recall_one(here, cause);
		cmd_compose_drafts_free(here, 1);
		return (rc);
	}
	v = cmd_compose_drafts(&n);
	if (n == 0)
		xcause(cause, "no draft to recall");
	else if (argc > 1) {
		k = (size_t)strtonum(argv[1], 1, (long long)n, &errstr);
		if (errstr != NULL)
			xcause(cause, "recall: draft '%s' is %s (1-%zu)",
			    argv[1], errstr, n);
		else
			rc = cmd_compose_recall_one(&v[k - 1], cause);
	} else if (n == 1)
		rc = cmd_compose_recall_one(&v[0], cause);
	else {
		buf_init(&q);
		buf_addstr(&q, "recall which?");
		for (i = 0; i < n; i++)
			buf_printf(&q, " %zu: %s;", i + 1, v[i].label);
		buf_truncate(&q, q.len - 1);
		buf_addstr(&q, " ");
		cmd_compose_ask_choice(q.data, cmd_compose_recall_answer, NULL);
		buf_release(&q);
		rc = 0;
	}
	cmd_compose_drafts_free(v, n);
	return (rc);
}

/* --------------------------------------------------------------------
 * The compose screen's commands. */

static struct cmd_compose *
cmd_compose_current(char **cause)
{
	if (cmd_compose == NULL)
		xcause(cause, "no message is being composed");
	return (cmd_compose);
}

/* Builds the message of the editor file; -1 with *cause. */
static int
cmd_compose_build(struct cmd_compose *c, int flags, char **out, size_t *len,
    char **cause)
{
	struct mime_draft	 d;
	struct mime_attachment	*a;
	struct mime_identity	 id;
	size_t			 i;
	int			 rc;

	if (cmd_compose_read(c, &d, cause) != 0) {
		mime_draft_release(&d);
		return (-1);
	}
	a = xcalloc(c->n_atts + 1, sizeof *a);
	for (i = 0; i < c->n_atts; i++) {
		a[i].data = c->atts[i].data;
		a[i].len = c->atts[i].len;
		a[i].name = c->atts[i].name;
		a[i].type = c->atts[i].type;
	}
	memset(&id, 0, sizeof id);
	rc = mime_compose_build(&d, a, c->n_atts, &id, time(NULL), flags, out,
	    len, cause);
	free(a);
	mime_draft_release(&d);
	return (rc);
}

/* "<id>" or "id" as a query for the message; the caller frees it. */
static char *
cmd_compose_id_query(const char *id)
{
	char	*bare, *q;
	size_t	 len = strlen(id);

	if (len >= 2 && id[0] == '<' && id[len - 1] == '>')
		bare = xstrndup(id + 1, len - 2);
	else
		bare = xstrdup(id);
	q = store_query_term("id", bare);
	free(bare);
	return (q);
}

/*
 * After a send or postpone: the original gets "replied", and the Drafts
 * copy a recalled message came from goes (to the trash when it reached
 * the server already; a file never uploaded is just removed).  Both are
 * best effort: a failure is logged, the message is safe either way.
 */
static void
cmd_compose_finish(struct cmd_compose *c, int sent)
{
	const struct config	*cfg = cmd_compose_cfg();
	const char		*base;
	struct store_index	*w = NULL;
	char			*add[] = { (char *)"replied", NULL };
	char			*q, *cause = NULL;
	unsigned int		 count;

	if (c->recalled != NULL) {
		base = strrchr(c->recalled, '/');
		base = base != NULL ? base + 1 : c->recalled;
		if (maildir_name_uid(base) == 0 && unlink(c->recalled) == 0) {
			free(c->recalled_id);
			c->recalled_id = NULL;
		}
	}
	if ((!sent || c->replied_id == NULL) && c->recalled_id == NULL)
		return;
	if (cmd_get_env()->open_rw == NULL ||
	    cmd_get_env()->open_rw(&w, &cause) != 0)
		goto out;
	if (sent && c->replied_id != NULL) {
		q = store_query_term("id", c->replied_id);
		if (engine_action_tag(cfg, w, q, add, NULL, NULL, &count,
		    &cause) != 0) {
			log_warnx("compose: %s", cause);
			free(cause);
			cause = NULL;
		}
		free(q);
	}
	if (c->recalled_id != NULL) {
		q = cmd_compose_id_query(c->recalled_id);
		if (engine_action_move(cfg, w, q, "trash", NULL, &count,
		    &cause) != 0) {
			log_warnx("compose: %s", cause);
			free(cause);
			cause = NULL;
		}
		free(q);
	}
out:
	if (cause != NULL) {
		log_warnx("compose: %s", cause);
		free(cause);
	}
	store_index_close(w);
}

/*
 * Indexes a postponed draft (built as out, len) and re-reads the views.
 * A draft is not new mail: it loses the new_tags "inbox" and "unread".
 */
static void
cmd_compose_ingest(const char *out, size_t len)
{
	struct engine_ingest_opts	 o;
	struct store_index		*w;
	struct mime_message		*m;
	const char			*id;
	char				*del[] = { (char *)"inbox",
					    (char *)"unread", NULL };
	char				*cause = NULL, *q;
	unsigned int			 count;

	if (cmd_get_env()->open_rw == NULL)
		return;
	if (cmd_get_env()->open_rw(&w, &cause) == 0) {
		memset(&o, 0, sizeof o);
		o.batch = 200;
		if (engine_ingest_scan(w, &o, NULL, &cause) != 0) {
			log_warnx("compose: %s", cause);
			free(cause);
			cause = NULL;
		}
		if ((m = mime_message_parse(out, len, NULL)) != NULL &&
		    (id = mime_message_header(m, "Message-ID")) != NULL) {
			q = cmd_compose_id_query(id);
			if (engine_action_tag(cmd_compose_cfg(), w, q, NULL, del,
			    NULL, &count, &cause) != 0) {
				log_warnx("compose: %s", cause);
				free(cause);
			}
			free(q);
		}
		mime_message_free(m);
		store_index_close(w);
	} else {
		log_warnx("compose: %s", cause);
		free(cause);
	}
	ui_refresh(0);
}

static int
cmd_compose_send_exec(int argc, char **argv, char **cause)
{
	const struct config		*cfg = cmd_compose_cfg();
	const struct config_account	*a;
	struct cmd_compose		*c;
	char				*out;
	size_t				 len;
	int				 kicked;

	(void)argc;
	(void)argv;
	if ((c = cmd_compose_current(cause)) == NULL)
		return (-1);
	if (cfg->n_accounts == 0) {
		xcause(cause, "no account to send from");
		return (-1);
	}
	a = &cfg->accounts[c->acct];
	if (cmd_compose_build(c, 0, &out, &len, cause) != 0)
		return (-1);
	if (engine_outbox_queue(cfg, a, out, len, NULL, cause) != 0) {
		free(out);
		return (-1);
	}
	free(out);
	cmd_compose_unlink(c);
	cmd_compose_finish(c, 1);
	kicked = engine_workers_kick(cmd_get_env()->workers, a->name);
	ui_compose_close();
	if (kicked > 0)
		ui_message("%s: sending", a->name);
	else
		ui_message("%s: queued: nothing sends in the background now "
		    "('satchel send' does)", a->name);
	ui_refresh(0);
	return (0);
}

static int
cmd_postpone_exec(int argc, char **argv, char **cause)
{
	const struct config		*cfg = cmd_compose_cfg();
	const struct config_account	*a;
	struct cmd_compose		*c;
	char				*out;
	size_t				 len;

	(void)argc;
	(void)argv;
	if ((c = cmd_compose_current(cause)) == NULL)
		return (-1);
	if (cfg->n_accounts == 0) {
		xcause(cause, "no account to keep drafts in");
		return (-1);
	}
	a = &cfg->accounts[c->acct];
	if (cmd_compose_build(c, MIME_COMPOSE_DRAFT, &out, &len, cause) != 0)
		return (-1);
	if (engine_outbox_postpone(cfg, a, out, len, NULL, cause) != 0) {
		free(out);
		return (-1);
	}
	cmd_compose_unlink(c);
	cmd_compose_finish(c, 0);
	ui_compose_close();
	cmd_compose_ingest(out, len);
	free(out);
	cmd_sync_kick();
	ui_message("postponed to %s of %s", a->drafts_folder, a->name);
	return (0);
}

static int
cmd_compose_edit_exec(int argc, char **argv, char **cause)
{
	struct cmd_compose	*c;

	(void)argc;
	(void)argv;
	if ((c = cmd_compose_current(cause)) == NULL)
		return (-1);
	return (cmd_compose_edit(c, cause));
}

/* Attaches the file at path to the message being composed. */
static int
cmd_compose_attach_path(const char *path, char **cause)
{
	struct cmd_compose	*c;
	struct buf		 data;
	const char		*name;
	char			*full;

	if ((c = cmd_compose_current(cause)) == NULL)
		return (-1);
	if (c->n_atts == MIME_COMPOSE_MAX_ATTACHMENTS) {
		xcause(cause, "no more than %d attachments",
		    MIME_COMPOSE_MAX_ATTACHMENTS);
		return (-1);
	}
	full = path_expand(path);
	buf_init(&data);
	if (buf_read_file(&data, full, MIME_MAX_MESSAGE, cause) != 0) {
		buf_release(&data);
		free(full);
		return (-1);
	}
	name = strrchr(full, '/');
	name = name != NULL ? name + 1 : full;
	cmd_compose_att_add(&c->atts, &c->n_atts, name, NULL, NULL, &data);
	free(full);
	cmd_compose_show(c);
	ui_last();
	return (0);
}

static void
cmd_compose_attach_answer(const char *answer, void *arg)
{
	char	*cause = NULL;

	(void)arg;
	if (answer == NULL || *answer == '\0')
		return;
	if (cmd_compose_attach_path(answer, &cause) != 0) {
		ui_error("%s", cause);
		free(cause);
	}
}

static int
cmd_compose_attach_exec(int argc, char **argv, char **cause)
{
	if (cmd_compose_current(cause) == NULL)
		return (-1);
	if (argc > 1)
		return (cmd_compose_attach_path(argv[1], cause));
	cmd_compose_ask_path("attach file: ", cmd_compose_attach_answer, NULL);
	return (0);
}

static int
cmd_compose_detach_exec(int argc, char **argv, char **cause)
{
	struct cmd_compose	*c;
	int			 k;

	(void)argc;
	(void)argv;
	if ((c = cmd_compose_current(cause)) == NULL)
		return (-1);
	if ((k = ui_compose_cursor()) < 0 || (size_t)k >= c->n_atts) {
		xcause(cause, "no attachment to detach");
		return (-1);
	}
	ui_message("detached '%s'", c->atts[k].label);
	cmd_compose_att_release(&c->atts[k]);
	memmove(&c->atts[k], &c->atts[k + 1],
	    (c->n_atts - (size_t)k - 1) * sizeof *c->atts);
	c->n_atts--;
	cmd_compose_show(c);
	return (0);
}

/* Rewrites the From of the editor file for account acct. */
static int
cmd_compose_set_identity(struct cmd_compose *c, size_t acct, char **cause)
{
	struct mime_draft	 d;
	char			*text;
	size_t			 len;
	int			 rc = -1;

	if (cmd_compose_read(c, &d, cause) != 0)
		goto out;
	if (cmd_compose_set_from(&d, acct, cause) != 0)
		goto out;
	text = mime_draft_write(&d, &len);
	rc = path_write_atomic(c->path, text, len, 0600, cause);
	free(text);
	if (rc == 0)
		c->acct = acct;
out:
	mime_draft_release(&d);
	return (rc);
}

static int
cmd_compose_identity_exec(int argc, char **argv, char **cause)
{
	const struct config	*cfg = cmd_compose_cfg();
	struct cmd_compose	*c;
	size_t			 i, k;

	if ((c = cmd_compose_current(cause)) == NULL)
		return (-1);
	if (cfg->n_accounts == 0) {
		xcause(cause, "no account to send as");
		return (-1);
	}
	i = c->acct;
	if (argc > 1) {
		for (i = 0; i < cfg->n_accounts; i++) {
			if (strcmp(cfg->accounts[i].name, argv[1]) == 0)
				break;
		}
		if (i == cfg->n_accounts) {
			xcause(cause, "no account '%s'", argv[1]);
			return (-1);
		}
	} else {
		/* The next account with an address, round the list. */
		for (k = 1; k <= cfg->n_accounts; k++) {
			i = (c->acct + k) % cfg->n_accounts;
			if (cfg->accounts[i].email != NULL)
				break;
		}
	}
	if (cmd_compose_set_identity(c, i, cause) != 0)
		return (-1);
	cmd_compose_show(c);
	ui_message("sending as %s", cfg->accounts[i].name);
	return (0);
}

static void
cmd_compose_abort_answer(const char *answer, void *arg)
{
	(void)arg;
	if (answer == NULL || cmd_compose == NULL ||
	    (strcmp(answer, "y") != 0 && strcmp(answer, "yes") != 0)) {
		ui_message("not aborted");
		return;
	}
	cmd_compose_unlink(cmd_compose);
	ui_compose_close();
	ui_message("message aborted");
}

static int
cmd_compose_abort_exec(int argc, char **argv, char **cause)
{
	(void)argc;
	(void)argv;
	if (cmd_compose_current(cause) == NULL)
		return (-1);
	cmd_compose_ask_choice("abort this message? (y/n) ",
	    cmd_compose_abort_answer, NULL);
	return (0);
}

char *
cmd_compose_notice(void)
{
	char	**files, *text = NULL;
	size_t	  n;

	if (engine_draft_list(&files, &n, NULL) != 0 || n == 0)
		return (NULL);
	xasprintf(&text, "%zu unfinished message%s from before: "
	    "recall offers %s", n, n == 1 ? "" : "s", n == 1 ? "it" : "them");
	config_free_list(files, n);
	return (text);
}

const struct cmd_entry cmd_compose_entry = {
	"compose", "[ADDRESS...]", "write a new message",
	0, CMD_MAX_ARGS - 1, cmd_compose_exec
};
const struct cmd_entry cmd_reply_entry = {
	"reply", "", "reply to the sender of the message",
	0, 0, cmd_reply_exec
};
const struct cmd_entry cmd_reply_all_entry = {
	"reply-all", "", "reply to the sender and every recipient",
	0, 0, cmd_reply_exec
};
const struct cmd_entry cmd_forward_entry = {
	"forward", "[-a]", "forward the message (-a: as an attachment)",
	0, 1, cmd_forward_exec
};
const struct cmd_entry cmd_resend_entry = {
	"resend", "", "edit the message as a new one",
	0, 0, cmd_resend_exec
};
const struct cmd_entry cmd_recall_entry = {
	"recall", "[N]", "resume a postponed or unfinished message",
	0, 1, cmd_recall_exec
};
const struct cmd_entry cmd_compose_send_entry = {
	"compose-send", "", "send the message being composed",
	0, 0, cmd_compose_send_exec
};
const struct cmd_entry cmd_compose_edit_entry = {
	"compose-edit", "", "edit the message again",
	0, 0, cmd_compose_edit_exec
};
const struct cmd_entry cmd_compose_attach_entry = {
	"compose-attach", "[PATH]", "attach a file",
	0, 1, cmd_compose_attach_exec
};
const struct cmd_entry cmd_compose_detach_entry = {
	"compose-detach", "", "remove the attachment at the cursor",
	0, 0, cmd_compose_detach_exec
};
const struct cmd_entry cmd_compose_identity_entry = {
	"compose-identity", "[ACCOUNT]", "send as the next (or that) account",
	0, 1, cmd_compose_identity_exec
};
const struct cmd_entry cmd_postpone_entry = {
	"postpone", "", "keep the message in the Drafts folder for later",
	0, 0, cmd_postpone_exec
};
const struct cmd_entry cmd_compose_abort_entry = {
	"compose-abort", "", "throw the message away (asks first)",
	0, 0, cmd_compose_abort_exec
};
