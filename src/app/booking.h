/* booking.h — the clinic's booking rules and use cases: book, move, cancel, mark arrived or no-show
 * (and undo the mark), and the free times a person may choose from. The page, the JSON API and any
 * CLI command call these and get the same answer; the rules below exist nowhere else. */
#ifndef RC_APP_BOOKING_H
#define RC_APP_BOOKING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/app.h"
#include "domain/schedule.h"
#include "store/booking.h"
#include "store/series.h"

struct rc_triage_kb;

/* The clinic's booking policy. */
enum {
	/* A runner books online no visit starting within the hour: the clinic needs the time to prepare, and
	 * a runner who wants to come now calls. The front desk books a walk-in for any time not yet begun. */
	RC_BOOKING_LEAD_S = 60 * 60,
	/* Nobody books further ahead than this many clinic days after today (the schedule is not set). */
	RC_BOOKING_HORIZON_DAYS = 120,
	/* A runner cancels or moves a visit at least this long before it; the front desk any time before. */
	RC_BOOKING_NOTICE_S = 24 * 60 * 60,
	/* The front desk marks a visit arrived from this long before its start until its day ends (clinic
	 * time): early arrivals are common, a mark days ahead is a slip of the finger. */
	RC_ARRIVED_EARLY_S = 2 * 60 * 60,
	/* What the runner writes about the visit, in bytes; the self-check's note is added after it. Both
	 * fit the appointment's reason (rc_appointment.reason, 500 bytes). */
	RC_BOOKING_REASON_MAX = 300,
	RC_BOOKING_NOTE_MAX = 200,
};

/* The earliest start `actor` may book at `now` (the lead time for runners, now for staff). */
int64_t rc_booking_not_before(const rc_account *actor, int64_t now);
/* The first instant nobody may book from: the end of the horizon's last clinic day. */
int64_t rc_booking_horizon_end(int64_t now);
/* RC_OK when the actor may still cancel or move `a` at uc->now; else RC_ECONFLICT and why in p. */
RC_WUR rc_err rc_booking_may_change(const rc_uc *uc, const rc_appointment *a, rc_problem *p);
/* RC_OK when the actor may mark `a` arrived (or a no-show) now; else RC_ECONFLICT and why. */
RC_WUR rc_err rc_booking_may_mark_arrived(const rc_uc *uc, const rc_appointment *a, rc_problem *p);
RC_WUR rc_err rc_booking_may_mark_no_show(const rc_uc *uc, const rc_appointment *a, rc_problem *p);
/* RC_OK when the actor may take an arrived or no-show mark back (the visit is booked again). */
RC_WUR rc_err rc_booking_may_undo_mark(const rc_uc *uc, const rc_appointment *a, rc_problem *p);

/* --- booking -------------------------------------------------------------------------------- */

typedef struct rc_booking_in {
	const char *service;      /* its key */
	int64_t practitioner;
	int64_t start;
	int64_t runner;      /* staff book for this runner's account (0: the one `patient` names) */
	const char *patient; /* staff: the patient as typed — an email, or a name, phone or date of birth that
	                      * finds exactly one (rc_app_patient_pick); a runner books for themselves */
	const char *key;          /* idempotency: the same key books once; may be NULL */
	const char *reason;       /* what the runner wrote (may be NULL), at most RC_BOOKING_REASON_MAX bytes */
	const char *condition;    /* what it is about (a key the clinic treats, or "other"); NULL: "other" */
	const struct rc_triage_kb *triage; /* to name the self-check's likely condition; may be NULL */
} rc_booking_in;

typedef struct rc_booking_out {
	rc_service service;      /* filled once the service is known (for the alternatives) */
	rc_slot_state state;     /* RC_SLOT_FREE when booked; else why the time could not be (p says it too) */
	rc_appointment appointment; /* the booking, when booked */
	bool existing;           /* the key had booked it before: nothing new was written */
} rc_booking_out;

/* RC_OK when booked (or found by its key). RC_EINVAL: bad input or a time nobody may book (p->field
 * names it: service, practitioner, start, runner, reason, condition); RC_ECONFLICT: the time is taken
 * (out->state RC_SLOT_TAKEN); RC_EDB and friends when the database failed (nothing was booked). */
RC_WUR rc_err rc_app_booking_book(const rc_uc *uc, const rc_booking_in *in, rc_booking_out *out, rc_problem *p);

typedef struct rc_booking_move_in {
	int64_t appointment;
	int64_t practitioner;
	int64_t start;
} rc_booking_move_in;

typedef struct rc_booking_move_out {
	rc_appointment before, after; /* after: filled when moved */
	rc_service service;
	rc_slot_state state;
} rc_booking_move_out;

/* Moves a booked visit to a new time (and practitioner). RC_ENOTFOUND: no such appointment;
 * RC_ECONFLICT: too late to move it, or the new time is taken (out->state); RC_EINVAL: bad new time. */
RC_WUR rc_err rc_app_booking_move(const rc_uc *uc, const rc_booking_move_in *in, rc_booking_move_out *out,
                                  rc_problem *p);

/* Cancels a booked visit; *out is the appointment after (cancelled). RC_ENOTFOUND, RC_ECONFLICT (not
 * booked, or too late for a runner). */
RC_WUR rc_err rc_app_booking_cancel(const rc_uc *uc, int64_t id, rc_appointment *out, rc_problem *p);

/* The front desk's marks, each audited; *out is the appointment after. RC_ECONFLICT with the reason
 * when the mark does not fit the visit's status or time. */
