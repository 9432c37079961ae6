/*
 * engine/calendar.c: the iCalendar parts of mail into the calendar store.
 * mime/ finds and decodes the parts, cal/ parses them and keeps the vdir;
 * this file joins the two, for ingest, "satchel import" and the UI.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "core/core.h"
#include "mime/mime.h"
#include "cal/cal.h"
#include "engine/engine.h"

/* Words that announce a calendar part somewhere in a message. */
static const char *engine_calendar_marks[] = {
	"text/calendar", "application/ics", ".ics", NULL
};

/*
 * A byte scan of the file for the marks, in fixed-size reads, so a
 * message without a calendar costs one read of a file the indexer has
 * just read (it is in the page cache) and no parse.
 */
int
engine_calendar_has_parts(const char *path)
{
	char		 b[65536 + 32];
	size_t		 keep = 0, i, j, n, len;
	ssize_t		 got;
	int		 fd, found = 0;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return (0);
	while (!found) {
		got = read(fd, b + keep, sizeof b - keep);
		if (got == -1 && errno == EINTR)
			continue;
		if (got <= 0)
			break;
		n = keep + (size_t)got;
		for (i = 0; i < n && !found; i++) {
			for (j = 0; engine_calendar_marks[j] != NULL; j++) {
				len = strlen(engine_calendar_marks[j]);
				if (i + len <= n && strncasecmp(b + i,
				    engine_calendar_marks[j], len) == 0) {
					found = 1;
					break;
				}
			}
		}
		/* A mark cut by the end of this read is seen in the next. */
		keep = n < 31 ? n : 31;
		memmove(b, b + n - keep, keep);
	}
	close(fd);
	return (found);
}

/* The Message-ID without its angle brackets, for the caller to free. */
static char *
engine_calendar_msgid(struct mime_message *m)
{
	const char	*id;
	size_t		 len;

	if ((id = mime_message_header(m, "Message-ID")) == NULL)
		return (NULL);
	while (*id == ' ' || *id == '<')
		id++;
	len = strcspn(id, "> \t");
	if (len == 0)
		return (NULL);
	return (xstrndup(id, len));
}

struct engine_calendar_apply {
	struct cal_calstore	*cs;
	const char		*msgid;
	struct buf		*what;
	char			*cause;
	size_t			 failed;
};

static void
engine_calendar_apply_one(const char *data, size_t len, void *arg)
{
	struct engine_calendar_apply	*a = arg;
	char				*why = NULL;

	if (cal_calstore_apply(a->cs, data, len, a->msgid, a->what,
	    &why) == 0)
		return;
	a->failed++;
	if (a->cause == NULL)
		a->cause = why;
	else
		free(why);
}

int
engine_calendar_apply_file(struct cal_calstore *cs, const char *path,
    struct buf *what, size_t *found, char **cause)
{
	struct engine_calendar_apply	 a;
	struct mime_message		*m;
	char				*msgid;
	size_t				 n;

	if (found != NULL)
		*found = 0;
	if ((m = mime_message_parse_file(path, cause)) == NULL)
		return (-1);
	msgid = engine_calendar_msgid(m);
	memset(&a, 0, sizeof a);
	a.cs = cs;
	a.msgid = msgid;
	a.what = what;
	n = mime_message_calendars(m, engine_calendar_apply_one, &a);
	if (found != NULL)
		*found = n;
	free(msgid);
	mime_message_free(m);
	if (a.failed != 0) {
		if (cause != NULL)
			xasprintf(cause, "'%s': %s", path, a.cause);
		free(a.cause);
		return (-1);
	}
	return (0);
}

struct engine_calendar_collect {
	struct cal_cal	***cals;
	size_t		*n;
};

static void
engine_calendar_collect_one(const char *data, size_t len, void *arg)
{
	struct engine_calendar_collect	*c = arg;
	struct cal_cal			*cal;
	char				*why = NULL;

	if ((cal = cal_ical_parse(data, len, &why)) == NULL) {
		log_debug("calendar: part not read: %s", why);
		free(why);
		return;
	}
	*c->cals = xreallocarray(*c->cals, *c->n + 1, sizeof **c->cals);
	(*c->cals)[(*c->n)++] = cal;
}

int
engine_calendar_message(const char *path, struct cal_cal ***cals, size_t *n,
    char **msgid, char **cause)
{
	struct engine_calendar_collect	 c;
	struct mime_message		*m;

	*cals = NULL;
	*n = 0;
	if (msgid != NULL)
		*msgid = NULL;
	if ((m = mime_message_parse_file(path, cause)) == NULL)
		return (-1);
	c.cals = cals;
	c.n = n;
	(void)mime_message_calendars(m, engine_calendar_collect_one, &c);
	if (msgid != NULL)
		*msgid = engine_calendar_msgid(m);
	mime_message_free(m);
	return (0);
}

void
engine_calendar_free(struct cal_cal **cals, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		cal_ical_free(cals[i]);
	free(cals);
}

int
engine_calendar_import(struct cal_calstore *cs, const char *path,
    struct buf *what, char **cause)
{
	struct buf	 b;
	size_t		 len, found;
	int		 rc;

	len = strlen(path);
	if (len > 4 && strcasecmp(path + len - 4, ".ics") == 0) {
		buf_init(&b);
		rc = buf_read_file(&b, path, CAL_MAX_TEXT, cause);
		if (rc == 0)
			rc = cal_calstore_apply(cs, b.data, b.len, NULL, what,
			    cause);
		buf_release(&b);
		return (rc);
	}
	if (engine_calendar_apply_file(cs, path, what, &found, cause) != 0)
		return (-1);
	if (found == 0) {
		xcause(cause, "'%s': no calendar part in the message", path);
		return (-1);
	}
	return (0);
}
