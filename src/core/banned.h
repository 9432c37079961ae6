/*
 * core/banned.h: functions that are too easy to misuse.  Each becomes a
 * compile error naming what to use instead.  Included last by core.h.
 */
#ifndef CORE_BANNED_H
#define CORE_BANNED_H

#define BANNED(f) sorry_##f##_is_banned_see_core_banned_h

#undef strcpy
#define strcpy(d, s)		BANNED(strcpy)	/* strlcpy */
#undef strcat
#define strcat(d, s)		BANNED(strcat)	/* strlcat, struct buf */
#undef strncpy
#define strncpy(d, s, n)	BANNED(strncpy)	/* strlcpy */
#undef strncat
#define strncat(d, s, n)	BANNED(strncat)	/* strlcat */
#undef sprintf
#define sprintf(...)		BANNED(sprintf)	/* snprintf, xasprintf */
#undef vsprintf
#define vsprintf(...)		BANNED(vsprintf)	/* vsnprintf */
#undef strtok
#define strtok(s, d)		BANNED(strtok)	/* strsep */
#undef gets
#define gets(s)			BANNED(gets)	/* fgets, getline */
#undef atoi
#define atoi(s)			BANNED(atoi)	/* strtonum */

#endif /* CORE_BANNED_H */
