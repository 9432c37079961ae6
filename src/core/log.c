/*
 * core/log.c: the debug log.  With -v a file satchel-<pid>.log under the
 * state directory receives everything; without it only warnings are kept,
 * and they go to stderr unless curses owns the terminal.  Every line is
 * escaped with text_escape_log(), so a Subject carrying an escape
 * sequence cannot reach a terminal that shows the log.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/core.h"

static const char	*log_name = "satchel";
static int		 log_verbosity;
static int		 log_to_stderr = 1;
static FILE		*log_file;
static void		(*log_fatal_hook)(void);

enum log_level {
	LOG_LEVEL_DEBUG,
	LOG_LEVEL_INFO,
	LOG_LEVEL_WARN,
};

void
log_init(const char *name, int verbosity)
{
	log_name = name;
	log_verbosity = verbosity;
}

/* Opens satchel-<pid>.log in dir; called only when -v was given. */
int
log_open(const char *dir, char **cause)
{
	char	*path;

	if (path_mkdirs(dir, 0700, cause) != 0)
		return (-1);
	xasprintf(&path, "%s/%s-%ld.log", dir, log_name, (long)getpid());
	if ((log_file = fopen(path, "a")) == NULL) {
		xcause(cause, "cannot open log '%s': %s", path,
		    strerror(errno));
		free(path);
		return (-1);
	}
	setvbuf(log_file, NULL, _IOLBF, 0);
	free(path);
	return (0);
}

void
log_close(void)
{
	if (log_file != NULL)
		fclose(log_file);
	log_file = NULL;
}

void
log_set_stderr(int on)
{
	log_to_stderr = on;
}

void
log_set_fatal_hook(void (*hook)(void))
{
	log_fatal_hook = hook;
}

static void
log_vwrite(enum log_level level, const char *fmt, va_list ap,
    const char *suffix)
{
	struct buf	 b;
	char		*msg;
	int		 n;
	struct timespec	 ts;
	struct tm	 tm;

	if (level == LOG_LEVEL_DEBUG && log_verbosity < 2)
		return;
	if (level == LOG_LEVEL_INFO && log_verbosity < 1)
		return;
	n = xvasprintf(&msg, fmt, ap);
	buf_init(&b);
	text_escape_log(&b, msg, (size_t)n);
	free(msg);
	if (suffix != NULL) {
		buf_addstr(&b, ": ");
		buf_addstr(&b, suffix);
	}
	if (log_file != NULL) {
		clock_gettime(CLOCK_REALTIME, &ts);
		gmtime_r(&ts.tv_sec, &tm);
		fprintf(log_file, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ %s\n",
		    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		    tm.tm_min, tm.tm_sec, ts.tv_nsec / 1000000L, b.data);
	}
	if (log_to_stderr && (level == LOG_LEVEL_WARN || log_file == NULL))
		fprintf(stderr, "%s: %s\n", log_name, b.data);
	buf_release(&b);
}

void
log_debug(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	log_vwrite(LOG_LEVEL_DEBUG, fmt, ap, NULL);
	va_end(ap);
}

void
log_info(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	log_vwrite(LOG_LEVEL_INFO, fmt, ap, NULL);
	va_end(ap);
}

void
log_warn(const char *fmt, ...)
{
	va_list	 ap;
	int	 saved = errno;

	va_start(ap, fmt);
	log_vwrite(LOG_LEVEL_WARN, fmt, ap, strerror(saved));
	va_end(ap);
}

void
log_warnx(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	log_vwrite(LOG_LEVEL_WARN, fmt, ap, NULL);
	va_end(ap);
}

/* Protocol traces need -vv; the caller has already redacted secrets. */
void
log_trace(enum log_trace what, const char *fmt, ...)
{
	va_list	 ap;

	(void)what;
	if (log_verbosity < 2)
		return;
	va_start(ap, fmt);
	log_vwrite(LOG_LEVEL_DEBUG, fmt, ap, NULL);
	va_end(ap);
}

static void NORETURN
log_vfatal(const char *fmt, va_list ap, const char *suffix)
{
	if (log_fatal_hook != NULL)
		log_fatal_hook();
	log_to_stderr = 1;
	log_vwrite(LOG_LEVEL_WARN, fmt, ap, suffix);
	exit(1);
}

void
fatal(const char *fmt, ...)
{
	va_list	 ap;
	int	 saved = errno;

	va_start(ap, fmt);
	log_vfatal(fmt, ap, strerror(saved));
}

void
fatalx(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	log_vfatal(fmt, ap, NULL);
}
