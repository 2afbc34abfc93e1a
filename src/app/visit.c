/* visit.c — a booked visit changed, and what follows at every door (see visit.h). */
#include "app/visit.h"

#include <stdio.h>
#include <string.h>

#include "app/visit_mail.h"
#include "app/waitlist.h"
#include "base/log.h"
#include "store/waitlist.h"

static void mail(const rc_uc *uc, const rc_visit_ctx *vc, const rc_appointment *a, rc_visit_mail_kind kind)
{
	if (rc_app_visit_mail(uc, uc->db, vc->clinic, vc->public_url, a, kind, NULL))
		rc_error("visit: could not queue the mail for appointment %lld: %s", (long long)a->id, rc_db_errmsg(uc->db));
}

/* The time a visit held, offered to the next one waiting who fits it. */
static void offer(const rc_uc *uc, const rc_visit_ctx *vc, const rc_appointment *a, rc_visit_freed *freed)
{
	int64_t id = 0;
	if (rc_app_waitlist_freed(uc, a->practitioner_id, a->service_id, a->starts_at,
	                          (int)((a->ends_at - a->starts_at) / 60), vc->public_url, &id)) {
		rc_error("visit: offering the time of appointment %lld to the waitlist failed: %s", (long long)a->id,
		         rc_db_errmsg(uc->db));
		return;
	}
	if (!freed || !id)
		return;
	freed->offer = id;
	rc_offer o;
	bool found = false;
	if (!rc_offer_get(uc->db, id, &o, &found) && found)
		snprintf(freed->offered_to, sizeof freed->offered_to, "%s", o.runner_name);
}

rc_err rc_app_visit_book(const rc_uc *uc, const rc_visit_ctx *vc, const rc_booking_in *in, rc_booking_out *out,
                         rc_problem *p)
{
	rc_err e = rc_app_booking_book(uc, in, out, p);
	if (!e && !out->existing)
		mail(uc, vc, &out->appointment, RC_VISIT_MAIL_BOOKED);
	return e;
}

rc_err rc_app_visit_series_book(const rc_uc *uc, const rc_visit_ctx *vc, const rc_series_in *in, rc_series_out *out,
                                rc_problem *p)
{
	rc_err e = rc_app_booking_series_book(uc, in, out, p);
	for (size_t i = 0; !e && !out->existing && i < out->n; i++) {
		rc_appointment a;
		bool found = false;
		if (out->visits[i].appointment && !rc_appointment_get(uc->db, out->visits[i].appointment, &a, &found) && found)
			mail(uc, vc, &a, RC_VISIT_MAIL_BOOKED);
	}
	return e;
}

rc_err rc_app_visit_cancel(const rc_uc *uc, const rc_visit_ctx *vc, int64_t id, rc_appointment *out,
                           rc_visit_freed *freed, rc_problem *p)
{
	if (freed)
		memset(freed, 0, sizeof *freed);
	rc_err e = rc_app_booking_cancel(uc, id, out, p);
	if (e)
		return e;
	offer(uc, vc, out, freed);
	mail(uc, vc, out, RC_VISIT_MAIL_CANCELLED);
	return RC_OK;
}

rc_err rc_app_visit_move(const rc_uc *uc, const rc_visit_ctx *vc, const rc_booking_move_in *in,
                         rc_booking_move_out *out, rc_visit_freed *freed, rc_problem *p)
{
	if (freed)
		memset(freed, 0, sizeof *freed);
	rc_err e = rc_app_booking_move(uc, in, out, p);
	if (e)
		return e;
	offer(uc, vc, &out->before, freed);
	mail(uc, vc, &out->after, RC_VISIT_MAIL_MOVED);
	return RC_OK;
}

rc_err rc_app_visit_series_cancel(const rc_uc *uc, const rc_visit_ctx *vc, int64_t id, rc_appointment *cancelled,
                                  size_t *n, rc_problem *p)
{
	rc_err e = rc_app_booking_series_cancel(uc, id, cancelled, n, p);
	for (size_t i = 0; !e && i < *n; i++) {
		offer(uc, vc, &cancelled[i], NULL);
		mail(uc, vc, &cancelled[i], RC_VISIT_MAIL_CANCELLED);
	}
	return e;
}
