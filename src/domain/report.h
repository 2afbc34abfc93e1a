/* report.h — the arithmetic under the clinic's reports, each rule once: the week a day belongs to,
 * what counts as a late cancellation, the open minutes of a practitioner's day, shares and the
 * median and 90th percentile of waiting times. Pure. */
#ifndef RC_DOMAIN_REPORT_H
#define RC_DOMAIN_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/schedule.h"

/* The Monday (a day number, rc_days_from_civil) of the week holding `day`: the clinic's weeks start on
 * Monday, as the schedule's do. */
int64_t rc_report_monday(int64_t day);

/* The weekday of a day number, 0 Monday … 6 Sunday. */
int rc_report_weekday(int64_t day);

/* Whether a cancellation came late: at cancelled_at, less than `window` seconds before the visit began
 * (or after it began). The window is the booking policy's (RC_BOOKING_NOTICE_S). */
bool rc_report_late_cancel(int64_t starts_at, int64_t cancelled_at, int64_t window);

/* Minutes the practitioner was open on the day: quarter hours within weekly or extra hours and not in
 * time off (what is booked does not matter). */
int64_t rc_report_open_minutes(const rc_day *day);

/* n out of d as a percentage; -1 when d is 0 (there is nothing to share). */
double rc_report_pct(int64_t n, int64_t d);

/* The median of n values (the mean of the middle two when n is even), sorting v in place; 0 when n is 0. */
double rc_report_median(int64_t *v, size_t n);
/* The pct-th percentile by nearest rank (the smallest value with at least pct% of values at or below
 * it), sorting v in place; 0 when n is 0. */
int64_t rc_report_percentile(int64_t *v, size_t n, int pct);

#endif
