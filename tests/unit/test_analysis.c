/* test_analysis.c — track, hill and fast-running detection on generated activities with known
 * answers: a 400 m track counter-clockwise and a 200 m indoor track clockwise (with GPS noise), a road
 * run with corners and a roundabout (no track), a hill repeat session, and intervals; and (issue 18)
 * generated track sessions with known geometry at several noise levels, with drift and watch smoothing,
 * in lanes 1 and 4 and indoors, both ways round: radius within 2 m, laps within 1, distance and time on
 * bends within 5%, the direction and the lane right; GPS noise and jumps add no length; a block run is no
 * track. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "domain/analysis.h"

static const double LAT0 = 51.5, LON0 = -0.1, M = 6371008.8 * M_PI / 180.0;
static uint32_t seed = 12345;

/* Deterministic noise in [-amp, amp]. */
static double noise(double amp)
{
	seed = seed * 1103515245u + 12345u;
	return amp * (((double)((seed >> 8) & 0xFFFF) / 65535.0) * 2 - 1);
}

static void point(rc_analysis *a, double x, double y, double ele, int64_t t, double gps)
{
	rc_sample s = {t, LAT0 + (y + noise(gps)) / M, LON0 + (x + noise(gps)) / (M * cos(LAT0 * M_PI / 180)), ele,
	               NAN, NAN, NAN};
	rc_analysis_add(a, &s);
}

/* Position s metres into a lap of a track with straights of `straight` m and bends of radius r,
 * run counter-clockwise (ccw) or clockwise. */
static void track_xy(double s, double straight, double r, bool ccw, double *x, double *y)
{
	double bend = M_PI * r, lap = 2 * straight + 2 * bend;
	s = fmod(s, lap);
	if (s < straight) {
		*x = s, *y = -r;
	} else if (s < straight + bend) {
		double th = -M_PI / 2 + (s - straight) / r;
		*x = straight + r * cos(th), *y = r * sin(th);
	} else if (s < 2 * straight + bend) {
		*x = straight - (s - straight - bend), *y = r;
	} else {
		double th = M_PI / 2 + (s - 2 * straight - bend) / r;
		*x = r * cos(th), *y = r * sin(th);
	}
	if (!ccw)
		*y = -*y;
}

static void run_track(rc_analysis *a, double straight, double r, bool ccw, double laps, double speed)
{
	double lap = 2 * straight + 2 * M_PI * r;
	int64_t t0 = 1790000000;
	for (int i = 0; i * speed <= laps * lap; i++) {
		double x, y;
		track_xy(i * speed, straight, r, ccw, &x, &y);
		point(a, x, y, 20, t0 + i, 1.5);
	}
}

static void outdoor_track_counter_clockwise(void **state)
{
	(void)state;
	static rc_analysis a;
	rc_analysis_init(&a);
	run_track(&a, 84.39, 36.5, true, 10, 4.0);
	rc_analysis_finish(&a, &(rc_activity_info){0});
	assert_true(a.track.found);
	assert_int_equal(a.track.size_m, 400);
	assert_int_equal(a.track.direction, RC_DIR_CCW);
	if (fabs(a.track.laps - 10) > 1.0 || fabs(a.track.radius_m - 36.5) > 6 ||
	    fabs(a.track.bend_distance_m - 10 * 2 * M_PI * 36.5) > 0.2 * 10 * 2 * M_PI * 36.5)
		fail_msg("laps %.2f radius %.1f bends %.0f m", a.track.laps, a.track.radius_m, a.track.bend_distance_m);
	assert_true(fabs(a.sum.distance_m - 4000) < 200);
}

static void indoor_track_clockwise(void **state)
{
	(void)state;
	static rc_analysis a;
	rc_analysis_init(&a);
	run_track(&a, 43.0, 18.0, false, 12, 3.5);
	rc_analysis_finish(&a, &(rc_activity_info){0});
	assert_true(a.track.found);
	assert_int_equal(a.track.size_m, 200);
	assert_int_equal(a.track.direction, RC_DIR_CW);
	if (fabs(a.track.laps - 12) > 1.5 || fabs(a.track.radius_m - 18) > 5)
		fail_msg("laps %.2f radius %.1f bends %d", a.track.laps, a.track.radius_m, a.track.bends);
}

