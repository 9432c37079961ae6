/*
 * cmd/cmd-rsvp.c: answering an invitation, "rsvp accept|tentative|decline
 * [comment]".
 *
 * The invitation is the newest message of the target (the message at the
 * top of the pager; the thread or the selection in the list) that carries
 * a METHOD:REQUEST calendar.  We answer as the first of the accounts'
 * addresses (the account the message was delivered to first) that the
 * event lists as an attendee, from that account.  Without a comment on
 * the command line one is asked for (Enter: none, Escape: do nothing).
 *
 * Then, in this order, so that the calendar never says we answered when
 * no answer is on its way: the iTIP REPLY (cal/) becomes an iMIP message
 * (mime/itip.c) queued crash-safely in the account's outbox, which works
 * offline, and the workers are kicked to send it; the calendar store
 * records our PARTSTAT (cal_calstore_answer()); the message is tagged
 * "replied" as triage tags it (journaled for IMAP), without an undo
 * entry, since the answer has gone.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/core.h"
#include "mime/mime.h"
#include "store/store.h"
#include "cal/cal.h"
#include "engine/engine.h"
#include "ui/ui.h"
#include "cmd/cmd.h"
#include "private.h"

/* Messages of the target looked at for an invitation, newest first. */
#define CMD_RSVP_MAX_SCAN	500

struct cmd_rsvp_kind {
	const char		*name;		/* the argument */
	enum cal_partstat	 partstat;
	const char		*label;		/* Subject prefix, status */
	const char		*verb;		/* "has accepted" */
	const char		*ask;		/* the question's verb */
};
static const struct cmd_rsvp_kind cmd_rsvp_kinds[] = {
	{ "accept", CAL_PARTSTAT_ACCEPTED, "Accepted", "has accepted",
	    "Accept" },
	{ "tentative", CAL_PARTSTAT_TENTATIVE, "Tentative",
	    "has tentatively accepted", "Tentatively accept" },
	{ "decline", CAL_PARTSTAT_DECLINED, "Declined", "has declined",
	    "Decline" },
};

/* An answer being made: found before the question, sent after it. */
struct cmd_rsvp {
	const struct cmd_rsvp_kind	*kind;
	const struct config_account	*account;
	char				*self;		/* our address */
	char				*path;		/* the invitation */
	char				*message_id;	/* in the index */
	struct cal_cal			*request;
	char				*summary;
	char				*organizer;
	char				*organizer_cn;
};

static void
cmd_rsvp_free(struct cmd_rsvp *r)
{
	if (r == NULL)
		return;
	free(r->self);
	free(r->path);
	free(r->message_id);
	cal_ical_free(r->request);
	free(r->summary);
	free(r->organizer);
	free(r->organizer_cn);
	free(r);
}

/* The first METHOD:REQUEST calendar with an event in the file, copied. */
static struct cal_cal *
cmd_rsvp_request(const char *path)
{
	struct cal_cal	**cals, *found = NULL;
	struct cal_event *evs;
	size_t		 n, i, ne;

	if (!engine_calendar_has_parts(path) ||
	    engine_calendar_message(path, &cals, &n, NULL, NULL) != 0)
		return (NULL);
	for (i = 0; i < n && found == NULL; i++) {
		if (cal_ical_method(cals[i]) != CAL_METHOD_REQUEST)
			continue;
		cal_ical_events(cals[i], &evs, &ne);
		if (ne > 0)
			found = cal_ical_copy(cals[i]);
		cal_ical_events_free(evs, ne);
	}
	engine_calendar_free(cals, n);
	return (found);
}

/* The newest invitation of the target: its file, Message-ID, calendar. */
static int
cmd_rsvp_find(struct cmd_rsvp *r, char **cause)
{
	struct store_messages	*ms;
	struct store_message	 m;
	size_t			 seen = 0;

	if (cmd_target_messages(&ms, cause) != 0)
		return (-1);
	while (r->request == NULL && seen++ < CMD_RSVP_MAX_SCAN &&
	    store_messages_next(ms, &m)) {
		if ((r->request = cmd_rsvp_request(m.filename)) != NULL) {
			r->path = xstrdup(m.filename);
			r->message_id = xstrdup(m.message_id);
		}
		store_message_release(&m);
	}
	store_messages_free(ms);
	if (r->request == NULL) {
		xcause(cause, "no invitation here to answer");
		return (-1);
	}
	return (0);
}

