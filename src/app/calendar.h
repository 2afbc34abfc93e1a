/* calendar.h — an appointment as a calendar entry, the one way the booking mail, the reminder and
 * any other door show a visit in a calendar: the clinic and the service, never a diagnosis or what
 * the runner wrote; the same UID each time, so an update replaces the entry; a reminder a day ahead. */
#ifndef RC_CALENDAR_H
#define RC_CALENDAR_H

#include "base/buf.h"
#include "content/content.h"
#include "store/booking.h"

/* One appointment as an iCalendar document (STATUS:CANCELLED once it is cancelled). */
void rc_calendar_appointment_ics(rc_buf *b, const rc_appointment *a, const rc_clinic *clinic);

#endif
