/*
 * cal/calstore.c: a calendar kept as a vdir, one .ics file per UID (the
 * layout khal and vdirsyncer use).  All of iCalendar goes through
 * cal/ical.c; this file knows files, names and order.
 */
#include "config.h"

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "core/core.h"
#include "cal/cal.h"

#define CAL_CALSTORE_MAX_NAME	200	/* UIDs longer than this are hashed */

struct cal_calstore_item {
	char		*uid;
	char		*path;
	struct cal_cal	*cal;
};

struct cal_calstore {
	char			*dir;
	struct cal_calstore_item *items;
	size_t			 n;
};

char *
cal_calstore_default_dir(const char *name)
{
	char	*data, *dir;

	data = path_data_home();
	xasprintf(&dir, "%s/satchel/calendars/%s", data, name != NULL &&
	    *name != '\0' ? name : "default");
	free(data);
	return (dir);
}

static void
cal_calstore_clear(struct cal_calstore *cs)
{
	size_t	 i;

	for (i = 0; i < cs->n; i++) {
		free(cs->items[i].uid);
		free(cs->items[i].path);
		cal_ical_free(cs->items[i].cal);
	}
	free(cs->items);
	cs->items = NULL;
	cs->n = 0;
}

static int
cal_calstore_cmp(const void *a, const void *b)
{
	const struct cal_calstore_item *x = a, *y = b;

	return (strcmp(x->uid, y->uid));
}

/* Reads every "*.ics" file; files that do not parse are logged. */
int
cal_calstore_reload(struct cal_calstore *cs, char **cause)
{
	DIR		*d;
	struct dirent	*de;
	struct buf	 b;
	struct cal_cal	*cal;
	const char	*uid;
	char		*path, *why = NULL;
	size_t		 len;

	cal_calstore_clear(cs);
	if ((d = opendir(cs->dir)) == NULL) {
		xcause(cause, "cannot open '%s': %s", cs->dir, strerror(errno));
		return (-1);
	}
	buf_init(&b);
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (de->d_name[0] == '.' || len < 5 ||
		    strcasecmp(de->d_name + len - 4, ".ics") != 0)
			continue;
		path = path_join(cs->dir, de->d_name);
		buf_clear(&b);
		cal = NULL;
		if (buf_read_file(&b, path, CAL_MAX_TEXT, &why) == 0)
			cal = cal_ical_parse(b.data, b.len, &why);
		if (cal == NULL || (uid = cal_ical_uid(cal)) == NULL) {
			log_warnx("calstore: skipping '%s': %s", path,
			    why != NULL ? why : "no UID");
			free(why);
			why = NULL;
			cal_ical_free(cal);
			free(path);
			continue;
		}
		cs->items = xreallocarray(cs->items, cs->n + 1,
		    sizeof *cs->items);
		cs->items[cs->n].uid = xstrdup(uid);
		cs->items[cs->n].path = path;
		cs->items[cs->n].cal = cal;
		cs->n++;
	}
	closedir(d);
	buf_release(&b);
	if (cs->n > 1)
		qsort(cs->items, cs->n, sizeof *cs->items, cal_calstore_cmp);
	return (0);
}

struct cal_calstore *
cal_calstore_open(const char *dir, char **cause)
{
	struct cal_calstore *cs;

	if (path_mkdirs(dir, 0700, cause) != 0)
		return (NULL);
	cs = xcalloc(1, sizeof *cs);
	cs->dir = xstrdup(dir);
	if (cal_calstore_reload(cs, cause) != 0) {
		cal_calstore_close(cs);
		return (NULL);
	}
	return (cs);
}

void
cal_calstore_close(struct cal_calstore *cs)
{
	if (cs == NULL)
		return;
	cal_calstore_clear(cs);
	free(cs->dir);
	free(cs);
}

const char *
cal_calstore_dir(const struct cal_calstore *cs)
{
	return (cs->dir);
}

size_t
cal_calstore_count(const struct cal_calstore *cs)
{
	return (cs->n);
}

const struct cal_cal *
cal_calstore_at(const struct cal_calstore *cs, size_t i)
{
	return (i < cs->n ? cs->items[i].cal : NULL);
}

static struct cal_calstore_item *
cal_calstore_find(const struct cal_calstore *cs, const char *uid)
{
	struct cal_calstore_item key;

	if (uid == NULL || cs->n == 0)
		return (NULL);
	key.uid = (char *)uid;
	return (bsearch(&key, cs->items, cs->n, sizeof *cs->items,
	    cal_calstore_cmp));
}

