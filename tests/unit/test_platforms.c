/* test_platforms.c — the readers of platforms' own export shapes: an Apple Health export.xml streamed in
 * pieces of any size (workouts, their units and statistics, the Records around them skipped), cut short,
 * with entities in its DTD (billion laughs), and the TCX runcare writes for a workout. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/summary.h"
#include "formats/activity.h"
#include "formats/applehealth.h"
#include "formats/polar.h"

static const char EXPORT[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	"<!DOCTYPE HealthData [\n<!-- HealthKit Export Version: 14 -->\n"
	"<!ELEMENT HealthData (ExportDate,Me,(Record|Workout)*)>\n<!ATTLIST HealthData locale CDATA #REQUIRED>\n]>\n"
	"<HealthData locale=\"en_US\">\n"
	" <ExportDate value=\"2024-06-01 10:00:00 -0700\"/>\n"
	" <Record type=\"HKQuantityTypeIdentifierHeartRate\" sourceName=\"Watch\" unit=\"count/min\" "
	"startDate=\"2024-05-01 07:00:00 -0700\" endDate=\"2024-05-01 07:00:00 -0700\" value=\"140\"/>\n"
	" <Workout workoutActivityType=\"HKWorkoutActivityTypeRunning\" duration=\"30.5\" durationUnit=\"min\" "
	"totalDistance=\"3.1\" totalDistanceUnit=\"mi\" totalEnergyBurned=\"1255\" totalEnergyBurnedUnit=\"kJ\" "
	"sourceName=\"Jo &amp; Watch\" startDate=\"2024-05-01 07:12:03 -0700\" endDate=\"2024-05-01 07:42:33 -0700\">\n"
	"  <MetadataEntry key=\"HKIndoorWorkout\" value=\"0\"/>\n"
	"  <WorkoutStatistics type=\"HKQuantityTypeIdentifierHeartRate\" startDate=\"2024-05-01 07:12:03 -0700\" "
	"endDate=\"2024-05-01 07:42:33 -0700\" average=\"151.5\" minimum=\"98\" maximum=\"178\" unit=\"count/min\"/>\n"
	"  <WorkoutRoute sourceName=\"Watch\" startDate=\"2024-05-01 07:12:03 -0700\" endDate=\"2024-05-01 07:42:33 -0700\">\n"
	"   <FileReference path=\"/workout-routes/route_2024-05-01_7.12am.gpx\"/>\n  </WorkoutRoute>\n </Workout>\n"
	" <Workout workoutActivityType=\"HKWorkoutActivityTypeTraditionalStrengthTraining\" duration=\"45\" "
	"durationUnit=\"min\" sourceName=\"Watch\" startDate=\"2024-05-02 18:00:00 +0200\" endDate=\"2024-05-02 18:45:00 +0200\">\n"
	"  <WorkoutStatistics type=\"HKQuantityTypeIdentifierActiveEnergyBurned\" startDate=\"2024-05-02 18:00:00 +0200\" "
	"endDate=\"2024-05-02 18:45:00 +0200\" sum=\"210\" unit=\"kcal\"/>\n </Workout>\n"
	" <Workout workoutActivityType=\"HKWorkoutActivityTypeCycling\" duration=\"60\" durationUnit=\"min\" "
	"sourceName=\"Watch\" startDate=\"2024-05-03 09:00:00 -0700\" endDate=\"2024-05-03 10:00:00 -0700\">\n"
	"  <WorkoutStatistics type=\"HKQuantityTypeIdentifierDistanceCycling\" startDate=\"2024-05-03 09:00:00 -0700\" "
	"endDate=\"2024-05-03 10:00:00 -0700\" sum=\"25.5\" unit=\"km\"/>\n </Workout>\n"
	" <Workout workoutActivityType=\"HKWorkoutActivityTypeOther\" duration=\"10\" durationUnit=\"min\" "
	"sourceName=\"Watch\" startDate=\"2024-05-04 09:00:00 -0700\" endDate=\"2024-05-04 09:10:00 -0700\"/>\n"
	"</HealthData>\n";

typedef struct {
	rc_ah_workout w[8];
	int n;
} got;

static int keep(void *ctx, const rc_ah_workout *w)
{
	got *g = ctx;
	if (g->n < 8)
		g->w[g->n++] = *w;
	return 0;
}

static rc_err read_in_pieces(const char *xml, size_t len, size_t piece, got *g, char *err, size_t errlen)
{
	memset(g, 0, sizeof *g);
	rc_ah_stream *st = rc_ah_open(keep, g);
	assert_non_null(st);
	for (size_t off = 0; off < len; off += piece)
		rc_ah_feed(st, xml + off, len - off < piece ? len - off : piece);
	return rc_ah_close(st, err, errlen);
}

static void dates(void **state)
{
	(void)state;
	assert_int_equal(rc_ah_date("2024-05-01 07:12:03 -0700"), 1714572723);
	assert_int_equal(rc_ah_date("2024-05-01 16:12:03 +0200"), 1714572723);
	assert_int_equal(rc_ah_date("2024-05-01"), 0);
	assert_int_equal(rc_ah_date("not a date at all, no"), 0);
}

static void workouts_in_pieces_of_any_size(void **state)
{
	(void)state;
	static const size_t pieces[] = {1, 7, 64, 4096, sizeof EXPORT};
	for (size_t k = 0; k < sizeof pieces / sizeof pieces[0]; k++) {
		got g;
		char err[300];
		assert_int_equal(read_in_pieces(EXPORT, sizeof EXPORT - 1, pieces[k], &g, err, sizeof err), RC_OK);
		assert_int_equal(g.n, 4);
		const rc_ah_workout *run = &g.w[0];
		assert_string_equal(run->type, "Running");
		assert_string_equal(run->sport, "running");
		assert_string_equal(run->source, "Jo & Watch");
		assert_int_equal(run->start, 1714572723);
		assert_int_equal(run->end, 1714572723 + 1830);
		assert_true(fabs(run->duration_s - 1830) < 0.01);
		assert_true(fabs(run->distance_m - 3.1 * 1609.344) < 0.01);
		assert_true(fabs(run->energy_kcal - 1255 / 4.184) < 0.01);
		assert_true(fabs(run->hr_avg - 151.5) < 0.01 && fabs(run->hr_max - 178) < 0.01);
		assert_string_equal(run->route, "/workout-routes/route_2024-05-01_7.12am.gpx");
		/* iOS 16's statistics in place of the workout's own attributes. */
		assert_string_equal(g.w[1].sport, "traditional strength training");
		assert_true(isnan(g.w[1].distance_m) && fabs(g.w[1].energy_kcal - 210) < 0.01 && isnan(g.w[1].hr_avg));
		assert_string_equal(g.w[2].sport, "cycling");
		assert_true(fabs(g.w[2].distance_m - 25500) < 0.01);
		/* Apple's "Other" is not FIT's "other", which runcare counts as running. */
		assert_string_equal(g.w[3].sport, "other workout");
		assert_string_equal(g.w[3].route, "");
	}
}

