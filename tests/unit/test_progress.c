/* test_progress.c — the pain-monitoring decisions from logged data (hold, progress, step back, on the
 * first and last stage) and adherence arithmetic. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "domain/progress.h"

static const rc_progress_rules R = {3, 5, 2, 6, 7, "Silbernagel et al., Am J Sports Med 2007"};
enum { D0 = 20500 };

/* The decision's view of a whole stage given oldest first: its count, first day and latest sessions. */
static void decide(const rc_progress_rules *r, const rc_session_log *l, int n, const rc_morning *m, int nm,
                   int64_t stage_start, int stage, int nstages, rc_decision *d)
{
	int k = n < r->sessions ? n : r->sessions;
	rc_stage_logs s = {n, n ? l[0].day : 0, n ? l + n - k : NULL, k};
	rc_progress_decide(r, &s, m, nm, stage_start, stage, nstages, d);
}

static void sessions(rc_session_log *l, int n, int pain, int every)
{
	for (int i = 0; i < n; i++)
		l[i] = (rc_session_log){D0 + i * every, 15, 15, pain};
}

static void progress_after_a_calm_week(void **state)
{
	(void)state;
	rc_session_log l[8];
	sessions(l, 7, 2, 1);
	rc_morning m[] = {{D0 - 1, 2}, {D0 + 3, 2}, {D0 + 7, 1}};
	rc_decision d;
	decide(&R, l, 7, m, 3, D0, 1, 4, &d);
	assert_int_equal(d.kind, RC_DECIDE_PROGRESS);
	assert_non_null(strstr(d.why, "ready for stage 2"));
	assert_non_null(strstr(d.source, "Silbernagel"));
	/* The same on the last stage: no stage to go to. */
	decide(&R, l, 7, m, 3, D0, 4, 4, &d);
	assert_int_equal(d.kind, RC_DECIDE_HOLD);
	assert_non_null(strstr(d.why, "last stage"));
}

static void hold_when_too_few_or_too_soon_or_sore(void **state)
{
	(void)state;
	rc_session_log l[8];
	rc_decision d;
	sessions(l, 4, 2, 1);
	decide(&R, l, 4, NULL, 0, D0, 1, 4, &d);
	assert_int_equal(d.kind, RC_DECIDE_HOLD);
	assert_non_null(strstr(d.why, "4 of 6 sessions"));
	sessions(l, 6, 1, 0); /* six sessions, all on one day: not a week */
	decide(&R, l, 6, NULL, 0, D0, 1, 4, &d);
	assert_int_equal(d.kind, RC_DECIDE_HOLD);
	sessions(l, 8, 2, 1);
	l[7].pain_during = 4; /* acceptable, not yet safe */
	decide(&R, l, 8, NULL, 0, D0, 2, 4, &d);
	assert_int_equal(d.kind, RC_DECIDE_HOLD);
	assert_non_null(strstr(d.why, "4/10"));
	decide(&R, NULL, 0, NULL, 0, D0, 1, 4, &d);
	assert_int_equal(d.kind, RC_DECIDE_HOLD);
}

static void step_back_on_pain_or_a_worse_morning(void **state)
{
	(void)state;
	rc_session_log l[8];
	rc_decision d;
	sessions(l, 3, 2, 1);
	l[2].pain_during = 6;
	decide(&R, l, 3, NULL, 0, D0, 2, 4, &d);
	assert_int_equal(d.kind, RC_DECIDE_STEP_BACK);
	assert_non_null(strstr(d.why, "6/10"));
	assert_non_null(strstr(d.why, "stage before"));
	decide(&R, l, 3, NULL, 0, D0, 1, 4, &d);
	assert_non_null(strstr(d.why, "ease off"));
	sessions(l, 7, 2, 1);
	rc_morning m[] = {{D0 - 1, 1}, {D0 + 2, 2}, {D0 + 6, 3}};
	decide(&R, l, 7, m, 3, D0, 2, 4, &d);
	assert_int_equal(d.kind, RC_DECIDE_STEP_BACK);
	assert_non_null(strstr(d.why, "from 1 to 3"));
	/* One point worse is within the noise of a 0-10 rating: not a step back. */
	m[2].pain_rest = 2;
	decide(&R, l, 7, m, 3, D0, 2, 4, &d);
	assert_int_equal(d.kind, RC_DECIDE_PROGRESS);
}