const struct cal_cal *
cal_calstore_get(const struct cal_calstore *cs, const char *uid)
{
	struct cal_calstore_item *it;

	it = cal_calstore_find(cs, uid);
	return (it != NULL ? it->cal : NULL);
}

/* The UID as a file name when it is harmless, else its FNV-1a hash. */
char *
cal_calstore_path(const struct cal_calstore *cs, const char *uid)
{
	struct cal_calstore_item *it;
	const char	*p;
	uint64_t	 h = 14695981039346656037ULL;
	char		*name, *path;
	int		 safe;

	if ((it = cal_calstore_find(cs, uid)) != NULL)
		return (xstrdup(it->path));
	safe = *uid != '\0' && *uid != '.' &&
	    strlen(uid) <= CAL_CALSTORE_MAX_NAME;
	for (p = uid; *p != '\0'; p++) {
		if (strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		    "0123456789@._-+=", *p) == NULL)
			safe = 0;
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	}
	if (safe)
		xasprintf(&name, "%s.ics", uid);
	else
		xasprintf(&name, "%016llx.ics", (unsigned long long)h);
	path = path_join(cs->dir, name);
	free(name);
	return (path);
}

int
cal_calstore_put(struct cal_calstore *cs, struct cal_cal *cal, char **cause)
{
	struct cal_calstore_item *it;
	const char	*uid;
	char		*path, *text;
	int		 rc;

	if ((uid = cal_ical_uid(cal)) == NULL) {
		xcause(cause, "calendar object without a UID");
		return (-1);
	}
	path = cal_calstore_path(cs, uid);
	text = cal_ical_text(cal);
	rc = path_write_atomic(path, text, strlen(text), 0600, cause);
	free(text);
	if (rc != 0) {
		free(path);
		return (-1);
	}
	if ((it = cal_calstore_find(cs, uid)) != NULL) {
		cal_ical_free(it->cal);
		it->cal = cal;
		free(path);
		return (0);
	}
	cs->items = xreallocarray(cs->items, cs->n + 1, sizeof *cs->items);
	cs->items[cs->n].uid = xstrdup(uid);
	cs->items[cs->n].path = path;
	cs->items[cs->n].cal = cal;
	cs->n++;
	qsort(cs->items, cs->n, sizeof *cs->items, cal_calstore_cmp);
	return (0);
}

int
cal_calstore_remove(struct cal_calstore *cs, const char *uid, char **cause)
{
	struct cal_calstore_item *it;
	size_t		 i;

	if ((it = cal_calstore_find(cs, uid)) == NULL) {
		xcause(cause, "no event or task '%s'", uid);
		return (-1);
	}
	if (unlink(it->path) != 0 && errno != ENOENT) {
		xcause(cause, "cannot remove '%s': %s", it->path,
		    strerror(errno));
		return (-1);
	}
	if (path_fsync_dir(cs->dir, cause) != 0)
		return (-1);
	i = it - cs->items;
	free(it->uid);
	free(it->path);
	cal_ical_free(it->cal);
	memmove(cs->items + i, cs->items + i + 1,
	    (cs->n - i - 1) * sizeof *cs->items);
	cs->n--;
	return (0);
}

int
cal_calstore_apply(struct cal_calstore *cs, const char *text, size_t len,
    const char *message_id, struct buf *what, char **cause)
{
	struct cal_cal	*in, **parts, *stored;
	const struct cal_cal *old;
	const char	*w, *uid;
	char		*why = NULL;
	size_t		 n, i;
	int		 rc = 0;

	if ((in = cal_ical_parse(text, len, cause)) == NULL)
		return (-1);
	cal_ical_split(in, &parts, &n);
	for (i = 0; i < n; i++) {
		uid = cal_ical_uid(parts[i]);
		old = cal_calstore_get(cs, uid);
		stored = old != NULL ? cal_ical_copy(old) : NULL;
		w = NULL;
		if (cal_ical_itip(&stored, parts[i], message_id, &w,
		    &why) != 0) {
			cal_ical_free(stored);
			goto fail;
		}
		if (what != NULL)
			buf_printf(what, "%s: %s\n", uid, w);
		if (strncmp(w, "ignored", 7) == 0) {
			cal_ical_free(stored);
			continue;
		}
		if (stored == NULL) {
			if (old != NULL && cal_calstore_remove(cs, uid,
			    &why) != 0)
				goto fail;
			continue;
		}
		if (cal_calstore_put(cs, stored, &why) == 0)
			continue;
		cal_ical_free(stored);
	fail:
		log_warnx("calstore: '%s': %s", uid, why);
		if (rc == 0 && cause != NULL)
			xasprintf(cause, "'%s': %s", uid, why);
		free(why);
		why = NULL;
		rc = -1;
	}
	for (i = 0; i < n; i++)
		cal_ical_free(parts[i]);
	free(parts);
	cal_ical_free(in);
	return (rc);
}

