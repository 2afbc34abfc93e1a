/* summary.c — streaming totals of an activity. */
#include "domain/summary.h"

#include <math.h>
#include <string.h>

void rc_summary_init(rc_summary *s)
{
	memset(s, 0, sizeof *s);
}

static double haversine(double lat1, double lon1, double lat2, double lon2)
{
	const double r = 6371008.8, k = M_PI / 180.0;
	double dlat = (lat2 - lat1) * k, dlon = (lon2 - lon1) * k;
	double a = sin(dlat / 2) * sin(dlat / 2) + cos(lat1 * k) * cos(lat2 * k) * sin(dlon / 2) * sin(dlon / 2);
	return 2 * r * asin(sqrt(a < 1 ? a : 1));
}

/* The distance between two positions. A step of up to a kilometre (nearly every one) on the local
 * plane, with the cosine of the latitude kept while the latitude stays within RC_FLAT_REUSE_DEG (about
 * 500 m) of where it was taken: within 0.01% of the great circle, without three trigonometric calls a
 * sample; longer steps by haversine. */
#define RC_FLAT_STEP_DEG 0.01
#define RC_FLAT_REUSE_DEG 0.005
static double distance(rc_summary *s, const rc_sample *a, const rc_sample *b)
{
	double dlat = b->lat - a->lat, dlon = b->lon - a->lon;
	if (fabs(dlat) > RC_FLAT_STEP_DEG || fabs(dlon) > RC_FLAT_STEP_DEG)
		return haversine(a->lat, a->lon, b->lat, b->lon);
	if (!s->have_coslat || fabs(a->lat - s->coslat_at) > RC_FLAT_REUSE_DEG) {
		s->coslat = cos(a->lat * M_PI / 180.0);
		s->coslat_at = a->lat;
		s->have_coslat = true;
	}
	const double m = 6371008.8 * M_PI / 180.0;
	double y = dlat * m, x = dlon * m * s->coslat;
	return sqrt(x * x + y * y);
}

static void elevation(rc_summary *s, const rc_sample *x)
{
	if (!s->have_ref) {
		s->ele_ref = s->ele_good = x->ele;
		s->ele_good_time = x->time;
		s->have_ref = true;
		return;
	}
	double dt = x->time && s->ele_good_time && x->time > s->ele_good_time ? (double)(x->time - s->ele_good_time) : 1;
	if (fabs(x->ele - s->ele_good) > RC_ELEVATION_MAX_RATE * dt + RC_ELEVATION_HYSTERESIS) {
		if (++s->ele_rejected < RC_ELEVATION_RELEVEL)
			return;
		s->ele_ref = x->ele; /* a lasting new level (a corrected altimeter): no climb counted */
	}
	s->ele_rejected = 0;
	s->ele_good = x->ele;
	s->ele_good_time = x->time;
	if (x->ele - s->ele_ref >= RC_ELEVATION_HYSTERESIS) {
		s->gain_m += x->ele - s->ele_ref;
		s->ele_ref = x->ele;
	} else if (s->ele_ref - x->ele >= RC_ELEVATION_HYSTERESIS) {
		s->loss_m += s->ele_ref - x->ele;
		s->ele_ref = x->ele;
	}
}

/* The interval from p to x, `step` metres: moving time for the part not counted yet. */
static void moving(rc_summary *s, const rc_sample *p, const rc_sample *x, double step)
{
	int64_t dt = x->time && p->time ? x->time - p->time : 0;
	if (dt <= 0 || dt > RC_MOVING_GAP_S || isnan(step) || step / (double)dt < RC_MOVING_SPEED)
		return;
	int64_t from = p->time > s->moving_until ? p->time : s->moving_until;
	if (x->time > from) {
		s->moving_s += (double)(x->time - from);
		s->moving_until = x->time;
	}
}

void rc_summary_add(rc_summary *s, const rc_sample *x)
{
	s->points++;
	if (x->time && s->last_time) {
		if (x->time - s->last_time >= RC_PAUSE_S) {
			s->pauses++;
			s->paused_s += (double)(x->time - s->last_time);
		}
	}
	if (x->time)
		s->last_time = x->time;
	if (x->time) {
		if (!s->start || x->time < s->start)
			s->start = x->time;
		if (x->time > s->end)
			s->end = x->time;
	}
	if (!isnan(x->hr) && x->hr > 0 && x->hr < 260) {
		s->hr_sum += x->hr;
		s->hr_n++;
	}
	if (!isnan(x->ele))
		elevation(s, x);
	bool has_pos = !isnan(x->lat) && !isnan(x->lon);
	if (!isnan(x->distance)) {
		if (!s->device_distance) {
			s->device_distance = true;
			s->device_start = x->distance;
			s->distance_m = 0;
		}
		if (x->distance - s->device_start > s->distance_m)
			s->distance_m = x->distance - s->device_start;
		if (s->have_last_dist)
			moving(s, &s->last_dist, x, x->distance - s->last_dist.distance);
		s->last_dist = *x;
		s->have_last_dist = true;
	}
	if (has_pos) {
		if (s->have_last_pos) {
			double step = distance(s, &s->last_pos, x);
			if (x->time && x->time == s->last_pos.time && step == 0)
				s->repeats++; /* the same point twice */
			int64_t dt = x->time && s->last_pos.time ? x->time - s->last_pos.time : 0;
			if (step > RC_JUMP_MIN_M && dt > 0 && step / (double)dt > RC_JUMP_SPEED && ++s->jump_run < RC_JUMP_RELOCATE) {
				if (s->jump_run == 1)
					s->jumps++;
				if (step > s->longest_jump_m)
					s->longest_jump_m = step;
				return;
			}
			if (s->jump_run >= RC_JUMP_RELOCATE)
				step = 0; /* the receiver moved while it recorded nothing */
			s->jump_run = 0;
			if (!s->device_distance)
				s->distance_m += step;
			if (!s->have_last_dist)
				moving(s, &s->last_pos, x, step);
		}
		s->last_pos = *x;
		s->have_last_pos = true;
	}
}

void rc_summary_sample(void *ctx, const rc_sample *x)
{
	rc_summary_add(ctx, x);
}

void rc_summary_finish(rc_summary *s, const rc_activity_info *info)
{
	/* A watch starts its session before the first recorded point (searching for satellites, a
	 * pool swim's first length): the session's own start wins when it is earlier. */
	if (info->device_start && s->end && info->device_start < s->start && s->end - info->device_start <= 86400 * 2)
		s->start = info->device_start;
}
