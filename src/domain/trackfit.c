/* trackfit.c — a running track fitted to an activity's points as a whole stadium (method in
 * trackfit.h). */
#include "domain/trackfit.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { NP = 5, FIRST_ITERATIONS = 8, ITERATIONS = 40, DENSITY_SAMPLE = 4000 };
/* The laps a fit may take as a track's: a 200 m indoor track's, a 400 m outdoor track's (any lane). */
enum { LAP_200_MIN = 170, LAP_200_MAX = 240, LAP_400_MIN = 370, LAP_400_MAX = 480 };

/* Parameters: centre x, y; the straights' direction; half a straight; radius. */
typedef struct {
	double cx, cy, th, h, r;
	double c, s; /* cos th, sin th: set by trig() whenever th changes */
} stadium;

static void trig(stadium *s)
{
	s->c = cos(s->th);
	s->s = sin(s->th);
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

static double lap_of(const stadium *s)
{
	return 4 * s->h + 2 * M_PI * s->r;
}

/* Signed distance from (x, y) to the stadium (positive outside); its gradient in the parameters when
 * g is given; the phase (counter-clockwise, 0 at the start of the straight below the centre in the
 * stadium's own frame) and whether the nearest part is a bend. */
static double stadium_eval(const stadium *s, double x, double y, double g[NP], double *phase, bool *bend)
{
	double c = s->c, sn = s->s, dx = x - s->cx, dy = y - s->cy;
	double u = dx * c + dy * sn, v = -dx * sn + dy * c;
	double au = fabs(u), su = u < 0 ? -1 : 1, d, du = 0, dv, dh = 0;
	if (au <= s->h) {
		d = fabs(v) - s->r;
		dv = v < 0 ? -1 : 1;
		if (phase)
			*phase = v < 0 ? u + s->h : 2 * s->h + M_PI * s->r + (s->h - u);
		if (bend)
			*bend = false;
	} else {
		double e = au - s->h, rho = sqrt(e * e + v * v);
		d = rho - s->r;
		if (rho > 1e-9) {
			du = su * e / rho;
			dv = v / rho;
			dh = -e / rho;
		} else {
			dv = 0;
		}
		if (phase) {
			if (u > 0) {
				*phase = 2 * s->h + s->r * (atan2(v, e) + M_PI / 2);
			} else {
				double a = atan2(v, -e); /* about the left centre: π/2 at the top, 3π/2 at the bottom */
				if (a < 0)
					a += 2 * M_PI;
				*phase = 4 * s->h + M_PI * s->r + s->r * (a - M_PI / 2);
			}
		}
		if (bend)
			*bend = true;
	}
	if (g) {
		/* du/dcx = -c, du/dcy = -sn, dv/dcx = sn, dv/dcy = -c, du/dth = v, dv/dth = -u */
		g[0] = du * -c + dv * sn;
		g[1] = du * -sn + dv * -c;
		g[2] = du * v + dv * -u;
		g[3] = dh;
		g[4] = -1;
	}
	return d;
}

/* Cumulative distance on bends from phase 0 to an unwrapped phase S. */
static double bend_upto(const stadium *s, double S)
{
	double lap = lap_of(s), half = M_PI * s->r;
	double k = floor(S / lap), p = S - k * lap, b;
	if (p < 2 * s->h)
		b = 0;
	else if (p < 2 * s->h + half)
		b = p - 2 * s->h;
	else if (p < 4 * s->h + half)
		b = half;
	else
		b = half + (p - 4 * s->h - half);
	return k * 2 * half + b;
}

static bool on_bend_at(const stadium *s, double S)
{
	double lap = lap_of(s), p = S - floor(S / lap) * lap, half = M_PI * s->r;
	return (p >= 2 * s->h && p < 2 * s->h + half) || p >= 4 * s->h + half;
}

/* Solves the n×n system a x = b (a symmetric positive definite) by Cholesky; false if singular. */
static bool solve(double a[NP][NP], double b[NP], double x[NP])
{
	double l[NP][NP] = {{0}};
	for (int i = 0; i < NP; i++)
		for (int j = 0; j <= i; j++) {
			double sum = a[i][j];
			for (int k = 0; k < j; k++)
				sum -= l[i][k] * l[j][k];
			if (i == j) {
				if (sum <= 0)
					return false;
				l[i][i] = sqrt(sum);
			} else {
				l[i][j] = sum / l[j][j];
			}
		}
	double y[NP];
	for (int i = 0; i < NP; i++) {
		double sum = b[i];
		for (int k = 0; k < i; k++)
			sum -= l[i][k] * y[k];
		y[i] = sum / l[i][i];
	}
	for (int i = NP - 1; i >= 0; i--) {
		double sum = y[i];
		for (int k = i + 1; k < NP; k++)
			sum -= l[k][i] * x[k];
		x[i] = sum / l[i][i];
	}
	return true;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

enum { SIGMA_SAMPLE = 4001 };

/* The robust spread of the residuals within `gate` metres: 1.4826 × their median absolute value, from
 * an evenly spread sample of at most SIGMA_SAMPLE points. */
static double robust_sigma(const stadium *s, const rc_track_point *p, size_t n, double gate)
{
	double res[SIGMA_SAMPLE];
	size_t step = n / SIGMA_SAMPLE + 1, m = 0;
	for (size_t i = 0; i < n && m < SIGMA_SAMPLE; i += step) {
		double d = fabs(stadium_eval(s, p[i].x, p[i].y, NULL, NULL, NULL));
		if (d < gate)
			res[m++] = d;
	}
	if (m < 10)
		return NAN;
	qsort(res, m, sizeof *res, cmp_double);
	return 1.4826 * res[m / 2];
}

typedef struct {
	double cost, sigma, r_se;
	size_t inliers;
} fit_quality;

/* Iteratively reweighted Gauss–Newton with Tukey's biweight. */
static fit_quality fit(stadium *s, const rc_track_point *p, size_t n, int iterations)
{
	fit_quality q = {INFINITY, NAN, INFINITY, 0};
	double gate = 30;
	/* A long activity is fitted on an even sample of its points: tens of thousands pin the shape
	 * down to centimetres, and the fit's time stays bounded. */
	size_t every = n / RC_TF_FIT_POINTS + 1;
	trig(s);
	for (int it = 0; it < iterations; it++) {
		double sigma = robust_sigma(s, p, n, gate);
		if (isnan(sigma))
			return q;
		/* Points that far from any stadium after a few steps are no track: stop early. */
		if (it >= 6 && sigma > 3 * RC_TF_MAX_SIGMA) {
			q.sigma = sigma;
			return q;
		}
		if (sigma < 0.3)
			sigma = 0.3;
		double c = 4.685 * sigma;
		gate = c > 30 ? 30 : c;
		double a[NP][NP] = {{0}}, b[NP] = {0}, cost = 0;
		size_t inl = 0;
		for (size_t i = 0; i < n; i += every) {
			double g[NP], d = stadium_eval(s, p[i].x, p[i].y, g, NULL, NULL);
			if (fabs(d) >= c) {
				cost += c * c / 6;
				continue;
			}
			double z = d / c, w = (1 - z * z) * (1 - z * z);
			cost += c * c / 6 * (1 - (1 - z * z) * (1 - z * z) * (1 - z * z));
			inl++;
			for (int j = 0; j < NP; j++) {
				b[j] += w * g[j] * d;
				for (int k = 0; k <= j; k++)
					a[j][k] += w * g[j] * g[k];
			}
		}
		for (int j = 0; j < NP; j++)
			for (int k = j + 1; k < NP; k++)
				a[j][k] = a[k][j];
		/* The cost is Tukey's ρ, normalised by the spread so fits of different σ compare. */
		q.cost = cost / (sigma * sigma);
		q.sigma = sigma;
		q.inliers = inl;
		if (inl < 20)
			return q;
		/* The radius' standard error: σ √((JᵀWJ)⁻¹)ᵣᵣ, from the unit vector's solution. */
		double e[NP] = {0, 0, 0, 0, 1}, col[NP];
		double damp[NP][NP];
		memcpy(damp, a, sizeof damp);
		for (int j = 0; j < NP; j++)
			damp[j][j] += 1e-9 * (a[j][j] + 1);
		if (solve(damp, e, col))
			q.r_se = sigma * sqrt(fabs(col[4]));
		double step[NP];
		for (int j = 0; j < NP; j++)
			damp[j][j] += 1e-3 * a[j][j];
		if (!solve(damp, b, step))
			return q;
		/* Steps are capped so a poor start cannot throw the shape away. */
		const double cap[NP] = {10, 10, 0.2, 10, 5};
		double worst = 0;
		for (int j = 0; j < NP; j++) {
			double f = fabs(step[j]) / cap[j];
			worst = f > worst ? f : worst;
		}
		double k = worst > 1 ? 1 / worst : 1;
		s->cx -= k * step[0];
		s->cy -= k * step[1];
		s->th -= k * step[2];
		trig(s);
		s->h -= k * step[3];
		s->r -= k * step[4];
		if (s->h < 0)
			s->h = 0;
		if (s->r < 5)
			s->r = 5;
		if (it > 8 && worst < 1e-4)
			break;
		/* A shape grown to twice the longest track's lap is a road being stretched into a stadium
		 * (a long straight and a small radius fit a straight road well): no track, and the
		 * remaining iterations would only stretch it further. Steps are capped, so a fit this far
		 * out cannot come back to a track's size in the iterations left to matter. */
		if (it >= FIRST_ITERATIONS && lap_of(s) > 2 * LAP_400_MAX) {
			q.cost = INFINITY;
			return q;
		}
	}
	return q;
}

/* The densest place: of up to RC_TF_CANDIDATES points along the path, the one with the most points
 * (of a sample) within 100 m, then mean-shifted to the centre of what is around it. */
static void densest(const rc_track_point *p, size_t n, double *cx, double *cy)
{
	const double w2 = 100.0 * 100.0;
	size_t cstep = n / RC_TF_CANDIDATES + 1, pstep = n / DENSITY_SAMPLE + 1, best_n = 0;
	*cx = p[0].x, *cy = p[0].y;
	for (size_t i = 0; i < n; i += cstep) {
		size_t cnt = 0;
		for (size_t j = 0; j < n; j += pstep) {
			double dx = p[j].x - p[i].x, dy = p[j].y - p[i].y;
			cnt += dx * dx + dy * dy < w2;
		}
		if (cnt > best_n) {
			best_n = cnt;
			*cx = p[i].x, *cy = p[i].y;
		}
	}
	for (int it = 0; it < 10; it++) {
		double sx = 0, sy = 0;
		size_t cnt = 0;
		for (size_t j = 0; j < n; j += pstep) {
			double dx = p[j].x - *cx, dy = p[j].y - *cy;
			if (dx * dx + dy * dy < w2) {
				sx += p[j].x, sy += p[j].y;
				cnt++;
			}
		}
		if (!cnt)
			return;
		*cx = sx / (double)cnt, *cy = sy / (double)cnt;
	}
}

/* The principal axis of the points within 100 m of (cx, cy). */
static double axis(const rc_track_point *p, size_t n, double cx, double cy)
{
	double sxx = 0, syy = 0, sxy = 0;
	for (size_t j = 0; j < n; j++) {
		double dx = p[j].x - cx, dy = p[j].y - cy;
		if (dx * dx + dy * dy < 100.0 * 100.0) {
			sxx += dx * dx, syy += dy * dy, sxy += dx * dy;
		}
	}
	return 0.5 * atan2(2 * sxy, sxx - syy);
}

double rc_track_phase(const rc_track *t, double x, double y, double *dist, bool *on_bend)
{
	stadium s = {t->cx, t->cy, t->angle, t->straight_m / 2, t->radius_m, 0, 0};
	trig(&s);
	double ph = 0;
	double d = stadium_eval(&s, x, y, NULL, &ph, on_bend);
	if (dist)
		*dist = d;
	return ph;
}

typedef struct {
	const stadium *s;
	rc_track *t;
	double ccw, cw, S, w_start_S;
	double seg_S0, before; /* the stretch's first phase; distance run on the track before it */
} walk;

/* Lap ends: whenever the distance run along the track passes another whole lap, its time (between
 * the two points either side). */
static void lap_ends(walk *w, double lap, double prev_cum, int32_t t0, int32_t t1)
{
	double cum = w->before + fabs(w->S - w->seg_S0);
	rc_track *t = w->t;
	while (t->nlap_ends < RC_TF_MAX_LAPS && cum >= (t->nlap_ends + 1) * lap) {
		double at = (t->nlap_ends + 1) * lap, f = cum > prev_cum ? (at - prev_cum) / (cum - prev_cum) : 1;
		if (f < 0)
			f = 0;
		t->lap_end_t[t->nlap_ends++] = (int32_t)lround(t0 + f * (double)(t1 - t0));
	}
}

/* A window of the recording ends: its net change in phase is distance run, one way or the other. */
static void flush(walk *w)
{
	double net = w->S - w->w_start_S;
	/* Standing still, jitter alone moves the phase a few metres either way. */
	if (fabs(net) >= 8) {
		if (net > 0)
			w->ccw += net;
		else
			w->cw -= net;
		w->t->bend_distance_m += fabs(bend_upto(w->s, w->S) - bend_upto(w->s, w->w_start_S));
	}
	w->w_start_S = w->S;
}

/* What was run along the fitted shape (see trackfit.h). */
static void measure(const stadium *s, double sigma, const rc_track_point *p, size_t n, rc_track *t, double *ccw,
                    double *cw, int *min_visits)
{
	double lap = lap_of(s), band = 3 * sigma > 6 ? 3 * sigma : 6;
	int visits[RC_TF_BINS] = {0}, last_bin = -1;
	bool in_seg = false;
	walk w = {s, t, 0, 0, 0, 0, 0, 0};
	double prev_ph = 0, last_d = 0;
	int32_t prev_t = 0, w_start_t = 0;
	size_t prev_i = 0, w_start_i = 0;
	for (size_t i = 0; i < n; i++) {
		double ph, d = stadium_eval(s, p[i].x, p[i].y, NULL, &ph, NULL);
		if (fabs(d) > band)
			continue;
		int bin = (int)(ph / lap * RC_TF_BINS);
		bin = bin < 0 ? 0 : bin >= RC_TF_BINS ? RC_TF_BINS - 1 : bin;
		if (bin != last_bin)
			visits[bin]++;
		last_bin = bin;
		bool timed = p[i].t != RC_TF_NO_TIME;
		bool joined = in_seg && (timed ? p[i].t - prev_t <= RC_TF_GAP_S && p[i].t >= prev_t : i - prev_i <= 10);
		double dph = ph - prev_ph;
		dph -= lap * floor(dph / lap + 0.5);
		/* Along the track, the phase moves about as far as the runner did: a bigger change is a way
		 * across the infield or a road through the shape, which starts a new stretch. */
		if (joined && fabs(dph) > sqrt((double)(p[i].x - p[prev_i].x) * (p[i].x - p[prev_i].x) +
		                               (double)(p[i].y - p[prev_i].y) * (p[i].y - p[prev_i].y)) + 2 * band)
			joined = false;
		if (!joined) {
			if (in_seg) {
				flush(&w);
				w.before += fabs(w.S - w.seg_S0);
			}
			in_seg = true;
			w.S = w.w_start_S = w.seg_S0 = ph;
			w_start_t = p[i].t;
			w_start_i = i;
		} else {
			double mid = w.S + dph / 2, prev_cum = w.before + fabs(w.S - w.seg_S0);
			w.S += dph;
			if (timed)
				lap_ends(&w, lap, prev_cum, prev_t, p[i].t);
			if (timed) {
				t->time_s += p[i].t - prev_t;
				if (on_bend_at(s, mid))
					t->bend_time_s += p[i].t - prev_t;
			}
			t->raw_distance_m += p[i].d - last_d;
			if (timed ? p[i].t - w_start_t >= RC_TF_WINDOW_S : i - w_start_i >= 10) {
				flush(&w);
				w_start_t = p[i].t;
				w_start_i = i;
			}
		}
		prev_ph = ph;
		prev_t = p[i].t;
		prev_i = i;
		last_d = p[i].d;
	}
	if (in_seg)
		flush(&w);
	*ccw = w.ccw;
	*cw = w.cw;
	*min_visits = visits[0];
	for (int b = 1; b < RC_TF_BINS; b++)
		*min_visits = visits[b] < *min_visits ? visits[b] : *min_visits;
}

void rc_trackfit(const rc_track_point *p, size_t n, rc_track *out)
{
	memset(out, 0, sizeof *out);
	if (n < 100)
		return;
	double cx, cy;
	densest(p, n, &cx, &cy);
	double th = axis(p, n, cx, cy);
	/* Started from a 400 m and from a 200 m track. */
	const double starts[][2] = {{RC_TF_STD_STRAIGHT / 2, RC_TF_STD_KERB_R + 0.3}, {17.5, 17.5}};
	stadium best = {0};
	fit_quality bq = {INFINITY, NAN, INFINITY, 0};
	for (size_t k = 0; k < sizeof starts / sizeof starts[0]; k++) {
		stadium s = {cx, cy, th, starts[k][0], starts[k][1], 0, 0};
		fit_quality q = fit(&s, p, n, FIRST_ITERATIONS);
		if (q.inliers >= 20 && q.cost < bq.cost) {
			bq = q;
			best = s;
		}
	}
	if (isinf(bq.cost) || isnan(bq.sigma) || bq.sigma > 3 * RC_TF_MAX_SIGMA)
		return;
	/* The better start goes on to convergence. */
	bq = fit(&best, p, n, ITERATIONS);
	if (isinf(bq.cost) || isnan(bq.sigma))
		return;
	double lap = lap_of(&best);
	int size = lap >= LAP_200_MIN && lap <= LAP_200_MAX ? 200 : lap >= LAP_400_MIN && lap <= LAP_400_MAX ? 400 : 0;
	if (!size || best.r < 12 || best.r > 60 || bq.sigma > RC_TF_MAX_SIGMA)
		return;
	rc_track t = {0};
	double ccw, cw;
	int min_visits;
	measure(&best, bq.sigma, p, n, &t, &ccw, &cw, &min_visits);
	double run = ccw + cw;
	if (run / lap < RC_TF_MIN_LAPS || min_visits < 2)
		return;
	t.found = true;
	t.size_m = size;
	t.radius_m = best.r;
	t.straight_m = 2 * best.h;
	t.lap_m = lap;
	t.laps = run / lap;
	t.bends = (int)lround(t.laps * 2);
	t.distance_m = run;
	t.direction = ccw >= 0.9 * run ? RC_DIR_CCW : cw >= 0.9 * run ? RC_DIR_CW : RC_DIR_MIXED;
	t.sigma_m = bq.sigma;
	t.radius_se_m = bq.r_se;
	t.cx = best.cx;
	t.cy = best.cy;
	t.angle = best.th;
	if (size == 400 && fabs(t.straight_m - RC_TF_STD_STRAIGHT) <= RC_TF_STRAIGHT_TOL && bq.r_se <= RC_TF_LANE_SE) {
		/* Each lane's line of running: 0.30 m outside the kerb in lane 1, 0.20 m outside its inner
		 * line in the others; the nearest one, if the radius is within a lane of the track. */
		double lane = (best.r - RC_TF_STD_KERB_R - 0.25) / RC_TF_LANE_W + 1;
		if (lane > 0.4 && lane < 9.5)
			t.lane = lane < 1 ? 1 : (int)lround(lane);
	}
	*out = t;
}
