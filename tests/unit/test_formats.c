/* test_formats.c — GPX and TCX reading: every real file in ../shared/testdata without a crash (under
 * the sanitizers), damaged and non-training files, and synthetic files with known answers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/summary.h"
#include "formats/activity.h"

static const int64_t NOW = 1795500000; /* 2026-11-24 */

static char *slurp(const char *path, size_t *len)
{
	*len = 0;
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *d = malloc((size_t)n + 1);
	*len = fread(d, 1, (size_t)n, f);
	fclose(f);
	return d;
}

static const char *shared(void)
{
	return getenv("RUNCARE_SHARED") ? getenv("RUNCARE_SHARED") : "../shared";
}

static bool need_shared(const char *dir)
{
	DIR *d = opendir(dir);
	if (d) {
		closedir(d);
		return true;
	}
	if (getenv("CI") && strcmp(getenv("CI"), "true") == 0)
		fail_msg("%s is missing and CI=true", dir);
	printf("# %s is absent: skipped (it lives in ../shared)\n", dir);
	return false;
}

static rc_err read_summary(const char *data, size_t len, rc_summary *s, rc_activity_info *info)
{
	char err[256];
	rc_summary_init(s);
	return rc_xml_activity_read(data, len, NOW, rc_summary_sample, s, info, err, sizeof err);
}

static void every_real_file_reads_without_a_crash(void **state)
{
	(void)state;
	const char *kinds[] = {"gpx", "tcx"};
	int files = 0;
	for (int k = 0; k < 2; k++) {
		char dir[512];
		snprintf(dir, sizeof dir, "%s/testdata/%s", shared(), kinds[k]);
		if (!need_shared(dir))
			skip();
		DIR *d = opendir(dir);
		struct dirent *e;
		while ((e = readdir(d))) {
			if (e->d_name[0] == '.')
				continue;
			char path[1024];
			snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
			size_t len;
			char *data = slurp(path, &len);
			assert_non_null(data);
			rc_summary s;
			rc_activity_info info;
			rc_err r = read_summary(data, len, &s, &info);
			if (r != RC_OK)
				fail_msg("%s: not read", e->d_name);
			assert_int_equal(info.kind, k == 0 ? RC_FILE_GPX : RC_FILE_TCX);
			assert_false(isnan(s.distance_m));
			free(data);
			files++;
		}
		closedir(d);
	}
	assert_true(files >= 15);
}

static void known_real_files(void **state)
{
	(void)state;
	char path[1024];
	snprintf(path, sizeof path, "%s/testdata", shared());
	if (!need_shared(path))
		skip();
	size_t len;
	rc_summary s;
	rc_activity_info info;
	snprintf(path, sizeof path, "%s/testdata/gpx/MetadataOnly.gpx", shared());
	char *d = slurp(path, &len);
	assert_int_equal(read_summary(d, len, &s, &info), RC_OK);
	assert_int_equal(info.samples, 0);
	free(d);
	snprintf(path, sizeof path, "%s/testdata/gpx/route.gpx", shared());
	d = slurp(path, &len);
	assert_int_equal(read_summary(d, len, &s, &info), RC_OK);
	assert_true(info.samples > 10 && s.distance_m > 1000);
	free(d);
	snprintf(path, sizeof path, "%s/testdata/tcx/10kUNLP2014-Garmin15.tcx", shared());
	d = slurp(path, &len);
	assert_int_equal(read_summary(d, len, &s, &info), RC_OK);
	assert_string_equal(info.sport, "running");
	assert_true(fabs(s.distance_m - info.device_distance) / info.device_distance < 0.01);
	assert_true(s.end - s.start > 2000);
	free(d);
}