/* Frees what one occurrence of an array holds, not the array. */
static void
cal_calstore_occ_release(struct cal_occurrence *o)
{
	free(o->uid);
	free(o->summary);
	free(o->location);
	free(o->tzid);
}

int
cal_calstore_agenda(const struct cal_calstore *cs, time_t from, time_t to,
    int with_cancelled, struct cal_occurrence **occ, size_t *n, char **cause)
{
	size_t		 i, j;
	int		 rc = 0;

	*occ = NULL;
	*n = 0;
	for (i = 0; i < cs->n && rc == 0; i++)
		rc = cal_ical_expand(cs->items[i].cal, from, to, occ, n, cause);
	if (!with_cancelled) {
		for (i = j = 0; i < *n; i++) {
			if ((*occ)[i].cancelled) {
				cal_calstore_occ_release(&(*occ)[i]);
				continue;
			}
			(*occ)[j++] = (*occ)[i];
		}
		*n = j;
	}
	cal_ical_occurrences_sort(*occ, *n);
	return (rc);
}

int
cal_calstore_clashes(const struct cal_calstore *cs, const char *uid,
    time_t start, time_t end, struct cal_occurrence **occ, size_t *n)
{
	struct cal_occurrence *all;
	size_t		 nall, i;

	*occ = NULL;
	*n = 0;
	if (end <= start)
		end = start + 1;
	if (cal_calstore_agenda(cs, start, end, 0, &all, &nall, NULL) != 0 &&
	    nall == 0)
		return (-1);
	*occ = xcalloc(nall == 0 ? 1 : nall, sizeof **occ);
	for (i = 0; i < nall; i++) {
		if (all[i].transparent || (uid != NULL && all[i].uid != NULL &&
		    strcmp(all[i].uid, uid) == 0)) {
			cal_calstore_occ_release(&all[i]);
			continue;
		}
		(*occ)[(*n)++] = all[i];
	}
	free(all);
	return (0);
}

void
cal_calstore_by_message(const struct cal_calstore *cs, const char *msgid,
    char ***uids, size_t *n)
{
	struct cal_event *evs;
	struct cal_todo	*tds;
	size_t		 i, j, ne, nt;
	int		 hit;

	*uids = NULL;
	*n = 0;
	for (i = 0; i < cs->n; i++) {
		hit = 0;
		cal_ical_events(cs->items[i].cal, &evs, &ne);
		for (j = 0; j < ne; j++) {
			if (evs[j].message_id != NULL &&
			    strcmp(evs[j].message_id, msgid) == 0)
				hit = 1;
		}
		cal_ical_events_free(evs, ne);
		cal_ical_todos(cs->items[i].cal, &tds, &nt);
		for (j = 0; j < nt; j++) {
			if (tds[j].message_id != NULL &&
			    strcmp(tds[j].message_id, msgid) == 0)
				hit = 1;
		}
		cal_ical_todos_free(tds, nt);
		if (!hit)
			continue;
		*uids = xreallocarray(*uids, *n + 1, sizeof **uids);
		(*uids)[(*n)++] = xstrdup(cs->items[i].uid);
	}
}

void
cal_calstore_uids_free(char **uids, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		free(uids[i]);
	free(uids);
}

