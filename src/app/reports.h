/* reports.h — the clinic's reports, for administrators: visits per day or week by practitioner and by
 * service, how much of the open hours was booked, no-shows and late cancellations, new patients, and
 * the waitlist (offers taken and how long runners waited). One use case computes every figure; the
 * page and the CSV downloads both show what it returns, so they always agree. */
#ifndef RC_APP_REPORTS_H
#define RC_APP_REPORTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/app.h"

enum {
	RC_REPORT_MAX_DAYS = 366,   /* the longest range: a year */
	RC_REPORT_DEFAULT_WEEKS = 8, /* without a range: this week and the seven before it */
};

/* The range asked for, as clinic day numbers (rc_days_from_civil), each either given or not. */
typedef struct rc_report_ask {
	bool has_from, has_to;
	int64_t from_day, to_day;
	bool daily; /* visits per day (else per week) */
} rc_report_ask;

/* A day or a week (Monday to Sunday) of the range; a week the range cuts counts only its days inside. */
typedef struct rc_report_period {
	int64_t first_day, last_day; /* inside the range */
	int64_t start, end;          /* UTC instants of the first day's start and the day after the last */
	char label[11];              /* the day, or the week's Monday: YYYY-MM-DD in the clinic's zone */
} rc_report_period;

typedef struct rc_report_who {
	int64_t id;
	const char *name; /* in the arena */
} rc_report_who;

/* Attendance of the visits booked for a week: every appointment that was to start in it, however it
 * ended. A cancellation is late when it came within the cancel window (RC_BOOKING_NOTICE_S) before the
 * visit. */
typedef struct rc_report_attendance {
	int64_t appointments, no_shows, cancelled, late_cancels;
} rc_report_attendance;

/* The waitlist in a week: runners who joined, offers taken (served, counted when taken), and the time
 * from joining to taking the offer, in seconds. */
typedef struct rc_report_wait {
	int64_t joined, served;
	double median_s;
	int64_t p90_s; /* both 0 when nobody was served */
} rc_report_wait;

typedef struct rc_report {
	int64_t from_day, to_day; /* inclusive */
	char from[11], to[11];    /* the same, YYYY-MM-DD */
	bool daily;
	rc_report_period *periods; /* of the visits: days or weeks */
	size_t nperiods;
	rc_report_period *weeks;   /* of everything else */
	size_t nweeks;
	rc_report_who *practitioners; /* everyone active, then anyone else with visits in the range */
	size_t npractitioners;
	rc_report_who *services;      /* every active service, then any other with visits in the range */
	size_t nservices;

	/* Visits: booked or arrived (not cancelled, not missed), counted on the day they start. */
	int64_t *visits;          /* [period] */
	int64_t *visits_by_practitioner; /* [period * npractitioners + practitioner] */
	int64_t *visits_by_service;      /* [period * nservices + service] */
	int64_t visits_total;

	/* Utilisation: minutes booked (every appointment not cancelled, missed ones too: the time was
	 * given) over minutes open (weekly and extra hours, less time off). */
	int64_t *booked_min, *open_min;  /* [week * npractitioners + practitioner] */
	int64_t *week_booked_min, *week_open_min; /* [week]: everyone */
	int64_t booked_min_total, open_min_total;

	rc_report_attendance *attendance; /* [week] */
	rc_report_attendance attendance_total;

	/* New patients: runners whose first visit ever falls in the week. */
	int64_t *new_patients; /* [week] */
	int64_t new_patients_total;

	rc_report_wait *waitlist; /* [week] */
	rc_report_wait waitlist_total;
} rc_report;

/* The report for the range asked (default: the last RC_REPORT_DEFAULT_WEEKS weeks to today), read in
 * one snapshot. Administrators only (RC_EFORBIDDEN). RC_EINVAL with p->field "from" or "to" for a range
 * that ends before it starts or is longer than RC_REPORT_MAX_DAYS. */
RC_WUR rc_err rc_app_report(const rc_uc *uc, const rc_report_ask *ask, rc_report *out, rc_problem *p);

#endif
