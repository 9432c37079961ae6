/*
 * cal: calendars and tasks from iCalendar.  The only module that includes
 * libical or ICU headers.
 */
#ifndef CAL_CAL_H
#define CAL_CAL_H

/* cal/cal.c */
/* "libical 3.0.16, ICU 72.1"; static storage. */
const char	*cal_version(void);

#endif /* CAL_CAL_H */
