/* test_training.c — load over time and its flags on generated training blocks: steady weeks (no
 * flag), a sudden jump, hills added, first track sessions, and a runner whose files are old. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/time.h"
#include "domain/sport.h"
#include "domain/training.h"

static const int64_t NOW = 1795500000; /* 2026-11-24 */
enum { DAY = 86400 };

static rc_activity_rec run(int days_ago, int minutes, int climb)
{
	rc_activity_rec a;
	memset(&a, 0, sizeof a);
	a.start_at = NOW - NOW % DAY - (int64_t)days_ago * DAY + 7 * 3600;
	snprintf(a.sport, sizeof a.sport, "running");
	a.moving_s = a.duration_s = minutes * 60;
	a.distance_m = minutes * 180;
	a.gain_m = climb;
	a.hr_avg = -1;
	return a;
}

/* Four runs a week of 40 min for 8 weeks, then the given last week. */
static void block(rc_training *t, int last_week_minutes, int last_week_climb)
{
	rc_training_init(t, NOW, NOW - 3600);
	for (int d = 7; d < 63; d++)
		if (d % 7 == 1 || d % 7 == 3 || d % 7 == 5 || d % 7 == 6) {
			rc_activity_rec a = run(d, 40, 30);
			rc_training_add(t, &a);
		}
	for (int d = 0; d < 7; d += 2) {
		rc_activity_rec a = run(d, last_week_minutes / 4, last_week_climb / 4);
		rc_training_add(t, &a);
	}
	rc_training_finish(t);
}

static void steady_weeks_raise_no_flag(void **state)
{
	(void)state;
	static rc_training t;
	block(&t, 160, 120);
	assert_int_equal(t.nflags, 0);
	assert_true(fabs(t.ratio - 1.0) < 0.05);
	assert_true(fabs(t.acute - 160) < 1);
	assert_true(t.weeks[RC_TRAINING_WEEKS - 1].runs >= 1);
}

static void sudden_jump_is_flagged(void **state)
{
	(void)state;
	static rc_training t;
	block(&t, 320, 120); /* twice the usual week */
	const rc_training_flag *f = rc_training_flag_for(&t, "training_change_recent");
	assert_non_null(f);
	assert_true(t.ratio > 1.5 && t.ewma_ratio > 1.2);
	assert_true(fabs(t.week_change - 1.0) < 0.01);
	bool jump = false, spike = false;
	for (int i = 0; i < t.nflags; i++) {
		jump |= strcmp(t.flags[i].key, "week_jump") == 0 && strstr(t.flags[i].text, "100%") != NULL;
		spike |= strcmp(t.flags[i].key, "load_spike") == 0 && strstr(t.flags[i].source, "Gabbett") != NULL;
	}
	assert_true(jump && spike);
	assert_null(rc_training_flag_for(&t, "hills_added"));
}

static void hills_added_is_flagged(void **state)
{
	(void)state;
	static rc_training t;
	block(&t, 160, 360); /* the same time, three times the climbing */
	const rc_training_flag *f = rc_training_flag_for(&t, "hills_added");
	assert_non_null(f);
	if (!strstr(f->text, "tripled") || !strstr(f->text, "360 m") || !strstr(f->text, "120 m"))
		fail_msg("%s", f->text);
	assert_null(rc_training_flag_for(&t, "training_change_recent"));
}

static void first_track_sessions_are_flagged(void **state)
{
	(void)state;
	static rc_training t;
	rc_training_init(&t, NOW, NOW - 3600);
	for (int d = 0; d < 60; d += 2) {
		rc_activity_rec a = run(d, 40, 30);
		if (d == 2 || d == 6) {
			a.track_size_m = 400;
			a.track_laps_x10 = 100;
			a.track_bend_m = 2100;
			a.track_radius_m = 37;
			snprintf(a.track_direction, sizeof a.track_direction, "counter-clockwise");
		}
		rc_training_add(&t, &a);
	}
	rc_training_finish(&t);
	const rc_training_flag *f = rc_training_flag_for(&t, "track_running");
	assert_non_null(f);
	if (!strstr(f->text, "First track sessions in six months") || !strstr(f->text, "4.2 km") ||
	    !strstr(f->text, "all counter-clockwise"))
		fail_msg("%s", f->text);
}

