/* test_setup.c — the clinic setup's pure rules: prices as people write them, weekly hours beside a
 * practitioner's others, the clinic's opening days and hours, names compared for duplicates. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "domain/setup.h"

static int64_t price(const char *s)
{
	int64_t cents = -1;
	char why[200];
	return rc_price_parse(s, &cents, why, sizeof why) == RC_OK ? cents : -1;
}

/* The sentence for a refused price. */
static const char *price_why(const char *s)
{
	static char why[200];
	int64_t cents;
	why[0] = '\0';
	assert_int_equal(rc_price_parse(s, &cents, why, sizeof why), RC_EINVAL);
	assert_non_null(strstr(why, "'Price'"));
	return why;
}

static void prices_as_people_write_them(void **state)
{
	(void)state;
	assert_int_equal(price("85"), 8500);
	assert_int_equal(price("85.00"), 8500);
	assert_int_equal(price("$85"), 8500);
	assert_int_equal(price("85.5"), 8550);
	assert_int_equal(price("1,200.00"), 120000);
	assert_int_equal(price("$1,200"), 120000);
	assert_int_equal(price(" $ 85.50 "), 8550);
	assert_int_equal(price(".5"), 50);
	assert_int_equal(price("85."), 8500);
	assert_int_equal(price("0"), 0);
	assert_int_equal(price("100,000.00"), 10000000);
}

static void prices_refused_with_a_sentence(void **state)
{
	(void)state;
	assert_non_null(strstr(price_why("abc"), "amount of money"));
	assert_non_null(strstr(price_why("-5"), "negative"));
	assert_non_null(strstr(price_why("$-5.00"), "negative"));
	assert_non_null(strstr(price_why("85.555"), "two decimals"));
	assert_non_null(strstr(price_why("12,00"), "comma"));
	assert_non_null(strstr(price_why("1,2,000"), "comma"));
	assert_non_null(strstr(price_why(",100"), "comma"));
	assert_non_null(strstr(price_why("100,000.01"), "at most"));
	assert_non_null(strstr(price_why("9999999999"), "at most"));
	assert_non_null(strstr(price_why(""), "missing"));
	assert_non_null(strstr(price_why("$"), "amount of money"));
	assert_non_null(strstr(price_why("85 dollars"), "amount of money"));
	assert_non_null(strstr(price_why("8 5"), "amount of money"));
}

static void prices_shown_in_dollars_and_cents(void **state)
{
	(void)state;
	char s[40];
	rc_price_format(8500, s, sizeof s);
	assert_string_equal(s, "$85.00");
	rc_price_format(8550, s, sizeof s);
	assert_string_equal(s, "$85.50");
	rc_price_format(120000, s, sizeof s);
	assert_string_equal(s, "$1,200.00");
	rc_price_format(5, s, sizeof s);
	assert_string_equal(s, "$0.05");
	rc_price_format(123456789, s, sizeof s);
	assert_string_equal(s, "$1,234,567.89");
}

static const char *hours_why(rc_weekly row, const rc_weekly *others, size_t n, const char **field)
{
	static char why[240];
	why[0] = '\0';
	assert_int_equal(rc_hours_check(&row, others, n, field, why, sizeof why), RC_EINVAL);
	return why;
}

static void impossible_and_overlapping_hours(void **state)
{
	(void)state;
	const rc_weekly mine[] = {{1, 8 * 60, 12 * 60}, {1, 13 * 60, 18 * 60}, {2, 8 * 60, 12 * 60}};
	const char *field;
	char why[240];
	int m;
	/* Quarter hours only, from 00:00 to 24:00. */
	assert_true(rc_clock_parse("08:15", &m) && m == 8 * 60 + 15);
	assert_true(rc_clock_parse("24:00", &m) && m == 1440);
	assert_false(rc_clock_parse("08:10", &m));
	assert_false(rc_clock_parse("24:15", &m));
	assert_false(rc_clock_parse("8:00", &m));
	/* End before start, or no time at all. */
	assert_non_null(strstr(hours_why((rc_weekly){0, 12 * 60, 9 * 60}, NULL, 0, &field), "after"));
	assert_string_equal(field, "to");
	hours_why((rc_weekly){0, 9 * 60, 9 * 60}, NULL, 0, &field);
	assert_string_equal(field, "to");
	/* Overlapping another row of the same day, named in the sentence. */
	assert_non_null(strstr(hours_why((rc_weekly){1, 11 * 60, 14 * 60}, mine, 3, &field), "Tuesday hours 08:00–12:00"));
	assert_string_equal(field, "from");
	hours_why((rc_weekly){1, 7 * 60, 19 * 60}, mine, 3, &field);
	hours_why((rc_weekly){1, 14 * 60, 15 * 60}, mine, 3, &field);
	/* Touching is a break, not an overlap; another day is another day. */
	assert_int_equal(rc_hours_check(&(rc_weekly){1, 12 * 60, 13 * 60}, mine, 3, &field, why, sizeof why), RC_OK);
	assert_int_equal(rc_hours_check(&(rc_weekly){3, 11 * 60, 14 * 60}, mine, 3, &field, why, sizeof why), RC_OK);
	assert_int_equal(rc_hours_check(&(rc_weekly){1, 18 * 60, 24 * 60}, mine, 3, &field, why, sizeof why), RC_OK);
}

