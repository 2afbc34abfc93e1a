/* report.c — the reports' arithmetic (see report.h). */
#include "domain/report.h"

#include <stdlib.h>

int64_t rc_report_monday(int64_t day)
{
	return day - rc_report_weekday(day);
}

int rc_report_weekday(int64_t day)
{
	/* Day 0, 1 January 1970, was a Thursday (3). */
	return (int)(((day % 7) + 7 + 3) % 7);
}

bool rc_report_late_cancel(int64_t starts_at, int64_t cancelled_at, int64_t window)
{
	return cancelled_at > 0 && cancelled_at > starts_at - window;
}

int64_t rc_report_open_minutes(const rc_day *day)
{
	int64_t minutes = 0;
	int64_t first = day->start + (RC_UNIT_S - day->start % RC_UNIT_S) % RC_UNIT_S;
	/* Nothing is busy and nothing is too early: a quarter hour is free exactly when it is open. */
	rc_day open = *day;
	open.nbusy = 0;
	for (int64_t t = first; t < day->end; t += RC_UNIT_S)
		if (rc_slot_check(&open, t, RC_UNIT_S / 60, INT64_MIN) == RC_SLOT_FREE)
			minutes += RC_UNIT_S / 60;
	return minutes;
}

double rc_report_pct(int64_t n, int64_t d)
{
	return d > 0 ? 100.0 * (double)n / (double)d : -1;
}

static int by_value(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

double rc_report_median(int64_t *v, size_t n)
{
	if (!n)
		return 0;
	qsort(v, n, sizeof *v, by_value);
	return n % 2 ? (double)v[n / 2] : ((double)v[n / 2 - 1] + (double)v[n / 2]) / 2.0;
}

int64_t rc_report_percentile(int64_t *v, size_t n, int pct)
{
	if (!n)
		return 0;
	qsort(v, n, sizeof *v, by_value);
	size_t rank = ((size_t)pct * n + 99) / 100; /* ceil(pct / 100 × n) */
	return v[rank ? rank - 1 : 0];
}