/*
 * Which of our addresses is invited, and the account it belongs to; the
 * summary and organizer for the answer.
 */
static int
cmd_rsvp_who(struct cmd_rsvp *r, char **cause)
{
	const struct config	*cfg = cmd_get_env()->cfg;
	struct cal_event	*evs;
	struct buf		 mine;
	char			**self;
	size_t			 n_self, ne, i, j;

	self = ui_card_addresses(cfg, r->path, &n_self);
	cal_ical_events(r->request, &evs, &ne);
	for (i = 0; i < n_self && r->self == NULL; i++) {
		for (j = 0; j < evs[0].n_attendees; j++) {
			if (strcasecmp(evs[0].attendees[j].address,
			    self[i]) == 0) {
				r->self = xstrdup(self[i]);
				break;
			}
		}
	}
	r->summary = xstrdup(evs[0].summary != NULL ? evs[0].summary :
	    "(no title)");
	if (evs[0].organizer != NULL)
		r->organizer = xstrdup(evs[0].organizer);
	if (evs[0].organizer_cn != NULL)
		r->organizer_cn = xstrdup(evs[0].organizer_cn);
	cal_ical_events_free(evs, ne);

	if (n_self == 0)
		xcause(cause, "no account has an 'email' in the configuration: "
		    "cannot tell which attendee you are");
	else if (r->self == NULL) {
		buf_init(&mine);
		for (i = 0; i < n_self; i++)
			buf_printf(&mine, "%s%s", i == 0 ? "" : ", ", self[i]);
		xcause(cause, "none of your addresses (%s) is invited to '%s'",
		    mine.data, r->summary);
		buf_release(&mine);
	} else if (r->organizer == NULL)
		xcause(cause, "'%s' names no organizer to answer", r->summary);
	for (i = 0; cfg != NULL && r->self != NULL && r->account == NULL &&
	    i < cfg->n_accounts; i++) {
		if (cfg->accounts[i].email != NULL &&
		    strcasecmp(cfg->accounts[i].email, r->self) == 0)
			r->account = &cfg->accounts[i];
	}
	config_free_list(self, n_self);
	return (r->self != NULL && r->organizer != NULL ? 0 : -1);
}

/* The REPLY as mail, queued in our account's outbox. */
static int
cmd_rsvp_queue(struct cmd_rsvp *r, const char *comment, time_t now,
    char **cause)
{
	const struct config_account *a = r->account;
	struct mime_message	*orig;
	struct mime_itip	 it;
	struct buf		 text;
	char			*reply, *subject, *msg = NULL;
	size_t			 len;
	int			 rc = -1;

	if ((reply = cal_ical_reply(r->request, r->self, r->kind->partstat,
	    comment, now, cause)) == NULL)
		return (-1);
	xasprintf(&subject, "%s: %s", r->kind->label, r->summary);
	buf_init(&text);
	buf_printf(&text, "%s %s the invitation to \"%s\".\n",
	    a->realname != NULL ? a->realname : r->self, r->kind->verb,
	    r->summary);
	if (comment != NULL)
		buf_printf(&text, "\n%s\n", comment);
	memset(&it, 0, sizeof it);
	it.from_name = a->realname;
	it.from_addr = r->self;
	it.to_name = r->organizer_cn;
	it.to_addr = r->organizer;
	it.subject = subject;
	it.text = text.data;
	it.calendar = reply;
	it.calendar_len = strlen(reply);
	it.method = "REPLY";
	orig = mime_message_parse_file(r->path, NULL);
	if (mime_itip_build(&it, orig, now, &msg, &len, cause) == 0)
		rc = engine_outbox_queue(cmd_get_env()->cfg, a, msg, len,
		    NULL, cause);
	mime_message_free(orig);
	free(msg);
	buf_release(&text);
	free(subject);
	free(reply);
	return (rc);
}

/* Our PARTSTAT in the calendar store. */
static int
cmd_rsvp_store(struct cmd_rsvp *r, const char *comment, time_t now,
    char **cause)
{
	struct cal_calstore	*cs;
	const char		*self[2];
	char			*dir, *reply;

	dir = cal_calstore_default_dir(NULL);
	cs = cal_calstore_open(dir, cause);
	free(dir);
	if (cs == NULL)
		return (-1);
	self[0] = r->self;
	self[1] = NULL;
	reply = cal_calstore_answer(cs, r->request, self, r->kind->partstat,
	    comment, now, cause);
	cal_calstore_close(cs);
	free(reply);
	return (reply != NULL ? 0 : -1);
}

