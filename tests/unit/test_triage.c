/* test_triage.c — the self-check engine: every vignette (the shared public set, when present, and
 * the project's own in tests/data) gets its urgency and condition; red flags, the don't-know rule,
 * branching, bad answers and knowledge-file errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/stat.h>

#include "base/embed.h"
#include "content/selfcheck.h"

static rc_triage_kb *kb;

static int setup(void **state)
{
	(void)state;
	char err[512];
	if (rc_selfcheck_load(NULL, &kb, err, sizeof err)) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	rc_selfcheck_free(kb);
	return 0;
}

static rc_triage_result eval_json(const char *text)
{
	json_error_t je;
	json_t *j = json_loads(text, 0, &je);
	rc_answers a;
	char err[512];
	assert_non_null(j);
	assert_int_equal(rc_selfcheck_answers(kb, j, &a, err, sizeof err), RC_OK);
	json_decref(j);
	rc_triage_result r;
	rc_triage_eval(kb, &a, &r);
	return r;
}

static bool has_fired(const rc_triage_result *r, const char *rule)
{
	for (int k = 0; k < r->nfired; k++)
		if (strcmp(r->fired[k].rule->id, rule) == 0)
			return true;
	return false;
}

/* Runs a vignette file; prints a table of misses; fails on any under-triage or miss. */
static void run_file(const char *path, bool required)
{
	json_error_t je;
	json_t *list = json_load_file(path, 0, &je);
	if (!list) {
		if (!required && !(getenv("CI") && strcmp(getenv("CI"), "true") == 0)) {
			printf("# %s is absent: skipped (it lives in ../shared)\n", path);
			skip();
		}
		fail_msg("cannot read %s: %s", path, je.text);
	}
	size_t i, n = json_array_size(list), urgency_ok = 0, strict = 0, lenient = 0, under = 0;
	json_t *v;
	json_array_foreach(list, i, v)
	{
		rc_answers a;
		char err[512];
		assert_int_equal(rc_selfcheck_answers(kb, json_object_get(v, "answers"), &a, err, sizeof err), RC_OK);
		rc_triage_result r;
		rc_triage_eval(kb, &a, &r);
		const char *want_u = json_string_value(json_object_get(v, "expected_urgency"));
		const char *want_c = json_string_value(json_object_get(v, "expected_condition"));
		const char *got_c = r.nranked ? r.ranked[0].condition->key : "(none)";
		bool u = strcmp(rc_level_name(r.urgency), want_u) == 0, acceptable = false;
		json_t *acc = json_object_get(v, "acceptable_conditions");
		for (size_t k = 0; k < json_array_size(acc); k++)
			acceptable |= strcmp(json_string_value(json_array_get(acc, k)), got_c) == 0;
		urgency_ok += u;
		strict += strcmp(got_c, want_c) == 0;
		lenient += acceptable;
		if ((int)r.urgency < rc_level_parse(want_u))
			under++;
		if (!u || !acceptable)
			printf("# miss %-28s urgency %-9s -> %-9s condition %s -> %s\n",
			       json_string_value(json_object_get(v, "id")), want_u, rc_level_name(r.urgency), want_c, got_c);
	}
	printf("# %s: %zu cases, urgency %zu, condition first %zu (acceptable %zu), under-triage %zu\n", path, n,
	       urgency_ok, strict, lenient, under);
	json_decref(list);
	assert_int_equal(under, 0);
	assert_int_equal(urgency_ok, n);
	assert_int_equal(lenient, n);
}

static int by_count(const void *x, const void *y)
{
	return *(const int *)x - *(const int *)y;
}

/* The same files, one question at a time (rc_triage_next), answered from each case as the bench does:
 * a warning sign the case does not mention is "no", anything else it does not mention is skipped. No
 * case may come out less urgent than answering everything would make it, nor with another leading
 * condition (the questions stop only when no answer left could change it: HO-03 once stopped before
 * the questions that put a hamstring avulsion in front); the public cases must all be right, in a
 * median of at most 12 questions. */
