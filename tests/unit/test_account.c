/* test_account.c — unit tests for the account rules that need no database: the sign-in throttle's
 * wait (per pair and per address), who sees clinical content, what a token's scope allows, and
 * the email rule. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "app/account.h"
#include "web/auth.h"

static void no_failures_no_wait(void **state)
{
	(void)state;
	rc_signin_counts c = {0};
	assert_int_equal(rc_app_signin_wait(&c, 1000), 0);
	c = (rc_signin_counts){RC_SIGNIN_FREE_PER_PAIR - 1, 999, RC_SIGNIN_FREE_PER_PAIR - 1, 999};
	assert_int_equal(rc_app_signin_wait(&c, 1000), 0);
}

static void pair_waits_double_from_one_second(void **state)
{
	(void)state;
	rc_signin_counts c = {RC_SIGNIN_FREE_PER_PAIR, 1000, RC_SIGNIN_FREE_PER_PAIR, 1000};
	assert_int_equal(rc_app_signin_wait(&c, 1000), 1);
	assert_int_equal(rc_app_signin_wait(&c, 1001), 0);
	c.by_pair = RC_SIGNIN_FREE_PER_PAIR + 3;
	assert_int_equal(rc_app_signin_wait(&c, 1000), 8);
	assert_int_equal(rc_app_signin_wait(&c, 1005), 3);
	c.by_pair = RC_SIGNIN_FREE_PER_PAIR + 60; /* no overflow: the wait is capped */
	assert_int_equal(rc_app_signin_wait(&c, 1000), RC_SIGNIN_MAX_WAIT_S);
}

/* Many failures from one address on other emails do not make this pair wait, until the looser
 * per-address allowance is spent. */
static void address_limit_is_looser(void **state)
{
	(void)state;
	rc_signin_counts c = {0, 0, RC_SIGNIN_FREE_PER_ADDRESS - 1, 1000};
	assert_true(RC_SIGNIN_FREE_PER_ADDRESS > 4 * RC_SIGNIN_FREE_PER_PAIR);
	assert_int_equal(rc_app_signin_wait(&c, 1000), 0);
	c.by_address = RC_SIGNIN_FREE_PER_ADDRESS + 2;
	assert_int_equal(rc_app_signin_wait(&c, 1000), 4);
}

static void front_desk_sees_no_clinical_content(void **state)
{
	(void)state;
	assert_false(rc_role_sees_clinical(RC_ROLE_FRONT_DESK));
	assert_false(rc_role_sees_clinical(RC_ROLE_NONE));
	assert_true(rc_role_sees_clinical(RC_ROLE_PRACTITIONER));
	assert_true(rc_role_sees_clinical(RC_ROLE_ADMIN));
	assert_true(rc_role_sees_clinical(RC_ROLE_RUNNER)); /* their own record only: http.c sees to that */
}

static void read_tokens_only_read(void **state)
{
	(void)state;
	rc_account a = {.id = 7, .role = RC_ROLE_RUNNER, .scope = RC_SCOPE_READ};
	assert_null(rc_auth_scope_refusal(&a, "GET"));
	assert_null(rc_auth_scope_refusal(&a, "HEAD"));
	assert_non_null(rc_auth_scope_refusal(&a, "POST"));
	assert_non_null(rc_auth_scope_refusal(&a, "DELETE"));
	assert_non_null(rc_auth_scope_refusal(&a, "PUT"));
	a.scope = RC_SCOPE_WRITE;
	assert_null(rc_auth_scope_refusal(&a, "DELETE"));
	a.scope = RC_SCOPE_SESSION;
	assert_null(rc_auth_scope_refusal(&a, "POST"));
	assert_int_equal(rc_scope_parse("read"), RC_SCOPE_READ);
	assert_int_equal(rc_scope_parse("write"), RC_SCOPE_WRITE);
	assert_int_equal(rc_scope_parse("admin"), RC_SCOPE_SESSION);
	assert_int_equal(rc_scope_parse(NULL), RC_SCOPE_SESSION);
}

static void emails_are_cleaned_or_refused(void **state)
{
	(void)state;
	char out[RC_EMAIL_MAX + 1];
	assert_true(rc_app_email_clean("  Ann@Example.ORG ", out));
	assert_string_equal(out, "ann@example.org");
	const char *bad[] = {NULL, "", "a@b", "no-at.example.org", "two@@example.org", "a b@example.org",
	                     "x@example.org\r\nBcc: y@example.org", "<x@example.org>", "x@example.", "@example.org"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_false(rc_app_email_clean(bad[i], out));
	char longest[RC_EMAIL_MAX + 2];
	memset(longest, 'a', sizeof longest);
	memcpy(longest + RC_EMAIL_MAX - 12, "@example.org", 12);
	longest[RC_EMAIL_MAX] = '\0';
	assert_true(rc_app_email_clean(longest, out));
	longest[RC_EMAIL_MAX - 12] = 'a';
	memcpy(longest + RC_EMAIL_MAX - 11, "@example.org", 12);
	longest[RC_EMAIL_MAX + 1] = '\0';
	assert_false(rc_app_email_clean(longest, out));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(no_failures_no_wait),
		cmocka_unit_test(pair_waits_double_from_one_second),
		cmocka_unit_test(address_limit_is_looser),
		cmocka_unit_test(front_desk_sees_no_clinical_content),
		cmocka_unit_test(read_tokens_only_read),
		cmocka_unit_test(emails_are_cleaned_or_refused),
	};
	return cmocka_run_group_tests_name("account", tests, NULL, NULL);
}
