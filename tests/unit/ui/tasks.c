/*
 * tests/unit/ui/tasks.c: a task as the task list and "satchel tasks"
 * write it (ui_tasks_line): due date or time in the local zone, no due
 * date, status, priority, percent done, and a hostile summary sanitised.
 */
#include "config.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/core.h"
#include "cal/cal.h"
#include "ui/ui.h"
#include "tests/unit/tap.h"

static char *
line(const struct cal_todo *td)
{
	struct buf	 b;

	buf_init(&b);
	ui_tasks_line(&b, td);
	return (buf_detach(&b, NULL));
}

int
main(void)
{
	struct cal_todo	 td;
	char		*s;

	setlocale(LC_ALL, "C.UTF-8");
	text_init();
	setenv("TZ", "America/New_York", 1);
	tzset();

	memset(&td, 0, sizeof td);
	td.summary = (char *)"Book the room";
	td.status = (char *)"NEEDS-ACTION";
	td.due = 1804698000;	/* 2027-03-10T17:00:00Z */
	td.priority = 1;
	td.completed = -1;
	s = line(&td);
	is_str(s, "2027-03-10 12:00  NEEDS-ACTION  1    0%  Book the room",
	    "a due time in New York");
	free(s);

	setenv("TZ", "Asia/Tokyo", 1);
	tzset();
	s = line(&td);
	is_str(s, "2027-03-11 02:00  NEEDS-ACTION  1    0%  Book the room",
	    "the same in Tokyo");
	free(s);

	td.due = ui_calendar_parse_day("2027-03-12");
	td.due_all_day = 1;
	td.status = (char *)"IN-PROCESS";
	td.percent = 50;
	s = line(&td);
	is_str(s, "2027-03-12        IN-PROCESS    1   50%  Book the room",
	    "a due date");
	free(s);

	td.due = -1;
	td.summary = NULL;
	td.status = (char *)"COMPLETED";
	td.percent = 100;
	td.priority = 0;
	s = line(&td);
	is_str(s, "-                 COMPLETED     0  100%  (no title)",
	    "no due date, no summary");
	free(s);

	td.summary = (char *)"Pay \x1b[2Jnow\r\n\xe2\x80\xae" "evil";
	td.status = (char *)"X-\x1b[31mRED";
	s = line(&td);
	ok(strchr(s, '\x1b') == NULL && strchr(s, '\r') == NULL &&
	    strchr(s, '\n') == NULL, "no escape, CR or LF left");
	ok(strstr(s, "\xe2\x80\xae") == NULL, "no bidi override left");
	if (!ok(strstr(s, "Pay [2Jnow evil") != NULL, "the text is kept"))
		diag("%s", s);
	free(s);
	return (tap_done());
}
