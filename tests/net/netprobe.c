/*
 * tests/net/netprobe.c: one connection and login through net/, for
 * t-tls.sh, and the fake servers that test needs.
 *
 *	netprobe imap|pop --host H --port P --tls implicit|starttls|none
 *	    [--ca FILE] [--tls-name NAME] --user U --password P
 *	    [--fingerprint HEX] [--allow-plaintext] [--timeout S] [--trace]
 *	    [--retr N] [--dele N]
 *
 * prints "ok <security>" and exits 0, or "error: <cause>" and exits 1;
 * 2 for bad usage.  --tls-name checks that name instead of the host (the
 * fixture serves "localhost" certificates on 127.0.0.2-4); --trace logs
 * the protocol (redacted) to stderr.  IMAP adds the capabilities net/
 * found ("caps: IDLE MOVE ..."), POP3 the messages LIST and UIDL gave
 * ("2 messages: 1 641 <uidl> ..."); with --retr N the message follows the
 * ok line, and --dele N deletes one (at QUIT).
 *
 *	netprobe serve silent|imap-inject|pop-inject|imap-odd
 *
 * listens on 127.0.0.1, prints the port, and serves until killed: silent
 * never says a word; the inject servers answer STARTTLS (STLS) with OK and
 * a second line in the same write, as a man in the middle would;
 * imap-odd is a plaintext IMAP folder whose message 2 comes with a FETCH
 * item no parser knows.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>

#include <netinet/in.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "core/core.h"
#include "net/net.h"
#include "net/private.h"

static void
usage(void)
{
	fprintf(stderr, "usage: netprobe imap|pop --host H --port P "
	    "--tls implicit|starttls|none [--ca FILE] [--tls-name NAME]\n"
	    "\t--user U --password P [--fingerprint HEX] [--allow-plaintext]"
	    " [--timeout S] [--trace]\n"
	    "\t[--retr N] [--dele N]\n"
	    "       netprobe serve silent|imap-inject|pop-inject|imap-odd\n");
	exit(2);
}

/* Reads one line (up to LF) from fd; 0 at end of file. */
static int
serve_line(int fd, char *line, size_t size)
{
	size_t	 n = 0;
	char	 c;

	while (read(fd, &c, 1) == 1) {
		if (c == '\n') {
			line[n] = '\0';
			return (1);
		}
		if (n + 1 < size && c != '\r')
			line[n++] = c;
	}
	return (0);
}

static void
serve_say(int fd, const char *s)
{
	if (write(fd, s, strlen(s)) == -1)
		return;
}

/* An IMAP server that offers STARTTLS and injects a line after its OK. */
static void
serve_imap(int fd)
{
	char	 line[512], out[600], *sp;

	serve_say(fd, "* OK [CAPABILITY IMAP4rev1 STARTTLS] fake ready\r\n");
	while (serve_line(fd, line, sizeof line)) {
		if ((sp = strchr(line, ' ')) == NULL)
			continue;
		*sp++ = '\0';
		if (strcasecmp(sp, "CAPABILITY") == 0)
			snprintf(out, sizeof out, "* CAPABILITY IMAP4rev1 "
			    "STARTTLS\r\n%s OK done\r\n", line);
		else if (strcasecmp(sp, "STARTTLS") == 0)
			snprintf(out, sizeof out, "%s OK begin TLS\r\n"
			    "* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] "
			    "injected\r\n", line);
		else
			snprintf(out, sizeof out, "%s BAD no\r\n", line);
		serve_say(fd, out);
	}
}

/*
 * An IMAP server (plaintext, for tls = none on loopback) with one folder
 * of three messages whose FETCH of message 2 carries an item no parser
 * knows, until the file named by $NETPROBE_HEAL exists.  Each body fetch
 * is noted on stderr ("fetch 1:3"), so a test sees what was asked.
 */
static void
serve_imap_odd_fetch(int fd, const char *tag, const char *set, int bodies)
{
	const char	*heal = getenv("NETPROBE_HEAL");
	char		 body[128], out[512];
	unsigned int	 lo, hi, uid;
	int		 odd;

	if (sscanf(set, "%u:%u", &lo, &hi) != 2) {
		if (sscanf(set, "%u", &lo) != 1)
			lo = 1;
		hi = lo;
	}
	if (hi > 3 || strchr(set, '*') != NULL)
		hi = 3;
	odd = heal == NULL || access(heal, F_OK) != 0;
	for (uid = lo; uid <= hi && uid >= 1; uid++) {
		if (!bodies) {
			snprintf(out, sizeof out, "* %u FETCH (UID %u FLAGS "
			    "())\r\n", uid, uid);
			serve_say(fd, out);
			continue;
		}
		snprintf(body, sizeof body, "From: a@example.test\r\n"
		    "Subject: odd %u\r\nMessage-ID: <odd-%u@x>\r\n\r\n"
		    "body %u\r\n", uid, uid, uid);
		snprintf(out, sizeof out, "* %u FETCH (UID %u FLAGS () %s"
		    "RFC822.SIZE %zu BODY[] {%zu}\r\n%s)\r\n", uid, uid,
		    uid == 2 && odd ? "X-ODD ((( \"broken " : "",
		    strlen(body), strlen(body), body);
		serve_say(fd, out);
	}
	snprintf(out, sizeof out, "%s OK done\r\n", tag);
	serve_say(fd, out);
}

