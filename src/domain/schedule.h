/* schedule.h — which start times are free for a service: weekly hours in the clinic's zone,
 * minus time off and what is booked, plus extra hours; on a 15-minute grid. Pure: no I/O. */
#ifndef RC_SCHEDULE_H
#define RC_SCHEDULE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
	RC_UNIT_S = 15 * 60,          /* the grid: appointments start and end on quarter hours */
	RC_SLOTS_MAX_PER_DAY = 96,
};

typedef struct rc_weekly {
	int weekday; /* 0 Monday … 6 Sunday */
	int start_minute, end_minute; /* local minutes after midnight */
} rc_weekly;

typedef struct rc_interval {
	int64_t start, end; /* UTC seconds, end exclusive */
} rc_interval;

/* One practitioner's day: everything the decision needs, gathered by the caller. */
typedef struct rc_day {
	int64_t start, end; /* the local day's UTC bounds (rc_tz_day_start of it and of the next) */
	const rc_weekly *hours;
	size_t nhours;
	const rc_interval *time_off, *extra, *busy;
	size_t ntime_off, nextra, nbusy;
} rc_day;

typedef enum {
	RC_SLOT_FREE,
	RC_SLOT_OFF_GRID,      /* not on a quarter hour */
	RC_SLOT_PAST,          /* starts before not_before */
	RC_SLOT_CLOSED,        /* outside working hours */
	RC_SLOT_TIME_OFF,      /* the practitioner is away */
	RC_SLOT_TAKEN,         /* another appointment */
} rc_slot_state;

/* Why a start time cannot be booked, in words a person understands. */
const char *rc_slot_reason(rc_slot_state s);

/* Whether [start, start + minutes) can be booked on this day. */
rc_slot_state rc_slot_check(const rc_day *day, int64_t start, int minutes, int64_t not_before);

/* Every free start time on the day, earliest first, up to max; returns how many. */
size_t rc_slots_free(const rc_day *day, int minutes, int64_t not_before, int64_t *out, size_t max);

/* The weekday (0 Monday) of a C struct tm's tm_wday (0 Sunday). */
static inline int rc_weekday_from_tm(int tm_wday)
{
	return (tm_wday + 6) % 7;
}

#endif