static void old_files_are_read_as_of_their_day(void **state)
{
	(void)state;
	static rc_training t;
	int64_t old = NOW - 400 * (int64_t)DAY;
	rc_training_init(&t, NOW, old);
	assert_true(t.stale);
	assert_int_equal(t.asof, old - old % DAY);
	rc_activity_rec a = run(400, 50, 0);
	rc_training_add(&t, &a);
	rc_activity_rec b = run(1, 50, 0); /* after asof: not in the window */
	rc_training_add(&t, &b);
	rc_training_finish(&t);
	assert_int_equal(t.activities, 1);
	assert_true(fabs(t.acute - 50) < 0.01);
}

/* Regression: at 23:40 in San Diego (07:40 UTC the next day) the figures are for the clinic's day, an
 * evening run counts on that day, and the weekly chart has no row for a day that has not begun there. */
static void days_are_the_clinics_late_in_the_evening(void **state)
{
	(void)state;
	static rc_training t;
	assert_int_equal(rc_tz_set("America/Los_Angeles"), RC_OK);
	int64_t now, evening;
	assert_true(rc_time_parse_rfc3339("2026-12-06T23:40:00-08:00", &now)); /* a Sunday */
	assert_true(rc_time_parse_rfc3339("2026-12-06T18:00:00-08:00", &evening));
	rc_training_init(&t, now, evening);
	char d[11];
	rc_day_name(t.asof / DAY, d);
	assert_string_equal(d, "2026-12-06");
	rc_activity_rec a = run(0, 45, 0);
	a.start_at = evening;
	rc_training_add(&t, &a);
	rc_training_finish(&t);
	assert_true(fabs(t.daily[RC_TRAINING_DAYS - 1] - 45) < 0.01);
	/* The last week is Monday 30 November to Sunday 6 December, and holds the run. */
	rc_day_name(t.weeks[RC_TRAINING_WEEKS - 1].start / DAY, d);
	assert_string_equal(d, "2026-11-30");
	assert_int_equal(t.weeks[RC_TRAINING_WEEKS - 1].runs, 1);
	assert_true(rc_training_window_start(&t) <= evening);
	assert_int_equal(rc_tz_set("UTC"), RC_OK);
}


/* Issue 18: running on the road, a trail, a track or a treadmill (or a sport not given) counts toward
 * the running load; cycling, swimming, walking and hiking are cross-training, kept out of it. */
static void sports_from_files(void **state)
{
	(void)state;
	const char *running[] = {"", "running", "Running", "run", "trail_running", "TrailRun", "treadmill_running",
	                         "VirtualRun", "track running", "other"};
	const char *cross[] = {"cycling", "Biking", "Ride", "swimming", "walking", "Walk", "hiking", "rowing",
	                       "cross_country_skiing", "mountain_biking", "e_bike_ride"};
	for (size_t i = 0; i < sizeof running / sizeof running[0]; i++) {
		if (!rc_sport_is_running(running[i]) || !rc_training_is_run(running[i]))
			fail_msg("'%s' should count as running", running[i]);
		assert_string_equal(rc_sport_kind(running[i]), "running");
	}
	for (size_t i = 0; i < sizeof cross / sizeof cross[0]; i++) {
		if (rc_sport_is_running(cross[i]) || rc_training_is_run(cross[i]))
			fail_msg("'%s' should be cross-training", cross[i]);
		assert_string_equal(rc_sport_kind(cross[i]), "cross");
	}
	assert_string_equal(rc_sport_label("trail_running"), "Trail running");
	assert_string_equal(rc_sport_label("treadmill_running"), "Treadmill running");
	assert_string_equal(rc_sport_label("Biking"), "Cycling");
	assert_string_equal(rc_sport_label("swimming"), "Swimming");
	assert_string_equal(rc_sport_label("walking"), "Walking");
	assert_string_equal(rc_sport_label(""), "Running");
	/* A ride in the same week as the runs adds nothing to the running load. */
	static rc_training t;
	int64_t now = 1790000000;
	rc_training_init(&t, now, now - 3600);
	rc_activity_rec run = {.start_at = now - 3600, .moving_s = 1800, .distance_m = 5000};
	snprintf(run.sport, sizeof run.sport, "running");
	rc_activity_rec ride = run;
	snprintf(ride.sport, sizeof ride.sport, "cycling");
	ride.moving_s = 7200;
	rc_training_add(&t, &run);
	rc_training_add(&t, &ride);
	rc_training_finish(&t);
	assert_true(fabs(t.acute - 30) < 0.01);
}

/* A run every other day for five weeks, 40 min each, easy until the last week and hard in it: with heart
 * rate (135 bpm, then 175) or with an effort rating (3, then 8). */
