/* analysis.c — track, hill and speed exposure of one activity, streamed (method in analysis.h). */
#include "domain/analysis.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void rc_analysis_init(rc_analysis *a)
{
	memset(a, 0, sizeof *a);
	rc_summary_init(&a->sum);
	a->stride = 1;
}

void rc_analysis_free(rc_analysis *a)
{
	free(a->pts);
	a->pts = NULL;
	a->npts = a->cap = 0;
}

#define AT(a, k) ((a)->ring[(k) % RC_AN_RING])

/* Keeps a point for the track fit; past RC_AN_MAX_POINTS, every other one is dropped and from then on
 * only every stride-th point is kept, so memory stays bounded however long the activity. If memory runs
 * out, the track is not looked for (the rest of the analysis goes on). */
static void keep_point(rc_analysis *a, double x, double y, int64_t t)
{
	if (a->seen++ % a->stride)
		return;
	if (a->npts == a->cap) {
		if (a->cap == RC_AN_MAX_POINTS) {
			for (size_t i = 0; i < a->npts / 2; i++)
				a->pts[i] = a->pts[2 * i];
			a->npts /= 2;
			a->stride *= 2;
		} else {
			size_t cap = a->cap ? a->cap * 2 : 4096;
			rc_track_point *np = realloc(a->pts, cap * sizeof *np);
			if (!np) {
				rc_analysis_free(a);
				a->stride = SIZE_MAX; /* no more points */
				return;
			}
			a->pts = np;
			a->cap = cap;
		}
	}
	if (t && !a->have_t0) {
		a->have_t0 = true;
		a->t0 = t;
	}
	int64_t dt = t ? t - a->t0 : 0;
	a->pts[a->npts++] = (rc_track_point){(float)x, (float)y, (float)a->sum.distance_m,
	                                     t && dt > -INT32_MAX && dt < INT32_MAX ? (int32_t)dt : RC_TF_NO_TIME};
}

static void thinned_point(rc_analysis *a, double x, double y, double ele, int64_t t)
{
	int n = a->nring;
	double len = 0;
	if (n > 0) {
		len = hypot(x - AT(a, n - 1).x, y - AT(a, n - 1).y);
		a->path_m += len;
	}
	AT(a, n).x = x;
	AT(a, n).y = y;
	AT(a, n).d = a->path_m;
	AT(a, n).ele = ele;
	AT(a, n).t = t;
	a->nring = ++n;
	if (n < 2)
		return;
	int64_t dt = t && AT(a, n - 2).t ? t - AT(a, n - 2).t : 0;
	bool timed = dt > 0 && dt <= RC_MOVING_GAP_S;
	if (timed && len / (double)dt >= RC_MOVING_SPEED) {
		int bin = (int)(len / (double)dt * 10.0);
		a->speed_hist[bin < RC_AN_SPEED_BINS ? bin : RC_AN_SPEED_BINS - 1] += (double)dt;
	}
	/* Grade over the last RC_AN_GRADE_M metres. */
	if (timed && !isnan(ele)) {
		for (int j = n - 2; j >= 0 && j > n - RC_AN_RING; j--) {
			double run = a->path_m - AT(a, j).d;
			if (run < RC_AN_GRADE_M)
				continue;
			double grade = isnan(AT(a, j).ele) ? NAN : (ele - AT(a, j).ele) / run;
			if (!isnan(grade) && grade >= RC_AN_UPHILL_GRADE && grade < 0.45)
				a->uphill_s += (double)dt;
			break;
		}
	}
}

void rc_analysis_add(rc_analysis *a, const rc_sample *x)
{
	rc_summary_add(&a->sum, x);
	if (isnan(x->lat) || isnan(x->lon))
		return;
	if (!a->have_origin) {
		const double m_per_deg = 6371008.8 * M_PI / 180.0;
		a->have_origin = true;
		a->lat0 = x->lat;
		a->lon0 = x->lon;
		a->ky = m_per_deg;
		a->kx = m_per_deg * cos(x->lat * M_PI / 180.0);
	}
	double px = (x->lon - a->lon0) * a->kx, py = (x->lat - a->lat0) * a->ky;
	keep_point(a, px, py, x->time);
	if (a->nring > 0 && hypot(px - AT(a, a->nring - 1).x, py - AT(a, a->nring - 1).y) < RC_AN_STEP_M)
		return;
	/* A jump of more than a kilometre between points is a gap in the recording, not a path. */
	if (a->nring > 0 && hypot(px - AT(a, a->nring - 1).x, py - AT(a, a->nring - 1).y) > 1000)
		a->nring = 0;
	thinned_point(a, px, py, x->ele, x->time);
}

void rc_analysis_sample(void *ctx, const rc_sample *x)
{
	rc_analysis_add(ctx, x);
}

void rc_analysis_finish(rc_analysis *a, const rc_activity_info *info)
{
	rc_summary_finish(&a->sum, info);
	rc_trackfit(a->pts, a->npts, &a->track);
	rc_analysis_free(a);
	/* Noise must not add length: on the track, the fitted shape's distance replaces the jittered
	 * points' (only where the distance is the points' own; a device's distance is its own). */
	if (a->track.found && !a->sum.device_distance) {
		double d = a->sum.distance_m - a->track.raw_distance_m + a->track.distance_m;
		a->sum.distance_m = d > 0 ? d : a->sum.distance_m;
	}
	double total = 0;
	for (int b = 0; b < RC_AN_SPEED_BINS; b++)
		total += a->speed_hist[b];
	if (total > 0) {
		double run = 0;
		int b = 0;
		for (; b < RC_AN_SPEED_BINS && run + a->speed_hist[b] < total / 2; b++)
			run += a->speed_hist[b];
		a->median_speed = (b + 0.5) / 10.0;
		double fast = a->median_speed * RC_AN_FAST_FACTOR;
		for (int k = 0; k < RC_AN_SPEED_BINS; k++)
			if ((k + 0.5) / 10.0 >= fast)
				a->fast_s += a->speed_hist[k];
	}
}