static void cut_short_keeps_what_came_before(void **state)
{
	(void)state;
	const char *third = strstr(EXPORT, "HKWorkoutActivityTypeCycling");
	got g;
	char err[300];
	assert_int_equal(read_in_pieces(EXPORT, (size_t)(third - EXPORT), 100, &g, err, sizeof err), RC_EINVAL);
	assert_int_equal(g.n, 2);
	assert_non_null(strstr(err, "damaged at line"));
	assert_non_null(strstr(err, "the workouts before it were read"));
	/* Not XML at all. */
	assert_int_equal(read_in_pieces("PK\3\4 garbage", 12, 12, &g, err, sizeof err), RC_EINVAL);
	assert_int_equal(g.n, 0);
}

static void entities_in_the_dtd_stop_the_read(void **state)
{
	(void)state;
	static const char laughs[] =
		"<?xml version=\"1.0\"?>\n<!DOCTYPE HealthData [\n<!ENTITY a \"aaaaaaaaaa\">\n"
		"<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">\n<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">\n"
		"<!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">\n<!ENTITY e \"&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;\">\n]>\n"
		"<HealthData><Workout workoutActivityType=\"HKWorkoutActivityTypeRunning\" sourceName=\"&e;\" "
		"startDate=\"2024-05-01 07:12:03 -0700\" endDate=\"2024-05-01 07:42:33 -0700\"/></HealthData>\n";
	got g;
	char err[300];
	assert_int_equal(read_in_pieces(laughs, sizeof laughs - 1, sizeof laughs, &g, err, sizeof err), RC_EINVAL);
	assert_int_equal(g.n, 0);
	assert_non_null(strstr(err, "declares XML entities"));
	/* An external entity is refused the same way (nothing is fetched). */
	static const char external[] = "<?xml version=\"1.0\"?>\n<!DOCTYPE HealthData [\n<!ENTITY x SYSTEM \"file:///etc/passwd\">\n]>\n"
	                               "<HealthData>&x;</HealthData>\n";
	assert_int_equal(read_in_pieces(external, sizeof external - 1, 16, &g, err, sizeof err), RC_EINVAL);
	assert_non_null(strstr(err, "declares XML entities"));
}