static void steady_then_hard(rc_training *t, bool heart)
{
	rc_training_init(t, NOW, NOW);
	rc_training_heart(t, 50, 190, true, false);
	for (int d = 2; d < 35; d += 2) {
		rc_activity_rec a = run(d, 40, 0);
		if (heart) {
			double s[RC_HR_BINS] = {0};
			s[((d < 7 ? 175 : 135) - RC_HR_BIN0) / RC_HR_BIN_W] = 40 * 60;
			rc_load_bins_text(s, a.hr_zones, sizeof a.hr_zones);
		} else {
			a.effort_set = true;
			a.effort = d < 7 ? 8 : 3;
		}
		rc_training_add(t, &a);
	}
	rc_training_finish(t);
}

/* Issue 18, load that fits the runner: TRIMP by Banister's formula; heart rate when every recent run has
 * it, effort (session RPE) when every one is rated, else time; the flags say which. */
static void load_from_heart_rate_or_effort(void **state)
{
	(void)state;
	int32_t bins[RC_HR_BINS] = {0};
	bins[(130 - RC_HR_BIN0) / RC_HR_BIN_W] = 30 * 60; /* 30 min at 130-134 bpm */
	double hr = RC_HR_BIN0 + ((130 - RC_HR_BIN0) / RC_HR_BIN_W + 0.5) * RC_HR_BIN_W, x = (hr - 60) / 140.0;
	assert_true(fabs(rc_load_trimp(bins, 60, 200) - 30 * x * 0.64 * exp(1.92 * x)) < 1e-9);
	assert_true(rc_load_trimp(bins, 60, 70) == 0); /* a maximum too close to rest: no load */
	bins[(180 - RC_HR_BIN0) / RC_HR_BIN_W] = 59;
	assert_int_equal(rc_load_top_hr(bins), 132);
	bins[(180 - RC_HR_BIN0) / RC_HR_BIN_W] = 60;
	assert_int_equal(rc_load_top_hr(bins), 182);
	char text[RC_HR_BINS * 7];
	double secs[RC_HR_BINS] = {0};
	secs[3] = 12, secs[20] = 1800;
	rc_load_bins_text(secs, text, sizeof text);
	int32_t back[RC_HR_BINS];
	assert_true(rc_load_bins_parse(text, back) && back[3] == 12 && back[20] == 1800 && back[19] == 0);
	assert_false(rc_load_bins_parse("", back));

	/* Four weeks of easy runs with heart rate, then a hard week: the heart-rate load is used, and the
	 * spike it shows is bigger than the minutes' (the hard minutes weigh more). */
	static rc_training t;
	int64_t now = NOW;
	steady_then_hard(&t, true);
	assert_int_equal(t.load_kind, RC_LOAD_HEART);
	assert_true(t.minutes_7d > 0 && t.acute > t.minutes_7d);
	const rc_training_flag *f = rc_training_flag_for(&t, "training_change_recent");
	if (!f || !strstr(f->text, "Load: heart-rate load (TRIMP)") || !strstr(f->source, "Banister"))
		fail_msg("%s", f ? f->text : "no flag");

	/* Every run rated for effort, none with heart rate: the session RPE. */
	steady_then_hard(&t, false);
	assert_int_equal(t.load_kind, RC_LOAD_EFFORT);
	assert_true(fabs(rc_training_load_of(&t, &(rc_activity_rec){.moving_s = 3600, .effort = 5, .effort_set = true}) - 300) < 1e-9);
	f = rc_training_flag_for(&t, "training_change_recent");
	if (!f || !strstr(f->text, "Load: session RPE"))
		fail_msg("%s", f ? f->text : "no flag");
	rc_training_init(&t, now, now);
	for (int d = 2; d < 35; d += 2)
		rc_training_add(&t, &(rc_activity_rec){0});
	rc_activity_rec plain = run(2, 40, 0);
	rc_training_add(&t, &plain);
	rc_training_finish(&t);
	assert_int_equal(t.load_kind, RC_LOAD_TIME);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(steady_weeks_raise_no_flag),
		cmocka_unit_test(sports_from_files),
		cmocka_unit_test(load_from_heart_rate_or_effort),
		cmocka_unit_test(sudden_jump_is_flagged),
		cmocka_unit_test(hills_added_is_flagged),
		cmocka_unit_test(first_track_sessions_are_flagged),
		cmocka_unit_test(old_files_are_read_as_of_their_day),
		cmocka_unit_test(days_are_the_clinics_late_in_the_evening),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
