/* calendar.c — an appointment as an iCalendar entry (formats/ical.h writes the text). */
#include "app/calendar.h"

#include <stdio.h>
#include <string.h>

#include "base/time.h"
#include "formats/ical.h"

void rc_calendar_appointment_ics(rc_buf *b, const rc_appointment *a, const rc_clinic *clinic)
{
	char uid[96], summary[300], location[400];
	snprintf(uid, sizeof uid, "appointment-%lld@runcare", (long long)a->id);
	snprintf(summary, sizeof summary, "%s at %s", a->service_name, clinic->name);
	snprintf(location, sizeof location, "%s, %s, %s %s", clinic->street, clinic->city, clinic->region,
	         clinic->postal_code);
	rc_ical_event e = {uid, summary, location, strcmp(a->status, "cancelled") == 0 ? "CANCELLED" : "CONFIRMED",
	                   a->starts_at, a->ends_at, rc_time_now(), 24 * 60};
	rc_ical_begin(b, clinic->name);
	rc_ical_event_add(b, &e);
	rc_ical_end(b);
}
