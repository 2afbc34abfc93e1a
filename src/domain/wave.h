/* wave.h — the arithmetic of the wave after an event (a marathon): how many visits to expect on each
 * of the days after it, learned from earlier events, and which earlier events may teach. Pure. */
#ifndef RC_DOMAIN_WAVE_H
#define RC_DOMAIN_WAVE_H

#include <stdbool.h>
#include <stdint.h>

enum {
	RC_WAVE_DAYS = 14, /* the days after an event that its wave is watched over */
	/* With no earlier event to learn from: visits a day in the first week after a marathon, then in
	 * the second. A stated assumption for a small clinic, replaced by its own figures after the first. */
	RC_WAVE_DEFAULT_WEEK1 = 10,
	RC_WAVE_DEFAULT_WEEK2 = 6,
};

/* Whether an earlier event teaches about the one planned: it came before it, and all of its
 * RC_WAVE_DAYS days after are over by today — a wave still coming in would pull the average down.
 * Days are day numbers (rc_day_number). */
bool rc_wave_teaches(int64_t event_day, int64_t planned_day, int64_t today);

/* Expected visits on each day after an event (0: the day after): the average over `learned` earlier
 * events of their visits on that day (totals[d] is their sum), or the stated default when none. */
void rc_wave_expected(const int64_t totals[RC_WAVE_DAYS], int learned, double out[RC_WAVE_DAYS]);

#endif
