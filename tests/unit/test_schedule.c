/* test_schedule.c — slot arithmetic in the clinic's zone, across daylight-saving changes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include <time.h>

#include "base/time.h"
#include "domain/schedule.h"

static const rc_weekly week[] = {
	{0, 8 * 60, 12 * 60}, {0, 13 * 60, 18 * 60}, /* Monday */
	{6, 8 * 60, 12 * 60},                        /* Sunday */
};

static rc_day day_for(int y, int m, int d)
{
	rc_day day = {0};
	day.start = rc_tz_day_start(y, m, d);
	day.end = rc_tz_day_start(y, m, d + 1);
	day.hours = week;
	day.nhours = sizeof week / sizeof week[0];
	return day;
}

static int setup(void **state)
{
	(void)state;
	return rc_tz_set("America/Los_Angeles") == RC_OK ? 0 : -1;
}

static void local_hm(int64_t t, int *h, int *m)
{
	struct tm tm;
	rc_tz_local(t, &tm);
	*h = tm.tm_hour;
	*m = tm.tm_min;
}

/* 1 November 2026: clocks go back at 02:00, the day has 25 hours. Sunday hours 08:00–12:00. */
static void fall_back_day_has_the_same_local_slots(void **state)
{
	(void)state;
	rc_day day = day_for(2026, 11, 1);
	assert_int_equal(day.end - day.start, 25 * 3600);
	int64_t s[RC_SLOTS_MAX_PER_DAY];
	size_t n = rc_slots_free(&day, 60, 0, s, RC_SLOTS_MAX_PER_DAY);
	assert_int_equal(n, 13); /* 08:00, 08:15, … 11:00 */
	int h, m;
	local_hm(s[0], &h, &m);
	assert_int_equal(h, 8);
	assert_int_equal(m, 0);
	local_hm(s[n - 1], &h, &m);
	assert_int_equal(h, 11);
	assert_int_equal(m, 0);
	/* 08:00 PST is 16:00 UTC. */
	assert_int_equal(s[0] % 86400, 16 * 3600);
}

/* 14 March 2027: clocks go forward at 02:00, the day has 23 hours. */
static void spring_forward_day_has_the_same_local_slots(void **state)
{
	(void)state;
	rc_day day = day_for(2027, 3, 14);
	assert_int_equal(day.end - day.start, 23 * 3600);
	int64_t s[RC_SLOTS_MAX_PER_DAY];
	size_t n = rc_slots_free(&day, 60, 0, s, RC_SLOTS_MAX_PER_DAY);
	assert_int_equal(n, 13);
	int h, m;
	local_hm(s[0], &h, &m);
	assert_int_equal(h, 8);
	/* 08:00 PDT is 15:00 UTC: an hour earlier in UTC than in winter. */
	assert_int_equal(s[0] % 86400, 15 * 3600);
}

static void a_break_splits_the_day_and_a_service_must_fit(void **state)
{
	(void)state;
	rc_day day = day_for(2026, 11, 30); /* a Monday */
	int64_t s[RC_SLOTS_MAX_PER_DAY];
	size_t n = rc_slots_free(&day, 60, 0, s, RC_SLOTS_MAX_PER_DAY);
	/* 08:00–11:00 (13 starts) and 13:00–17:00 (17 starts); nothing runs into the 12:00 break. */
	assert_int_equal(n, 13 + 17);
	for (size_t i = 0; i < n; i++) {
		int h, m;
		local_hm(s[i], &h, &m);
		assert_true(h * 60 + m + 60 <= 12 * 60 || h * 60 + m >= 13 * 60);
	}
	assert_int_equal(rc_slot_check(&day, s[0] + 7 * 60, 60, 0), RC_SLOT_OFF_GRID);
	int64_t eleven_thirty = day.start + (11 * 60 + 30) * 60;
	assert_int_equal(rc_slot_check(&day, eleven_thirty, 60, 0), RC_SLOT_CLOSED);
	assert_int_equal(rc_slot_check(&day, eleven_thirty, 30, 0), RC_SLOT_FREE);
	assert_int_equal(rc_slot_check(&day, s[0], 60, s[0] + 1), RC_SLOT_PAST);
}

static void time_off_busy_and_extra_hours(void **state)
{
	(void)state;
	rc_day day = day_for(2026, 11, 30);
	int64_t nine = day.start + 9 * 3600;
	rc_interval off[] = {{nine, nine + 2 * 3600}};
	rc_interval busy[] = {{day.start + 14 * 3600, day.start + 15 * 3600}};
	rc_interval extra[] = {{day.start + 18 * 3600, day.start + 20 * 3600}};
	day.time_off = off;
	day.ntime_off = 1;
	day.busy = busy;
	day.nbusy = 1;
	assert_int_equal(rc_slot_check(&day, nine, 30, 0), RC_SLOT_TIME_OFF);
	assert_int_equal(rc_slot_check(&day, nine - 1800, 60, 0), RC_SLOT_TIME_OFF);
	assert_int_equal(rc_slot_check(&day, day.start + 14 * 3600 + 900, 30, 0), RC_SLOT_TAKEN);
	assert_int_equal(rc_slot_check(&day, day.start + 15 * 3600, 30, 0), RC_SLOT_FREE);
	assert_int_equal(rc_slot_check(&day, day.start + 18 * 3600, 60, 0), RC_SLOT_CLOSED);
	day.extra = extra;
	day.nextra = 1;
	assert_int_equal(rc_slot_check(&day, day.start + 18 * 3600, 60, 0), RC_SLOT_FREE);
	assert_int_equal(rc_slot_check(&day, day.start + 19 * 3600 + 1800, 60, 0), RC_SLOT_CLOSED);
}

static void times_parse_only_with_a_zone(void **state)
{
	(void)state;
	int64_t t;
	assert_true(rc_time_parse_rfc3339("2026-12-01T09:30:00-08:00", &t));
	assert_int_equal(t, 1796146200);
	assert_true(rc_time_parse_rfc3339("2026-12-01T17:30:00Z", &t));
	assert_int_equal(t, 1796146200);
	assert_false(rc_time_parse_rfc3339("2026-12-01T09:30:00", &t));
	assert_false(rc_time_parse_rfc3339("2026-02-30T09:30:00Z", &t));
	assert_false(rc_time_parse_rfc3339("2026-12-01 09:30:00Z", &t));
	char buf[40];
	rc_tz_rfc3339(1796146200, buf, sizeof buf);
	assert_string_equal(buf, "2026-12-01T09:30:00-08:00");
	rc_tz_rfc3339(1783000000, buf, sizeof buf); /* July: daylight time */
	assert_non_null(strstr(buf, "-07:00"));
	assert_int_equal(rc_tz_set("Mars/Olympus_Mons"), RC_EINVAL);
	assert_int_equal(rc_tz_set("../../etc/passwd"), RC_EINVAL);
	assert_int_equal(rc_tz_set("America/Los_Angeles"), RC_OK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fall_back_day_has_the_same_local_slots),
		cmocka_unit_test(spring_forward_day_has_the_same_local_slots),
		cmocka_unit_test(a_break_splits_the_day_and_a_service_must_fit),
		cmocka_unit_test(time_off_busy_and_extra_hours),
		cmocka_unit_test(times_parse_only_with_a_zone),
	};
	return cmocka_run_group_tests_name("schedule", tests, setup, NULL);
}
