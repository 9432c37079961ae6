/*
 * net/pop.c: a POP3 session.  Connecting follows net/imap.c: implicit TLS,
 * or STLS and never a fall-back to plaintext, then AUTH PLAIN through SASL
 * when CAPA offers it, else USER and PASS.  Deletions take effect at QUIT,
 * which net_pop_free() sends.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libetpan/libetpan.h>

#include "core/core.h"
#include "net/net.h"
#include "private.h"

/* How much of a server's text goes into a message. */
#define POP_TEXT_MAX	200

/* What CAPA told us. */
struct pop_caps {
	int	 stls;
	int	 user;
	int	 sasl_plain;
};

struct net_pop *
net_pop_new(const struct config_account *a)
{
	struct net_pop	*pop;

	pop = xcalloc(1, sizeof *pop);
	link_init(&pop->link, a, "POP", 995, 110);
	pop->user = a->user != NULL ? xstrdup(a->user) : NULL;
	if ((pop->pop = mailpop3_new(0, NULL)) == NULL)
		fatalx("out of memory");
	return (pop);
}

void
net_pop_cancel(struct net_pop *pop)
{
	if (pop != NULL)
		link_cancel(&pop->link);
}

static void
pop_msgs_clear(struct net_pop *pop)
{
	size_t	 i;

	for (i = 0; i < pop->nmsgs; i++)
		free(pop->msgs[i].uidl);
	free(pop->msgs);
	pop->msgs = NULL;
	pop->nmsgs = 0;
}

/* mailpop3_free() sends QUIT while the stream is open. */
void
net_pop_free(struct net_pop *pop)
{
	if (pop == NULL)
		return;
	if (pop->pop != NULL)
		mailpop3_free(pop->pop);
	pop_msgs_clear(pop);
	link_release(&pop->link);
	free(pop->user);
	free(pop);
}

const char *
net_pop_security(const struct net_pop *pop)
{
	return (pop->link.security);
}

/* Like imap_error(): the link's failure, else the server's words. */
static void
pop_error(struct net_pop *pop, int r, const char *what, char **cause)
{
	const char	*text, *why;

	if (link_failed(&pop->link, what, cause))
		return;
	text = pop->pop->pop3_response;
	switch (r) {
	case MAILPOP3_ERROR_STREAM:
		xcause(cause, "%s: connection lost", what);
		return;
	case MAILPOP3_ERROR_MEMORY:
		xcause(cause, "%s: out of memory", what);
		return;
	case MAILPOP3_ERROR_BAD_STATE:
		why = "not possible in this state of the session";
		break;
	case MAILPOP3_ERROR_NO_SUCH_MESSAGE:
		why = "no such message";
		break;
	default:
		why = "refused by the server";
		break;
	}
	if (text != NULL && *text != '\0')
		xcause(cause, "%s: %.*s", what, POP_TEXT_MAX, text);
	else
		xcause(cause, "%s: %s", what, why);
}

static void
pop_trace(mailpop3 *p, int type, const char *str, size_t len, void *arg)
{
	struct net_pop	*pop = arg;

	(void)p;
	link_trace_log(&pop->link, type, str, len);
}

/* CAPA; a server without it (RFC 1939 only) still knows USER and PASS. */
static int
pop_capa(struct net_pop *pop, struct pop_caps *caps, char **cause)
{
	struct mailpop3_capa	*c;
	clist			*list;
	clistiter		*it, *pit;
	int			 r;

	memset(caps, 0, sizeof *caps);
	r = mailpop3_capa(pop->pop, &list);
	if (r == MAILPOP3_ERROR_CAPA_NOT_SUPPORTED &&
	    !link_failed(&pop->link, NULL, NULL)) {
		caps->user = 1;
		return (0);
	}
	if (r != MAILPOP3_NO_ERROR) {
		pop_error(pop, r, "CAPA failed", cause);
		return (-1);
	}
	for (it = clist_begin(list); it != NULL; it = clist_next(it)) {
		c = it->data;
		if (strcasecmp(c->cap_name, "STLS") == 0)
			caps->stls = 1;
		else if (strcasecmp(c->cap_name, "USER") == 0)
			caps->user = 1;
		else if (strcasecmp(c->cap_name, "SASL") == 0) {
			for (pit = clist_begin(c->cap_param); pit != NULL;
			    pit = clist_next(pit)) {
				if (strcasecmp(pit->data, "PLAIN") == 0)
					caps->sasl_plain = 1;
			}
		}
	}
	mailpop3_capa_resp_free(list);
	return (0);
}

static int
pop_stls(struct net_pop *pop, char **cause)
{
	struct pop_caps	 caps;
	int		 r;

	if (pop_capa(pop, &caps, cause) != 0)
		return (-1);
	if (!caps.stls) {
		xcause(cause, "server '%s' does not offer STARTTLS (STLS); "
		    "refusing to log in without TLS (set tls = implicit, or "
		    "tls = none to allow plaintext)", pop->link.host);
		return (-1);
	}
	/*
	 * libetpan fails STLS itself when bytes follow the +OK
	 * (CVE-2020-15953); link_starttls() then says why.
	 */
	r = mailpop3_stls(pop->pop);
	if (r != MAILPOP3_NO_ERROR &&
	    pop->pop->pop3_stream->read_buffer_len == 0) {
		pop_error(pop, r, "STLS failed", cause);
		return (-1);
	}
	return (link_starttls(&pop->link, pop->pop->pop3_stream, cause));
}

/*
 * AUTH PLAIN when CAPA offers it and SASL has the plugin, else USER and
 * PASS.  libetpan writes USER and PASS lines as given, so a line break in
 * either would smuggle in a command: refused.
 */