static void one_endless_token_is_refused(void **state)
{
	(void)state;
	/* An attribute that never ends: expat would hold it whole; refused after 16 MB. */
	size_t n = RC_AH_MAX_QUIET + (1 << 20);
	char *xml = malloc(n);
	assert_non_null(xml);
	const char head[] = "<?xml version=\"1.0\"?><HealthData><Record value=\"";
	memcpy(xml, head, sizeof head - 1);
	memset(xml + sizeof head - 1, 'x', n - (sizeof head - 1));
	got g;
	char err[300];
	assert_int_equal(read_in_pieces(xml, n, 1 << 20, &g, err, sizeof err), RC_EINVAL);
	assert_non_null(strstr(err, "16 MB without one element"));
	free(xml);
}

static void summarise(void *ctx, const rc_sample *s)
{
	rc_summary_add(ctx, s);
}

static void tcx_of_a_workout_reads_back(void **state)
{
	(void)state;
	got g;
	char err[300];
	assert_int_equal(read_in_pieces(EXPORT, sizeof EXPORT - 1, 4096, &g, err, sizeof err), RC_OK);
	/* Without a route: the figures, the distance spread over the duration. */
	size_t len = 0;
	char *tcx = rc_ah_tcx(&g.w[0], NULL, 0, &len);
	assert_non_null(tcx);
	assert_non_null(strstr(tcx, "Jo &amp; Watch"));
	rc_summary sum;
	rc_summary_init(&sum);
	rc_activity_info info;
	assert_int_equal(rc_activity_read((const unsigned char *)tcx, len, 1800000000, summarise, &sum, &info, err, sizeof err),
	                 RC_OK);
	rc_summary_finish(&sum, &info);
	assert_int_equal(info.kind, RC_FILE_TCX);
	assert_int_equal(sum.start, 1714572723);
	assert_int_equal(sum.end, 1714572723 + 1830);
	assert_true(fabs(sum.distance_m - 3.1 * 1609.344) < 1);
	assert_int_equal(sum.pauses, 0);
	assert_true(fabs(info.device_hr_avg - 152) < 0.01); /* written as a whole number */
	free(tcx);
	/* With a route: its points, with the workout's heart rate on the lap. */
	static const char gpx[] = "<?xml version=\"1.0\"?><gpx version=\"1.1\" creator=\"Apple Health Export\" "
	                          "xmlns=\"http://www.topografix.com/GPX/1/1\"><trk><trkseg>"
	                          "<trkpt lon=\"-0.1\" lat=\"51.5\"><ele>12</ele><time>2024-05-01T14:12:04Z</time></trkpt>"
	                          "<trkpt lon=\"-0.1\" lat=\"51.501\"><ele>13</ele><time>2024-05-01T14:12:44Z</time></trkpt>"
	                          "</trkseg></trk></gpx>";
	tcx = rc_ah_tcx(&g.w[0], (const unsigned char *)gpx, sizeof gpx - 1, &len);
	assert_non_null(tcx);
	rc_summary_init(&sum);
	assert_int_equal(rc_activity_read((const unsigned char *)tcx, len, 1800000000, summarise, &sum, &info, err, sizeof err),
	                 RC_OK);
	rc_summary_finish(&sum, &info);
	assert_int_equal(info.samples, 2);
	assert_int_equal(sum.start, 1714572724);
	assert_true(fabs(sum.distance_m - 111) < 2);
	assert_true(fabs(info.device_hr_avg - 152) < 0.01);
	free(tcx);
}