static void mixed_directions(void **state)
{
	(void)state;
	static rc_analysis a;
	rc_analysis_init(&a);
	run_track(&a, 84.39, 36.5, true, 4, 4.0);
	/* then four laps the other way (a new recording would do the same; here, the same file) */
	int64_t t0 = 1790010000;
	for (int i = 0; i * 4.0 <= 4 * 400.0; i++) {
		double x, y;
		track_xy(i * 4.0, 84.39, 36.5, false, &x, &y);
		point(&a, x, y, 20, t0 + i, 1.0);
	}
	rc_analysis_finish(&a, &(rc_activity_info){0});
	assert_true(a.track.found);
	assert_int_equal(a.track.direction, RC_DIR_MIXED);
}

/* A road loop: 500 m straights with square corners, out and back through a roundabout
 * (radius 15 m, 270° around it). Nothing here is a track. */
static void road_run_is_not_a_track(void **state)
{
	(void)state;
	static rc_analysis a;
	rc_analysis_init(&a);
	int64_t t = 1790000000;
	double x = 0, y = 0;
	for (int lap = 0; lap < 3; lap++) {
		const double dx[] = {1, 0, -1, 0}, dy[] = {0, 1, 0, -1};
		for (int side = 0; side < 4; side++)
			for (int i = 0; i < 150; i++) {
				x += dx[side] * 3.4, y += dy[side] * 3.4;
				point(&a, x, y, 30, t++, 1.5);
			}
		/* a roundabout: three quarters round, radius 15 m */
		double cx = x, cy = y + 15;
		for (double th = -M_PI / 2; th < M_PI; th += 3.4 / 15)
			point(&a, cx + 15 * cos(th), cy + 15 * sin(th), 30, t++, 1.5);
	}
	rc_analysis_finish(&a, &(rc_activity_info){0});
	assert_false(a.track.found);
	assert_true(a.sum.distance_m > 5000);
}

/* Hill repeats: 400 m at 6% up (at 3 m/s), 400 m down (at 4 m/s), five times, on a straight road. */
static void hill_repeats(void **state)
{
	(void)state;
	static rc_analysis a;
	rc_analysis_init(&a);
	int64_t t = 1790000000;
	double x = 0, ele = 50;
	for (int rep = 0; rep < 5; rep++) {
		for (int i = 0; i < 134; i++, t++) {
			x += 3.0, ele += 3.0 * 0.06;
			point(&a, x, 0, ele + noise(0.3), t, 1.0);
		}
		for (int i = 0; i < 100; i++, t++) {
			x -= 4.0, ele -= 4.0 * 0.06;
			point(&a, x, 0, ele + noise(0.3), t, 1.0);
		}
	}
	rc_analysis_finish(&a, &(rc_activity_info){0});
	/* 5 × 134 s uphill; the grade window lags each climb by about 50 m. */
	if (a.uphill_s < 5 * 134 * 0.75 || a.uphill_s > 5 * 134 * 1.05)
		fail_msg("uphill %.0f s", a.uphill_s);
	assert_true(fabs(a.sum.gain_m - 5 * 24) < 15);
	assert_false(a.track.found);
}

/* Intervals: 10 min easy at 3 m/s, 6 × (2 min at 4.5 m/s, 2 min at 2.8 m/s), 10 min easy. */
static void fast_running(void **state)
{
	(void)state;
	static rc_analysis a;
	rc_analysis_init(&a);
	int64_t t = 1790000000;
	double x = 0;
	for (int i = 0; i < 600; i++)
		point(&a, x += 3.0, 0, 10, t++, 0.3);
	for (int rep = 0; rep < 6; rep++) {
		for (int i = 0; i < 120; i++)
			point(&a, x += 4.5, 0, 10, t++, 0.3);
		for (int i = 0; i < 120; i++)
			point(&a, x += 2.8, 0, 10, t++, 0.3);
	}
	for (int i = 0; i < 600; i++)
		point(&a, x += 3.0, 0, 10, t++, 0.3);
	rc_analysis_finish(&a, &(rc_activity_info){0});
	if (fabs(a.fast_s - 720) > 60)
		fail_msg("fast %.0f s, median speed %.2f", a.fast_s, a.median_speed);
	assert_true(a.uphill_s == 0);
}


/* Generated track sessions with known truth (issue 18): Gaussian GPS noise of σ metres, optional slow
 * drift (a random offset wandering by about `drift` metres), optional watch smoothing (a 5-point moving
 * average), a warm-up jog from 600 m away, the track turned and placed anywhere. */
typedef struct {
	const char *name;
	double straight, r, laps, sigma, drift, speed, angle;
	bool ccw, smooth;
	int lane, size;
} session;

