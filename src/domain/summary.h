/* summary.h — one activity's totals from its samples, streamed (constant memory).
 * Distance: the device's cumulative distance when the file has one, else the great-circle
 * (haversine) sum between positions. Moving time: the time between consecutive samples at most
 * RC_MOVING_GAP_S apart while moving at RC_MOVING_SPEED or faster (each second counted once, when a file
 * alternates position and distance records). Elevation gain and loss: with a RC_ELEVATION_HYSTERESIS
 * band, so GPS noise of a metre or two does not add up to hills, after dropping spikes that climb
 * faster than RC_ELEVATION_MAX_RATE (a barometer glitch is not a 2,000 m wall). GPS jumps add no
 * distance; pauses and repeated points are counted. */
#ifndef RC_SUMMARY_H
#define RC_SUMMARY_H

#include <stdbool.h>
#include <stdint.h>

#include "domain/sample.h"

#define RC_MOVING_SPEED 0.5        /* m/s */
#define RC_MOVING_GAP_S 30         /* s */
#define RC_ELEVATION_HYSTERESIS 3.0 /* m */
#define RC_ELEVATION_MAX_RATE 5.0   /* m/s: faster vertical change is a sensor spike, not a hill */
#define RC_ELEVATION_RELEVEL 30     /* samples in a row at a new level: the level is real, re-anchored */
/* A GPS jump (teleport): a step of more than RC_JUMP_MIN_M faster than RC_JUMP_SPEED. The point is left
 * out of the distance; RC_JUMP_RELOCATE such points in a row, the receiver has moved (a gap in the
 * recording): the position is taken up from there, the gap adding no distance. */
#define RC_JUMP_MIN_M 100.0
#define RC_JUMP_SPEED 40.0          /* m/s, 144 km/h: faster than any runner or rider */
#define RC_JUMP_RELOCATE 3
#define RC_PAUSE_S 60               /* a gap in the recording this long or longer is a pause */

typedef struct rc_summary {
	int64_t start, end;
	double distance_m, moving_s, gain_m, loss_m, hr_sum;
	int64_t hr_n, points;
	/* running state: the last sample with a distance and the last with a position (a file may carry
	 * them in alternate records), the elevation reference and spike filter, the moving clock */
	rc_sample last_dist, last_pos;
	bool have_last_dist, have_last_pos, have_ref, device_distance;
	double ele_ref, ele_good, device_start;
	int64_t ele_good_time, moving_until;
	int ele_rejected;
	/* what was odd about the file, for the warnings (analysis.c words them) */
	int64_t jumps, pauses, repeats, last_time;
	double longest_jump_m, paused_s;
	int jump_run;
	bool have_coslat;
	double coslat, coslat_at; /* the cosine of a latitude near the points', and that latitude */
} rc_summary;

void rc_summary_init(rc_summary *s);
void rc_summary_add(rc_summary *s, const rc_sample *x);
/* After the last sample: the file's own start where it is earlier than the first sample. */
void rc_summary_finish(rc_summary *s, const rc_activity_info *info);
/* For use as an rc_sample_fn. */
void rc_summary_sample(void *ctx, const rc_sample *x);

#endif
