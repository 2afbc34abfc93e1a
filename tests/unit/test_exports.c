/* test_exports.c — the platforms' own lists beside the training files: a Strava activities.csv (names,
 * sports, shoes, manual activities, bad rows by line, Latin-1), a Garmin summarizedActivities.json
 * (names and sports matched by start, its cap); the shoes they name, a new pair as a training change. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/time.h"
#include "domain/training.h"
#include "formats/garmin.h"
#include "formats/strava.h"

/* The header Strava writes (abridged only in the middle: the columns runcare reads, in Strava's order,
 * Elapsed Time and Distance twice, and enough others to pass 64 columns as the real one does). */
static char *header(void)
{
	static char h[4096];
	strcpy(h, "Activity ID,Activity Date,Activity Name,Activity Type,Activity Description,Elapsed Time,Distance,"
	          "Max Heart Rate,Relative Effort,Commute,Activity Private Note,Activity Gear,Filename,Athlete Weight,"
	          "Bike Weight,Elapsed Time,Moving Time,Distance,Max Speed");
	for (int i = 0; i < 60; i++)
		sprintf(h + strlen(h), ",Extra %d", i);
	return h;
}

static char *csv_of(const char *rows)
{
	char *h = header();
	char *out = malloc(strlen(h) + strlen(rows) + 8);
	sprintf(out, "\xEF\xBB\xBF%s\r\n%s", h, rows);
	return out;
}

static void strava_names_sports_gear_and_manual_rows(void **state)
{
	(void)state;
	char *csv = csv_of(
	    "1,\"Mar 3, 2024, 6:30:00 AM\",\"Hills, \"\"hard\"\"\",Trail Run,\"one\r\ntwo\",3600,10.01,170,50,false,,"
	    "\"Nike Pegasus 40, blue\",activities/1.fit.gz,70,,3600.0,3500,10012.5,5\r\n"
	    "2,\"Mar 4, 2024, 7:00:00 PM\",Treadmill,Virtual Run,,1800,5.0,,,false,,Old shoes,,70,,1800.0,1750,5000.0,3\r\n"
	    "3,\"Mar 5, 2024, 12:15:00 PM\",Easy,Run,,2400,6.5,,,false,,,,70,,2400.0,,,3\r\n"
	    "4,\"not a date\",Bad,Run,,100,1,,,false,,,,70,,,,,\r\n"
	    "5,\"Mar 6, 2024, 7:00:00 AM\",Bad too,Run,,abc,1,,,false,,,,70,,,,,\r\n"
	    "6,\"Mar 7, 2024, 7:00:00 AM\",Commute,Ride,,900,4,,,true,,,activities/6.gpx.gz,70,,,,,\r\n");
	rc_strava_csv *c = rc_strava_csv_read(csv, strlen(csv));
	assert_non_null(c);
	assert_null(rc_strava_csv_problem(c));
	rc_export_hint h;
	assert_true(rc_strava_hint(c, "activities/1.fit.gz", &h));
	assert_string_equal(h.name, "Hills, \"hard\"");
	assert_string_equal(h.sport, "trail_running");
	assert_string_equal(h.gear, "Nike Pegasus 40, blue");
	assert_false(h.manual);
	assert_null(h.note);
	/* The same file inside a folder the runner zipped again. */
	assert_true(rc_strava_hint(c, "export_123/activities/1.fit.gz", &h));
	assert_false(rc_strava_hint(c, "xactivities/1.fit.gz", &h));
	assert_true(rc_strava_hint(c, "activities/6.gpx.gz", &h));
	assert_string_equal(h.sport, "cycling");
	assert_null(h.gear);
	assert_int_equal(rc_strava_manual_count(c), 4);
	int line;
	const char *problem, *text;
	size_t len;
	rc_strava_manual(c, 0, &line, &h, &problem, &text, &len);
	assert_int_equal(line, 4); /* the first row spans lines 2 and 3 */
	assert_null(problem);
	assert_true(h.manual);
	assert_string_equal(h.sport, "treadmill_running");
	assert_string_equal(h.gear, "Old shoes");
	assert_int_equal(h.start, 1709578800); /* 2024-03-04T19:00:00Z */
	assert_int_equal(h.elapsed_s, 1800);
	assert_int_equal(h.moving_s, 1750);
	assert_int_equal(h.distance_m, 5000); /* the second Distance, in metres */
	assert_non_null(strstr(text, "\"Treadmill\""));
	assert_int_equal(strlen(text), len);
	rc_strava_manual(c, 1, &line, &h, &problem, &text, &len);
	assert_null(problem);
	assert_int_equal(h.start, 1709640900); /* 12:15 PM is a quarter past noon */
	assert_int_equal(h.distance_m, 6500);   /* no metres column: the first, in kilometres */
	assert_int_equal(h.moving_s, 2400);     /* no Moving Time: the elapsed time */
	rc_strava_manual(c, 2, &line, &h, &problem, &text, &len);
	assert_int_equal(line, 6);
	assert_non_null(problem);
	assert_non_null(strstr(problem, "the Activity Date \"not a date\" is not a date as Strava writes it"));
	rc_strava_manual(c, 3, &line, &h, &problem, &text, &len);
	assert_int_equal(line, 7);
	assert_non_null(strstr(problem, "the Elapsed Time \"abc\" is not a number of seconds"));
	rc_strava_csv_free(c);
	free(csv);
}

