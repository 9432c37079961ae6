/*
 * net/net.c: module-wide set-up of the network layer.
 */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>

#include <libetpan/libetpan.h>
#include <openssl/crypto.h>
#include <openssl/ssl.h>

#include "core/core.h"
#include "net/net.h"

void
net_init(void)
{
	struct sigaction	 sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_IGN;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGPIPE, &sa, NULL) != 0)
		fatal("sigaction(SIGPIPE)");
	if (OPENSSL_init_ssl(0, NULL) != 1)
		fatalx("cannot initialise OpenSSL");
}

const char *
net_version(void)
{
	static char	 v[128];

	if (v[0] == '\0')
		snprintf(v, sizeof v, "libetpan %d.%d, %s",
		    libetpan_get_version_major(), libetpan_get_version_minor(),
		    OpenSSL_version(OPENSSL_VERSION));
	return (v);
}