static void
serve_imap_odd(int fd)
{
	char	 line[512], out[768], *sp, *set;

	serve_say(fd, "* OK [CAPABILITY IMAP4rev1] odd ready\r\n");
	while (serve_line(fd, line, sizeof line)) {
		if ((sp = strchr(line, ' ')) == NULL)
			continue;
		*sp++ = '\0';
		if (strncasecmp(sp, "UID FETCH ", 10) == 0) {
			set = sp + 10;
			set[strcspn(set, " ")] = '\0';
			if (strstr(set + strlen(set) + 1, "BODY") != NULL) {
				fprintf(stderr, "fetch %s\n", set);
				serve_imap_odd_fetch(fd, line, set, 1);
			} else
				serve_imap_odd_fetch(fd, line, set, 0);
			continue;
		}
		if (strcasecmp(sp, "CAPABILITY") == 0)
			snprintf(out, sizeof out, "* CAPABILITY IMAP4rev1\r\n"
			    "%s OK done\r\n", line);
		else if (strncasecmp(sp, "LOGIN ", 6) == 0)
			snprintf(out, sizeof out, "%s OK logged in\r\n", line);
		else if (strncasecmp(sp, "LIST ", 5) == 0)
			snprintf(out, sizeof out, "* LIST () \"/\" INBOX\r\n"
			    "%s OK done\r\n", line);
		else if (strncasecmp(sp, "SELECT ", 7) == 0)
			snprintf(out, sizeof out, "* 3 EXISTS\r\n"
			    "* OK [UIDVALIDITY 7] v\r\n* OK [UIDNEXT 4] n\r\n"
			    "* OK [PERMANENTFLAGS (\\Seen \\*)] f\r\n"
			    "%s OK [READ-WRITE] done\r\n", line);
		else if (strcasecmp(sp, "LOGOUT") == 0) {
			snprintf(out, sizeof out, "* BYE bye\r\n%s OK done\r\n",
			    line);
			serve_say(fd, out);
			return;
		} else
			snprintf(out, sizeof out, "%s BAD no\r\n", line);
		serve_say(fd, out);
	}
}

/* A POP3 server that offers STLS and injects a line after its +OK. */
static void
serve_pop(int fd)
{
	char	 line[512];

	serve_say(fd, "+OK fake ready\r\n");
	while (serve_line(fd, line, sizeof line)) {
		if (strcasecmp(line, "CAPA") == 0)
			serve_say(fd, "+OK\r\nSTLS\r\nUSER\r\n.\r\n");
		else if (strcasecmp(line, "STLS") == 0)
			serve_say(fd, "+OK begin TLS\r\n+OK injected\r\n");
		else
			serve_say(fd, "-ERR no\r\n");
	}
}

/* The capabilities net/ saw, after the security. */
static void
print_imap(struct net_imap *imap)
{
	static const struct {
		int		 cap;
		const char	*name;
	} names[] = {
		{ NET_IMAP_IDLE, "IDLE" },
		{ NET_IMAP_CONDSTORE, "CONDSTORE" },
		{ NET_IMAP_QRESYNC, "QRESYNC" },
		{ NET_IMAP_MOVE, "MOVE" },
		{ NET_IMAP_UIDPLUS, "UIDPLUS" },
	};
	size_t	 i;

	printf("ok %s caps:", net_imap_security(imap));
	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		if (net_imap_caps(imap) & names[i].cap)
			printf(" %s", names[i].name);
	}
	printf("\n");
}

/* LIST and UIDL, then DELE or RETR of one message when asked. */
static int
print_pop(struct net_pop *pop, unsigned int retr, unsigned int dele,
    char **cause)
{
	const struct net_pop_msg	*msgs;
	char				*data = NULL;
	size_t				 n, i, len = 0;

	if (net_pop_list(pop, &msgs, &n, cause) != 0)
		return (-1);
	if (dele != 0 && net_pop_dele(pop, dele, cause) != 0)
		return (-1);
	if (retr != 0 && net_pop_retr(pop, retr, &data, &len, cause) != 0)
		return (-1);
	printf("ok %s %zu messages:", net_pop_security(pop), n);
	for (i = 0; i < n; i++)
		printf(" %u %zu %s", msgs[i].index, msgs[i].size,
		    msgs[i].uidl);
	printf("\n");
	if (data != NULL)
		fwrite(data, 1, len, stdout);
	free(data);
	return (0);
}