static void strava_latin1_and_damage(void **state)
{
	(void)state;
	/* Saved again from a spreadsheet in Windows-1252: "Läufchen – Zürich" with an en dash (0x96). */
	char *csv = csv_of("1,\"Mar 3, 2024, 6:30:00 AM\",L\xE4ufchen \x96 Z\xFCrich,Run,,3600,10,,,false,,,"
	                   "activities/1.fit.gz,,,,,,\r\n"
	                   "2,\"Mar 4, 2024, 6:30:00 AM\",\"open quote,Run,,3600,10,,,false,,,activities/2.fit.gz\r\n");
	rc_strava_csv *c = rc_strava_csv_read(csv, strlen(csv));
	assert_non_null(c);
	rc_export_hint h;
	assert_true(rc_strava_hint(c, "activities/1.fit.gz", &h));
	assert_string_equal(h.name, "L\xC3\xA4ufchen \xE2\x80\x93 Z\xC3\xBCrich");
	assert_non_null(h.note);
	assert_non_null(strstr(h.note, "Latin-1"));
	assert_false(rc_strava_hint(c, "activities/2.fit.gz", &h));
	assert_non_null(strstr(rc_strava_csv_problem(c), "line 3"));
	rc_strava_csv_free(c);
	free(csv);
	int64_t t;
	assert_true(rc_strava_date("Dec 31, 2023, 12:00:00 AM", &t));
	assert_int_equal(t, 1703980800);
	assert_false(rc_strava_date("Dec 32, 2023, 12:00:00 AM", &t));
	assert_false(rc_strava_date("Dec 31, 2023, 13:00:00 PM", &t));
	assert_true(rc_strava_date("2023-12-31 08:00:00", &t));
	assert_null(rc_strava_csv_read("id,name\n1,x\n", 12)); /* not Strava's */
}

static void garmin_summary_names_by_start(void **state)
{
	(void)state;
	static const char json[] =
	    "[{\"summarizedActivitiesExport\": ["
	    "{\"activityId\": 1, \"name\": \"Lunch Run\", \"activityType\": \"trail_running\", \"sportType\": \"RUNNING\","
	    " \"startTimeGmt\": 1709449800000.0, \"startTimeLocal\": 1709453400000.0, \"duration\": 3600000.0,"
	    " \"distance\": 1001250.0},"
	    "{\"activityId\": 2, \"name\": \"Spin\", \"activityType\": {\"typeKey\": \"indoor_cycling\"},"
	    " \"beginTimestamp\": 1709536200000},"
	    "{\"activityId\": 3, \"name\": \"no start\"}]}]";
	char err[300];
	/* An export with no activities (as Garmin writes a new account's): nothing to sort, nothing found. */
	rc_garmin_summary *none = rc_garmin_summary_new();
	static const char empty[] = "[{\"summarizedActivitiesExport\": []}]";
	assert_int_equal(rc_garmin_summary_add(none, empty, sizeof empty - 1, err, sizeof err), RC_OK);
	const char *nm, *sp;
	assert_false(rc_garmin_summary_find(none, 1709449800, &nm, &sp));
	rc_garmin_summary_free(none);
	rc_garmin_summary *g = rc_garmin_summary_new();
	assert_int_equal(rc_garmin_summary_add(g, json, sizeof json - 1, err, sizeof err), RC_OK);
	assert_int_equal(rc_garmin_summary_count(g), 2);
	const char *name, *sport;
	assert_true(rc_garmin_summary_find(g, 1709449800 + 45, &name, &sport));
	assert_string_equal(name, "Lunch Run");
	assert_string_equal(sport, "trail_running");
	assert_false(rc_garmin_summary_find(g, 1709449800 + 61, &name, &sport));
	assert_true(rc_garmin_summary_find(g, 1709536200 - 3, &name, &sport));
	assert_string_equal(sport, "indoor_cycling");
	assert_int_equal(rc_garmin_summary_add(g, "{\"x\": 1}", 8, err, sizeof err), RC_EINVAL);
	assert_int_equal(rc_garmin_summary_add(g, "[{", 2, err, sizeof err), RC_EINVAL);
	assert_non_null(strstr(err, "JSON"));
	/* Over the cap: refused by its size alone, never parsed. */
	assert_int_equal(rc_garmin_summary_add(g, json, (size_t)RC_GARMIN_SUMMARY_MAX + 1, err, sizeof err), RC_ETOOBIG);
	assert_non_null(strstr(err, "limit of 48 MB"));
	rc_garmin_summary_free(g);
}

