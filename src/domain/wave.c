/* wave.c — expected visits after an event, from earlier ones or from the clinic's default. */
#include "domain/wave.h"

#include <string.h>

bool rc_wave_teaches(int64_t event_day, int64_t planned_day, int64_t today)
{
	return event_day < planned_day && event_day + RC_WAVE_DAYS < today;
}

/* The share of the two weeks' visits that comes on day d (0: the day after the event). */
static double share(int d)
{
	double week = 7.0 * (RC_WAVE_DEFAULT_WEEK1 + RC_WAVE_DEFAULT_WEEK2);
	return (d < 7 ? RC_WAVE_DEFAULT_WEEK1 : RC_WAVE_DEFAULT_WEEK2) / week;
}

void rc_wave_forecast_make(const rc_wave_past *past, size_t n, int64_t finishers, int visits_per_1000,
                           rc_wave_forecast *out)
{
	memset(out, 0, sizeof *out);
	if (visits_per_1000 < 1)
		visits_per_1000 = RC_WAVE_DEFAULT_PER_1000;
	for (size_t i = 0; i < n; i++) {
		int64_t total = 0;
		for (int d = 0; d < RC_WAVE_DAYS; d++)
			total += past[i].per_day[d];
		if (total <= 0) {
			out->unrecorded++;
			continue;
		}
		/* A half marathon of 2,000 teaches a marathon of 20,000 in proportion. */
		double scale = 1.0;
		if (finishers > 0 && past[i].finishers > 0) {
			scale = (double)finishers / (double)past[i].finishers;
			out->scaled++;
		}
		for (int d = 0; d < RC_WAVE_DAYS; d++)
			out->history[d] += (double)past[i].per_day[d] * scale;
		out->learned++;
	}
	for (int d = 0; d < RC_WAVE_DAYS; d++) {
		if (out->learned)
			out->history[d] /= out->learned;
		out->history_total += out->history[d];
	}
	out->per_field = finishers > 0;
	for (int d = 0; d < RC_WAVE_DAYS; d++) {
		out->fallback[d] = out->per_field ? (double)visits_per_1000 * (double)finishers / 1000.0 * share(d)
		                                  : d < 7 ? RC_WAVE_DEFAULT_WEEK1 : RC_WAVE_DEFAULT_WEEK2;
		out->fallback_total += out->fallback[d];
	}
	/* Visits recorded are a floor (a clinic new to runcare, a wave booked partly by phone elsewhere):
	 * history wins only when it expects at least as much as the stated default. */
	out->basis = out->learned && out->history_total >= out->fallback_total ? RC_WAVE_FROM_HISTORY : RC_WAVE_FROM_DEFAULT;
	const double *src = out->basis == RC_WAVE_FROM_HISTORY ? out->history : out->fallback;
	memcpy(out->expected, src, sizeof out->expected);
	out->total = out->basis == RC_WAVE_FROM_HISTORY ? out->history_total : out->fallback_total;
}
