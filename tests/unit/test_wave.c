/* test_wave.c — the wave's arithmetic: what to expect after an event, and which events may teach it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "domain/wave.h"

static void the_wave_learns_only_from_waves_that_are_over(void **state)
{
	(void)state;
	int64_t totals[RC_WAVE_DAYS] = {6, 4};
	double out[RC_WAVE_DAYS];
	rc_wave_expected(totals, 0, out);
	assert_true(out[0] == RC_WAVE_DEFAULT_WEEK1 && out[6] == RC_WAVE_DEFAULT_WEEK1);
	assert_true(out[7] == RC_WAVE_DEFAULT_WEEK2 && out[13] == RC_WAVE_DEFAULT_WEEK2);
	rc_wave_expected(totals, 2, out);
	assert_true(out[0] == 3.0 && out[1] == 2.0 && out[2] == 0.0);
	/* An event 10 days ago is still coming in and does not teach yet; one 15 days ago does; an event
	 * never teaches itself or one that came before it. */
	assert_false(rc_wave_teaches(100, 200, 110));
	assert_true(rc_wave_teaches(100, 200, 115));
	assert_false(rc_wave_teaches(200, 200, 300));
	assert_false(rc_wave_teaches(201, 200, 300));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_wave_learns_only_from_waves_that_are_over),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