/* A new pair of shoes in the last four weeks is a training change, for a runner who ran before them. */
static void a_new_pair_of_shoes_is_a_training_change(void **state)
{
	(void)state;
	assert_int_equal(rc_tz_set("America/Los_Angeles"), RC_OK);
	int64_t now = 1764522000; /* 2025-11-30T17:00:00Z, 09:00 in Los Angeles */
	int64_t today = rc_tz_day_number(now);
	int64_t from = rc_shoe_recent_from(today);
	assert_int_equal(rc_tz_day_number(from), today - 27);
	assert_int_equal(rc_tz_day_number(from - 1), today - 28);
	rc_shoe shoes[2] = {{.gear = "Pegasus 41", .total_m = 8000, .recent_m = 8000, .first_at = from + 3600,
	                     .last_at = from + 3600, .runs = 1},
	                    {.gear = "Pegasus 40", .total_m = 600000, .recent_m = 6000, .first_at = from - 200 * 86400,
	                     .last_at = now - 86400, .runs = 80}};
	rc_training t;
	rc_training_init(&t, now, now - 86400);
	rc_training_finish(&t);
	int before = t.nflags;
	rc_training_shoes(&t, shoes, 2, from, from - 200 * 86400);
	assert_int_equal(t.nflags, before + 1);
	const rc_training_flag *f = rc_training_flag_for(&t, "training_change_recent");
	assert_non_null(f);
	assert_string_equal(f->key, "new_shoes");
	assert_non_null(strstr(f->text, "New shoes: Pegasus 41, first run in on"));
	assert_non_null(strstr(f->source, "Warden"));
	rc_activity_rec run = {.start_at = now - 86400, .sport = "running", .gear = "Pegasus 41"};
	assert_true(rc_training_flag_counts(&t, f, &run));
	snprintf(run.gear, sizeof run.gear, "Pegasus 40");
	assert_false(rc_training_flag_counts(&t, f, &run));
	/* The day before the four weeks: not new. */
	rc_training_init(&t, now, now - 86400);
	rc_training_finish(&t);
	shoes[0].first_at = from - 1;
	rc_training_shoes(&t, shoes, 2, from, from - 200 * 86400);
	assert_null(rc_training_flag_for(&t, "training_change_recent"));
	/* A runner whose history starts with these shoes: no change to speak of. */
	shoes[0].first_at = from + 3600;
	rc_training_shoes(&t, shoes, 1, from, from + 3600);
	assert_null(rc_training_flag_for(&t, "training_change_recent"));
}