static double gauss(void)
{
	double u1 = (noise(0.5) + 0.5 + 1e-9), u2 = noise(0.5) + 0.5;
	return sqrt(-2 * log(u1 > 1 ? 1 : u1)) * cos(2 * M_PI * u2);
}

typedef struct {
	double laps, bend_m, run_m, bend_s;
} truth;

static truth run_session(rc_analysis *a, const session *se)
{
	truth tr = {0};
	double lap = 2 * se->straight + 2 * M_PI * se->r, c = cos(se->angle), sn = sin(se->angle);
	const double ox = 600, oy = 250;
	int64_t t = 1790000000;
	double dx = 0, dy = 0, hx[5] = {0}, hy[5] = {0};
	int nh = 0;
	/* the warm-up: along a road to a point 30 m outside the middle of the first straight, then straight
	 * across onto it */
	double side = se->ccw ? -1 : 1, mx = se->straight / 2, my = side * (se->r + 30);
	double gx = ox + mx * c - my * sn, gy = oy + mx * sn + my * c, wlen = hypot(gx, gy);
	double total = wlen + 30 + se->laps * lap;
	for (double s = 0; s <= total; s += se->speed, t++) {
		double x, y;
		if (s < wlen) {
			x = gx * s / wlen, y = gy * s / wlen;
		} else if (s < wlen + 30) {
			double lx = mx, ly = side * (se->r + 30 - (s - wlen));
			x = ox + lx * c - ly * sn, y = oy + lx * sn + ly * c;
		} else {
			double ts = s - wlen - 30 + se->straight / 2, lx, ly;
			track_xy(ts, se->straight, se->r, se->ccw, &lx, &ly);
			x = ox + lx * c - ly * sn, y = oy + lx * sn + ly * c;
			double ps = fmod(ts, lap);
			bool bend = (ps >= se->straight && ps < se->straight + M_PI * se->r) || ps >= 2 * se->straight + M_PI * se->r;
			if (bend) {
				tr.bend_m += se->speed;
				tr.bend_s += 1;
			}
		}
		if (se->drift > 0) {
			/* an Ornstein–Uhlenbeck wander: stationary spread `drift` metres, minutes long */
			const double keep = 0.995;
			dx = keep * dx + se->drift * sqrt(1 - keep * keep) * gauss();
			dy = keep * dy + se->drift * sqrt(1 - keep * keep) * gauss();
		}
		double px = x + dx + se->sigma * gauss(), py = y + dy + se->sigma * gauss();
		if (se->smooth) {
			hx[nh % 5] = px, hy[nh % 5] = py;
			nh++;
			if (nh >= 5) {
				px = py = 0;
				for (int k = 0; k < 5; k++)
					px += hx[k] / 5, py += hy[k] / 5;
			}
		}
		rc_sample smp = {t, LAT0 + py / M, LON0 + px / (M * cos(LAT0 * M_PI / 180)), 20, NAN, NAN, NAN};
		rc_analysis_add(a, &smp);
	}
	tr.laps = se->laps;
	tr.run_m = se->laps * lap;
	return tr;
}

