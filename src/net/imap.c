/*
 * net/imap.c: an IMAP session up to the logged-in state: connect (through
 * net/tls.c), STARTTLS when asked for and never a silent fall-back to
 * plaintext, CAPABILITY, then AUTHENTICATE PLAIN or LOGIN.  What a
 * logged-in session can do lives in net/imap-ops.c.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <libetpan/libetpan.h>

#include "core/core.h"
#include "net/net.h"
#include "private.h"

/* How much of a server's text goes into a message. */
#define IMAP_TEXT_MAX	200

struct net_imap *
net_imap_new(const struct config_account *a)
{
	struct net_imap	*imap;

	imap = xcalloc(1, sizeof *imap);
	link_init(&imap->link, a, "IMAP", 993, 143);
	imap->user = a->user != NULL ? xstrdup(a->user) : NULL;
	imap->delim = '/';
	if ((imap->imap = mailimap_new(0, NULL)) == NULL)
		fatalx("out of memory");
	return (imap);
}

void
net_imap_cancel(struct net_imap *imap)
{
	if (imap != NULL)
		link_cancel(&imap->link);
}

/* mailimap_free() says LOGOUT first; on a broken link that fails at once. */
void
net_imap_free(struct net_imap *imap)
{
	if (imap == NULL)
		return;
	if (imap->imap != NULL)
		mailimap_free(imap->imap);
	link_release(&imap->link);
	free(imap->user);
	free(imap->selected);
	free(imap);
}

int
net_imap_caps(const struct net_imap *imap)
{
	return (imap->caps);
}

const char *
net_imap_security(const struct net_imap *imap)
{
	return (imap->link.security);
}

void
imap_error(struct net_imap *imap, int r, const char *what, char **cause)
{
	const char	*text = NULL, *why;

	if (link_failed(&imap->link, what, cause))
		return;
	if (imap->imap != NULL && imap->imap->imap_response != NULL &&
	    *imap->imap->imap_response != '\0')
		text = imap->imap->imap_response;
	switch (r) {
	case MAILIMAP_ERROR_STREAM:
		why = "connection lost";
		break;
	case MAILIMAP_ERROR_PARSE:
		why = "cannot parse the server's answer";
		break;
	case MAILIMAP_ERROR_MEMORY:
		why = "out of memory";
		break;
	case MAILIMAP_ERROR_BAD_STATE:
		why = "not possible in this state of the session";
		break;
	case MAILIMAP_ERROR_FATAL:
		why = "the server ended the session";
		break;
	case MAILIMAP_ERROR_PROTOCOL:
		why = "the server did not understand the command";
		break;
	case MAILIMAP_ERROR_DONT_ACCEPT_CONNECTION:
		why = "the server refused the connection";
		break;
	default:
		why = "refused by the server";
		break;
	}
	if (text != NULL && r != MAILIMAP_ERROR_STREAM &&
	    r != MAILIMAP_ERROR_PARSE)
		xcause(cause, "%s: %s: %.*s", what, why, IMAP_TEXT_MAX, text);
	else
		xcause(cause, "%s: %s", what, why);
}

static void
imap_trace(mailimap *m, int type, const char *str, size_t len, void *arg)
{
	struct net_imap	*imap = arg;

	(void)m;
	link_trace_log(&imap->link, type, str, len);
}

/* Asks for CAPABILITY; libetpan keeps the answer in the session. */
static int
imap_capability(struct net_imap *imap, char **cause)
{
	struct mailimap_capability_data	*cap;
	int				 r;

	if ((r = mailimap_capability(imap->imap, &cap)) != MAILIMAP_NO_ERROR) {
		imap_error(imap, r, "CAPABILITY failed", cause);
		return (-1);
	}
	mailimap_capability_data_free(cap);
	return (0);
}

/*
 * STARTTLS or nothing: a server that does not offer it gets no password,
 * as a man in the middle would strip the capability.
 */
static int
imap_starttls(struct net_imap *imap, char **cause)
{
	mailimap	*m = imap->imap;
	int		 r;

	if (m->imap_connection_info == NULL ||
	    m->imap_connection_info->imap_capability == NULL) {
		if (imap_capability(imap, cause) != 0)
			return (-1);
	}
	if (!mailimap_has_extension(m, "STARTTLS")) {
		xcause(cause, "server '%s' does not offer STARTTLS; refusing "
		    "to log in without TLS (set tls = implicit, or tls = none "
		    "to allow plaintext)", imap->link.host);
		return (-1);
	}
	/*
	 * Debian's libetpan fails STARTTLS itself when bytes follow the OK
	 * (CVE-2020-15953); link_starttls() then says why.
	 */
	r = mailimap_starttls(m);
	if (r != MAILIMAP_NO_ERROR && m->imap_stream->read_buffer_len == 0) {
		imap_error(imap, r, "STARTTLS failed", cause);
		return (-1);
	}
	return (link_starttls(&imap->link, m->imap_stream, cause));
}