char *
cal_calstore_answer(struct cal_calstore *cs, const struct cal_cal *req,
    const char *const *self, enum cal_partstat ps, const char *comment,
    time_t now, char **cause)
{
	struct cal_event *evs;
	struct cal_cal	*stored;
	const struct cal_cal *old;
	const char	*addr = NULL, *w;
	char		*reply = NULL, *msgid = NULL;
	size_t		 ne, i, j;
	time_t		 rid;

	cal_ical_events(req, &evs, &ne);
	for (i = 0; self != NULL && self[i] != NULL && addr == NULL; i++) {
		for (j = 0; ne > 0 && j < evs[0].n_attendees; j++) {
			if (strcasecmp(evs[0].attendees[j].address,
			    self[i]) == 0) {
				addr = self[i];
				break;
			}
		}
	}
	rid = ne > 0 ? evs[0].rid : -1;
	cal_ical_events_free(evs, ne);
	if (addr == NULL) {
		xcause(cause, "none of your addresses is an attendee");
		return (NULL);
	}
	old = cal_calstore_get(cs, cal_ical_uid(req));
	stored = old != NULL ? cal_ical_copy(old) : NULL;
	/* Applied again, the request keeps the stored copy's link to the
	 * message it came with. */
	msgid = NULL;
	if (old != NULL) {
		cal_ical_events(old, &evs, &ne);
		for (i = 0; i < ne && msgid == NULL; i++) {
			if (evs[i].message_id != NULL)
				msgid = xstrdup(evs[i].message_id);
		}
		cal_ical_events_free(evs, ne);
	}
	if (stored == NULL || cal_ical_method(req) == CAL_METHOD_REQUEST) {
		if (cal_ical_itip(&stored, req, msgid, &w, cause) != 0)
			goto out;
	}
	if (stored == NULL) {
		xcause(cause, "cannot store the invitation");
		goto out;
	}
	if (cal_ical_set_partstat(stored, rid, addr, ps, cause) != 0)
		goto out;
	if ((reply = cal_ical_reply(req, addr, ps, comment, now, cause)) ==
	    NULL)
		goto out;
	if (cal_calstore_put(cs, stored, cause) != 0) {
		free(reply);
		reply = NULL;
		goto out;
	}
	free(msgid);
	return (reply);
out:
	free(msgid);
	cal_ical_free(stored);
	return (reply);
}

static int
cal_calstore_task_cmp(const void *a, const void *b)
{
	const struct cal_todo *x = a, *y = b;
	int	 px, py;

	if (x->due != y->due) {
		if (x->due == -1 || y->due == -1)
			return (x->due == -1 ? 1 : -1);
		return (x->due < y->due ? -1 : 1);
	}
	px = x->priority == 0 ? 10 : x->priority;
	py = y->priority == 0 ? 10 : y->priority;
	if (px != py)
		return (px < py ? -1 : 1);
	return (strcmp(x->summary != NULL ? x->summary : "",
	    y->summary != NULL ? y->summary : ""));
}

static int
cal_calstore_task_wanted(const struct cal_todo *td, const char *status)
{
	if (status == NULL || strcasecmp(status, "all") == 0)
		return (1);
	if (strcasecmp(status, "open") == 0)
		return (strcmp(td->status, "COMPLETED") != 0 &&
		    strcmp(td->status, "CANCELLED") != 0);
	return (strcasecmp(td->status, status) == 0);
}

void
cal_calstore_tasks(const struct cal_calstore *cs, const char *status,
    struct cal_todo **out, size_t *n)
{
	struct cal_todo	*tds;
	size_t		 i, j, nt;

	*out = NULL;
	*n = 0;
	for (i = 0; i < cs->n; i++) {
		cal_ical_todos(cs->items[i].cal, &tds, &nt);
		for (j = 0; j < nt; j++) {
			if (!cal_calstore_task_wanted(&tds[j], status)) {
				free(tds[j].uid);
				free(tds[j].summary);
				free(tds[j].description);
				free(tds[j].status);
				free(tds[j].message_id);
				continue;
			}
			*out = xreallocarray(*out, *n + 1, sizeof **out);
			(*out)[(*n)++] = tds[j];
		}
		free(tds);
	}
	if (*n > 1)
		qsort(*out, *n, sizeof **out, cal_calstore_task_cmp);
}

int
cal_calstore_task_set_status(struct cal_calstore *cs, const char *uid,
    const char *status, int percent, time_t now, char **cause)
{
	const struct cal_cal *old;
	struct cal_cal	*cal;

	if ((old = cal_calstore_get(cs, uid)) == NULL) {
		xcause(cause, "no task '%s'", uid);
		return (-1);
	}
	cal = cal_ical_copy(old);
	if (cal_ical_todo_set_status(cal, status, percent, now, cause) != 0 ||
	    cal_calstore_put(cs, cal, cause) != 0) {
		cal_ical_free(cal);
		return (-1);
	}
	return (0);
}

int
cal_calstore_task_new(struct cal_calstore *cs, const char *summary,
    time_t due, int due_all_day, const char *message_id, time_t now,
    char **uid, char **cause)
{
	struct cal_cal	*cal;
	char		*u;

	xasprintf(&u, "%lld-%08x%08x@satchel", (long long)now, arc4random(),
	    arc4random());
	cal = cal_ical_todo_new(u, summary, due, due_all_day, message_id, now);
	if (cal_calstore_put(cs, cal, cause) != 0) {
		cal_ical_free(cal);
		free(u);
		return (-1);
	}
	if (uid != NULL)
		*uid = u;
	else
		free(u);
	return (0);
}