static void generated_track_sessions_with_known_truth(void **state)
{
	(void)state;
	static const session cases[] = {
		{"lane 1, σ 0.4 m", 84.39, 36.5, 12, 0.4, 0, 4.0, 0.3, true, false, 1, 400},
		{"lane 1, σ 1 m", 84.39, 36.5, 12, 1.0, 0, 4.0, 1.1, true, false, 1, 400},
		{"lane 1, σ 2 m", 84.39, 36.5, 10, 2.0, 0, 4.5, 2.0, true, false, 1, 400},
		{"lane 1, σ 3 m", 84.39, 36.5, 10, 3.0, 0, 4.0, -0.7, true, false, 0, 400},
		{"lane 1, σ 3 m, drift 3 m", 84.39, 36.5, 12, 3.0, 3.0, 4.0, 0.9, true, false, 0, 400},
		{"lane 1, σ 2.5 m, clockwise", 84.39, 36.5, 10, 2.5, 0, 4.0, 0.2, false, false, 0, 400},
		{"lane 4, σ 0.4 m", 84.39, 40.16, 12, 0.4, 0, 4.0, 1.4, true, false, 4, 400},
		{"lane 4, σ 1 m, clockwise", 84.39, 40.16, 12, 1.0, 0, 4.2, 0.5, false, false, 4, 400},
		{"lane 4, σ 3 m, drift 2 m", 84.39, 40.16, 12, 3.0, 2.0, 4.0, 2.8, true, false, 0, 400},
		{"lane 1, σ 2 m, watch smoothing", 84.39, 36.5, 12, 2.0, 1.0, 4.0, 0.0, true, true, 0, 400},
		{"indoor 200 m, 20 laps, σ 0.4 m", 45.0, 17.5, 20, 0.4, 0, 3.5, 0.4, true, false, 0, 200},
		{"indoor 200 m, 20 laps, σ 2 m, clockwise", 45.0, 17.5, 20, 2.0, 0, 3.5, 1.9, false, false, 0, 200},
		{"indoor 200 m, 20 laps, σ 3 m", 45.0, 17.5, 20, 3.0, 1.0, 3.5, -1.2, true, false, 0, 200},
	};
	int failures = 0;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const session *se = &cases[i];
		static rc_analysis a;
		rc_analysis_init(&a);
		seed = 777 + (uint32_t)i;
		truth tr = run_session(&a, se);
		rc_analysis_finish(&a, &(rc_activity_info){0});
		const rc_track *k = &a.track;
		bool ok = k->found && k->size_m == se->size && fabs(k->radius_m - se->r) <= 2 &&
		          fabs(k->laps - tr.laps) <= 1 && fabs(k->bend_distance_m - tr.bend_m) <= 0.05 * tr.bend_m &&
		          k->direction == (se->ccw ? RC_DIR_CCW : RC_DIR_CW) && (!se->lane || k->lane == se->lane) &&
		          fabs(k->bend_time_s - tr.bend_s) <= 0.05 * tr.bend_s &&
		          fabs(k->distance_m - tr.run_m) <= 0.03 * tr.run_m;
		print_message("%-40s %s: r %.2f (%.2f) laps %.2f (%.1f) bends %.0f m (%.0f) %.0f s (%.0f) lane %d (%d) "
		              "on track %.0f m (%.0f) σ %.2f se %.2f straight %.1f\n",
		              se->name, ok ? "ok" : "WRONG", k->radius_m, se->r, k->laps, tr.laps, k->bend_distance_m,
		              tr.bend_m, k->bend_time_s, tr.bend_s, k->lane, se->lane, k->distance_m, tr.run_m, k->sigma_m,
		              k->radius_se_m, k->straight_m);
		failures += !ok;
	}
	assert_int_equal(failures, 0);
}

/* 10 laps of a 400 m track with 2.5 m of GPS noise read as 5.5 km before the fit (issue 18); and a
 * teleport (a few points 800 m away) adds nothing either. */
static void noise_and_teleports_add_no_length(void **state)
{
	(void)state;
	static rc_analysis a;
	rc_analysis_init(&a);
	double lap = 2 * 84.39 + 2 * M_PI * 36.5;
	int64_t t0 = 1790000000;
	seed = 99;
	for (int i = 0; i * 4.0 <= 10 * lap; i++) {
		double x, y;
		track_xy(i * 4.0, 84.39, 36.5, true, &x, &y);
		if (i % 250 == 100)
			x += 800; /* a GPS jump for one point */
		rc_sample s = {t0 + i, LAT0 + (y + 2.5 * gauss()) / M,
		               LON0 + (x + 2.5 * gauss()) / (M * cos(LAT0 * M_PI / 180)), 20, NAN, NAN, NAN};
		rc_analysis_add(&a, &s);
	}
	rc_analysis_finish(&a, &(rc_activity_info){0});
	assert_true(a.track.found);
	if (fabs(a.sum.distance_m - 10 * lap) > 0.02 * 10 * lap || fabs(a.track.laps - 10) > 0.3)
		fail_msg("distance %.0f m, laps %.2f", a.sum.distance_m, a.track.laps);
}

