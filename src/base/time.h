/* time.h — UTC instants as seconds since the epoch, and their ISO 8601 form. */
#ifndef RC_TIME_H
#define RC_TIME_H

#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "base/err.h"

/* The clock. Every request and every command takes "now" from it once and passes it down.
 * rc_clock_init reads RUNCARE_CLOCK once, before any thread starts. It is for tests only: an RFC 3339
 * instant, optionally "@UNIX_SECONDS" (the real time at which the clock read that instant; without it,
 * the moment of the call), after which the clock runs on at real speed. RC_EINVAL with a message when
 * it is malformed. */
RC_WUR rc_err rc_clock_init(char *err, size_t errlen);
/* True when RUNCARE_CLOCK moved the clock. */
bool rc_clock_overridden(void);
int64_t rc_time_now(void);
/* "2026-11-24T11:21:04Z" into buf (at least 21 bytes). */
void rc_time_iso(int64_t t, char *buf, size_t n);
/* Monotonic milliseconds, for measuring durations. */
double rc_time_ms(void);

/* The clinic's time zone, set once at start before any thread exists (the C library keeps one
 * process-wide zone; runcare serves one clinic per process). RC_EINVAL for an unknown IANA name. */
RC_WUR rc_err rc_tz_set(const char *iana);
/* The local date and time of t in that zone (tm_wday 0 = Sunday, as in C). */
void rc_tz_local(int64_t t, struct tm *out);
/* The clinic's calendar: the one helper for what a person sees. */
/* "YYYY-MM-DD" of t in the clinic's zone (11 bytes). */
void rc_tz_date(int64_t t, char out[11]);
/* The clinic-local day of t as a day number (rc_days_from_civil), so that days can be counted. */
int64_t rc_tz_day_number(int64_t t);
/* t in the clinic's zone through a strftime pattern; "" when it does not fit. */
void rc_tz_format(int64_t t, const char *fmt, char *buf, size_t n);
/* The first instant (UTC) of the local day y-m-d, and of the day after: a day is 23, 24 or 25 hours. */
int64_t rc_tz_day_start(int y, int m, int d);
/* The bounds [start, end) of the local day that contains t. */
void rc_tz_day_bounds(int64_t t, int64_t *start, int64_t *end);
/* The UTC instant of a local wall-clock time in the clinic's zone ("2026-12-24T08:00", as an HTML
 * datetime-local field sends it); false when malformed. A time skipped by a clock change moves forward. */
bool rc_tz_parse_local(const char *s, int64_t *out);
/* Days from 1970-01-01 to a proleptic Gregorian date (negative before). */
int64_t rc_days_from_civil(int64_t y, int m, int d);
/* The civil date of a day number: "YYYY-MM-DD" (11 bytes); no time zone involved. */
void rc_day_name(int64_t day, char out[11]);
/* The first instant of a clinic-local day given as a day number. */
int64_t rc_tz_day_number_start(int64_t day);
/* Days from 1970-01-01 to "YYYY-MM-DD"; INT64_MIN when it is not a real date. */
int64_t rc_day_number(const char *ymd);
/* Parses "YYYY-MM-DD"; false when it is not a real date. */
bool rc_date_parse(const char *s, int *y, int *m, int *d);
/* Parses RFC 3339 with a zone ("2026-12-01T09:30:00-08:00" or "...Z"); false when malformed or
 * without a zone. */
bool rc_time_parse_rfc3339(const char *s, int64_t *out);
/* t as RFC 3339 in the clinic's zone: "2026-12-01T09:30:00-08:00" (at least 26 bytes). */
void rc_tz_rfc3339(int64_t t, char *buf, size_t n);

#endif
