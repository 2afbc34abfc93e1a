/* analysis.c — track, hill and speed exposure of one activity, streamed (method in analysis.h). */
#include "domain/analysis.h"

#include <math.h>
#include <string.h>

void rc_analysis_init(rc_analysis *a)
{
	memset(a, 0, sizeof *a);
	rc_summary_init(&a->sum);
}

const char *rc_direction_name(rc_direction d)
{
	switch (d) {
	case RC_DIR_CCW: return "counter-clockwise";
	case RC_DIR_CW: return "clockwise";
	case RC_DIR_MIXED: return "mixed";
	default: return "";
	}
}

#define AT(a, k) ((a)->ring[(k) % RC_AN_RING])

static void count_bend(rc_analysis *a, int sign, double angle, double len, double end_d)
{
	if (a->track.bends == 0)
		a->span_start = end_d - len;
	a->span_end = end_d;
	a->track.bends++;
	a->track.bend_distance_m += len;
	if (sign > 0)
		a->turn_ccw += angle;
	else
		a->turn_cw += angle;
}

/* A run of same-side turning has ended: is it a track bend, and is it next to another one? */
static void close_bend(rc_analysis *a)
{
	int sign = a->ep_sign;
	/* The chord's heading starts turning when its leading point enters the bend and stops when its
	 * trailing point leaves: the run is longer than the bend by the chord. */
	double step = a->ep_steps ? a->ep_len / a->ep_steps : 0;
	double angle = a->ep_angle, len = a->ep_len - RC_AN_CHORD * step, start = a->ep_start_d;
	a->ep_sign = 0;
	a->ep_angle = a->ep_len = 0;
	a->ep_quiet = a->ep_steps = 0;
	if (len <= 0)
		return;
	if (angle < RC_AN_BEND_MIN_ANGLE || angle > RC_AN_BEND_MAX_ANGLE)
		return;
	double r = len / angle;
	if (r < RC_AN_BEND_MIN_R || r > RC_AN_BEND_MAX_R)
		return;
	bool confirmed = a->prev_bend && a->prev_sign == sign && start - a->prev_end_d >= 0 &&
	                 start - a->prev_end_d <= RC_AN_TRACK_STRAIGHT_M;
	if (confirmed) {
		if (!a->prev_counted)
			count_bend(a, a->prev_sign, a->prev_angle, a->prev_len, a->prev_end_d);
		count_bend(a, sign, angle, len, start + len);
	}
	a->prev_bend = true;
	a->prev_counted = confirmed;
	a->prev_sign = sign;
	a->prev_end_d = start + len;
	a->prev_angle = angle;
	a->prev_len = len;
}

static void turn_step(rc_analysis *a, double turn, double len, double at_d)
{
	double k = fabs(turn) / len;
	int sign = turn > 0 ? 1 : -1;
	bool bending = k >= 1.0 / RC_AN_BEND_MAX_R && k <= 1.0 / RC_AN_BEND_MIN_R;
	if (bending && (a->ep_sign == 0 || sign == a->ep_sign)) {
		if (a->ep_sign == 0) {
			a->ep_sign = sign;
			a->ep_start_d = at_d - len;
		}
		a->ep_angle += fabs(turn);
		a->ep_len += len;
		a->ep_steps++;
		a->ep_quiet = 0;
		return;
	}
	if (a->ep_sign != 0 && a->ep_quiet < RC_AN_QUIET && !(bending && sign != a->ep_sign)) {
		/* One step of GPS jitter does not end a bend. */
		a->ep_quiet++;
		a->ep_angle += turn * a->ep_sign;
		a->ep_len += len;
		a->ep_steps++;
		return;
	}
	if (a->ep_sign != 0)
		close_bend(a);
	if (bending) {
		a->ep_sign = sign;
		a->ep_start_d = at_d - len;
		a->ep_angle = fabs(turn);
		a->ep_len = len;
		a->ep_steps = 1;
	}
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
	if (n < RC_AN_CHORD + 1)
		return;
	double h = atan2(y - AT(a, n - 1 - RC_AN_CHORD).y, x - AT(a, n - 1 - RC_AN_CHORD).x);
	if (a->have_heading) {
		double turn = h - a->heading;
		while (turn > M_PI)
			turn -= 2 * M_PI;
		while (turn < -M_PI)
			turn += 2 * M_PI;
		turn_step(a, turn, len, a->path_m);
	}
	a->heading = h;
	a->have_heading = true;
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
	if (a->nring > 0 && hypot(px - AT(a, a->nring - 1).x, py - AT(a, a->nring - 1).y) < RC_AN_STEP_M)
		return;
	/* A jump of more than a kilometre between points is a gap in the recording, not a path. */
	if (a->nring > 0 && hypot(px - AT(a, a->nring - 1).x, py - AT(a, a->nring - 1).y) > 1000) {
		if (a->ep_sign)
			close_bend(a);
		a->nring = 0;
		a->have_heading = false;
		a->prev_bend = false;
	}
	thinned_point(a, px, py, x->ele, x->time);
}

void rc_analysis_sample(void *ctx, const rc_sample *x)
{
	rc_analysis_add(ctx, x);
}

void rc_analysis_finish(rc_analysis *a, const rc_activity_info *info)
{
	rc_summary_finish(&a->sum, info);
	if (a->ep_sign)
		close_bend(a);
	rc_track *t = &a->track;
	double turned = a->turn_ccw + a->turn_cw;
	if (t->bends >= RC_AN_TRACK_MIN_BENDS && turned > 0) {
		t->found = true;
		t->radius_m = t->bend_distance_m / turned;
		t->size_m = t->radius_m >= 25 ? 400 : 200;
		/* GPS jitter hides a bend now and then, so laps come from the distance run between the first
		 * and the last bend (plus the straight before the first), over the lap length; the distance
		 * on bends follows from the laps and the radius. */
		double straight = t->size_m / 2.0 - M_PI * t->radius_m;
		double laps = (a->span_end - a->span_start + (straight > 0 ? straight : 0)) / t->size_m;
		t->laps = laps > turned / (2 * M_PI) ? laps : turned / (2 * M_PI);
		t->bend_distance_m = t->laps * 2 * M_PI * t->radius_m;
		double ccw = a->turn_ccw / turned;
		t->direction = ccw >= 0.9 ? RC_DIR_CCW : ccw <= 0.1 ? RC_DIR_CW : RC_DIR_MIXED;
	} else {
		memset(t, 0, sizeof *t);
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