/* A long road run that loops back past the start many times, and a 2 km square loop: no track. */
static void loops_are_not_a_track(void **state)
{
	(void)state;
	static rc_analysis a;
	rc_analysis_init(&a);
	int64_t t = 1790000000;
	seed = 5;
	/* out-and-back laps of a 300 m × 60 m block: straights, but square corners */
	for (int lap = 0; lap < 12; lap++) {
		const double cx[] = {0, 300, 300, 0, 0}, cy[] = {0, 0, 60, 60, 0};
		for (int side = 0; side < 4; side++) {
			double len = hypot(cx[side + 1] - cx[side], cy[side + 1] - cy[side]);
			for (double s = 0; s < len; s += 3.5, t++) {
				double x = cx[side] + (cx[side + 1] - cx[side]) * s / len + 2 * gauss();
				double y = cy[side] + (cy[side + 1] - cy[side]) * s / len + 2 * gauss();
				rc_sample smp = {t, LAT0 + y / M, LON0 + x / (M * cos(LAT0 * M_PI / 180)), 20, NAN, NAN, NAN};
				rc_analysis_add(&a, &smp);
			}
		}
	}
	rc_analysis_finish(&a, &(rc_activity_info){0});
	if (a.track.found)
		fail_msg("a block run read as a %d m track: r %.1f, straight %.1f, σ %.2f", a.track.size_m, a.track.radius_m,
		         a.track.straight_m, a.track.sigma_m);
}

/* Bad input, each with its named warning: a pause, GPS jumps (which add no distance), points recorded
 * twice, and a 20-hour activity. */
static void odd_recordings_are_named(void **state)
{
	(void)state;
	static rc_analysis a;
	rc_analysis_init(&a);
	int64_t t = 1790000000;
	double x = 0;
	for (int i = 0; i < 1200; i++, t++) {
		x += 3.0;
		double px = x;
		if (i == 300 || i == 700)
			px += 2000; /* a teleport */
		if (i == 500)
			t += 600; /* ten minutes paused */
		rc_sample s = {t, LAT0, LON0 + px / (M * cos(LAT0 * M_PI / 180)), 10, NAN, NAN, NAN};
		rc_analysis_add(&a, &s);
		if (i % 100 == 50)
			rc_analysis_add(&a, &s); /* the same point again */
	}
	/* the watch left running for 20 hours, still */
	rc_sample last = {t + 20 * 3600, LAT0, LON0 + x / (M * cos(LAT0 * M_PI / 180)), 10, NAN, NAN, NAN};
	rc_analysis_add(&a, &last);
	rc_analysis_finish(&a, &(rc_activity_info){0});
	if (fabs(a.sum.distance_m - 3600) > 40)
		fail_msg("distance %.0f m: the jumps were counted", a.sum.distance_m);
	const char *want[] = {"GPS jumps: 2 points", "pauses: the recording stopped 2 times", "duplicate points: 12",
	                      "a very long activity"};
	for (size_t k = 0; k < sizeof want / sizeof want[0]; k++) {
		bool found = false;
		for (int i = 0; i < a.nwarnings; i++)
			found |= strncmp(a.warnings[i], want[k], strlen(want[k])) == 0;
		if (!found)
			fail_msg("no warning '%s' (%d warnings, first '%s')", want[k], a.nwarnings, a.nwarnings ? a.warnings[0] : "");
	}
}

/* The page's points stay within their cap and spread over the whole activity; kilometre splits. */
static void detail_points_and_splits(void **state)
{
	(void)state;
	static rc_analysis a;
	rc_analysis_init(&a);
	int64_t t = 1790000000;
	for (int i = 0; i <= 10100; i++) {
		rc_sample s = {t + i, LAT0, LON0 + i * 2.0 / (M * cos(LAT0 * M_PI / 180)), 10, NAN, 150, NAN};
		rc_analysis_add(&a, &s);
	}
	rc_analysis_finish(&a, &(rc_activity_info){0});
	assert_true(a.ndetail > RC_AN_DETAIL / 2 && a.ndetail <= RC_AN_DETAIL);
	assert_true(a.detail[a.ndetail - 1].t > 9900);
	int32_t km[40];
	int n = rc_analysis_km_splits(&a, a.sum.distance_m, km, 40);
	assert_int_equal(n, 20);
	for (int i = 0; i < n; i++)
		if (abs(km[i] - (i + 1) * 500) > 20)
			fail_msg("km %d at %d s, not %d", i + 1, km[i], (i + 1) * 500);
	assert_true(a.hr_s[(150 - 40) / 5] > 9900);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(outdoor_track_counter_clockwise),
		cmocka_unit_test(indoor_track_clockwise),
		cmocka_unit_test(mixed_directions),
		cmocka_unit_test(road_run_is_not_a_track),
		cmocka_unit_test(hill_repeats),
		cmocka_unit_test(fast_running),
		cmocka_unit_test(generated_track_sessions_with_known_truth),
		cmocka_unit_test(noise_and_teleports_add_no_length),
		cmocka_unit_test(loops_are_not_a_track),
		cmocka_unit_test(odd_recordings_are_named),
		cmocka_unit_test(detail_points_and_splits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