static int walk_file(const char *path, bool all_right, int *counts)
{
	json_error_t je;
	json_t *list = json_load_file(path, 0, &je);
	if (!list) {
		if (!(getenv("CI") && strcmp(getenv("CI"), "true") == 0)) {
			printf("# %s is absent: skipped (it lives in ../shared)\n", path);
			skip();
		}
		fail_msg("cannot read %s: %s", path, je.text);
	}
	size_t i, n = json_array_size(list), right = 0, other_lead = 0;
	json_t *v;
	assert_true(n <= 256);
	json_array_foreach(list, i, v)
	{
		rc_answers the_case, asked;
		char err[512];
		assert_int_equal(rc_selfcheck_answers(kb, json_object_get(v, "answers"), &the_case, err, sizeof err), RC_OK);
		rc_triage_result all, walked;
		rc_triage_eval(kb, &the_case, &all);
		counts[i] = rc_triage_walk(kb, &the_case, &asked);
		rc_triage_eval(kb, &asked, &walked);
		if (walked.urgency < all.urgency && (int)walked.urgency < rc_level_parse(json_string_value(json_object_get(v, "expected_urgency"))))
			fail_msg("%s: %s one question at a time, %s answering everything",
			         json_string_value(json_object_get(v, "id")), rc_level_name(walked.urgency), rc_level_name(all.urgency));
		const char *one = all.nranked ? all.ranked[0].condition->key : "-";
		const char *step = walked.nranked ? walked.ranked[0].condition->key : "-";
		if (strcmp(one, step) != 0) {
			printf("# %s: %s one question at a time, %s answering everything\n",
			       json_string_value(json_object_get(v, "id")), step, one);
			other_lead++;
		}
		bool ok = strcmp(rc_level_name(walked.urgency), json_string_value(json_object_get(v, "expected_urgency"))) == 0;
		bool cond = false;
		json_t *acc = json_object_get(v, "acceptable_conditions");
		for (size_t k = 0; walked.nranked && k < json_array_size(acc); k++)
			cond |= strcmp(json_string_value(json_array_get(acc, k)), walked.ranked[0].condition->key) == 0;
		right += ok && cond;
		if (!(ok && cond))
			printf("# walked miss %s: %s %s\n", json_string_value(json_object_get(v, "id")), rc_level_name(walked.urgency),
			       walked.nranked ? walked.ranked[0].condition->key : "-");
	}
	printf("# %s one question at a time: %zu of %zu right\n", path, right, n);
	json_decref(list);
	assert_int_equal(other_lead, 0);
	if (all_right)
		assert_int_equal(right, n);
	return (int)n;
}

/* Nearest-rank median and 90th percentile of n question counts (sorted in place). */
static int median_of(int *counts, int n, int *p90)
{
	qsort(counts, (size_t)n, sizeof counts[0], by_count);
	*p90 = counts[(9 * n + 9) / 10 - 1];
	return counts[(n + 1) / 2 - 1];
}

static void public_vignettes_one_question_at_a_time(void **state)
{
	(void)state;
	const char *shared = getenv("RUNCARE_SHARED") ? getenv("RUNCARE_SHARED") : "../shared";
	char path[1024];
	static int counts[512];
	snprintf(path, sizeof path, "%s/clinical/vignettes-public.json", shared);
	int n = walk_file(path, true, counts);
	snprintf(path, sizeof path, "%s/clinical/vignettes-public-v2.json", shared);
	n += walk_file(path, true, counts + n);
	int p90, median = median_of(counts, n, &p90);
	printf("# every public vignette: median %d questions to a result, 90th percentile %d\n", median, p90);
	assert_true(median <= 12);
}

static void project_vignettes_one_question_at_a_time(void **state)
{
	(void)state;
	static const char *const files[] = {"vignettes-extra.json", "vignettes-heldout.json", "vignettes-sparse.json"};
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		char path[1024];
		static int counts[256];
		snprintf(path, sizeof path, "%s/tests/data/%s", getenv("RUNCARE_SOURCE") ? getenv("RUNCARE_SOURCE") : ".", files[i]);
		walk_file(path, false, counts);
	}
}

/* The next question weighs each possible answer from the evaluation without it (rc_triage_probe): at
 * every step of every vignette walked one question at a time, every answer to every question still
 * open (and a "yes" turned to "no") must give exactly the scores, leader and level a whole evaluation
 * gives. */
