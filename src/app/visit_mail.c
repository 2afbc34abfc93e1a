/* visit_mail.c — the patient's mail about their visit (see visit_mail.h). */
#include "app/visit_mail.h"

#include "app/booking.h"
#include "app/calendar.h"
#include "base/time.h"
#include "store/outbox.h"

rc_err rc_app_visit_mail(const rc_uc *uc, rc_db *db, const rc_clinic *c, const char *public_url,
                         const rc_appointment *a, rc_visit_mail_kind kind, const char *note)
{
	static const char *const subjects[] = {"Your visit is booked", "Your visit has moved", "Your visit is cancelled"};
	static const char *const verbs[] = {"is booked for", "is now on", "was cancelled; it was on"};
	if (!a->runner_email[0])
		return RC_OK;
	char when[64];
	rc_tz_format(a->starts_at, "%A %e %B %Y at %H:%M", when, sizeof when);
	const char *url = public_url ? public_url : "";
	/* A cancelled visit: where to choose another time. */
	char *again = kind == RC_VISIT_MAIL_CANCELLED
	                  ? rc_arena_printf(uc->arena, "To book another time: %s/book/%s\n\n", url, a->service_key)
	                  : "";
	char *body = rc_arena_printf(uc->arena,
	                             "Hello %s,\n\n%s%sYour %s with %s %s %s (%s).\n\n%s%s\n%s, %s\n%s\n\n"
	                             "Your appointments: %s/appointments\n"
	                             "(cancel or move at least %d hours ahead; after that, please call us).\n",
	                             a->runner_name, note && *note ? note : "", note && *note ? "\n\n" : "",
	                             a->service_name, a->practitioner_name, verbs[kind], when, c->timezone,
	                             again ? again : "", c->name, c->street, c->city, c->phone, url,
	                             RC_BOOKING_NOTICE_S / 3600);
	if (!body)
		return RC_ENOMEM;
	rc_buf ics;
	rc_buf_init(&ics, 64 * 1024);
	rc_calendar_appointment_ics(&ics, a, c);
	rc_err e = rc_outbox_add_ics(db, a->runner_email, subjects[kind], body, ics.data, uc->now);
	rc_buf_free(&ics);
	return e;
}
