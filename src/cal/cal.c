/*
 * cal/cal.c: module-wide facts about the calendar layer.
 */
#include "config.h"

#include <stdio.h>

#include <libical/ical.h>
#include <unicode/uversion.h>

#include "core/core.h"
#include "cal/cal.h"

const char *
cal_version(void)
{
	static char	 v[96];
	UVersionInfo	 uv;
	char		 icu[U_MAX_VERSION_STRING_LENGTH];

	if (v[0] == '\0') {
		u_getVersion(uv);
		u_versionToString(uv, icu);
		snprintf(v, sizeof v, "libical %s, ICU %s", ICAL_VERSION, icu);
	}
	return (v);
}
