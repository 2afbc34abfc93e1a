/* analysis.c — track, hill and speed exposure of one activity, streamed (method in analysis.h). */
#include "domain/analysis.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void rc_analysis_init(rc_analysis *a)
{
	memset(a, 0, sizeof *a);
	rc_summary_init(&a->sum);
	a->stride = 1;
	a->detail_stride = 1;
}

void rc_analysis_free(rc_analysis *a)
{
	free(a->pts);
	a->pts = NULL;
	a->npts = a->cap = 0;
}

#define AT(a, k) ((a)->ring[(k) % RC_AN_RING])

/* Metres on the local plane: hypot's care for overflow is not needed there, and this runs per sample. */
static double dist(double dx, double dy)
{
	return sqrt(dx * dx + dy * dy);
}

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
		len = dist(x - AT(a, n - 1).x, y - AT(a, n - 1).y);
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

/* A point for the activity's page: every detail_stride-th timed sample; when the array is full, every
 * other one is dropped and the stride doubles, so the points stay spread over the whole activity. */
static void keep_detail(rc_analysis *a, const rc_sample *x, double px, double py)
{
	if (!x->time || a->detail_seen++ % a->detail_stride)
		return;
	if (a->ndetail == RC_AN_DETAIL) {
		for (int i = 0; i < RC_AN_DETAIL / 2; i++)
			a->detail[i] = a->detail[2 * i];
		a->ndetail = RC_AN_DETAIL / 2;
		a->detail_stride *= 2;
		if ((a->detail_seen - 1) % a->detail_stride)
			return;
	}
	if (!a->have_t0) {
		a->have_t0 = true;
		a->t0 = x->time;
	}
	int64_t dt = x->time - a->t0;
	if (dt < 0 || dt > INT32_MAX)
		return;
	a->detail[a->ndetail++] = (rc_detail_point){(int32_t)dt, (float)px, (float)py, (float)a->sum.distance_m,
	                                            (float)x->ele, !isnan(x->hr) && x->hr > 0 && x->hr < 260 ? (float)x->hr : NAN};
}

/* Time at each heart rate: the interval since the last sample with one, up to RC_MOVING_GAP_S. */
static void heart(rc_analysis *a, const rc_sample *x)
{
	if (isnan(x->hr) || x->hr < RC_HR_BIN0 || x->hr >= 260 || !x->time)
		return;
	int64_t dt = a->hr_last_t ? x->time - a->hr_last_t : 0;
	a->hr_last_t = x->time;
	if (dt <= 0 || dt > RC_MOVING_GAP_S)
		return;
	int bin = (int)((x->hr - RC_HR_BIN0) / RC_HR_BIN_W);
	a->hr_s[bin < RC_HR_BINS ? bin : RC_HR_BINS - 1] += (double)dt;
}

void rc_analysis_add(rc_analysis *a, const rc_sample *x)
{
	rc_summary_add(&a->sum, x);
	heart(a, x);
	if (isnan(x->lat) || isnan(x->lon)) {
		keep_detail(a, x, NAN, NAN);
		return;
	}
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
	keep_detail(a, x, px, py);
	double step = a->nring > 0 ? dist(px - AT(a, a->nring - 1).x, py - AT(a, a->nring - 1).y) : 0;
	if (a->nring > 0 && step < RC_AN_STEP_M)
		return;
	/* A jump of more than a kilometre between points is a gap in the recording, not a path. */
	if (step > 1000)
		a->nring = 0;
	thinned_point(a, px, py, x->ele, x->time);
}

void rc_analysis_sample(void *ctx, const rc_sample *x)
{
	rc_analysis_add(ctx, x);
}

static void warn(rc_analysis *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void warn(rc_analysis *a, const char *fmt, ...)
{
	if (a->nwarnings >= RC_AN_MAX_WARNINGS)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(a->warnings[a->nwarnings++], sizeof a->warnings[0], fmt, ap);
	va_end(ap);
}

/* What was odd about the recording, each in words with its number. */
static void warnings(rc_analysis *a)
{
	const rc_summary *s = &a->sum;
	if (s->jumps)
		warn(a, "GPS jumps: %lld point%s far off the route (up to %.1f km away) left out of the distance",
		     (long long)s->jumps, s->jumps == 1 ? "" : "s", s->longest_jump_m / 1000);
	if (s->pauses)
		warn(a, "pauses: the recording stopped %lld time%s (%.0f min in all); paused time is not moving time",
		     (long long)s->pauses, s->pauses == 1 ? "" : "s", s->paused_s / 60);
	if (s->repeats)
		warn(a, "duplicate points: %lld point%s recorded twice at the same time, counted once", (long long)s->repeats,
		     s->repeats == 1 ? "" : "s");
	if (s->start && s->end - s->start > RC_AN_LONG_S)
		warn(a, "a very long activity: %.1f hours from start to end, of which %.1f moving; only moving time counts "
		        "toward the load (was the watch left running?)",
		     (double)(s->end - s->start) / 3600, s->moving_s / 3600);
}

int rc_analysis_km_splits(const rc_analysis *a, double total_m, int32_t *out, int max)
{
	int n = 0;
	if (a->ndetail < 2)
		return 0;
	double last = a->detail[a->ndetail - 1].d - a->detail[0].d;
	double k = last > 0 && total_m > 0 ? total_m / last : 1;
	for (int i = 1; i < a->ndetail && n < max; i++) {
		double d0 = (a->detail[i - 1].d - a->detail[0].d) * k, d1 = (a->detail[i].d - a->detail[0].d) * k;
		while (n < max && d1 >= (n + 1) * 1000.0 && d1 > d0) {
			double f = ((n + 1) * 1000.0 - d0) / (d1 - d0);
			out[n++] = (int32_t)lround(a->detail[i - 1].t + f * (a->detail[i].t - a->detail[i - 1].t));
		}
	}
	return n;
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
	warnings(a);
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
