/* tests/unit/cal/cal.c: module facts. */
#include "config.h"

#include <string.h>

#include "core/core.h"
#include "cal/cal.h"
#include "tests/unit/tap.h"

int
main(void)
{
	ok(strncmp(cal_version(), "libical 3.", 10) == 0, "libical 3");
	ok(strstr(cal_version(), ", ICU ") != NULL, "ICU version");
	ok(cal_version() == cal_version(), "static storage");
	return (tap_done());
}