static int probe_file(const char *path, int *compared, int *whole)
{
	json_t *list = json_load_file(path, 0, NULL);
	if (!list) {
		printf("# %s is absent: skipped\n", path);
		return 0;
	}
	static rc_triage_result cur, full;
	static rc_answers the_case, asked, t;
	double base[RC_TRIAGE_MAX_CONDITIONS], fast[RC_TRIAGE_MAX_CONDITIONS], slow[RC_TRIAGE_MAX_CONDITIONS];
	size_t i;
	json_t *v;
	json_array_foreach(list, i, v)
	{
		char err[512];
		assert_int_equal(rc_selfcheck_answers(kb, json_object_get(v, "answers"), &the_case, err, sizeof err), RC_OK);
		memset(&asked, 0, sizeof asked);
		asked.state[kb->region] = the_case.state[kb->region], asked.value[kb->region] = the_case.value[kb->region];
		for (int step = 0; step < 60; step++) {
			rc_triage_eval_scores(kb, &asked, &cur, base);
			int q[RC_TRIAGE_MAX_FINDINGS];
			int nq = rc_triage_questions(kb, &asked, q, RC_TRIAGE_MAX_FINDINGS);
			for (int j = 0; j < nq; j++) {
				int f = q[j];
				const rc_finding *fd = &kb->findings[f];
				if (f == kb->region || asked.state[f] != RC_ANS_ABSENT)
					continue;
				int vals[RC_TRIAGE_MAX_VALUES], nvals = 0;
				if (fd->type == RC_FT_BOOL)
					vals[nvals++] = 0, vals[nvals++] = 1;
				else if (fd->type == RC_FT_ENUM)
					for (int k = 0; k < fd->nvalues; k++)
						vals[nvals++] = k;
				else
					for (int x = fd->min; x <= fd->max && nvals < RC_TRIAGE_MAX_VALUES; x += (fd->max - fd->min) / 20 + 1)
						vals[nvals++] = x;
				for (int k = 0; k < nvals; k++) {
					t = asked;
					t.state[f] = RC_ANS_VALUE, t.value[f] = vals[k];
					const rc_condition *lead;
					rc_level level;
					rc_triage_eval_scores(kb, &t, &full, slow);
					if (!rc_triage_probe(kb, &asked, &t, f, &cur, base, fast, &lead, &level)) {
						(*whole)++;
						continue;
					}
					(*compared)++;
					for (int c = 0; c < kb->nconditions; c++)
						if (!(fast[c] == slow[c] || (isnan(fast[c]) && isnan(slow[c]))))
							fail_msg("%s step %d, %s=%d: %s scores %.17g by the probe, %.17g in full",
							         json_string_value(json_object_get(v, "id")), step, fd->key, vals[k],
							         kb->conditions[c].key, fast[c], slow[c]);
					assert_ptr_equal(lead, full.nranked ? full.ranked[0].condition : NULL);
					assert_int_equal(level, full.urgency);
					if (fd->type != RC_FT_BOOL || vals[k] != 1)
						continue;
					/* And back: from "yes" to "no" (as the warning signs are weighed all "yes" but one). */
					static rc_triage_result yes;
					static rc_answers no;
					double yes_scores[RC_TRIAGE_MAX_CONDITIONS];
					rc_triage_eval_scores(kb, &t, &yes, yes_scores);
					no = t;
					no.value[f] = 0;
					rc_triage_eval_scores(kb, &no, &full, slow);
					assert_true(rc_triage_probe(kb, &t, &no, f, &yes, yes_scores, fast, &lead, &level));
					for (int c = 0; c < kb->nconditions; c++)
						assert_true(fast[c] == slow[c] || (isnan(fast[c]) && isnan(slow[c])));
					assert_ptr_equal(lead, full.nranked ? full.ranked[0].condition : NULL);
					assert_int_equal(level, full.urgency);
				}
			}
			rc_next nx;
			rc_triage_next(kb, &asked, &nx);
			if (nx.done)
				break;
			int f = nx.finding;
			if (the_case.state[f] != RC_ANS_ABSENT && the_case.state[f] != RC_ANS_SKIPPED)
				asked.state[f] = the_case.state[f], asked.value[f] = the_case.value[f];
			else if (kb->findings[f].type == RC_FT_BOOL && strcmp(kb->findings[f].group, "red_flags") == 0)
				asked.state[f] = RC_ANS_VALUE, asked.value[f] = 0;
			else
				asked.state[f] = RC_ANS_SKIPPED;
		}
	}
	json_decref(list);
	return (int)i;
}

static void probe_is_a_whole_evaluation(void **state)
{
	(void)state;
	const char *shared = getenv("RUNCARE_SHARED") ? getenv("RUNCARE_SHARED") : "../shared";
	const char *source = getenv("RUNCARE_SOURCE") ? getenv("RUNCARE_SOURCE") : ".";
	static const char *const files[] = {"%s/clinical/vignettes-public.json", "%s/clinical/vignettes-public-v2.json",
	                                    "%s/tests/data/vignettes-extra.json", "%s/tests/data/vignettes-heldout.json",
	                                    "%s/tests/data/vignettes-sparse.json"};
	int cases = 0, compared = 0, whole = 0;
	for (size_t k = 0; k < sizeof files / sizeof files[0]; k++) {
		char path[1024];
		snprintf(path, sizeof path, files[k], k < 2 ? shared : source);
		cases += probe_file(path, &compared, &whole);
	}
	printf("# %d vignettes: %d answers weighed by the probe, all as a whole evaluation; %d evaluated in full\n",
	       cases, compared, whole);
	assert_true(compared > 1000);
}

/* The questions come in the order that keeps people safe and short: where, then the warning signs of
 * that region (none from elsewhere), and an emergency answer ends them at once. */
