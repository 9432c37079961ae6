/* tests/unit/net/net.c: module set-up. */
#include "config.h"

#include <signal.h>
#include <string.h>

#include "core/core.h"
#include "net/net.h"
#include "tests/unit/tap.h"

int
main(void)
{
	struct sigaction	 sa;

	net_init();
	ok(sigaction(SIGPIPE, NULL, &sa) == 0 && sa.sa_handler == SIG_IGN,
	    "SIGPIPE is ignored after net_init");
	ok(raise(SIGPIPE) == 0, "so a write to a closed peer cannot kill us");
	ok(strncmp(net_version(), "libetpan ", 9) == 0, "libetpan version");
	ok(strstr(net_version(), "OpenSSL") != NULL, "OpenSSL version");
	ok(net_version() == net_version(), "static storage");
	return (tap_done());
}