RC_WUR rc_err rc_app_booking_arrived(const rc_uc *uc, int64_t id, rc_appointment *out, rc_problem *p);
RC_WUR rc_err rc_app_booking_no_show(const rc_uc *uc, int64_t id, rc_appointment *out, rc_problem *p);
/* Takes an arrived or no-show mark back: the visit is booked again. */
RC_WUR rc_err rc_app_booking_undo_mark(const rc_uc *uc, int64_t id, rc_appointment *out, rc_problem *p);

/* Appointments gathered into the arena, as an rc_appointment_fn's ctx: start it zeroed but for arena;
 * full is set (and the rest left out) when the arena's cap is reached, for the caller to report. */
typedef struct rc_visit_list {
	rc_arena *arena;
	rc_appointment *v;
	size_t n, cap;
	bool full;
} rc_visit_list;
void rc_visit_list_add(void *ctx, const rc_appointment *a);

/* --- a recurring series (the front desk's "every N weeks, M times") ---------------------------- */

enum {
	RC_SERIES_MAX = 26,        /* visits in one series: half a year of weekly visits */
	RC_SERIES_EVERY_MAX = 12,  /* weeks between two of them */
};

typedef struct rc_series_in {
	const char *service;   /* its key */
	int64_t practitioner;
	int64_t start;         /* the first visit; the others at the same clinic wall-clock time */
	int64_t runner;        /* the runner's account */
	int every_weeks;       /* 1 .. RC_SERIES_EVERY_MAX */
	int count;             /* visits in all, 2 .. RC_SERIES_MAX */
	const char *key;       /* idempotency: the same key books the series once; may be NULL */
	const char *reason, *condition;
	const int64_t *skip;   /* clinic day numbers to leave out: the dates the plan named */
	size_t nskip;
} rc_series_in;

typedef struct rc_series_visit {
	int64_t start, day;    /* day: the clinic day number */
	rc_slot_state state;   /* RC_SLOT_FREE when it can be booked */
	const char *why;       /* why not, a sentence (arena); NULL when free */
	bool skip;             /* left out as asked */
	int64_t appointment;   /* once booked */
} rc_series_visit;

typedef struct rc_series_out {
	rc_service service;
	rc_series_visit visits[RC_SERIES_MAX];
	size_t n;
	size_t conflicts;      /* visits neither free nor skipped */
	size_t booked;         /* visits booked (after rc_app_booking_series_book) */
	int64_t series;        /* the series' id once booked */
	bool existing;         /* the key had booked it before: nothing new was written */
} rc_series_out;

/* The dates of a series and, for each, whether it can be booked and why not. Writes nothing. RC_EINVAL
 * (p->field: service, practitioner, runner, start, every, count) for input no date can fix. */
RC_WUR rc_err rc_app_booking_series_plan(const rc_uc *uc, const rc_series_in *in, rc_series_out *out,
                                         rc_problem *p);
/* Books every date of the plan not skipped, and records the series, in one transaction: all or nothing.
 * RC_ECONFLICT (out filled, conflicts named) when a date not skipped cannot be booked. */
RC_WUR rc_err rc_app_booking_series_book(const rc_uc *uc, const rc_series_in *in, rc_series_out *out,
                                         rc_problem *p);

typedef struct rc_series_view {
	rc_series series;
	rc_service service;
	rc_appointment *visits; /* by start, in the arena */
	size_t n;
} rc_series_view;

/* A series and its visits, for the clinic's staff. RC_ENOTFOUND when there is no such series. */
RC_WUR rc_err rc_app_booking_series_show(const rc_uc *uc, int64_t id, rc_series_view *out, rc_problem *p);

/* Cancels every visit of the series that may still be cancelled (staff only), in one transaction;
 * visits that have begun or been marked stay. cancelled (the caller's array of RC_SERIES_MAX) gets the
 * visits cancelled, *n how many. */
RC_WUR rc_err rc_app_booking_series_cancel(const rc_uc *uc, int64_t id, rc_appointment *cancelled, size_t *n,
                                           rc_problem *p);

/* --- free times ------------------------------------------------------------------------------ */

typedef struct rc_free_slot {
	int64_t start, practitioner;
} rc_free_slot;

typedef struct rc_booking_free_in {
	const rc_service *service;
	int64_t practitioner;  /* 0: everyone who offers the service */
	int64_t first_day;     /* a clinic day number (rc_tz_day_number) */
	int days;
	int64_t from;          /* no time before this (0: none beyond the actor's earliest) */
	bool each_time_once;   /* one practitioner per start time: the first in the practitioners' list */
} rc_booking_free_in;

typedef struct rc_booking_free_out {
	rc_free_slot *slots;   /* the caller's array of max; earliest first */
	size_t n, max;
	int64_t next_day;      /* when the array filled up: the first clinic day left out (else 0) */
} rc_booking_free_out;

/* Free start times the actor may book, whole days at a time: when the next day's times do not fit in
 * out->max, the list stops before that day and says so in next_day. */
RC_WUR rc_err rc_app_booking_free(const rc_uc *uc, const rc_booking_free_in *in, rc_booking_free_out *out,
                                  rc_problem *p);

/* The runner's latest self-check in words ("soon; most likely Proximal hamstring tendinopathy."), for
 * those who see clinical content beside a visit; NULL when there is none. Kept out of the visit's
 * reason, which the front desk reads. */
struct rc_triage_kb;
const char *rc_app_booking_selfcheck_note(const rc_uc *uc, const struct rc_triage_kb *kb, int64_t runner);

#endif