static int
serve(const char *kind)
{
	struct sockaddr_in	 sin;
	socklen_t		 len = sizeof sin;
	int			 s, fd;

	if (strcmp(kind, "silent") != 0 && strcmp(kind, "imap-inject") != 0 &&
	    strcmp(kind, "pop-inject") != 0 && strcmp(kind, "imap-odd") != 0)
		usage();
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((s = socket(AF_INET, SOCK_STREAM, 0)) == -1 ||
	    bind(s, (struct sockaddr *)&sin, sizeof sin) != 0 ||
	    listen(s, 16) != 0 ||
	    getsockname(s, (struct sockaddr *)&sin, &len) != 0) {
		perror("netprobe serve");
		return (1);
	}
	printf("%u\n", ntohs(sin.sin_port));
	fflush(stdout);
	/* A client that hangs up mid-answer is no reason to die. */
	signal(SIGPIPE, SIG_IGN);
	/* Silent: the kernel completes the handshakes, nobody answers. */
	if (strcmp(kind, "silent") == 0) {
		for (;;)
			pause();
	}
	for (;;) {
		if ((fd = accept(s, NULL, NULL)) == -1)
			continue;
		if (strcmp(kind, "imap-inject") == 0)
			serve_imap(fd);
		else if (strcmp(kind, "imap-odd") == 0)
			serve_imap_odd(fd);
		else
			serve_pop(fd);
		close(fd);
	}
}

int
main(int argc, char **argv)
{
	struct config_account	 a;
	struct net_imap		*imap = NULL;
	struct net_pop		*pop = NULL;
	const char		*proto, *password = NULL, *tls_name = NULL;
	const char		*errstr;
	char			*cause = NULL;
	unsigned int		 retr = 0, dele = 0;
	int			 i, rc, trace = 0;

	if (argc < 2)
		usage();
	if (strcmp(argv[1], "serve") == 0) {
		if (argc != 3)
			usage();
		return (serve(argv[2]));
	}
	proto = argv[1];
	if (strcmp(proto, "imap") != 0 && strcmp(proto, "pop") != 0)
		usage();

	memset(&a, 0, sizeof a);
	a.name = xstrdup("probe");
	a.timeout = 10;
	a.tls = CONFIG_TLS_IMPLICIT;
	for (i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--allow-plaintext") == 0) {
			a.allow_plaintext = 1;
			continue;
		}
		if (strcmp(argv[i], "--trace") == 0) {
			trace = 1;
			continue;
		}
		if (i + 1 == argc)
			usage();
		if (strcmp(argv[i], "--host") == 0)
			a.host = xstrdup(argv[++i]);
		else if (strcmp(argv[i], "--port") == 0) {
			a.port = (unsigned int)strtonum(argv[++i], 1, 65535,
			    &errstr);
			if (errstr != NULL)
				usage();
		} else if (strcmp(argv[i], "--tls") == 0) {
			i++;
			if (strcmp(argv[i], "implicit") == 0)
				a.tls = CONFIG_TLS_IMPLICIT;
			else if (strcmp(argv[i], "starttls") == 0)
				a.tls = CONFIG_TLS_STARTTLS;
			else if (strcmp(argv[i], "none") == 0)
				a.tls = CONFIG_TLS_NONE;
			else
				usage();
		} else if (strcmp(argv[i], "--ca") == 0)
			a.tls_ca_file = xstrdup(argv[++i]);
		else if (strcmp(argv[i], "--tls-name") == 0)
			tls_name = argv[++i];
		else if (strcmp(argv[i], "--user") == 0)
			a.user = xstrdup(argv[++i]);
		else if (strcmp(argv[i], "--password") == 0)
			password = argv[++i];
		else if (strcmp(argv[i], "--fingerprint") == 0)
			a.tls_fingerprint = xstrdup(argv[++i]);
		else if (strcmp(argv[i], "--retr") == 0) {
			retr = (unsigned int)strtonum(argv[++i], 1, 1000000,
			    &errstr);
			if (errstr != NULL)
				usage();
		} else if (strcmp(argv[i], "--dele") == 0) {
			dele = (unsigned int)strtonum(argv[++i], 1, 1000000,
			    &errstr);
			if (errstr != NULL)
				usage();
		} else if (strcmp(argv[i], "--timeout") == 0) {
			a.timeout = (int)strtonum(argv[++i], 1, 3600, &errstr);
			if (errstr != NULL)
				usage();
		} else
			usage();
	}
	log_init("netprobe", trace ? 2 : 0);
	net_init();

	if (strcmp(proto, "imap") == 0) {
		imap = net_imap_new(&a);
		if (tls_name != NULL)
			imap->link.tls_name = xstrdup(tls_name);
		if ((rc = net_imap_open(imap, password, &cause)) == 0)
			print_imap(imap);
	} else {
		pop = net_pop_new(&a);
		if (tls_name != NULL)
			pop->link.tls_name = xstrdup(tls_name);
		if ((rc = net_pop_open(pop, password, &cause)) == 0)
			rc = print_pop(pop, retr, dele, &cause);
	}
	if (rc != 0)
		printf("error: %s\n", cause);
	fflush(stdout);
	free(cause);
	net_imap_free(imap);
	net_pop_free(pop);
	free(a.name);
	free(a.host);
	free(a.user);
	free(a.tls_ca_file);
	free(a.tls_fingerprint);
	return (rc == 0 ? 0 : 1);
}
