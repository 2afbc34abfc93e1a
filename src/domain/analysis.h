/* analysis.h — what one activity says about the article's three causes, streamed from its samples in
 * constant memory: the totals (summary.h), running on a track, running uphill, and running fast.
 *
 * Method. Positions are projected onto a local plane (metres east and north of the first point) and
 * thinned to one point every RC_AN_STEP_M metres or more. The heading between points RC_AN_CHORD
 * steps apart (a chord of twenty metres or more, which quiets GPS jitter) changes by a turning angle at
 * each step; up to RC_AN_QUIET steps of jitter inside a bend do not end it.
 * A bend is a run of steps that all turn the same way at a curvature between 1/RC_AN_BEND_MAX_R and
 * 1/RC_AN_BEND_MIN_R per metre, adding up to a half circle (RC_AN_BEND_MIN_ANGLE..MAX_ANGLE): a
 * standard 400 m track's lane-one bend is 180° at 36.5 m; an indoor 200 m track's is about 18 m. A
 * lone bend is a roundabout or a cul-de-sac; a track shows bends one after another with a straight of
 * at most RC_AN_TRACK_STRAIGHT_M between them, so only those count. Four or more make a track session:
 * the radius is length over angle (under 25 m: a 200 m indoor track), laps are the distance from the
 * first counted bend to the last over the lap length, the distance on bends is laps × 2πr, and the
 * direction is the side the turns go (left turns are counter-clockwise, the way races run).
 *
 * Uphill: the grade over the last RC_AN_GRADE_M metres of path is RC_AN_UPHILL_GRADE or steeper.
 * Fast: time at speeds 15% or more above the activity's own median moving speed (a histogram keeps
 * memory constant), so an easy runner's strides count as much as an elite's intervals. */
#ifndef RC_ANALYSIS_H
#define RC_ANALYSIS_H

#include <stdbool.h>
#include <stdint.h>

#include "domain/sample.h"
#include "domain/summary.h"

#define RC_AN_STEP_M 5.0
#define RC_AN_BEND_MIN_R 12.0
#define RC_AN_BEND_MAX_R 60.0
#define RC_AN_BEND_MIN_ANGLE 2.3 /* rad, ≈130° */
#define RC_AN_BEND_MAX_ANGLE 4.1 /* rad, ≈235° */
#define RC_AN_TRACK_STRAIGHT_M 130.0
#define RC_AN_TRACK_MIN_BENDS 4
#define RC_AN_GRADE_M 50.0
#define RC_AN_UPHILL_GRADE 0.03
#define RC_AN_FAST_FACTOR 1.15
enum { RC_AN_CHORD = 4, RC_AN_QUIET = 2, RC_AN_RING = 32, RC_AN_SPEED_BINS = 120 /* of 0.1 m/s */ };

typedef enum { RC_DIR_NONE, RC_DIR_CCW, RC_DIR_CW, RC_DIR_MIXED } rc_direction;

typedef struct rc_track {
	bool found;
	int size_m;       /* 400 (outdoor) or 200 (indoor) */
	double laps, bend_distance_m, radius_m;
	rc_direction direction;
	int bends;
} rc_track;

typedef struct rc_analysis {
	rc_summary sum;
	rc_track track;
	double uphill_s, fast_s, median_speed;
	/* running state */
	bool have_origin;
	double lat0, lon0, kx, ky;    /* projection */
	double path_m;                /* along the thinned path */
	struct {
		double x, y, d, ele;
		int64_t t;
	} ring[RC_AN_RING];           /* the last thinned points */
	int nring;
	bool have_heading;
	double heading;
	int ep_sign, ep_quiet, ep_steps;       /* the bend being followed: its side, steps without turning */
	double ep_angle, ep_len, ep_start_d;
	/* the previous bend candidate, counted once a neighbour confirms it */
	bool prev_bend, prev_counted;
	int prev_sign;
	double prev_end_d, prev_angle, prev_len;
	double turn_ccw, turn_cw;     /* counted turning, radians */
	double span_start, span_end;  /* path distance from the first counted bend to the last */
	double speed_hist[RC_AN_SPEED_BINS];
} rc_analysis;

void rc_analysis_init(rc_analysis *a);
void rc_analysis_add(rc_analysis *a, const rc_sample *x);
/* For use as an rc_sample_fn. */
void rc_analysis_sample(void *ctx, const rc_sample *x);
/* After the last sample. */
void rc_analysis_finish(rc_analysis *a, const rc_activity_info *info);

const char *rc_direction_name(rc_direction d); /* "counter-clockwise", "clockwise", "mixed", "" */

#endif