/* A stage held for a year and more is decided from its latest sessions: the count and the first day
 * come with them, the rest is never read. */
static void a_long_stage_is_decided_from_its_latest_sessions(void **state)
{
	(void)state;
	rc_session_log latest[6];
	for (int i = 0; i < 6; i++)
		latest[i] = (rc_session_log){D0 + 400 + i, 15, 15, 1};
	rc_stage_logs s = {800, D0, latest, 6};
	rc_morning m[] = {{D0 - 1, 2}, {D0 + 405, 2}};
	rc_decision d;
	rc_progress_decide(&R, &s, m, 2, D0, 1, 4, &d);
	assert_int_equal(d.kind, RC_DECIDE_PROGRESS);
	assert_non_null(strstr(d.why, "800 sessions over 406 days"));
	latest[5].pain_during = 7; /* today's session hurt: that decides, not the calm year before it */
	rc_progress_decide(&R, &s, m, 2, D0, 1, 4, &d);
	assert_int_equal(d.kind, RC_DECIDE_STEP_BACK);
	assert_non_null(strstr(d.why, "7/10"));
}

/* The sentence every page and the printed sheet show comes from the program's own rules. */
static void pain_advice_follows_the_rules(void **state)
{
	(void)state;
	char t[320];
	rc_progress_pain_advice(&R, t, sizeof t);
	assert_non_null(strstr(t, "up to 3/10 is fine, 4-5/10 acceptable"));
	assert_non_null(strstr(t, "2 points or more worse"));
	const rc_progress_rules bone = {0, 2, 1, 6, 7, "George et al. 2024"};
	rc_progress_pain_advice(&bone, t, sizeof t);
	assert_non_null(strstr(t, "no pain (0/10); up to 2/10 is acceptable"));
	assert_non_null(strstr(t, "1 point or more worse"));
	assert_null(strstr(t, "3/10"));
	const rc_progress_rules four = {3, 4, 2, 6, 7, "s"}, same = {2, 2, 2, 6, 7, "s"}, none = {0, 0, 1, 6, 7, "s"};
	rc_progress_pain_advice(&four, t, sizeof t);
	assert_non_null(strstr(t, "up to 3/10 is fine, 4/10 acceptable"));
	rc_progress_pain_advice(&same, t, sizeof t);
	assert_non_null(strstr(t, "up to 2/10 is fine; more is too much"));
	rc_progress_pain_advice(&none, t, sizeof t);
	assert_non_null(strstr(t, "any pain is too much"));
}

static int done_table(void *ctx, int64_t day)
{
	const int *t = ctx;
	return day >= D0 && day < D0 + 28 ? t[day - D0] : 0;
}

static void adherence_arithmetic(void **state)
{
	(void)state;
	int t[28] = {0};
	for (int i = 0; i < 28; i++)
		t[i] = i % 2 ? 3 : 1; /* 3 sessions a day due: alternate days full, others one */
	t[27] = 5;                /* more than due counts as due */
	double a7 = rc_adherence(D0 + 27, 7, D0, 3, done_table, t);
	/* days 21..27: 21 (1), 22 (3), 23 (1), 24 (3), 25 (1), 26 (3), 27 (capped 3) = 15 of 21 */
	assert_true(a7 > 15.0 / 21 - 1e-9 && a7 < 15.0 / 21 + 1e-9);
	/* A program started the day before: only 2 days are due, (1 + 3) of 6. */
	double a2 = rc_adherence(D0 + 27, 28, D0 + 26, 3, done_table, t);
	assert_true(a2 > 4.0 / 6 - 1e-9 && a2 < 4.0 / 6 + 1e-9);
	assert_true(rc_adherence(D0, 7, D0 + 5, 3, done_table, t) == 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(progress_after_a_calm_week),
		cmocka_unit_test(hold_when_too_few_or_too_soon_or_sore),
		cmocka_unit_test(step_back_on_pain_or_a_worse_morning),
		cmocka_unit_test(a_long_stage_is_decided_from_its_latest_sessions),
		cmocka_unit_test(pain_advice_follows_the_rules),
		cmocka_unit_test(adherence_arithmetic),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
