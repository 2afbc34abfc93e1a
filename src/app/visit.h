/* visit.h — a booked visit changed, the same at every door (the booking pages, the front desk's grid,
 * the JSON API): the booking's rules (app/booking.h) decide; then a time freed by a cancellation or a
 * move is offered to the waitlist (app/waitlist.h), and the patient gets the mail with the calendar
 * entry (app/visit_mail.h). The change is committed before the offer and the mail: a failure of
 * either is logged and does not undo it (the waitlist's timed job offers any time still free later). */
#ifndef RC_APP_VISIT_H
#define RC_APP_VISIT_H

#include "app/app.h"
#include "app/booking.h"
#include "content/content.h"
#include "store/account.h"

/* What the doors know and the use cases need for the offer's and the mail's links and words. */
typedef struct rc_visit_ctx {
	const rc_clinic *clinic;
	const char *public_url;
} rc_visit_ctx;

/* A freed time offered to someone waiting: the offer (0: nobody waiting fits, or the time is too
 * near) and whose it is, to tell the front desk. */
typedef struct rc_visit_freed {
	int64_t offer;
	char offered_to[RC_NAME_MAX + 1];
} rc_visit_freed;

/* rc_app_booking_book, then the patient's mail (not again when the key had booked it). */
RC_WUR rc_err rc_app_visit_book(const rc_uc *uc, const rc_visit_ctx *vc, const rc_booking_in *in,
                                rc_booking_out *out, rc_problem *p);
/* rc_app_booking_series_book, then a mail for each visit booked. */
RC_WUR rc_err rc_app_visit_series_book(const rc_uc *uc, const rc_visit_ctx *vc, const rc_series_in *in,
                                       rc_series_out *out, rc_problem *p);
/* rc_app_booking_cancel; its time offered to the waitlist (*freed, may be NULL); the patient's mail. */
RC_WUR rc_err rc_app_visit_cancel(const rc_uc *uc, const rc_visit_ctx *vc, int64_t id, rc_appointment *out,
                                  rc_visit_freed *freed, rc_problem *p);
/* rc_app_booking_move; the time it leaves offered to the waitlist; the patient's mail. */
RC_WUR rc_err rc_app_visit_move(const rc_uc *uc, const rc_visit_ctx *vc, const rc_booking_move_in *in,
                                rc_booking_move_out *out, rc_visit_freed *freed, rc_problem *p);
/* rc_app_booking_series_cancel; each time offered to the waitlist; each patient's mail. */
RC_WUR rc_err rc_app_visit_series_cancel(const rc_uc *uc, const rc_visit_ctx *vc, int64_t id,
                                         rc_appointment *cancelled, size_t *n, rc_problem *p);

#endif