static void next_question_order_and_stops(void **state)
{
	(void)state;
	rc_answers a;
	memset(&a, 0, sizeof a);
	rc_next nx;
	rc_triage_next(kb, &a, &nx);
	assert_false(nx.done);
	assert_int_equal(nx.finding, kb->region);
	assert_int_equal(rc_selfcheck_answer_text(kb, kb->region, "buttock_sit_bone", &a, NULL, 0), RC_OK);
	int stroke = rc_triage_finding(kb, "stroke_warning_signs"), rash = rc_triage_finding(kb, "light_sensitivity_or_new_rash");
	int saddle = rc_triage_finding(kb, "saddle_numbness");
	bool saw_saddle = false;
	for (int i = 0; i < 40; i++) {
		rc_triage_next(kb, &a, &nx);
		if (nx.done)
			break;
		assert_int_not_equal(nx.finding, stroke);
		assert_int_not_equal(nx.finding, rash);
		if (i < 3)
			assert_true(nx.warning); /* the cauda equina signs come first */
		saw_saddle |= nx.finding == saddle;
		if (nx.finding == saddle) {
			/* "Yes" to saddle numbness: nothing more is asked. */
			rc_answers yes = a;
			yes.state[saddle] = RC_ANS_VALUE, yes.value[saddle] = 1;
			rc_next after;
			rc_triage_next(kb, &yes, &after);
			assert_true(after.done);
		}
		a.state[nx.finding] = RC_ANS_SKIPPED; /* skipped: not asked again */
	}
	assert_true(saw_saddle);
	assert_true(nx.done);
	/* An answer that makes the leading condition an emergency on its own does not stop the questions:
	 * only a warning sign does (headache alone once ended a neck check as meningitis). */
	memset(&a, 0, sizeof a);
	assert_int_equal(rc_selfcheck_answer_text(kb, kb->region, "neck", &a, NULL, 0), RC_OK);
	assert_int_equal(rc_selfcheck_answer_text(kb, rc_triage_finding(kb, "headache"), "yes", &a, NULL, 0), RC_OK);
	rc_triage_next(kb, &a, &nx);
	assert_false(nx.done);
}

static void public_vignettes(void **state)
{
	(void)state;
	char path[1024];
	snprintf(path, sizeof path, "%s/clinical/vignettes-public.json", getenv("RUNCARE_SHARED") ? getenv("RUNCARE_SHARED") : "../shared");
	run_file(path, false);
}

/* Version 2 of the vocabulary: knee, thigh, calf and ankle (and the outer hip and groin). */
static void public_vignettes_v2(void **state)
{
	(void)state;
	char path[1024];
	snprintf(path, sizeof path, "%s/clinical/vignettes-public-v2.json", getenv("RUNCARE_SHARED") ? getenv("RUNCARE_SHARED") : "../shared");
	run_file(path, false);
}

static void project_vignettes(void **state)
{
	(void)state;
	char path[1024];
	snprintf(path, sizeof path, "%s/tests/data/vignettes-extra.json", getenv("RUNCARE_SOURCE") ? getenv("RUNCARE_SOURCE") : ".");
	run_file(path, true);
	/* Written blind, from shared/clinical/README.md alone, by an author who did not see the engine's
	 * knowledge files: the nearest thing here to the held-out cases runcare is judged on. */
	snprintf(path, sizeof path, "%s/tests/data/vignettes-heldout.json", getenv("RUNCARE_SOURCE") ? getenv("RUNCARE_SOURCE") : ".");
	run_file(path, true);
	/* The same, for real users: few answers, "don't know" on warning signs, mimics and conflicts. */
	snprintf(path, sizeof path, "%s/tests/data/vignettes-sparse.json", getenv("RUNCARE_SOURCE") ? getenv("RUNCARE_SOURCE") : ".");
	run_file(path, true);
}

