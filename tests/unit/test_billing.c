/* test_billing.c — money as whole cents (domain/money.h): amounts as people write them, fractions of a cent
 * and negatives refused, the figures of an invoice, what may be paid, refunded and credited; and the clinic's
 * billing file (content/billing.json) read and checked. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "content/billing.h"
#include "domain/money.h"

static int64_t amount(const char *s)
{
	int64_t cents = -1;
	char why[200];
	return rc_money_parse("Amount", s, RC_MONEY_MAX_CENTS, &cents, why, sizeof why) == RC_OK ? cents : -1;
}

static const char *amount_why(const char *s)
{
	static char why[200];
	int64_t cents;
	why[0] = '\0';
	assert_int_equal(rc_money_parse("Amount", s, RC_MONEY_MAX_CENTS, &cents, why, sizeof why), RC_EINVAL);
	assert_non_null(strstr(why, "'Amount'"));
	return why;
}

static void amounts_as_people_write_them(void **state)
{
	(void)state;
	assert_int_equal(amount("$12.50"), 1250);
	assert_int_equal(amount("12.5"), 1250);
	assert_int_equal(amount("12"), 1200);
	assert_int_equal(amount("0.01"), 1);
	assert_int_equal(amount("1,000,000.00"), 100000000);
	assert_int_equal(amount(" $ 7 "), 700);
	assert_int_equal(amount("0"), 0);
}

static void fractions_of_a_cent_and_negatives_are_refused(void **state)
{
	(void)state;
	assert_non_null(strstr(amount_why("12.505"), "whole cents"));
	assert_non_null(strstr(amount_why("0.001"), "whole cents"));
	assert_non_null(strstr(amount_why("-5"), "negative"));
	assert_non_null(strstr(amount_why("-$0.50"), "negative"));
	assert_non_null(strstr(amount_why("$1,000,000.01"), "at most $1,000,000.00"));
	assert_non_null(strstr(amount_why("99999999999999"), "at most"));
	assert_non_null(strstr(amount_why("twelve"), "amount of money"));
	assert_non_null(strstr(amount_why("1e3"), "amount of money"));
	assert_non_null(strstr(amount_why("12,50"), "comma"));
	assert_non_null(strstr(amount_why(""), "missing"));
}

static void format_and_add(void **state)
{
	(void)state;
	char s[40];
	rc_money_format(123456789, s, sizeof s);
	assert_string_equal(s, "$1,234,567.89");
	rc_money_format(-500, s, sizeof s);
	assert_string_equal(s, "-$5.00");
	rc_money_format(7, s, sizeof s);
	assert_string_equal(s, "$0.07");
	int64_t sum = 0;
	assert_true(rc_money_add(100, -250, &sum));
	assert_int_equal(sum, -150);
	assert_false(rc_money_add(INT64_MAX, 1, &sum));
	assert_false(rc_money_add(RC_MONEY_MAX_CENTS * 1000, 1, &sum));
	assert_int_equal(sum, -150);
}

static void an_invoices_figures(void **state)
{
	(void)state;
	rc_money_invoice m = {11000, 1000, 3000, 500};
	assert_int_equal(rc_money_invoice_balance(&m), 11000 - 1000 - 3000 + 500);
	assert_int_equal(rc_money_creditable(&m), 10000);
	assert_int_equal(rc_money_payable(&m), 7500);
	rc_money_invoice over = {5000, 5000, 2000, 0}; /* paid, then wholly credited: account credit */
	assert_int_equal(rc_money_invoice_balance(&over), -2000);
	assert_int_equal(rc_money_payable(&over), 0);
	assert_int_equal(rc_money_creditable(&over), 0);
}

static void what_may_be_paid_refunded_and_credited(void **state)
{
	(void)state;
	char why[240];
	assert_int_equal(rc_money_check_payment("Amount", 7500, 7500, why, sizeof why), RC_OK);
	assert_int_equal(rc_money_check_payment("Amount", 7501, 7500, why, sizeof why), RC_EINVAL);
	assert_non_null(strstr(why, "$75.00 left to pay"));
	assert_int_equal(rc_money_check_payment("Amount", 1, 0, why, sizeof why), RC_EINVAL);
	assert_non_null(strstr(why, "nothing is left"));
	assert_int_equal(rc_money_check_payment("Amount", 0, 100, why, sizeof why), RC_EINVAL);
	assert_int_equal(rc_money_check_payment("Amount", -1, 100, why, sizeof why), RC_EINVAL);
	assert_int_equal(rc_money_check_payment("Amount", 99999, -1, why, sizeof why), RC_OK); /* on account */
	assert_int_equal(rc_money_check_refund("Amount", 2000, 3000, 1000, why, sizeof why), RC_OK);
	assert_int_equal(rc_money_check_refund("Amount", 2001, 3000, 1000, why, sizeof why), RC_EINVAL);
	assert_non_null(strstr(why, "more than was paid"));
	assert_non_null(strstr(why, "$20.00"));
	assert_int_equal(rc_money_check_refund("Amount", 0, 3000, 0, why, sizeof why), RC_EINVAL);
	assert_int_equal(rc_money_check_credit("Amount", 10000, 10000, why, sizeof why), RC_OK);
	assert_int_equal(rc_money_check_credit("Amount", 10001, 10000, why, sizeof why), RC_EINVAL);
	assert_non_null(strstr(why, "$100.00"));
}

static rc_err parse(const char *json, rc_billing_kb *kb, char *err, size_t n)
{
	memset(kb, 0, sizeof *kb);
	rc_arena_init(&kb->arena, 1 << 16);
	rc_content_file f = {"billing.json", json, strlen(json)};
	rc_err e = rc_billing_kb_parse(kb, &f, err, n);
	rc_arena_free(&kb->arena);
	return e;
}

