/* wave.h — the arithmetic of the wave after an event (a marathon): how many visits to expect on each
 * of the days after it — from the visits earlier events really brought, or from the clinic's stated
 * default per 1,000 finishers, whichever is larger — and which earlier events may teach. Pure. */
#ifndef RC_DOMAIN_WAVE_H
#define RC_DOMAIN_WAVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
	RC_WAVE_DAYS = 14, /* the days after an event that its wave is watched over */
	/* The shape of the default over the two weeks: visits on a day of the first week against a day of
	 * the second (most runners come in the first week). With no field size known, these are the
	 * default itself: visits a day, a stated assumption for a small clinic. */
	RC_WAVE_DEFAULT_WEEK1 = 10,
	RC_WAVE_DEFAULT_WEEK2 = 6,
	/* Visits over the two weeks per 1,000 expected finishers, until the clinic states its own: runcare's
	 * starting estimate, not a published rate (none gives one clinic's share of a race's injured
	 * runners). 10 per 1,000 makes a race of 11,200 finishers expect what the fixed default did. */
	RC_WAVE_DEFAULT_PER_1000 = 10,
	RC_WAVE_PER_1000_MAX = 1000,
	RC_WAVE_FINISHERS_MAX = 1000000, /* the largest races have about 55,000 */
};

/* Whether an earlier event teaches about the one planned: it came before it, and all of its
 * RC_WAVE_DAYS days after are over by today — a wave still coming in would pull the average down.
 * Days are day numbers (rc_day_number). */
bool rc_wave_teaches(int64_t event_day, int64_t planned_day, int64_t today);

/* An earlier event that teaches: the visits recorded on each day after it, and its field size (0: not
 * known). */
typedef struct rc_wave_past {
	int64_t per_day[RC_WAVE_DAYS];
	int64_t finishers;
} rc_wave_past;

typedef enum {
	RC_WAVE_FROM_HISTORY, /* the average of earlier events' real visits */
	RC_WAVE_FROM_DEFAULT, /* the clinic's default */
} rc_wave_basis;

typedef struct rc_wave_forecast {
	rc_wave_basis basis;
	double expected[RC_WAVE_DAYS]; /* the one chosen */
	double total;
	/* From history: events with visits recorded (an event with none in runcare tells nothing — the
	 * clinic did not use runcare then — and is left out), how many of them were scaled to the planned
	 * event's field size (both sizes known), and their average. */
	int learned, unrecorded, scaled;
	double history[RC_WAVE_DAYS], history_total;
	/* The default: per 1,000 finishers when the planned field size is known (per_field), else the fixed
	 * RC_WAVE_DEFAULT_WEEK1/WEEK2 visits a day. */
	bool per_field;
	double fallback[RC_WAVE_DAYS], fallback_total;
} rc_wave_forecast;

/* The forecast for an event of `finishers` (0: not known), from n earlier events that teach and the
 * clinic's visits per 1,000 finishers: the history when it expects at least as many visits as the
 * default, else the default — never 0, since the default is at least 1 per 1,000. */
void rc_wave_forecast_make(const rc_wave_past *past, size_t n, int64_t finishers, int visits_per_1000,
                           rc_wave_forecast *out);

#endif