static void each_emergency_flag_fires_on_its_own(void **state)
{
	(void)state;
	static const char *const cases[][2] = {
		{"{\"region\": \"low_back\", \"saddle_numbness\": true}", "cauda_equina"},
		{"{\"region\": \"low_back\", \"bladder_bowel_change\": true}", "cauda_equina"},
		{"{\"region\": \"posterior_thigh\", \"both_legs_symptoms\": true}", "cauda_equina"},
		{"{\"region\": \"shin_front\", \"pain_out_of_proportion\": true, \"tense_swollen_leg\": true}", "acute_compartment"},
		{"{\"region\": \"neck\", \"stroke_warning_signs\": true}", "stroke_signs"},
		{"{\"region\": \"heel_sole\", \"sudden_severe_unusual_headache\": true}", "stroke_signs"},
		{"{\"region\": \"neck\", \"mechanism\": \"fall_or_collision\", \"age\": 70}", "cervical_fracture"},
		{"{\"region\": \"neck\", \"fever\": true, \"headache\": true}", "meningitis"},
		{"{\"region\": \"calf\", \"fever\": true, \"very_unwell\": true}", "sepsis_signs"},
		/* Version 2: a hot swollen joint without injury, with or without fever; a clot in the lungs in any
		 * region; a deformed limb; a septic hip where swelling cannot be seen. */
		{"{\"region\": \"knee_front\", \"redness_warmth\": true, \"swelling\": true, \"fever\": false}", "septic_joint"},
		{"{\"region\": \"ankle\", \"redness_warmth\": true, \"swelling\": true}", "septic_joint"},
		{"{\"region\": \"groin_hip_front\", \"fever\": true, \"cannot_bear_weight_four_steps\": true}", "septic_hip"},
		{"{\"region\": \"heel_sole\", \"chest_pain_or_breathlessness\": true}", "chest_pain_or_breathlessness"},
		{"{\"region\": \"ankle\", \"obvious_deformity\": true}", "obvious_deformity_ankle_foot"},
		{"{\"region\": \"knee_inner\", \"obvious_deformity\": true}", "obvious_deformity"},
		{"{\"region\": \"thigh_front\", \"saddle_numbness\": true}", "cauda_equina"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		rc_triage_result r = eval_json(cases[i][0]);
		assert_int_equal(r.urgency, RC_LEVEL_EMERGENCY);
		if (!has_fired(&r, cases[i][1]))
			fail_msg("%s did not fire for %s", cases[i][1], cases[i][0]);
	}
}

static void dont_know_on_a_time_critical_flag_raises_one_level(void **state)
{
	(void)state;
	rc_triage_result known = eval_json("{\"region\": \"low_back\", \"pain_spreads_down_leg\": true, \"pain_below_knee\": "
	                                   "true, \"leg_pain_worse_than_back\": true, \"back_pain\": true, \"saddle_numbness\": false}");
	rc_triage_result unsure = eval_json("{\"region\": \"low_back\", \"pain_spreads_down_leg\": true, \"pain_below_knee\": "
	                                    "true, \"leg_pain_worse_than_back\": true, \"back_pain\": true, \"saddle_numbness\": null}");
	assert_int_equal(known.urgency, RC_LEVEL_SOON);
	assert_int_equal(unsure.urgency, RC_LEVEL_URGENT);
	assert_int_equal(unsure.nunknown_critical, 1);
	/* Not time-critical here: "don't know" about stroke signs with heel pain changes nothing. */
	rc_triage_result heel = eval_json("{\"region\": \"heel_sole\", \"morning_first_step_pain\": true, \"stroke_warning_signs\": null}");
	assert_int_equal(heel.urgency, RC_LEVEL_SELF_CARE);
	/* Version 2: calf swelling and breathlessness are time-critical (a clot). */
	rc_triage_result cyst = eval_json("{\"region\": \"knee_back\", \"lump_behind_knee\": true, \"calf_swelling_one_sided\": null}");
	assert_int_equal(cyst.urgency, RC_LEVEL_SOON);
	rc_triage_result pfp = eval_json("{\"region\": \"knee_front\", \"pain_sitting_with_knees_bent\": true, "
	                                 "\"chest_pain_or_breathlessness\": null}");
	assert_int_equal(pfp.urgency, RC_LEVEL_SOON);
}

/* Version 2's urgent rules, each on its own: the Ottawa ankle and knee rules, blood in the knee, a
 * locked knee, one swollen calf, and bone stress at the inner ankle knob (a high-risk site) against
 * the femoral shaft (a low-risk one). An ankle sprain the Ottawa rules clear stays self-care. */
static void knee_thigh_calf_ankle_rules(void **state)
{
	(void)state;
	static const struct {
		const char *answers, *rule;
		rc_level level;
	} cases[] = {
		{"{\"region\": \"ankle\", \"onset\": \"sudden\", \"malleolus_bone_tender\": true}", "ottawa_ankle_foot_after_injury", RC_LEVEL_URGENT},
		{"{\"region\": \"foot_outer_edge\", \"fifth_metatarsal_base_tender\": true}", "ottawa_ankle_foot_after_injury", RC_LEVEL_URGENT},
		{"{\"region\": \"ankle\", \"mechanism\": \"rolled_ankle\", \"cannot_bear_weight_four_steps\": true}", "ottawa_ankle_foot_after_injury", RC_LEVEL_URGENT},
		{"{\"region\": \"midfoot\", \"onset\": \"gradual\", \"navicular_bone_tender\": true}", "ottawa_items_gradual", RC_LEVEL_URGENT},
		{"{\"region\": \"knee_outer\", \"cannot_bear_weight_four_steps\": true}", "knee_cannot_bear_weight", RC_LEVEL_URGENT},
		{"{\"region\": \"knee_front\", \"swelling_within_hours_of_injury\": true}", "knee_haemarthrosis", RC_LEVEL_URGENT},
		{"{\"region\": \"knee_inner\", \"knee_locked_now\": true}", "knee_locked", RC_LEVEL_URGENT},
		{"{\"region\": \"calf\", \"calf_swelling_one_sided\": true, \"mechanism\": \"sprint_or_push_off\"}", "one_sided_calf_swelling", RC_LEVEL_URGENT},
		{"{\"region\": \"ankle\", \"onset\": \"gradual\", \"focal_bone_tenderness\": true, \"night_pain\": true}", "medial_malleolus_bone_stress", RC_LEVEL_URGENT},
		{"{\"region\": \"thigh_front\", \"onset\": \"gradual\", \"pain_with_hopping\": \"severe\"}", "femoral_shaft_bone_stress", RC_LEVEL_SOON},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		rc_triage_result r = eval_json(cases[i].answers);
		bool found = has_fired(&r, cases[i].rule);
		if (!found || r.urgency != cases[i].level)
			fail_msg("%s: %s fired %d, level %s", cases[i].answers, cases[i].rule, found, rc_level_name(r.urgency));
	}
	rc_triage_result sprain = eval_json("{\"region\": \"ankle\", \"onset\": \"sudden\", \"mechanism\": \"rolled_ankle\", "
	                                    "\"cannot_bear_weight_four_steps\": false, \"malleolus_bone_tender\": false, "
	                                    "\"fifth_metatarsal_base_tender\": false, \"navicular_bone_tender\": false}");
	assert_int_equal(sprain.urgency, RC_LEVEL_SELF_CARE);
	assert_string_equal(sprain.ranked[0].condition->key, "ankle_sprain");
	/* Night pain from lying on the outer hip, a painless hop and no rest pain: not a femoral neck fracture. */
	rc_triage_result glut = eval_json("{\"region\": \"hip_lateral\", \"pain_lying_on_side\": true, \"night_pain\": true, "
	                                  "\"training_change_recent\": true, \"pain_with_hopping\": \"none\", \"rest_pain\": false}");
	assert_int_equal(glut.urgency, RC_LEVEL_SELF_CARE);
	rc_triage_result unsure = eval_json("{\"region\": \"hip_lateral\", \"pain_lying_on_side\": true, \"night_pain\": true, "
	                                    "\"training_change_recent\": true, \"pain_with_hopping\": \"none\"}");
	assert_int_equal(unsure.urgency, RC_LEVEL_URGENT);
}

static void branching_asks_only_what_matters(void **state)
{
	(void)state;
	rc_answers a;
	memset(&a, 0, sizeof a);
	int q[RC_TRIAGE_MAX_FINDINGS];
	int n = rc_triage_questions(kb, &a, q, RC_TRIAGE_MAX_FINDINGS);
	assert_true(n >= 1);
	assert_int_equal(q[0], kb->region);
	char err[256];
	assert_int_equal(rc_selfcheck_answer_text(kb, kb->region, "neck", &a, err, sizeof err), RC_OK);
	n = rc_triage_questions(kb, &a, q, RC_TRIAGE_MAX_FINDINGS);
	bool has_stroke = false, has_heel = false, has_hand = false;
	int first_symptom = -1, last_flag = -1;
	for (int i = 0; i < n; i++) {
		const char *k = kb->findings[q[i]].key;
		has_stroke |= strcmp(k, "stroke_warning_signs") == 0;
		has_hand |= strcmp(k, "hand_clumsiness") == 0;
		has_heel |= strcmp(k, "heel_squeeze_pain") == 0;
		if (strcmp(kb->findings[q[i]].group, "red_flags") == 0)
			last_flag = i;
		if (first_symptom < 0 && strcmp(kb->findings[q[i]].group, "symptoms") == 0)
			first_symptom = i;
	}
	assert_true(has_stroke && has_hand);
	assert_false(has_heel); /* a heel question is not asked about neck pain */
	assert_true(last_flag < first_symptom); /* red flags first */
}

static void bad_answers_name_the_key_and_what_is_allowed(void **state)
{
	(void)state;
	static const char *const cases[][2] = {
		{"{\"region\": \"moon\"}", "'region' must be one of low_back"},
		{"{\"wobbly_knee\": true}", "'wobbly_knee' is not a question"},
		{"{\"fever\": \"yes\"}", "'fever' must be true, false or null"},
		{"{\"age\": 7}", "'age' must be a whole number from 10 to 100"},
		{"{\"age\": \"forty\"}", "'age' must be a whole number"},
		{"[1, 2]", "must be a JSON object"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		json_t *j = json_loads(cases[i][0], 0, NULL);
		rc_answers a;
		char err[512] = "";
		assert_int_equal(rc_selfcheck_answers(kb, j, &a, err, sizeof err), RC_EINVAL);
		if (!strstr(err, cases[i][1]))
			fail_msg("for %s: '%s' does not say '%s'", cases[i][0], err, cases[i][1]);
		json_decref(j);
	}
}

static void knowledge_errors_name_file_line_and_key(void **state)
{
	(void)state;
	char dir[] = "/tmp/runcare-kb-XXXXXX", path[256], err[512];
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/selfcheck", dir);
	assert_int_equal(mkdir(path, 0700), 0);
	static const char *const names[] = {"findings.json", "conditions.json", "redflags.jsonl", "evidence.jsonl",
	                                    "riskfactors.jsonl"};
	for (int i = 0; i < 5; i++) {
		for (const rc_embedded *e = rc_embedded_content; e->name; e++) {
			char want[64];
			snprintf(want, sizeof want, "selfcheck/%s", names[i]);
			if (strcmp(e->name, want) != 0)
				continue;
			snprintf(path, sizeof path, "%s/selfcheck/%s", dir, names[i]);
			FILE *f = fopen(path, "w");
			fwrite(e->data, 1, e->len, f);
			if (i == 2) /* a rule with an unknown level, on the line after the last */
				fputs("{\"id\": \"x\", \"level\": \"whenever\", \"reason\": \"r\", \"source\": \"s\", \"when\": {\"yes\": \"fever\"}}\n", f);
			fclose(f);
		}
	}
	rc_triage_kb *k2 = NULL;
	assert_int_equal(rc_selfcheck_load(dir, &k2, err, sizeof err), RC_EINVAL);
	assert_non_null(strstr(err, "selfcheck/redflags.jsonl line "));
	assert_non_null(strstr(err, "'level'"));
	snprintf(path, sizeof path, "%s/selfcheck/redflags.jsonl", dir);
	FILE *f = fopen(path, "w");
	fputs("# one rule\n{\"id\": \"x\", \"level\": \"soon\", \"reason\": \"r\", \"source\": \"s\", \"when\": {\"yes\": \"wobbly_knee\"}}\n", f);
	fclose(f);
	assert_int_equal(rc_selfcheck_load(dir, &k2, err, sizeof err), RC_EINVAL);
	assert_non_null(strstr(err, "selfcheck/redflags.jsonl line 2: 'wobbly_knee' is not a finding"));
	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

/* One file from memory against the built-in rest, as fuzz-content and `serve --content DIR` read it. */
static rc_err parse_into_copy(rc_triage_kb *work, const char *name, const char *text, char *err, size_t errlen)
{
	*work = *kb;
	rc_arena_init(&work->arena, 0);
	rc_content_file f = {name, text, strlen(text)};
	rc_err e = strcmp(name, "selfcheck/redflags.jsonl") == 0 ? rc_selfcheck_parse_redflags(work, &f, err, errlen)
	                                                         : rc_selfcheck_parse_evidence(work, &f, err, errlen);
	if (!e)
		e = rc_selfcheck_link(work, err, errlen);
	rc_arena_free(&work->arena);
	return e;
}

static void one_file_is_read_against_the_builtin_rest(void **state)
{
	(void)state;
	static rc_triage_kb work;
	char err[512];
	const char *rule = "{\"id\": \"x\", \"level\": \"urgent\", \"reason\": \"r\", \"source\": \"s\", "
	                   "\"suspect\": \"proximal_hamstring_tendinopathy\", \"when\": {\"yes\": \"fever\"}}\n";
	if (parse_into_copy(&work, "selfcheck/redflags.jsonl", rule, err, sizeof err))
		fail_msg("%s", err);
	assert_int_equal(work.nrules, 1);
	assert_int_equal(work.rules[0].suspect, rc_triage_condition(kb, "proximal_hamstring_tendinopathy"));
	assert_int_equal(work.nconditions, kb->nconditions); /* the rest is the built-in */
	assert_true(kb->nrules > 1);                        /* and the built-in is left as it was */
	/* The evidence of one condition only: the others are named as missing their line. */
	const char *one = "{\"key\": \"proximal_hamstring_tendinopathy\", \"advice\": \"a\", \"source\": \"s\", "
	                  "\"regions\": {\"buttock_sit_bone\": 1}, \"evidence\": []}\n";
	assert_int_equal(parse_into_copy(&work, "selfcheck/evidence.jsonl", one, err, sizeof err), RC_EINVAL);
	assert_non_null(strstr(err, "selfcheck/evidence.jsonl has no line for condition"));
}

/* Two lines for one condition added the second's evidence to the first's, past the 48 a condition
 * holds: a heap overflow under ASan. Refused, naming the line. */
static void a_condition_given_evidence_twice_is_refused(void **state)
{
	(void)state;
	static rc_triage_kb work;
	char err[512];
	rc_content_file builtin;
	assert_int_equal(rc_content_read(NULL, NULL, "selfcheck/evidence.jsonl", &builtin, err, sizeof err), RC_OK);
	static char text[1 << 17];
	const char *again = "{\"key\": \"proximal_hamstring_tendinopathy\", \"advice\": \"a\", \"source\": \"s\", "
	                    "\"regions\": {\"buttock_sit_bone\": 1}, \"evidence\": [{\"when\": {\"yes\": \"fever\"}, \"w\": 1}]}\n";
	assert_true(builtin.len + strlen(again) < sizeof text);
	snprintf(text, sizeof text, "%.*s%s", (int)builtin.len, builtin.data, again);
	int lines = 0;
	for (size_t i = 0; i < builtin.len; i++)
		lines += builtin.data[i] == '\n';
	assert_int_equal(parse_into_copy(&work, "selfcheck/evidence.jsonl", text, err, sizeof err), RC_EINVAL);
	char want[160];
	snprintf(want, sizeof want, "selfcheck/evidence.jsonl line %d: 'key' names 'proximal_hamstring_tendinopathy' "
	                            "a second time", lines + 1);
	if (!strstr(err, want))
		fail_msg("'%s' does not say '%s'", err, want);
}

/* The result page shows each rule's source: a path such as "shared/clinical/README.md §3.1" means
 * nothing to a runner, so the knowledge is refused when a source names a file of this project. */
static void a_source_is_a_publication_not_a_file(void **state)
{
	(void)state;
	static rc_triage_kb work;
	char err[512];
	rc_content_file builtin;
	assert_int_equal(rc_content_read(NULL, NULL, "selfcheck/redflags.jsonl", &builtin, err, sizeof err), RC_OK);
	static char text[1 << 17];
	const char *line = "{\"id\": \"x\", \"level\": \"soon\", \"reason\": \"r\", \"source\": "
	                   "\"shared/clinical/README.md \u00a73.1\", \"when\": {\"yes\": \"fever\"}}\n";
	assert_true(builtin.len + strlen(line) < sizeof text);
	snprintf(text, sizeof text, "%.*s%s", (int)builtin.len, builtin.data, line);
	assert_int_equal(parse_into_copy(&work, "selfcheck/redflags.jsonl", text, err, sizeof err), RC_EINVAL);
	if (!strstr(err, "'source' must cite the publication, not a file of this project"))
		fail_msg("%s", err);
	/* Every source in the built-in knowledge is a publication. */
	for (int i = 0; i < kb->nrules; i++)
		assert_null(strstr(kb->rules[i].source, "README"));
}

/* The API's answer is written straight into a buffer; it must be what jansson would write for the
 * same values (compact, ASCII only, non-ASCII as \\u escapes): read back and written again by jansson, it
 * comes out byte for byte the same. Ischiofemoral impingement's source (Gómez-Hoyos) is not ASCII. */
static void result_text_is_what_jansson_writes(void **state)
{
	(void)state;
	static const char *const cases[] = {
		"{\"region\": \"buttock_deep\", \"long_stride_pain_eased_by_short_steps\": true, \"pain_with_running_fast\": true}",
		"{\"region\": \"low_back\", \"saddle_numbness\": true, \"track_running\": true}",
		"{\"region\": \"neck\", \"stroke_warning_signs\": null, \"age\": 71}",
		"{\"region\": \"knee_front\", \"pain_sitting_with_knees_bent\": true}",
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		rc_triage_result r = eval_json(cases[i]);
		/* Text the knowledge could hold: quotes, a backslash, a tab, accents and a character outside the
		 * basic plane (written as a surrogate pair). */
		const char *name = r.ranked[0].condition->name;
		if (i == 0)
			((rc_condition *)r.ranked[0].condition)->name = "G\xc3\xb3mez \"quoted\" back\\slash\ttab\r\n\b\f \xf0\x9f\x98\x80 \x01";
		rc_buf b;
		rc_buf_init(&b, RC_SELFCHECK_RESULT_MAX);
		assert_int_equal(rc_selfcheck_result_write(kb, &r, &b), RC_OK);
		json_error_t je;
		json_t *j = json_loadb(b.data, b.len, 0, &je);
		if (!j)
			fail_msg("%s: not JSON: %s", cases[i], je.text);
		char *again = json_dumps(j, JSON_COMPACT | JSON_ENSURE_ASCII);
		if (strlen(again) != b.len || memcmp(again, b.data, b.len) != 0)
			fail_msg("written:\n%.*s\njansson:\n%s", (int)b.len, b.data, again);
		if (i == 0)
			assert_non_null(strstr(b.data, "mez \\\"quoted"));
		((rc_condition *)r.ranked[0].condition)->name = name;
		free(again);
		json_decref(j);
		rc_buf_free(&b);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(public_vignettes),
		cmocka_unit_test(public_vignettes_v2),
		cmocka_unit_test(public_vignettes_one_question_at_a_time),
		cmocka_unit_test(project_vignettes_one_question_at_a_time),
		cmocka_unit_test(probe_is_a_whole_evaluation),
		cmocka_unit_test(next_question_order_and_stops),
		cmocka_unit_test(project_vignettes),
		cmocka_unit_test(a_source_is_a_publication_not_a_file),
		cmocka_unit_test(each_emergency_flag_fires_on_its_own),
		cmocka_unit_test(dont_know_on_a_time_critical_flag_raises_one_level),
		cmocka_unit_test(knee_thigh_calf_ankle_rules),
		cmocka_unit_test(branching_asks_only_what_matters),
		cmocka_unit_test(bad_answers_name_the_key_and_what_is_allowed),
		cmocka_unit_test(knowledge_errors_name_file_line_and_key),
		cmocka_unit_test(one_file_is_read_against_the_builtin_rest),
		cmocka_unit_test(a_condition_given_evidence_twice_is_refused),
		cmocka_unit_test(result_text_is_what_jansson_writes),
	};
	return cmocka_run_group_tests_name("triage", tests, setup, teardown);
}
