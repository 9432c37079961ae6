/*
 * core/path.c: where things live (XDG base directories) and small path
 * helpers.  Every returned string is the caller's.
 */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
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

char *
path_dirname(const char *path)
{
	const char	*slash;

	if ((slash = strrchr(path, '/')) == NULL)
		return (xstrdup("."));
	while (slash > path && slash[-1] == '/')
		slash--;
	if (slash == path)
		return (xstrdup("/"));
	return (xstrndup(path, (size_t)(slash - path)));
}

/*
 * A new name in a directory is only durable once the directory itself is
 * on disk.  File systems that cannot fsync a directory say EINVAL; there
 * is nothing more to do on those.
 */
int
path_fsync_dir(const char *dir, char **cause)
{
	int	 fd, saved;

	if ((fd = open(dir, O_RDONLY|O_DIRECTORY|O_CLOEXEC)) == -1) {
		saved = errno;
		xcause(cause, "cannot open '%s': %s", dir, strerror(errno));
		errno = saved;
		return (-1);
	}
	if (fsync(fd) == -1 && errno != EINVAL) {
		saved = errno;
		xcause(cause, "cannot fsync '%s': %s", dir, strerror(errno));
		close(fd);
		errno = saved;
		return (-1);
	}
	close(fd);
	return (0);
}

int
path_write_full(int fd, const void *data, size_t len)
{
	const char	*p = data;
	ssize_t		 n;

	while (len > 0) {
		n = write(fd, p, len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			return (-1);
		if (n == 0) {
			/* No progress and no error: call it a full disk. */
			errno = ENOSPC;
			return (-1);
		}
		p += n;
		len -= (size_t)n;
	}
	return (0);
}

/*
 * close() is checked too: on NFS a write error may only show there.  A
 * file that was not written whole is removed, so nobody reads half of it.
 */
int
path_write_file(const char *path, const void *data, size_t len, mode_t mode,
    int excl, char **cause)
{
	const char	*what;
	int		 fd, flags, saved;

	flags = O_WRONLY|O_CREAT|O_CLOEXEC|(excl ? O_EXCL : O_TRUNC);
	if ((fd = open(path, flags, mode)) == -1) {
		saved = errno;
		xcause(cause, "cannot create '%s': %s", path, strerror(errno));
		errno = saved;
		return (-1);
	}
	what = NULL;
	if (path_write_full(fd, data, len) == -1)
		what = "write";
	else if (fsync(fd) == -1)
		what = "fsync";
	saved = errno;
	if (close(fd) == -1 && what == NULL) {
		what = "close";
		saved = errno;
	}
	if (what == NULL)
		return (0);
	(void)unlink(path);
	xcause(cause, "cannot %s '%s': %s", what, path, strerror(saved));
	errno = saved;
	return (-1);
}

int
path_write_atomic(const char *path, const void *data, size_t len, mode_t mode,
    char **cause)
{
	char	*tmp, *dir;
	int	 rc = -1, saved;

	xasprintf(&tmp, "%s.tmp.%ld", path, (long)getpid());
	dir = path_dirname(path);
	if (path_write_file(tmp, data, len, mode, 0, cause) == -1)
		goto out;
	if (rename(tmp, path) == -1) {
		saved = errno;
		xcause(cause, "cannot rename '%s' to '%s': %s", tmp, path,
		    strerror(errno));
		(void)unlink(tmp);
		errno = saved;
		goto out;
	}
	rc = path_fsync_dir(dir, cause);
out:
	saved = errno;
	free(dir);
	free(tmp);
	errno = saved;
	return (rc);
}
