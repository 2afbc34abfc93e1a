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

void rc_summary_add(rc_summary *s, const rc_sample *x)
{
	s->points++;
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
	if (!isnan(x->distance)) {
		if (!s->device_distance) {
			s->device_distance = true;
			s->device_start = x->distance;
			s->distance_m = 0;
		}
		if (x->distance - s->device_start > s->distance_m)
			s->distance_m = x->distance - s->device_start;
	}
	if (!isnan(x->ele)) {
		if (!s->have_ref) {
			s->ele_ref = x->ele;
			s->have_ref = true;
		} else if (x->ele - s->ele_ref >= RC_ELEVATION_HYSTERESIS) {
			s->gain_m += x->ele - s->ele_ref;
			s->ele_ref = x->ele;
		} else if (s->ele_ref - x->ele >= RC_ELEVATION_HYSTERESIS) {
			s->loss_m += s->ele_ref - x->ele;
			s->ele_ref = x->ele;
		}
	}
	if (s->have_last) {
		const rc_sample *p = &s->last;
		double step = NAN;
		if (!isnan(x->distance) && !isnan(p->distance))
			step = x->distance - p->distance;
		else if (!isnan(x->lat) && !isnan(p->lat) && !isnan(x->lon) && !isnan(p->lon))
			step = haversine(p->lat, p->lon, x->lat, x->lon);
		if (!s->device_distance && !isnan(step))
			s->distance_m += step;
		int64_t dt = x->time && p->time ? x->time - p->time : 0;
		if (dt > 0 && dt <= RC_MOVING_GAP_S && !isnan(step) && step / (double)dt >= RC_MOVING_SPEED)
			s->moving_s += (double)dt;
	}
	s->last = *x;
	s->have_last = true;
}

void rc_summary_sample(void *ctx, const rc_sample *x)
{
	rc_summary_add(ctx, x);
}
