/* analysis.h — what one activity says about the article's three causes, streamed from its samples in
 * bounded memory: the totals (summary.h), running on a track, running uphill, and running fast.
 *
 * Method. Positions are projected onto a local plane (metres east and north of the first point).
 * Every point is kept (at most RC_AN_MAX_POINTS: past that, every other one, and so on) for the track
 * fit of trackfit.h, which finds a running track as a whole shape and reads the laps, the distance and
 * time on the bends, the direction and the lane from it. On a track the activity's distance, when the
 * file gives none of its own, counts the stretches on the track along the fitted shape rather than
 * between jittering points. For the grade, points are thinned to one every RC_AN_STEP_M metres or more.
 *
 * For the activity's page, up to RC_AN_DETAIL points spread evenly over its time are kept (route,
 * distance, elevation, heart rate), and the time spent at each heart rate (for the heart-rate load).
 * Warnings name what was odd: pauses, GPS jumps, points recorded twice, an activity of many hours.
 *
 * Uphill: the grade over the last RC_AN_GRADE_M metres of path is RC_AN_UPHILL_GRADE or steeper.
 * Fast: time at speeds 15% or more above the activity's own median moving speed (a histogram keeps
 * memory constant), so an easy runner's strides count as much as an elite's intervals. */
#ifndef RC_ANALYSIS_H
#define RC_ANALYSIS_H

#include <stdbool.h>
#include <stdint.h>

#include "domain/load.h"
#include "domain/sample.h"
#include "domain/summary.h"
#include "domain/trackfit.h"

#define RC_AN_STEP_M 5.0
#define RC_AN_GRADE_M 50.0
#define RC_AN_UPHILL_GRADE 0.03
#define RC_AN_FAST_FACTOR 1.15
#define RC_AN_LONG_S (12 * 3600) /* an activity longer than this: the watch was likely left running */
enum {
	RC_AN_RING = 32,
	RC_AN_SPEED_BINS = 120 /* of 0.1 m/s */,
	RC_AN_MAX_POINTS = 1 << 17,
	RC_AN_DETAIL = 600,       /* points kept for an activity's page: its route and charts */
	RC_AN_MAX_WARNINGS = 4,
};

/* One point of an activity's page: seconds from the start, metres east and north of the first
 * position (NAN: none), the distance so far, elevation and heart rate (NAN: none). */
typedef struct rc_detail_point {
	int32_t t;
	float x, y, d, ele, hr;
} rc_detail_point;

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
	/* every point for the track fit (malloc'd; freed by finish or rc_analysis_free) */
	rc_track_point *pts;
	size_t npts, cap, stride, seen;
	bool have_t0;
	int64_t t0;
	double speed_hist[RC_AN_SPEED_BINS];
	/* the page's points: every detail_stride-th timed sample, halved when full */
	rc_detail_point detail[RC_AN_DETAIL];
	int ndetail;
	int64_t detail_stride, detail_seen;
	double hr_s[RC_HR_BINS]; /* seconds at each heart rate (domain/load.h's bins) */
	int64_t hr_last_t;
	/* what was odd about the file, in words (after finish) */
	char warnings[RC_AN_MAX_WARNINGS][200];
	int nwarnings;
} rc_analysis;

void rc_analysis_init(rc_analysis *a);
void rc_analysis_add(rc_analysis *a, const rc_sample *x);
/* For use as an rc_sample_fn. */
void rc_analysis_sample(void *ctx, const rc_sample *x);
/* After the last sample: the figures, and the points' memory freed. */
void rc_analysis_finish(rc_analysis *a, const rc_activity_info *info);
/* The times (seconds from the start) at which each whole kilometre was passed, from the page's
 * points, the distance scaled to `total_m` (the activity's own, after the track fit). Returns how many. */
int rc_analysis_km_splits(const rc_analysis *a, double total_m, int32_t *out, int max);
/* Frees the points where finish is not reached (a file that failed to read); safe to repeat. */
void rc_analysis_free(rc_analysis *a);

#endif