static void damaged_and_foreign_files(void **state)
{
	(void)state;
	static const char gpx[] =
		"<?xml version=\"1.0\"?><gpx version=\"1.1\" xmlns=\"http://www.topografix.com/GPX/1/1\"><trk><trkseg>"
		"<trkpt lat=\"32.7\" lon=\"-117.1\"><time>2026-11-01T08:00:00Z</time></trkpt>"
		"<trkpt lat=\"32.71\" lon=\"-117.1\"><time>2026-11-01T08:05:00Z</time></trkpt>"
		"<trkpt lat=\"32.72\" lon=\"-117.1\"><time>2026-11-01T08:10:00Z</time></trkpt><trkpt lat=\"32";
	rc_summary s;
	rc_activity_info info;
	assert_int_equal(read_summary(gpx, sizeof gpx - 1, &s, &info), RC_OK);
	assert_int_equal(info.samples, 3);
	assert_true(info.nwarnings >= 1 && strstr(info.warnings[0], "damaged"));
	char err[256];
	assert_int_equal(rc_xml_activity_read("hello", 5, NOW, rc_summary_sample, &s, &info, err, sizeof err), RC_EINVAL);
	assert_non_null(strstr(err, "not a GPX or TCX"));
	/* Found by the fuzzer: a short buffer without a NUL was read past its end. */
	char *tiny = malloc(3);
	memcpy(tiny, "<gp", 3);
	assert_int_equal(rc_activity_kind((const unsigned char *)tiny, 3), RC_FILE_UNKNOWN);
	free(tiny);
	static const char fit[] = "\x0e\x10\x00\x00\x00\x00\x00\x00.FIT\x00\x00";
	assert_int_equal(rc_activity_kind((const unsigned char *)fit, sizeof fit - 1), RC_FILE_FIT);
	static const char future[] = "<gpx><trk><trkseg><trkpt lat=\"1\" lon=\"1\"><time>2099-01-01T00:00:00Z</time></trkpt>"
	                             "<trkpt lat=\"1\" lon=\"1\"><time>1985-01-01T00:00:00Z</time></trkpt></trkseg></trk></gpx>";
	assert_int_equal(read_summary(future, sizeof future - 1, &s, &info), RC_OK);
	assert_int_equal(info.samples, 0);
	assert_int_equal(info.rejected, 2);
	assert_int_equal(info.nwarnings, 2);
}

/* A generated run due north: 11 points 0.001° of latitude apart (≈111.2 m each), one every 30 s,
 * climbing 5 m at each point and wobbling 1 m (noise under the hysteresis). */
static void synthetic_run_has_known_totals(void **state)
{
	(void)state;
	char buf[8192];
	size_t n = (size_t)snprintf(buf, sizeof buf, "\xEF\xBB\xBF<?xml version=\"1.0\"?>\n<gpx xmlns=\"http://www.topografix.com/GPX/1/0\"><trk><trkseg>");
	for (int i = 0; i <= 10; i++)
		n += (size_t)snprintf(buf + n, sizeof buf - n,
		                      "<trkpt lat=\"%.6f\" lon=\"-117.150000\"><ele>%d</ele><time>2026-11-01T08:%02d:%02dZ</time>"
		                      "<extensions><gpxtpx:TrackPointExtension xmlns:gpxtpx=\"http://www.garmin.com/xmlschemas/"
		                      "TrackPointExtension/v1\"><gpxtpx:hr>%d</gpxtpx:hr></gpxtpx:TrackPointExtension>"
		                      "</extensions></trkpt>",
		                      32.700000 + 0.001 * i, 100 + 5 * i + (i % 2), (i * 30) / 60, (i * 30) % 60, 140 + i);
	n += (size_t)snprintf(buf + n, sizeof buf - n, "</trkseg></trk></gpx>");
	rc_summary s;
	rc_activity_info info;
	assert_int_equal(read_summary(buf, n, &s, &info), RC_OK);
	assert_int_equal(info.samples, 11);
	assert_true(fabs(s.distance_m - 1111.95) < 2.0);
	assert_int_equal(s.end - s.start, 300);
	assert_true(fabs(s.moving_s - 300) < 0.5);
	assert_true(fabs(s.gain_m - 51) < 3.5 && s.loss_m < 1);
	assert_true(fabs(s.hr_sum / (double)s.hr_n - 145) < 0.01);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_real_file_reads_without_a_crash),
		cmocka_unit_test(known_real_files),
		cmocka_unit_test(damaged_and_foreign_files),
		cmocka_unit_test(synthetic_run_has_known_totals),
	};
	return cmocka_run_group_tests_name("formats", tests, NULL, NULL);
}
