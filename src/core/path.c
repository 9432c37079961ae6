/*
 * core/path.c: where things live (XDG base directories) and small path
 * helpers.  Every returned string is the caller's.
 */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/core.h"

static const char *
path_home(void)
{
	const char	*home;
	struct passwd	*pw;

	if ((home = getenv("HOME")) != NULL && *home != '\0')
		return (home);
	if ((pw = getpwuid(getuid())) != NULL && pw->pw_dir != NULL)
		return (pw->pw_dir);
	return ("/");
}

char *
path_join(const char *dir, const char *name)
{
	char	*p;
	size_t	 len = strlen(dir);

	if (len > 0 && dir[len - 1] == '/')
		xasprintf(&p, "%s%s", dir, name);
	else
		xasprintf(&p, "%s/%s", dir, name);
	return (p);
}

/* "~" and "~/x" become the home directory; "~user" is left alone. */
char *
path_expand(const char *path)
{
	if (path[0] == '~' && (path[1] == '\0' || path[1] == '/'))
		return (path_join(path_home(), path[1] == '/' ? path + 2 : ""));
	return (xstrdup(path));
}

/* An XDG variable must hold an absolute path to count (the spec says so). */
static char *
path_xdg(const char *var, const char *fallback)
{
	const char	*v;

	if ((v = getenv(var)) != NULL && v[0] == '/')
		return (xstrdup(v));
	return (path_join(path_home(), fallback));
}

char *
path_config_home(void)
{
	return (path_xdg("XDG_CONFIG_HOME", ".config"));
}

char *
path_data_home(void)
{
	return (path_xdg("XDG_DATA_HOME", ".local/share"));
}

char *
path_state_home(void)
{
	return (path_xdg("XDG_STATE_HOME", ".local/state"));
}

int
path_mkdirs(const char *path, mode_t mode, char **cause)
{
	char		*p, *slash;
	struct stat	 st;

	p = xstrdup(path);
	slash = p;
	for (;;) {
		slash = strchr(slash + 1, '/');
		if (slash != NULL)
			*slash = '\0';
		if (*p != '\0' && mkdir(p, mode) == -1 && errno != EEXIST) {
			xcause(cause, "cannot create '%s': %s", p,
			    strerror(errno));
			free(p);
			return (-1);
		}
		if (slash == NULL)
			break;
		*slash = '/';
	}
	if (stat(p, &st) == -1 || !S_ISDIR(st.st_mode)) {
		xcause(cause, "'%s' is not a directory", p);
		free(p);
		return (-1);
	}
	free(p);
	return (0);
}
