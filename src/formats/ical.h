/* ical.h — iCalendar (RFC 5545) text for appointments: CRLF lines folded at 75 octets, text
 * escaped, times in UTC, a reminder alarm. Pure. */
#ifndef RC_ICAL_H
#define RC_ICAL_H

#include <stdint.h>

#include "base/buf.h"

typedef struct rc_ical_event {
	const char *uid, *summary, *location, *status; /* status: CONFIRMED or CANCELLED */
	int64_t start, end, stamp;
	int alarm_minutes; /* a DISPLAY alarm this long before; 0 for none */
} rc_ical_event;

void rc_ical_begin(rc_buf *b, const char *name);
void rc_ical_event_add(rc_buf *b, const rc_ical_event *e);
void rc_ical_end(rc_buf *b);

#endif
