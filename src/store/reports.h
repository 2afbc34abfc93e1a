/* reports.h — what the clinic's reports read: appointments, hours and exceptions over a range, first
 * visits, and the waitlist's entries and offers taken. Rows only; the figures are app/reports.c's. */
#ifndef RC_STORE_REPORTS_H
#define RC_STORE_REPORTS_H

#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"

typedef struct rc_report_row {
	int64_t id, runner_id, practitioner_id, service_id, starts_at, ends_at, created_at;
	int64_t cancelled_at; /* 0: not cancelled (or cancelled before the time was kept) */
	const char *status, *practitioner, *service; /* borrowed for the call */
} rc_report_row;

typedef void (*rc_report_row_fn)(void *ctx, const rc_report_row *a);
/* Every appointment starting in [from, to), whatever its status, by start. */
RC_WUR rc_err rc_report_appointments(rc_db *db, int64_t from, int64_t to, rc_report_row_fn fn, void *ctx);

/* Every practitioner's weekly hours (0 Monday; minutes after local midnight). */
typedef void (*rc_report_hours_fn)(void *ctx, int64_t pid, int weekday, int start_minute, int end_minute);
RC_WUR rc_err rc_report_hours(rc_db *db, rc_report_hours_fn fn, void *ctx);

/* Time off and extra hours overlapping [from, to). */
typedef void (*rc_report_exception_fn)(void *ctx, int64_t pid, bool extra, int64_t start, int64_t end);
RC_WUR rc_err rc_report_exceptions(rc_db *db, int64_t from, int64_t to, rc_report_exception_fn fn, void *ctx);

typedef void (*rc_report_time_fn)(void *ctx, int64_t t);
/* The start of each runner's first visit (booked or arrived: not cancelled, not missed), for those whose
 * first visit starts in [from, to). */
RC_WUR rc_err rc_report_first_visits(rc_db *db, int64_t from, int64_t to, rc_report_time_fn fn, void *ctx);
/* When each runner who joined the waitlist in [from, to) joined. */
RC_WUR rc_err rc_report_waitlist_joined(rc_db *db, int64_t from, int64_t to, rc_report_time_fn fn, void *ctx);
/* Offers accepted, for the visits they booked in [from, to): when the runner joined, and when they
 * took the offer (the visit's booking). */
typedef void (*rc_report_served_fn)(void *ctx, int64_t joined, int64_t served);
RC_WUR rc_err rc_report_waitlist_served(rc_db *db, int64_t from, int64_t to, rc_report_served_fn fn, void *ctx);

#endif
