/* summary.h — one activity's totals from its samples, streamed (constant memory).
 * Distance: the device's cumulative distance when the file has one, else the great-circle
 * (haversine) sum between positions. Moving time: the time between consecutive samples at most
 * RC_MOVING_GAP_S apart while moving at RC_MOVING_SPEED or faster. Elevation gain and loss: with a
 * RC_ELEVATION_HYSTERESIS band, so GPS noise of a metre or two does not add up to hills. */
#ifndef RC_SUMMARY_H
#define RC_SUMMARY_H

#include <stdbool.h>
#include <stdint.h>

#include "formats/activity.h"

#define RC_MOVING_SPEED 0.5        /* m/s */
#define RC_MOVING_GAP_S 30         /* s */
#define RC_ELEVATION_HYSTERESIS 3.0 /* m */

typedef struct rc_summary {
	int64_t start, end;
	double distance_m, moving_s, gain_m, loss_m, hr_sum;
	int64_t hr_n, points;
	/* running state */
	rc_sample last;
	bool have_last, have_ref, device_distance;
	double ele_ref, device_start;
} rc_summary;

void rc_summary_init(rc_summary *s);
void rc_summary_add(rc_summary *s, const rc_sample *x);
/* For use as an rc_sample_fn. */
void rc_summary_sample(void *ctx, const rc_sample *x);

#endif
