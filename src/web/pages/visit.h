/* visit.h — what the booking pages (booking.c, appointments.c, schedule.c) and the JSON API share:
 * the use case's caller, a visit's time and status in words, the mail to the runner, and the page
 * that says a time is not available with the nearest free ones. */
#ifndef RC_PAGES_VISIT_H
#define RC_PAGES_VISIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/app.h"
#include "app/visit.h"
#include "store/booking.h"
#include "web/http.h"
#include "web/valid.h"

enum {
	RC_VISIT_ALTERNATIVES = 5,      /* nearest free times offered when one is not available */
	RC_VISIT_ALTERNATIVE_DAYS = 14, /* ... looked for in this many days */
};

/* The use case's caller for this request: its database, its one now, its user and address. */
rc_uc rc_visit_uc(rc_req *r);
/* The HTTP status for a use case's answer: 422 bad input, 409 a rule or a race, 404, else 503. */
unsigned rc_visit_status(rc_err e);

/* "Tue 1 Dec 2026, 09:30" (with_date) or "09:30", in the clinic's zone, as <time>. */
void rc_visit_time(rc_buf *b, int64_t t, bool with_date);
/* A clinic day's name through a strftime pattern ("%A %e %B" → "Tuesday 1 December"): no padding. */
void rc_visit_day_label(int64_t day, const char *fmt, char *out, size_t n);
/* An appointment's status in words. */
const char *rc_visit_status_label(const char *status);
void rc_visit_money(rc_buf *b, int64_t cents);

/* What a visit can be about: what the clinic treats, and "Something else" (in the arena). */
const rc_vchoice *rc_visit_conditions(rc_req *r, size_t *n);

/* The runner's mail with the visit as an iCalendar attachment (same UID each time, so a calendar updates
 * the one event): booked, moved, or cancelled (STATUS:CANCELLED). A failure is logged. */
/* What the visit use cases (app/visit.h) need of this request: the clinic and its public address. */
rc_visit_ctx rc_visit_ctx_of(rc_req *r);

/* "That time is not available": why, and the nearest free times for the service from any practitioner
 * (move: the appointment being moved, 0 when booking). The caller set r->status. */
void rc_visit_unavailable(rc_req *r, const rc_service *sv, int64_t start, int64_t move, const char *why);

#endif
