/* test_analysis.c — track, hill and fast-running detection on generated activities with known
 * answers: a 400 m track counter-clockwise and a 200 m indoor track clockwise (with GPS noise), a road
 * run with corners and a roundabout (no track), a hill repeat session, and intervals. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(outdoor_track_counter_clockwise),
		cmocka_unit_test(indoor_track_clockwise),
		cmocka_unit_test(mixed_directions),
		cmocka_unit_test(road_run_is_not_a_track),
		cmocka_unit_test(hill_repeats),
		cmocka_unit_test(fast_running),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