static int
pop_login(struct net_pop *pop, const char *password, char **cause)
{
	struct pop_caps	 caps;
	char		*why = NULL, *what;
	int		 sasl, r;

	if (pop_capa(pop, &caps, cause) != 0)
		return (-1);
	sasl = caps.sasl_plain;
	if (sasl && net_sasl_check("PLAIN", &why) != 0) {
		if (!caps.user) {
			*cause = why;
			return (-1);
		}
		log_warnx("pop: %s; logging in to '%s' with USER and PASS",
		    why, pop->link.host);
		free(why);
		sasl = 0;
	}
	if (!sasl && !caps.user) {
		xcause(cause, "server '%s' offers no way to log in that "
		    "satchel knows (no USER, no SASL PLAIN)", pop->link.host);
		return (-1);
	}
	if (!sasl && (strpbrk(pop->user, "\r\n") != NULL ||
	    strpbrk(password, "\r\n") != NULL)) {
		xcause(cause, "the user name or password for '%s' contains a "
		    "line break", pop->link.host);
		return (-1);
	}
	pop->pop->pop3_response = NULL;
	if (sasl)
		r = mailpop3_auth(pop->pop, "PLAIN", pop->link.host, NULL,
		    NULL, pop->user, pop->user, password, NULL);
	else if ((r = mailpop3_user(pop->pop, pop->user)) ==
	    MAILPOP3_NO_ERROR)
		r = mailpop3_pass(pop->pop, password);
	if (r == MAILPOP3_NO_ERROR)
		return (0);
	if (!link_failed(&pop->link, NULL, NULL))
		pop->link.refused = 1;
	xasprintf(&what, "login failed for %s@%s", pop->user, pop->link.host);
	pop_error(pop, r, what, cause);
	free(what);
	return (-1);
}

int
net_pop_refused(const struct net_pop *pop)
{
	return (pop->link.refused);
}

int
net_pop_open(struct net_pop *pop, const char *password, char **cause)
{
	mailstream	*s;
	char		*what;
	int		 r;

	if (pop->pop->pop3_stream != NULL) {
		xcause(cause, "the session is open already");
		return (-1);
	}
	if (pop->user == NULL || password == NULL) {
		xcause(cause, "no user or no password for '%s'",
		    pop->link.host != NULL ? pop->link.host : "(no host)");
		return (-1);
	}
	if ((s = link_connect(&pop->link, cause)) == NULL)
		return (-1);
	link_trace(&pop->link, NULL, LOG_POP);
	mailpop3_set_logger(pop->pop, pop_trace, pop);

	if ((r = mailpop3_connect(pop->pop, s)) != MAILPOP3_NO_ERROR) {
		xasprintf(&what, "no greeting from '%s'", pop->link.host);
		pop_error(pop, r, what, cause);
		free(what);
		return (-1);
	}
	if (pop->link.tls == CONFIG_TLS_STARTTLS && pop_stls(pop, cause) != 0)
		return (-1);
	if (pop_login(pop, password, cause) != 0)
		return (-1);
	log_info("pop: logged in to '%s' as '%s' (%s)", pop->link.host,
	    pop->user, pop->link.security);
	return (0);
}

/* Without UIDL nothing tells which messages were fetched before. */
int
net_pop_list(struct net_pop *pop, const struct net_pop_msg **msgs,
    size_t *n, char **cause)
{
	struct mailpop3_msg_info	*info;
	carray				*tab;
	unsigned int			 i;
	int				 r;

	pop_msgs_clear(pop);
	if ((r = mailpop3_list(pop->pop, &tab)) != MAILPOP3_NO_ERROR) {
		pop_error(pop, r, "cannot list the messages", cause);
		return (-1);
	}
	pop->msgs = xreallocarray(NULL, carray_count(tab) + 1,
	    sizeof *pop->msgs);
	for (i = 0; i < carray_count(tab); i++) {
		info = carray_get(tab, i);
		if (info == NULL || info->msg_deleted)
			continue;
		if (info->msg_uidl == NULL) {
			pop_msgs_clear(pop);
			xcause(cause, "server '%s' gave no UIDL for message %u "
			    "(satchel needs UIDL to know what it fetched)",
			    pop->link.host, info->msg_index);
			return (-1);
		}
		pop->msgs[pop->nmsgs].index = info->msg_index;
		pop->msgs[pop->nmsgs].size = info->msg_size;
		pop->msgs[pop->nmsgs].uidl = xstrdup(info->msg_uidl);
		pop->nmsgs++;
	}
	*msgs = pop->msgs;
	*n = pop->nmsgs;
	return (0);
}

int
net_pop_retr(struct net_pop *pop, unsigned int index, char **data,
    size_t *len, char **cause)
{
	char	*result, *what;
	size_t	 n;
	int	 r;

	*data = NULL;
	*len = 0;
	if ((r = mailpop3_retr(pop->pop, index, &result, &n)) !=
	    MAILPOP3_NO_ERROR) {
		xasprintf(&what, "cannot retrieve message %u", index);
		pop_error(pop, r, what, cause);
		free(what);
		return (-1);
	}
	*data = xmalloc(n + 1);
	memcpy(*data, result, n);
	(*data)[n] = '\0';
	*len = n;
	mailpop3_retr_free(result);
	return (0);
}

int
net_pop_dele(struct net_pop *pop, unsigned int index, char **cause)
{
	char	*what;
	int	 r;

	if ((r = mailpop3_dele(pop->pop, index)) != MAILPOP3_NO_ERROR) {
		xasprintf(&what, "cannot delete message %u", index);
		pop_error(pop, r, what, cause);
		free(what);
		return (-1);
	}
	return (0);
}
