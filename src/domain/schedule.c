/* schedule.c — slot arithmetic. Each 15-minute unit is tested on its own (working, away, taken),
 * so a 23- or 25-hour day at a daylight-saving change needs no special case. */
#include "domain/schedule.h"

#include <time.h>

#include "base/time.h"

const char *rc_slot_reason(rc_slot_state s)
{
	switch (s) {
	case RC_SLOT_FREE: return "free";
	case RC_SLOT_OFF_GRID: return "appointments start on the quarter hour (:00, :15, :30 or :45)";
	case RC_SLOT_PAST: return "that time has passed, or is too soon to book";
	case RC_SLOT_CLOSED: return "the practitioner does not work then, or the service does not fit before closing";
	case RC_SLOT_TIME_OFF: return "the practitioner is away then";
	case RC_SLOT_TAKEN: return "that time is already booked";
	}
	return "not available";
}

static bool within(const rc_interval *v, size_t n, int64_t a, int64_t b)
{
	for (size_t i = 0; i < n; i++)
		if (v[i].start <= a && b <= v[i].end)
			return true;
	return false;
}

static bool overlaps(const rc_interval *v, size_t n, int64_t a, int64_t b)
{
	for (size_t i = 0; i < n; i++)
		if (v[i].start < b && a < v[i].end)
			return true;
	return false;
}

static bool working(const rc_day *day, int64_t unit)
{
	if (within(day->extra, day->nextra, unit, unit + RC_UNIT_S))
		return true;
	struct tm tm;
	rc_tz_local(unit, &tm);
	int wd = rc_weekday_from_tm(tm.tm_wday), minute = tm.tm_hour * 60 + tm.tm_min;
	for (size_t i = 0; i < day->nhours; i++) {
		const rc_weekly *h = &day->hours[i];
		if (h->weekday == wd && h->start_minute <= minute && minute + RC_UNIT_S / 60 <= h->end_minute)
			return true;
	}
	return false;
}

rc_slot_state rc_slot_check(const rc_day *day, int64_t start, int minutes, int64_t not_before)
{
	if (start % RC_UNIT_S != 0 || minutes <= 0 || minutes % (RC_UNIT_S / 60) != 0)
		return RC_SLOT_OFF_GRID;
	if (start < not_before)
		return RC_SLOT_PAST;
	int64_t end = start + (int64_t)minutes * 60;
	for (int64_t u = start; u < end; u += RC_UNIT_S)
		if (!working(day, u))
			return RC_SLOT_CLOSED;
	if (overlaps(day->time_off, day->ntime_off, start, end))
		return RC_SLOT_TIME_OFF;
	if (overlaps(day->busy, day->nbusy, start, end))
		return RC_SLOT_TAKEN;
	return RC_SLOT_FREE;
}

size_t rc_slots_free(const rc_day *day, int minutes, int64_t not_before, int64_t *out, size_t max)
{
	size_t n = 0;
	int64_t first = day->start + (RC_UNIT_S - day->start % RC_UNIT_S) % RC_UNIT_S;
	for (int64_t t = first; t < day->end && n < max; t += RC_UNIT_S)
		if (rc_slot_check(day, t, minutes, not_before) == RC_SLOT_FREE)
			out[n++] = t;
	return n;
}
