/* test_reports.c — the reports' arithmetic (weeks, late cancellations, open minutes, percentiles) and
 * their CSV: RFC 4180 quoting and cells a spreadsheet will not run. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "base/time.h"
#include "domain/report.h"
#include "web/csv.h"

static void weeks_start_on_monday(void **state)
{
	(void)state;
	int64_t monday = rc_days_from_civil(2026, 3, 2);
	assert_int_equal(rc_report_weekday(monday), 0);
	for (int i = 0; i < 7; i++)
		assert_int_equal(rc_report_monday(monday + i), monday);
	assert_int_equal(rc_report_monday(monday + 7), monday + 7);
	assert_int_equal(rc_report_monday(monday - 1), monday - 7);
	/* Before 1970 too (negative day numbers). */
	int64_t old = rc_days_from_civil(1969, 12, 29); /* a Monday */
	assert_int_equal(rc_report_monday(old + 3), old);
}

static void a_cancellation_within_the_window_is_late(void **state)
{
	(void)state;
	int64_t start = 1000000, day = 24 * 3600;
	assert_false(rc_report_late_cancel(start, start - day, day));      /* exactly 24 h ahead: on time */
	assert_true(rc_report_late_cancel(start, start - day + 1, day));   /* a second later: late */
	assert_true(rc_report_late_cancel(start, start + 60, day));        /* after it began */
	assert_false(rc_report_late_cancel(start, start - 3 * day, day));
	assert_false(rc_report_late_cancel(start, 0, day));                /* no time kept: not counted late */
}

static void open_minutes_are_hours_plus_extra_less_time_off(void **state)
{
	(void)state;
	/* A UTC clinic for the arithmetic: Monday 2026-03-02, 09:00–12:00 weekly, 11:00–11:30 away, extra
	 * 18:00–19:00. */
	assert_int_equal(rc_tz_set("UTC"), RC_OK);
	int64_t d0 = rc_days_from_civil(2026, 3, 2) * 86400;
	rc_weekly hours[] = {{0, 9 * 60, 12 * 60}};
	rc_interval off[] = {{d0 + 11 * 3600, d0 + 11 * 3600 + 1800}};
	rc_interval extra[] = {{d0 + 18 * 3600, d0 + 19 * 3600}};
	rc_day day = {.start = d0, .end = d0 + 86400, .hours = hours, .nhours = 1, .time_off = off, .ntime_off = 1,
	              .extra = extra, .nextra = 1};
	assert_int_equal(rc_report_open_minutes(&day), 180 - 30 + 60);
	/* The next day (Tuesday) has no weekly hours. */
	day.start += 86400, day.end += 86400;
	assert_int_equal(rc_report_open_minutes(&day), 0);
}

static void shares_medians_and_percentiles(void **state)
{
	(void)state;
	assert_true(rc_report_pct(1, 4) == 25.0);
	assert_true(rc_report_pct(0, 0) < 0);
	int64_t odd[] = {5, 1, 3};
	assert_true(rc_report_median(odd, 3) == 3.0);
	int64_t even[] = {4, 1, 3, 2};
	assert_true(rc_report_median(even, 4) == 2.5);
	/* Nearest rank: of 10 values the 9th; of 11 the 10th; of 1 that one. */
	int64_t ten[] = {10, 9, 8, 7, 6, 5, 4, 3, 2, 1};
	assert_int_equal(rc_report_percentile(ten, 10, 90), 9);
	int64_t eleven[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
	assert_int_equal(rc_report_percentile(eleven, 11, 90), 10);
	int64_t one[] = {42};
	assert_int_equal(rc_report_percentile(one, 1, 90), 42);
	assert_true(rc_report_median(NULL, 0) == 0);
}

static void csv_quotes_and_defuses(void **state)
{
	(void)state;
	rc_buf b;
	rc_buf_init(&b, 4096);
	rc_csv c = {&b, false};
	rc_csv_text(&c, "Week starting");
	rc_csv_text(&c, "Smith, Jo");
	rc_csv_text(&c, "say \"hi\"");
	rc_csv_text(&c, "two\nlines");
	rc_csv_end(&c);
	rc_csv_text(&c, "=HYPERLINK(\"http://x\",\"y\")");
	rc_csv_text(&c, "+1");
	rc_csv_text(&c, "-2");
	rc_csv_text(&c, "@SUM(A1)");
	rc_csv_text(&c, "\tx");
	rc_csv_text(&c, "");
	rc_csv_int(&c, -3); /* a number is a number, not text to defuse */
	rc_csv_dec1(&c, 12.25);
	rc_csv_dec1(&c, -1);
	rc_csv_end(&c);
	assert_false(b.failed);
	assert_string_equal(b.data, "Week starting,\"Smith, Jo\",\"say \"\"hi\"\"\",\"two\nlines\"\r\n"
	                            "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",'+1,'-2,'@SUM(A1),'\tx,,-3,12.2,\r\n");
	rc_buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(weeks_start_on_monday),
		cmocka_unit_test(a_cancellation_within_the_window_is_late),
		cmocka_unit_test(open_minutes_are_hours_plus_extra_less_time_off),
		cmocka_unit_test(shares_medians_and_percentiles),
		cmocka_unit_test(csv_quotes_and_defuses),
	};
	return cmocka_run_group_tests_name("reports", tests, NULL, NULL);
}
