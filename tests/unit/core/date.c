/* tests/unit/core/date.c: short list dates, ISO dates, SATCHEL_NOW. */
#include "config.h"

#include <stdlib.h>
#include <time.h>

#include "core/core.h"
#include "tests/unit/tap.h"

static void
expect(time_t t, time_t now, const char *want, const char *name)
{
	struct buf	 b;

	buf_init(&b);
	date_short(&b, t, now);
	is_str(b.data, want, name);
	buf_release(&b);
}

int
main(void)
{
	struct buf	 b;
	time_t		 now = 1793534400;	/* Sun 2026-11-01 12:00 UTC */

	setenv("TZ", "UTC", 1);
	tzset();
	expect(now - 3600, now, "11:00", "today: time");
	expect(now - 13 * 3600, now, "Yest 23:00", "yesterday");
	expect(now - 3 * 86400, now, "Thu 12:00", "this week: weekday");
	expect(now - 10 * 86400, now, "Oct 22", "this year: month day");
	expect(now - 400 * 86400, now, "2025-09-27", "older: full date");
	expect(now + 3 * 86400, now, "Nov 04", "future: never 'today'");
	expect(0, now, "-", "no date");
	expect(-5, now, "-", "negative date");

	setenv("TZ", "Asia/Tokyo", 1);
	tzset();
	expect(now - 3600, now, "20:00", "local time zone");
	setenv("TZ", "UTC", 1);
	tzset();

	buf_init(&b);
	date_iso(&b, now);
	is_str(b.data, "2026-11-01T12:00:00Z", "ISO 8601 in UTC");
	buf_release(&b);

	setenv("SATCHEL_NOW", "1793534400", 1);
	ok(date_now() == now, "SATCHEL_NOW pins the time");
	setenv("SATCHEL_NOW", "soon", 1);
	ok(date_now() > now - 86400 * 365 * 10, "a bad SATCHEL_NOW is ignored");
	unsetenv("SATCHEL_NOW");
	ok(date_now() > 1700000000, "otherwise the clock");
	return (tap_done());
}
