/* test_wave.c — the wave's arithmetic: what to expect after an event — the larger of what earlier events
 * brought and the clinic's default — and which events may teach it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "domain/wave.h"

static void the_wave_learns_only_from_waves_that_are_over(void **state)
{
	(void)state;
	/* An event 10 days ago is still coming in and does not teach yet; one 15 days ago does; an event
	 * never teaches itself or one that came before it. */
	assert_false(rc_wave_teaches(100, 200, 110));
	assert_true(rc_wave_teaches(100, 200, 115));
	assert_false(rc_wave_teaches(200, 200, 300));
	assert_false(rc_wave_teaches(201, 200, 300));
}

static void with_nothing_to_learn_from_the_default_is_stated(void **state)
{
	(void)state;
	rc_wave_forecast f;
	/* No field size: the fixed default, a day at a time. */
	rc_wave_forecast_make(NULL, 0, 0, 10, &f);
	assert_int_equal(f.basis, RC_WAVE_FROM_DEFAULT);
	assert_false(f.per_field);
	assert_true(f.expected[0] == RC_WAVE_DEFAULT_WEEK1 && f.expected[6] == RC_WAVE_DEFAULT_WEEK1);
	assert_true(f.expected[7] == RC_WAVE_DEFAULT_WEEK2 && f.expected[13] == RC_WAVE_DEFAULT_WEEK2);
	assert_true(f.total == 7 * (RC_WAVE_DEFAULT_WEEK1 + RC_WAVE_DEFAULT_WEEK2));
	/* 11,200 finishers at 10 per 1,000: 112 visits, shaped as the fixed default is. */
	rc_wave_forecast_make(NULL, 0, 11200, 10, &f);
	assert_true(f.per_field);
	assert_float_equal(f.total, 112.0, 1e-9);
	assert_float_equal(f.expected[0], 10.0, 1e-9);
	assert_float_equal(f.expected[13], 6.0, 1e-9);
	/* The clinic's own figure: 25 per 1,000 of 4,480 is 112 too. */
	rc_wave_forecast_make(NULL, 0, 4480, 25, &f);
	assert_float_equal(f.total, 112.0, 1e-9);
}

static void an_event_without_visits_in_runcare_is_left_out_not_zero(void **state)
{
	(void)state;
	/* The case: last year's marathon came before the clinic used runcare — no visits recorded.
	 * Averaging it in made the forecast 0. */
	rc_wave_past past[2] = {{{0}, 20000}, {{0}, 0}};
	rc_wave_forecast f;
	rc_wave_forecast_make(past, 2, 20000, 10, &f);
	assert_int_equal(f.learned, 0);
	assert_int_equal(f.unrecorded, 2);
	assert_int_equal(f.basis, RC_WAVE_FROM_DEFAULT);
	assert_float_equal(f.total, 200.0, 1e-9);
	for (int d = 0; d < RC_WAVE_DAYS; d++)
		assert_true(f.expected[d] > 0);
	/* One recorded event among them: it alone is averaged. */
	past[1] = (rc_wave_past){{30, 20, 10}, 0};
	rc_wave_forecast_make(past, 2, 0, 10, &f);
	assert_int_equal(f.learned, 1);
	assert_int_equal(f.unrecorded, 1);
	assert_float_equal(f.history[0], 30.0, 1e-9);
	assert_float_equal(f.history_total, 60.0, 1e-9);
}

static void the_larger_of_history_and_default_is_used(void **state)
{
	(void)state;
	rc_wave_past past[2] = {{{3, 2, 0, 0, 0, 0, 0, 1}, 0}, {{5, 4, 0, 0, 0, 0, 0, 3}, 0}};
	rc_wave_forecast f;
	/* 500 finishers at 10 per 1,000: 5 visits; the past events average 9: history. */
	rc_wave_forecast_make(past, 2, 500, 10, &f);
	assert_int_equal(f.basis, RC_WAVE_FROM_HISTORY);
	assert_int_equal(f.learned, 2);
	assert_float_equal(f.expected[0], 4.0, 1e-9);
	assert_float_equal(f.expected[1], 3.0, 1e-9);
	assert_float_equal(f.expected[7], 2.0, 1e-9);
	assert_float_equal(f.total, 9.0, 1e-9);
	assert_float_equal(f.fallback_total, 5.0, 1e-9);
	/* 5,000 finishers: the default's 50 is more than history's 9: the default. */
	rc_wave_forecast_make(past, 2, 5000, 10, &f);
	assert_int_equal(f.basis, RC_WAVE_FROM_DEFAULT);
	assert_float_equal(f.total, 50.0, 1e-9);
	assert_float_equal(f.history_total, 9.0, 1e-9);
}

static void past_events_are_scaled_to_the_field_size(void **state)
{
	(void)state;
	/* A half marathon of 2,000 with 40 visits teaches a marathon of 10,000 to expect 200. */
	rc_wave_past past[1] = {{{20, 10, 5, 5}, 2000}};
	rc_wave_forecast f;
	rc_wave_forecast_make(past, 1, 10000, 10, &f);
	assert_int_equal(f.scaled, 1);
	assert_int_equal(f.basis, RC_WAVE_FROM_HISTORY);
	assert_float_equal(f.expected[0], 100.0, 1e-9);
	assert_float_equal(f.total, 200.0, 1e-9);
	/* The planned field unknown: the counts as they were, against the fixed default (112). */
	rc_wave_forecast_make(past, 1, 0, 10, &f);
	assert_int_equal(f.scaled, 0);
	assert_int_equal(f.basis, RC_WAVE_FROM_DEFAULT);
	assert_float_equal(f.history_total, 40.0, 1e-9);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_wave_learns_only_from_waves_that_are_over),
		cmocka_unit_test(with_nothing_to_learn_from_the_default_is_stated),
		cmocka_unit_test(an_event_without_visits_in_runcare_is_left_out_not_zero),
		cmocka_unit_test(the_larger_of_history_and_default_is_used),
		cmocka_unit_test(past_events_are_scaled_to_the_field_size),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
