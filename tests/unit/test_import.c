/* test_import.c — moving a clinic in: CSV as other systems write it (formats/csvin.c) and the words, times and
 * keys of their exports (domain/import.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "app/jobs.h"
#include "base/time.h"
#include "domain/import.h"
#include "formats/csvin.h"

typedef struct rows {
	char text[2048];
	int n, lines[16];
} rows;

static int keep(void *ctx, int line, char **f, int n)
{
	rows *r = ctx;
	r->lines[r->n++] = line;
	size_t len = strlen(r->text);
	for (int i = 0; i < n; i++)
		len += (size_t)snprintf(r->text + len, sizeof r->text - len, "%s%s", i ? "|" : "", f[i]);
	snprintf(r->text + len, sizeof r->text - len, ";");
	return 0;
}

static void csv_is_read_as_rfc_4180(void **state)
{
	(void)state;
	rows r = {0};
	const char *in = "\xEF\xBB\xBF" "id,notes\r\n1,\"Kim, Alex\"\r\n\r\n2,\"said \"\"ouch\"\"\nthen left\"\n3,\n";
	char err[200];
	assert_int_equal(rc_csvin_read(in, strlen(in), keep, &r, err, sizeof err), RC_OK);
	assert_string_equal(r.text, "id|notes;1|Kim, Alex;2|said \"ouch\"\nthen left;3|;");
	/* Line numbers are where each row starts: the blank line is counted, a quoted break too. */
	assert_int_equal(r.n, 4);
	assert_int_equal(r.lines[2], 4);
	assert_int_equal(r.lines[3], 6);
}

static void csv_in_another_encoding_is_named_by_line_and_column(void **state)
{
	(void)state;
	rows r = {0};
	char err[200];
	const char *latin = "id,name\n1,Ana\n2,Jos\xE9\n";
	assert_int_equal(rc_csvin_read(latin, strlen(latin), keep, &r, err, sizeof err), RC_EINVAL);
	assert_non_null(strstr(err, "line 3, column 2: the file is not UTF-8"));
	const char *open_quote = "id,name\n1,\"Ana\n";
	assert_int_equal(rc_csvin_read(open_quote, strlen(open_quote), keep, &r, err, sizeof err), RC_EINVAL);
	assert_non_null(strstr(err, "line 2, column 2: a quoted field is not closed"));
}

static void other_systems_words(void **state)
{
	(void)state;
	assert_string_equal(rc_import_status("Checked Out"), "arrived");
	assert_string_equal(rc_import_status(" No-Show "), "no_show");
	assert_string_equal(rc_import_status("Canceled"), "cancelled");
	assert_string_equal(rc_import_status("scheduled"), "booked");
	assert_null(rc_import_status("Rescheduled?"));
	char out[80], bad[40];
	assert_true(rc_import_disciplines("Physical Therapy; Acupuncture", out, sizeof out, bad, sizeof bad));
	assert_string_equal(out, "acupuncture physical_therapy");
	assert_true(rc_import_disciplines("PT and Massage", out, sizeof out, bad, sizeof bad));
	assert_string_equal(out, "physical_therapy sports_massage");
	assert_false(rc_import_disciplines("Chiropractic", out, sizeof out, bad, sizeof bad));
	assert_string_equal(bad, "Chiropractic");
	char key[33];
	rc_import_key("Sports massage, 60 minutes", key, sizeof key);
	assert_string_equal(key, "sports-massage-60-minutes");
}

static void times_with_and_without_their_zone(void **state)
{
	(void)state;
	assert_int_equal(rc_tz_set("America/Los_Angeles"), RC_OK);
	int64_t t, nine_pst = rc_tz_day_start(2026, 12, 1) + 9 * 3600;
	assert_true(rc_import_time("2026-12-01 09:00", &t));
	assert_int_equal(t, nine_pst);
	assert_true(rc_import_time("2026-12-01T17:00:00Z", &t));
	assert_int_equal(t, nine_pst);
	assert_true(rc_import_time("12/01/2026 09:00 AM", &t));
	assert_int_equal(t, nine_pst);
	assert_true(rc_import_time("2026-12-01 12:00 EST", &t));
	assert_int_equal(t, nine_pst);
	assert_true(rc_import_time("2026-12-01 09:00 -08:00", &t));
	assert_int_equal(t, nine_pst);
	assert_true(rc_import_time("12/1/2026 12:30 PM", &t));
	assert_int_equal(t, nine_pst + 3 * 3600 + 1800);
	assert_false(rc_import_time("2026-13-45 09:00", &t));
	assert_false(rc_import_time("2026-12-01 09:00 Mars", &t));
	assert_false(rc_import_time("tomorrow", &t));
	assert_false(rc_import_time("12/01/2026 13:00 PM", &t));
}

/* An import job's "120 of about 480 training files": files read scaled by the share of bytes read;
 * nothing said before 5 files and 5% of the bytes; never fewer than read; exact at the end. */
static void an_import_job_says_about_how_many_files_it_holds(void **state)
{
	(void)state;
	rc_import_job j = {.files_seen = 120, .bytes_done = 25000000, .bytes_total = 100000000};
	assert_int_equal(rc_import_files_expected(&j), 480);
	j.files_seen = 4;
	assert_int_equal(rc_import_files_expected(&j), 0);
	j = (rc_import_job){.files_seen = 30, .bytes_done = 4000000, .bytes_total = 100000000};
	assert_int_equal(rc_import_files_expected(&j), 0);
	j = (rc_import_job){.files_seen = 30, .bytes_done = 100000000, .bytes_total = 100000000};
	assert_int_equal(rc_import_files_expected(&j), 30);
	j = (rc_import_job){.files_seen = 30, .bytes_done = 99999999, .bytes_total = 100000000};
	assert_int_equal(rc_import_files_expected(&j), 30);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(an_import_job_says_about_how_many_files_it_holds),
		cmocka_unit_test(csv_is_read_as_rfc_4180),
		cmocka_unit_test(csv_in_another_encoding_is_named_by_line_and_column),
		cmocka_unit_test(other_systems_words),
		cmocka_unit_test(times_with_and_without_their_zone),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