static void recognised_by_content(void **state)
{
	(void)state;
	assert_true(rc_applehealth_is_xml((const unsigned char *)EXPORT, sizeof EXPORT - 1));
	static const char gpx[] = "<?xml version=\"1.0\"?><gpx version=\"1.1\"></gpx>";
	assert_false(rc_applehealth_is_xml((const unsigned char *)gpx, sizeof gpx - 1));
	assert_false(rc_applehealth_detect(NULL, (const unsigned char *)gpx, sizeof gpx - 1));
}

typedef struct {
	char sport[48];
	int n;
	rc_summary sum;
	rc_activity_info info;
} polar_got;

static int polar_keep(void *ctx, const char *sport, int index, const char *tcx, size_t len)
{
	polar_got *g = ctx;
	(void)index;
	snprintf(g->sport, sizeof g->sport, "%s", sport);
	g->n++;
	rc_summary_init(&g->sum);
	char err[200];
	assert_int_equal(rc_activity_read((const unsigned char *)tcx, len, 1800000000, summarise, &g->sum, &g->info, err,
	                                  sizeof err),
	                 RC_OK);
	rc_summary_finish(&g->sum, &g->info);
	return 0;
}

static void polar_sessions(void **state)
{
	(void)state;
	assert_true(rc_polar_is_session("training-session-2024-05-01-7012345678-1f0e2d3c.json"));
	assert_true(rc_polar_is_session("polar-user-data-export/training-session-2024-05-01-1-a.json"));
	assert_false(rc_polar_is_session("activity-2024-05-01-1f0e.json"));
	/* Local time and its offset; a duration in hours, minutes and seconds; heart rate samples. */
	static const char json[] =
		"{\"exportVersion\":\"1.6\",\"exercises\":[{\"startTime\":\"2024-05-01T09:12:03.000\",\"timezoneOffset\":120,"
		"\"duration\":\"PT1M30.5S\",\"distance\":300.0,\"sport\":\"TRAIL_RUNNING\",\"heartRate\":{\"avg\":150,\"max\":170},"
		"\"samples\":{\"heartRate\":[{\"dateTime\":\"2024-05-01T09:12:03.000\",\"value\":140},"
		"{\"dateTime\":\"2024-05-01T09:13:33.000\",\"value\":160}]}}]}";
	polar_got g = {0};
	char err[300];
	assert_int_equal(rc_polar_session_read(json, sizeof json - 1, polar_keep, &g, err, sizeof err), RC_OK);
	assert_int_equal(g.n, 1);
	assert_string_equal(g.sport, "trail running");
	assert_int_equal(g.sum.start, 1714547523); /* 07:12:03 UTC */
	assert_int_equal(g.sum.end, 1714547523 + 90);
	assert_true(fabs(g.sum.distance_m - 300) < 0.5);
	assert_int_equal(g.sum.hr_n, 2); /* the two samples, no more */
	/* Wrong shapes: named. */
	static const char *bad[] = {"[1,2]", "{\"exercises\":{}}", "{\"exercises\":[{\"sport\":\"RUNNING\"}]}", "{\"a\":"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		g.n = 0;
		assert_int_equal(rc_polar_session_read(bad[i], strlen(bad[i]), polar_keep, &g, err, sizeof err), RC_EINVAL);
		assert_int_equal(g.n, 0);
		assert_true(strstr(err, "Polar Flow training session") || strstr(err, "not readable JSON"));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(dates),
		cmocka_unit_test(workouts_in_pieces_of_any_size),
		cmocka_unit_test(cut_short_keeps_what_came_before),
		cmocka_unit_test(entities_in_the_dtd_stop_the_read),
		cmocka_unit_test(one_endless_token_is_refused),
		cmocka_unit_test(tcx_of_a_workout_reads_back),
		cmocka_unit_test(recognised_by_content),
		cmocka_unit_test(polar_sessions),
	};
	return cmocka_run_group_tests_name("platforms", tests, NULL, NULL);
}