#define GOOD_HEAD                                                                                                \
	"{\"provider\": {\"npi\": \"1234567893\", \"tax_id\": \"33-1234567\", \"place_of_service\": \"11\", "          \
	"\"place_of_service_name\": \"Office\"}, "
#define GOOD_POLICY                                                                                              \
	", \"policy\": {\"no_show_fee_cents\": 5000, \"late_cancel_fee_cents\": 3500, \"late_cancel_hours\": 24, "    \
	"\"text\": \"24 hours' notice\"}"

static void the_billing_file(void **state)
{
	(void)state;
	char err[300];
	rc_billing_kb *kb = NULL;
	assert_int_equal(rc_billing_kb_load(NULL, &kb, err, sizeof err), RC_OK);
	const rc_billing_service *acu = rc_billing_service_codes(kb, "acupuncture");
	assert_non_null(acu);
	assert_string_equal(acu->codes[0].cpt, "97810");
	assert_non_null(rc_billing_treatment_code(kb, "electro_acupuncture"));
	assert_null(rc_billing_service_codes(kb, "no-such-service"));
	assert_non_null(rc_billing_package_by_key(kb, "acupuncture-5"));
	assert_int_equal(kb->late_cancel_hours, 24);
	assert_string_equal(kb->npi, "1234567893");
	rc_billing_kb_free(kb);

	rc_billing_kb one;
	assert_int_equal(parse(GOOD_HEAD "\"services\": [{\"service\": \"x\", \"codes\": [{\"cpt\": \"97110\", \"units\": 2, "
	                                 "\"description\": \"Exercise\"}]}]" GOOD_POLICY "}",
	                       &one, err, sizeof err),
	                 RC_OK);
	/* A code that is not a CPT code, units out of range, a service twice, a bad NPI: each named. */
	assert_int_equal(parse(GOOD_HEAD "\"services\": [{\"service\": \"x\", \"codes\": [{\"cpt\": \"9711\", \"units\": 2, "
	                                 "\"description\": \"E\"}]}]" GOOD_POLICY "}",
	                       &one, err, sizeof err),
	                 RC_EINVAL);
	assert_non_null(strstr(err, "'cpt' must be a CPT code"));
	assert_int_equal(parse(GOOD_HEAD "\"services\": [{\"service\": \"x\", \"codes\": [{\"cpt\": \"97110\", \"units\": 0, "
	                                 "\"description\": \"E\"}]}]" GOOD_POLICY "}",
	                       &one, err, sizeof err),
	                 RC_EINVAL);
	assert_non_null(strstr(err, "'units'"));
	assert_int_equal(parse(GOOD_HEAD "\"services\": [{\"service\": \"x\", \"codes\": [{\"cpt\": \"97110\", \"units\": 1, "
	                                 "\"description\": \"E\"}]}, {\"service\": \"x\", \"codes\": [{\"cpt\": \"97110\", "
	                                 "\"units\": 1, \"description\": \"E\"}]}]" GOOD_POLICY "}",
	                       &one, err, sizeof err),
	                 RC_EINVAL);
	assert_non_null(strstr(err, "listed twice"));
	assert_int_equal(parse("{\"provider\": {\"npi\": \"12345\", \"tax_id\": \"1\", \"place_of_service\": \"11\", "
	                       "\"place_of_service_name\": \"Office\"}, \"services\": []" GOOD_POLICY "}",
	                       &one, err, sizeof err),
	                 RC_EINVAL);
	assert_non_null(strstr(err, "'npi'"));
	assert_int_equal(parse(GOOD_HEAD "\"services\": [], \"policy\": {\"no_show_fee_cents\": -1, "
	                                 "\"late_cancel_fee_cents\": 0, \"late_cancel_hours\": 24, \"text\": \"t\"}}",
	                       &one, err, sizeof err),
	                 RC_EINVAL);
	assert_non_null(strstr(err, "no_show_fee_cents"));
	assert_int_equal(parse("{\"provider\": ", &one, err, sizeof err), RC_EINVAL);
	assert_non_null(strstr(err, "billing.json: line 1"));
}

/* A visit's part of a prepaid package: the parts add up to the price exactly, none differ by more than a cent. */
static void a_package_splits_into_visits_to_the_cent(void **state)
{
	(void)state;
	const int64_t prices[] = {50000, 45001, 1, 0, 99999, 12345};
	for (size_t i = 0; i < sizeof prices / sizeof prices[0]; i++)
		for (int n = 1; n <= 12; n++) {
			int64_t sum = 0, lo = prices[i], hi = 0;
			for (int k = 1; k <= n; k++) {
				int64_t part = rc_money_share(prices[i], n, k);
				sum += part;
				lo = part < lo ? part : lo;
				hi = part > hi ? part : hi;
			}
			assert_int_equal(sum, prices[i]);
			assert_true(hi - lo <= 1);
		}
	assert_int_equal(rc_money_share(50000, 5, 1), 10000);
	assert_int_equal(rc_money_share(100, 3, 1) + rc_money_share(100, 3, 2) + rc_money_share(100, 3, 3), 100);
	assert_int_equal(rc_money_share(50000, 5, 0), 0);
	assert_int_equal(rc_money_share(50000, 5, 6), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(amounts_as_people_write_them),
		cmocka_unit_test(fractions_of_a_cent_and_negatives_are_refused),
		cmocka_unit_test(format_and_add),
		cmocka_unit_test(an_invoices_figures),
		cmocka_unit_test(what_may_be_paid_refunded_and_credited),
		cmocka_unit_test(a_package_splits_into_visits_to_the_cent),
		cmocka_unit_test(the_billing_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
