/*
 * store/store.c: what the whole module shares: the words for its status
 * codes, and which index library it was built with.
 */
#include "config.h"

#include <stdio.h>

#include "core/core.h"
#include "store/store.h"
#include "private.h"

/* A word for each status, for messages that have no better cause. */
const char *
store_strerror(enum store_status status)
{
	switch (status) {
	case STORE_OK:
		return ("no error");
	case STORE_ENOENT:
		return ("no such database");
	case STORE_EEXIST:
		return ("already exists");
	case STORE_ELOCKED:
		return ("database is locked");
	case STORE_EQUERY:
		return ("bad query");
	case STORE_EMAIL:
		return ("not a mail message");
	case STORE_EIO:
		return ("file system error");
	case STORE_EDB:
		return ("database error");
	}
	return ("unknown error");
}

/* The libnotmuch we were compiled against, for "satchel --version". */
const char *
store_version(void)
{
	static char	 version[64];

	if (version[0] == '\0') {
		(void)snprintf(version, sizeof version, "notmuch library %s",
		    store_index_library_version());
	}
	return (version);
}