/*
 * AUTHENTICATE PLAIN when offered, else LOGIN.  A missing SASL plugin
 * would fail like a wrong password, so it is checked first; LOGIN is the
 * fall-back when the server still allows it.
 */
static int
imap_login(struct net_imap *imap, const char *password, char **cause)
{
	mailimap	*m = imap->imap;
	char		*why = NULL, *what;
	int		 sasl, login, r;

	sasl = mailimap_has_authentication(m, "PLAIN");
	login = !mailimap_has_extension(m, "LOGINDISABLED");
	if (sasl && net_sasl_check("PLAIN", &why) != 0) {
		if (!login) {
			*cause = why;
			return (-1);
		}
		log_warnx("imap: %s; logging in to '%s' with LOGIN", why,
		    imap->link.host);
		free(why);
		sasl = 0;
	}
	if (!sasl && !login) {
		xcause(cause, "server '%s' offers no way to log in that "
		    "satchel knows (LOGINDISABLED and no AUTH=PLAIN)",
		    imap->link.host);
		return (-1);
	}
	/* The answer to the login may carry the new capabilities. */
	if (m->imap_connection_info != NULL &&
	    m->imap_connection_info->imap_capability != NULL) {
		mailimap_capability_data_free(
		    m->imap_connection_info->imap_capability);
		m->imap_connection_info->imap_capability = NULL;
	}
	m->imap_response = NULL;
	if (sasl)
		r = mailimap_authenticate(m, "PLAIN", imap->link.host, NULL,
		    NULL, imap->user, imap->user, password, NULL);
	else
		r = mailimap_login(m, imap->user, password);
	if (r == MAILIMAP_NO_ERROR)
		return (0);
	xasprintf(&what, "login failed for %s@%s", imap->user,
	    imap->link.host);
	if (r == MAILIMAP_ERROR_LOGIN && !link_failed(&imap->link, NULL,
	    NULL)) {
		imap->link.refused = 1;
		xcause(cause, "%s: %.*s", what, IMAP_TEXT_MAX,
		    m->imap_response != NULL ? m->imap_response :
		    "refused by the server");
	} else
		imap_error(imap, r, what, cause);
	free(what);
	return (-1);
}

static void
imap_caps(struct net_imap *imap)
{
	mailimap	*m = imap->imap;

	imap->caps = 0;
	if (mailimap_has_idle(m))
		imap->caps |= NET_IMAP_IDLE;
	if (mailimap_has_condstore(m))
		imap->caps |= NET_IMAP_CONDSTORE;
	if (mailimap_has_qresync(m))
		imap->caps |= NET_IMAP_QRESYNC;
	if (mailimap_has_extension(m, "MOVE"))
		imap->caps |= NET_IMAP_MOVE;
	if (mailimap_has_uidplus(m))
		imap->caps |= NET_IMAP_UIDPLUS;
}

int
net_imap_refused(const struct net_imap *imap)
{
	return (imap->link.refused);
}

int
net_imap_open(struct net_imap *imap, const char *password, char **cause)
{
	mailimap	*m = imap->imap;
	mailstream	*s;
	char		*what;
	int		 r;

	if (m->imap_stream != NULL) {
		xcause(cause, "the session is open already");
		return (-1);
	}
	if (imap->user == NULL || password == NULL) {
		xcause(cause, "no user or no password for '%s'",
		    imap->link.host != NULL ? imap->link.host : "(no host)");
		return (-1);
	}
	if ((s = link_connect(&imap->link, cause)) == NULL)
		return (-1);
	link_trace(&imap->link, NULL, LOG_IMAP);
	mailimap_set_logger(m, imap_trace, imap);

	r = mailimap_connect(m, s);
	if (r != MAILIMAP_NO_ERROR_AUTHENTICATED &&
	    r != MAILIMAP_NO_ERROR_NON_AUTHENTICATED) {
		xasprintf(&what, "no greeting from '%s'", imap->link.host);
		imap_error(imap, r, what, cause);
		free(what);
		return (-1);
	}
	if (imap->link.tls == CONFIG_TLS_STARTTLS) {
		if (r == MAILIMAP_NO_ERROR_AUTHENTICATED) {
			xcause(cause, "server '%s' logged us in before "
			    "STARTTLS, so TLS is impossible; refusing to go "
			    "on", imap->link.host);
			return (-1);
		}
		if (imap_starttls(imap, cause) != 0)
			return (-1);
	}
	/* Capabilities from before TLS are not to be trusted. */
	if (imap_capability(imap, cause) != 0)
		return (-1);
	if (r == MAILIMAP_NO_ERROR_NON_AUTHENTICATED &&
	    imap_login(imap, password, cause) != 0)
		return (-1);
	if (m->imap_connection_info == NULL ||
	    m->imap_connection_info->imap_capability == NULL) {
		if (imap_capability(imap, cause) != 0)
			return (-1);
	}
	imap_caps(imap);
	log_info("imap: logged in to '%s' as '%s' (%s)", imap->link.host,
	    imap->user, imap->link.security);
	return (0);
}