/* The invitation gets the "replied" tag, journaled like triage's. */
static int
cmd_rsvp_tag(struct cmd_rsvp *r, char **cause)
{
	static char		*add[] = { (char *)"replied", NULL };
	struct store_index	*w = NULL;
	char			*q;
	unsigned int		 n;
	int			 rc;

	if (cmd_get_env()->open_rw == NULL) {
		xcause(cause, "the index cannot be changed here");
		return (-1);
	}
	if (cmd_get_env()->open_rw(&w, cause) != 0)
		return (-1);
	q = store_query_term("id", r->message_id);
	rc = engine_action_tag(cmd_get_env()->cfg, w, q, add, NULL, NULL, &n,
	    cause);
	free(q);
	store_index_close(w);
	return (rc);
}

/* Sends the answer (comment may be NULL) and says what became of it. */
static int
cmd_rsvp_send(struct cmd_rsvp *r, const char *comment, char **cause)
{
	time_t	 now = date_now();
	char	*why = NULL;

	if (comment != NULL && *comment == '\0')
		comment = NULL;
	if (r->account == NULL) {
		xcause(cause, "no account sends as '%s'", r->self);
		return (-1);
	}
	if (cmd_rsvp_queue(r, comment, now, cause) != 0)
		return (-1);
	(void)engine_workers_kick(cmd_get_env()->workers, r->account->name);
	if (cmd_rsvp_store(r, comment, now, &why) != 0) {
		xcause(cause, "%s: queued to %s, but the calendar was not "
		    "updated: %s", r->kind->label, r->organizer, why);
		free(why);
		return (-1);
	}
	if (cmd_rsvp_tag(r, &why) != 0) {
		xcause(cause, "%s: queued to %s, but the message was not "
		    "tagged: %s", r->kind->label, r->organizer, why);
		free(why);
		ui_refresh(0);
		return (-1);
	}
	ui_refresh(0);
	ui_message("%s: queued to %s", r->kind->label, r->organizer);
	return (0);
}

/* The comment question's answer: NULL (Escape) sends nothing. */
static void
cmd_rsvp_answer(const char *comment, void *arg)
{
	struct cmd_rsvp	*r = arg;
	char		*cause = NULL;

	if (comment == NULL)
		ui_message("not answered");
	else if (cmd_rsvp_send(r, comment, &cause) != 0) {
		ui_error("%s", cause);
		free(cause);
	}
	cmd_rsvp_free(r);
}

static int
cmd_rsvp_exec(int argc, char **argv, char **cause)
{
	struct cmd_rsvp	*r;
	struct buf	 comment;
	char		*question;
	size_t		 i;
	int		 rc, k;

	for (i = 0; i < sizeof cmd_rsvp_kinds / sizeof *cmd_rsvp_kinds; i++) {
		if (strcmp(argv[1], cmd_rsvp_kinds[i].name) == 0)
			break;
	}
	if (i == sizeof cmd_rsvp_kinds / sizeof *cmd_rsvp_kinds) {
		xcause(cause, "usage: rsvp accept|tentative|decline [COMMENT]");
		return (-1);
	}
	r = xcalloc(1, sizeof *r);
	r->kind = &cmd_rsvp_kinds[i];
	if (cmd_rsvp_find(r, cause) != 0 || cmd_rsvp_who(r, cause) != 0) {
		cmd_rsvp_free(r);
		return (-1);
	}
	if (argc > 2) {
		buf_init(&comment);
		for (k = 2; k < argc; k++)
			buf_printf(&comment, "%s%s", k == 2 ? "" : " ",
			    argv[k]);
		rc = cmd_rsvp_send(r, comment.data, cause);
		buf_release(&comment);
		cmd_rsvp_free(r);
		return (rc);
	}
	xasprintf(&question, "%s '%s'? Comment (Enter: none, Escape: "
	    "cancel): ", r->kind->ask, r->summary);
	ui_ask(question, cmd_rsvp_answer, r);
	free(question);
	return (0);
}

const struct cmd_entry cmd_rsvp_entry = {
	"rsvp", "accept|tentative|decline [COMMENT]",
	"answer the invitation (asks for a comment when none is given)",
	1, CMD_MAX_ARGS - 1, cmd_rsvp_exec
};