static void opening_days_as_clinics_write_them(void **state)
{
	(void)state;
	bool d[7];
	assert_true(rc_days_parse("Monday–Friday", d));
	assert_true(d[0] && d[1] && d[2] && d[3] && d[4] && !d[5] && !d[6]);
	assert_true(rc_days_parse("Mon-Fri", d) && d[0] && d[4] && !d[5]);
	assert_true(rc_days_parse("Saturday", d) && d[5] && !d[4] && !d[6]);
	assert_true(rc_days_parse("Sat, Sun", d) && d[5] && d[6] && !d[0]);
	assert_true(rc_days_parse("Saturday and Sunday", d) && d[5] && d[6]);
	assert_true(rc_days_parse("Tuesday to Thursday", d) && !d[0] && d[1] && d[2] && d[3] && !d[4]);
	assert_true(rc_days_parse("Friday–Monday", d) && d[4] && d[5] && d[6] && d[0] && !d[1]);
	assert_true(rc_days_parse("Weekdays", d) && d[4] && !d[5]);
	assert_true(rc_days_parse("Every day", d) && d[0] && d[6]);
	assert_true(rc_days_parse("Mon", d) && d[0] && !d[1]);
	assert_false(rc_days_parse("Someday", d));
	assert_false(rc_days_parse("Monday–", d));
	assert_false(rc_days_parse("–Friday", d));
	assert_false(rc_days_parse("", d));
	assert_false(rc_days_parse("9 to 5", d));
}

static void hours_within_opening_hours(void **state)
{
	(void)state;
	const rc_weekly open[] = {{0, 7 * 60, 12 * 60}, {0, 12 * 60, 19 * 60}, {5, 8 * 60, 14 * 60}};
	assert_true(rc_within_opening(open, 3, 0, 8 * 60, 18 * 60)); /* rows that touch join up */
	assert_true(rc_within_opening(open, 3, 0, 7 * 60, 19 * 60));
	assert_false(rc_within_opening(open, 3, 0, 6 * 60 + 45, 9 * 60));
	assert_false(rc_within_opening(open, 3, 0, 18 * 60, 19 * 60 + 15));
	assert_true(rc_within_opening(open, 3, 5, 9 * 60, 13 * 60));
	assert_false(rc_within_opening(open, 3, 6, 2 * 60, 23 * 60 + 45)); /* Sunday: closed */
	char s[160];
	rc_opening_describe(open, 3, 6, s, sizeof s);
	assert_string_equal(s, "Sunday: closed");
	rc_opening_describe(open, 3, 0, s, sizeof s);
	assert_string_equal(s, "Monday: 07:00–12:00, 12:00–19:00");
}

static void names_compared_as_one_person(void **state)
{
	(void)state;
	char a[128], b[128];
	rc_name_key("  Lin   Wei ", a, sizeof a);
	rc_name_key("lin wei", b, sizeof b);
	assert_string_equal(a, b);
	rc_name_key("MARCO DÍAZ", a, sizeof a);
	rc_name_key("Marco Díaz", b, sizeof b);
	assert_string_equal(a, b);
	rc_name_key("Lin Wei", a, sizeof a);
	rc_name_key("Lin Wen", b, sizeof b);
	assert_string_not_equal(a, b);
}

static void disciplines(void **state)
{
	(void)state;
	assert_true(rc_disciplines_ok("physical_therapy acupuncture"));
	assert_true(rc_disciplines_ok("acupuncture,sports_massage"));
	assert_false(rc_disciplines_ok("yoga"));
	assert_false(rc_disciplines_ok(""));
	assert_true(rc_disciplines_have("physical_therapy acupuncture", "acupuncture"));
	assert_false(rc_disciplines_have("physical_therapy", "acupuncture"));
	assert_string_equal(rc_discipline_label("sports_massage"), "Sports massage");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(prices_as_people_write_them),
		cmocka_unit_test(prices_refused_with_a_sentence),
		cmocka_unit_test(prices_shown_in_dollars_and_cents),
		cmocka_unit_test(impossible_and_overlapping_hours),
		cmocka_unit_test(opening_days_as_clinics_write_them),
		cmocka_unit_test(hours_within_opening_hours),
		cmocka_unit_test(names_compared_as_one_person),
		cmocka_unit_test(disciplines),
	};
	return cmocka_run_group_tests_name("setup", tests, NULL, NULL);
}