/* The same activity from two platforms, and what is not: the rule of domain/training.h. */
static void the_same_run_from_two_platforms_and_what_is_not(void **state)
{
	(void)state;
	rc_activity_rec run = {.start_at = 1700000000, .sport = "running", .distance_m = 10000, .duration_s = 3000,
	                       .hr_avg = 150, .format = "fit"};
	rc_activity_rec other = run;
	other.start_at += 45;
	other.distance_m = 10290; /* 2.8% longer */
	snprintf(other.sport, sizeof other.sport, "trail_running");
	assert_true(rc_activity_same(&run, &other));
	assert_true(rc_activity_same(&other, &run));
	other.distance_m = 10400; /* 3.8% */
	assert_false(rc_activity_same(&run, &other));
	other.distance_m = 10000;
	other.start_at = run.start_at - 61;
	assert_false(rc_activity_same(&run, &other));
	/* The case the old rule merged: a walk and a run 78 s apart, and even a walk at the same minute. */
	rc_activity_rec walk = run;
	snprintf(walk.sport, sizeof walk.sport, "walking");
	walk.start_at = run.start_at + 78;
	assert_false(rc_activity_same(&run, &walk));
	walk.start_at = run.start_at + 20;
	assert_false(rc_activity_same(&run, &walk));
	/* No distance on either: the durations decide; a distance on one only: two activities. */
	rc_activity_rec gym = {.start_at = 1700000000, .sport = "strength_training", .duration_s = 3600};
	rc_activity_rec gym2 = gym;
	gym2.start_at += 30;
	gym2.duration_s = 3700; /* 2.7% */
	assert_true(rc_activity_same(&gym, &gym2));
	gym2.duration_s = 3750;
	assert_false(rc_activity_same(&gym, &gym2));
	rc_activity_rec treadmill = run, manual = run;
	treadmill.distance_m = 0;
	treadmill.start_at += 30;
	assert_false(rc_activity_same(&treadmill, &manual));
	/* The same kind of sport from the very same second: one recording, whatever each made of its distance
	 * (a runner has one activity a start second). */
	treadmill.start_at = manual.start_at;
	assert_true(rc_activity_same(&treadmill, &manual));
	other = run;
	other.distance_m = 12000;
	assert_true(rc_activity_same(&run, &other));
	/* Richness: heart rate over none, a recording over a manual entry. */
	snprintf(manual.format, sizeof manual.format, "manual");
	manual.hr_avg = -1;
	rc_activity_rec gpx = manual;
	snprintf(gpx.format, sizeof gpx.format, "gpx");
	assert_true(rc_activity_richness(&run) > rc_activity_richness(&gpx));
	assert_true(rc_activity_richness(&gpx) > rc_activity_richness(&manual));
}

/* Strava's Calories column (kcal, as Strava worked it out): the energy of each file's activity and of a
 * manual one; an empty, unreadable or impossible figure is none. */
static void strava_calories_are_the_activitys_energy(void **state)
{
	(void)state;
	const char *csv = "Activity ID,Activity Date,Activity Name,Activity Type,Elapsed Time,Distance,Filename,"
	                  "Calories\r\n"
	                  "1,\"Mar 3, 2024, 6:30:00 AM\",Long,Run,3600,10.0,activities/1.fit.gz,612.4\r\n"
	                  "2,\"Mar 4, 2024, 6:30:00 AM\",Easy,Run,1800,5.0,activities/2.fit.gz,\r\n"
	                  "3,\"Mar 5, 2024, 6:30:00 AM\",Odd,Run,1800,5.0,activities/3.fit.gz,lots\r\n"
	                  "4,\"Mar 6, 2024, 6:30:00 AM\",Odd,Run,1800,5.0,activities/4.fit.gz,-20\r\n"
	                  "5,\"Mar 7, 2024, 6:30:00 AM\",Gym run,Run,1200,3.0,,\"301\"\r\n";
	rc_strava_csv *c = rc_strava_csv_read(csv, strlen(csv));
	assert_non_null(c);
	rc_export_hint h;
	assert_true(rc_strava_hint(c, "activities/1.fit.gz", &h));
	assert_int_equal(h.energy_kcal, 612);
	for (int i = 2; i <= 4; i++) {
		char path[40];
		snprintf(path, sizeof path, "activities/%d.fit.gz", i);
		assert_true(rc_strava_hint(c, path, &h));
		assert_int_equal(h.energy_kcal, 0);
	}
	assert_int_equal(rc_strava_manual_count(c), 1);
	int line;
	const char *problem = NULL, *text;
	size_t len;
	rc_strava_manual(c, 0, &line, &h, &problem, &text, &len);
	assert_null(problem);
	assert_true(h.manual);
	assert_int_equal(h.energy_kcal, 301);
	rc_strava_csv_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(strava_names_sports_gear_and_manual_rows),
		cmocka_unit_test(strava_calories_are_the_activitys_energy),
		cmocka_unit_test(strava_latin1_and_damage),
		cmocka_unit_test(garmin_summary_names_by_start),
		cmocka_unit_test(a_new_pair_of_shoes_is_a_training_change),
		cmocka_unit_test(the_same_run_from_two_platforms_and_what_is_not),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
