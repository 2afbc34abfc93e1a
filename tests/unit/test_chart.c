/* test_chart.c — the chart's pure rules (domain/chart.c) and its knowledge as shipped (content/chart.c):
 * acupoint codes as typed, midline points without a side, needling ranges, finding values, ICD-10-CM codes by
 * side, dates of birth; every template cites its source and uses known fields; broken files are refused with
 * the file and the key named; the WHO list beside the project (when it is there) reads as 361 + extra points. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "content/chart.h"
#include "content/selfcheck.h"
#include "domain/chart.h"

static void sides_and_shorthand(void **state)
{
	(void)state;
	rc_side s;
	assert_true(rc_side_parse("L", &s) && s == RC_SIDE_LEFT);
	assert_true(rc_side_parse("right", &s) && s == RC_SIDE_RIGHT);
	assert_true(rc_side_parse("Bilateral", &s) && s == RC_SIDE_BOTH);
	assert_true(rc_side_parse("b", &s) && s == RC_SIDE_BOTH);
	assert_true(rc_side_parse("", &s) && s == RC_SIDE_NONE);
	assert_false(rc_side_parse("up", &s));
	assert_string_equal(rc_side_label(RC_SIDE_BOTH), "both sides");
}

static void point_codes_as_typed(void **state)
{
	(void)state;
	char out[RC_CHART_CODE_MAX + 1];
	assert_true(rc_acupoint_normalise("bl 40", out));
	assert_string_equal(out, "BL40");
	assert_true(rc_acupoint_normalise("Bl-40", out));
	assert_string_equal(out, "BL40");
	assert_true(rc_acupoint_normalise("gv20", out));
	assert_string_equal(out, "GV20");
	assert_true(rc_acupoint_normalise("ex-hn3", out));
	assert_string_equal(out, "EX-HN3");
	assert_true(rc_acupoint_normalise("EX HN 12", out));
	assert_string_equal(out, "EX-HN12");
	const char *bad[] = {"", "40", "BLA40", "BL", "BL040", "BL40x", "EX-3", "B L40", "BL 4 0"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (rc_acupoint_normalise(bad[i], out))
			fail_msg("'%s' read as a code (%s)", bad[i], out);
	char m[4];
	rc_acupoint_meridian("BL40", m);
	assert_string_equal(m, "BL");
	rc_acupoint_meridian("EX-HN3", m);
	assert_string_equal(m, "");
	assert_true(rc_acupoint_is_midline("GV") && rc_acupoint_is_midline("CV"));
	assert_false(rc_acupoint_is_midline("BL") || rc_acupoint_is_midline(""));
}

static void midline_points_have_no_side(void **state)
{
	(void)state;
	char why[240];
	assert_true(rc_acupoint_side_ok("GV20", "GV", RC_SIDE_NONE, why, sizeof why));
	assert_true(rc_acupoint_side_ok("CV6", "CV", RC_SIDE_MIDLINE, why, sizeof why));
	assert_false(rc_acupoint_side_ok("GV20", "GV", RC_SIDE_LEFT, why, sizeof why));
	assert_non_null(strstr(why, "GV20 is on the midline"));
	assert_non_null(strstr(why, "Governing Vessel"));
	assert_false(rc_acupoint_side_ok("CV6", "CV", RC_SIDE_BOTH, why, sizeof why));
	assert_non_null(strstr(why, "Conception Vessel"));
	assert_true(rc_acupoint_side_ok("BL40", "BL", RC_SIDE_BOTH, why, sizeof why));
	assert_false(rc_acupoint_side_ok("BL40", "BL", RC_SIDE_NONE, why, sizeof why));
	assert_non_null(strstr(why, "BL40 needs a side"));
	assert_false(rc_acupoint_side_ok("GB30", "GB", RC_SIDE_MIDLINE, why, sizeof why));
	/* Extra points: the list gives no laterality, so any side (or none) is taken. */
	assert_true(rc_acupoint_side_ok("EX-HN3", "", RC_SIDE_NONE, why, sizeof why));
	assert_true(rc_acupoint_side_ok("EX-HN5", "", RC_SIDE_BOTH, why, sizeof why));
}

static void a_list_of_points(void **state)
{
	(void)state;
	rc_point_entry v[RC_CHART_MAX_POINTS];
	char why[240];
	int n = rc_acupoint_parse_list("BL40 both, GB30 L; gv20\nbl 36 left,,  ", v, RC_CHART_MAX_POINTS, why, sizeof why);
	assert_int_equal(n, 4);
	assert_string_equal(v[0].code, "BL40");
	assert_int_equal(v[0].side, RC_SIDE_BOTH);
	assert_string_equal(v[1].code, "GB30");
	assert_int_equal(v[1].side, RC_SIDE_LEFT);
	assert_string_equal(v[2].code, "GV20");
	assert_int_equal(v[2].side, RC_SIDE_NONE);
	assert_string_equal(v[3].code, "BL36");
	assert_int_equal(rc_acupoint_needle_sites(v, n), 5);
	assert_int_equal(rc_acupoint_parse_list("", v, RC_CHART_MAX_POINTS, why, sizeof why), 0);
	assert_int_equal(rc_acupoint_parse_list("BL40 up", v, RC_CHART_MAX_POINTS, why, sizeof why), -1);
	assert_non_null(strstr(why, "'up' is not a side"));
	assert_int_equal(rc_acupoint_parse_list("BL40 L, bl40 R", v, RC_CHART_MAX_POINTS, why, sizeof why), -1);
	assert_non_null(strstr(why, "BL40 is listed twice"));
	assert_int_equal(rc_acupoint_parse_list("Weizhong", v, RC_CHART_MAX_POINTS, why, sizeof why), -1);
	assert_non_null(strstr(why, "not a point code"));
	assert_int_equal(rc_acupoint_parse_list("BL40 L, BL41 L, BL42 L", v, 2, why, sizeof why), -1);
	assert_non_null(strstr(why, "at most 2 points"));
}

static void needling_ranges(void **state)
{
	(void)state;
	char why[240];
	const char *field = NULL;
	assert_true(rc_chart_needling_ok(6, 20, 0, false, 5, why, sizeof why, &field));
	assert_true(rc_chart_needling_ok(4, 25, 2, true, 4, why, sizeof why, &field));
	assert_false(rc_chart_needling_ok(0, 20, 0, false, 0, why, sizeof why, &field));
	assert_string_equal(field, "needles");
	assert_false(rc_chart_needling_ok(RC_CHART_NEEDLES_MAX + 1, 20, 0, false, 1, why, sizeof why, &field));
	assert_string_equal(field, "needles");
	assert_false(rc_chart_needling_ok(3, 20, 0, false, 4, why, sizeof why, &field));
	assert_non_null(strstr(why, "cannot cover the 4 sites"));
	assert_false(rc_chart_needling_ok(4, RC_CHART_RETENTION_MAX_MIN + 1, 0, false, 4, why, sizeof why, &field));
	assert_string_equal(field, "minutes");
	assert_false(rc_chart_needling_ok(4, 20, 0, true, 4, why, sizeof why, &field));
	assert_string_equal(field, "hz");
	assert_false(rc_chart_needling_ok(4, 20, RC_CHART_HZ_MAX + 1, true, 4, why, sizeof why, &field));
	assert_false(rc_chart_needling_ok(4, 20, 2, false, 4, why, sizeof why, &field));
	assert_non_null(strstr(why, "electro-acupuncture only"));
	const char *alerts[] = {"anticoagulants", "pacemaker"};
	assert_false(rc_chart_electro_allowed(alerts, 2, why, sizeof why));
	assert_non_null(strstr(why, "pacemaker"));
	assert_true(rc_chart_electro_allowed(alerts, 1, why, sizeof why));
	assert_non_null(rc_chart_alert_find("needle_phobia"));
	assert_null(rc_chart_alert_find("unicorn"));
}

static void finding_values(void **state)
{
	(void)state;
	rc_chart_field slr = {.key = "slr_angle", .label = "SLR", .unit = "degrees", .type = RC_FIELD_INT, .min = 0, .max = 130};
	rc_chart_field psfs = {.key = "psfs", .label = "PSFS", .unit = "/10", .type = RC_FIELD_INT, .min = 0, .max = 10, .decimals = 1};
	rc_chart_field test = {.key = "slump", .label = "Slump", .type = RC_FIELD_TEST};
	rc_chart_field choice = {.key = "p", .label = "P", .type = RC_FIELD_CHOICE, .nchoices = 2,
	                         .choices = {{"level", "level"}, {"left_high", "left high"}}};
	bool empty;
	int64_t num;
	char msg[200], shown[32];
	assert_true(rc_chart_field_check(&slr, "70", &empty, &num, msg, sizeof msg) && !empty && num == 70);
	assert_true(rc_chart_field_check(&slr, "", &empty, &num, msg, sizeof msg) && empty);
	assert_false(rc_chart_field_check(&slr, "131", &empty, &num, msg, sizeof msg));
	assert_string_equal(msg, "must be a whole number from 0 to 130 degrees");
	assert_false(rc_chart_field_check(&slr, "70.5", &empty, &num, msg, sizeof msg));
	assert_true(rc_chart_field_check(&psfs, "7.5", &empty, &num, msg, sizeof msg) && num == 75);
	assert_true(rc_chart_field_check(&psfs, "10", &empty, &num, msg, sizeof msg) && num == 100);
	assert_false(rc_chart_field_check(&psfs, "10.5", &empty, &num, msg, sizeof msg));
	assert_string_equal(msg, "must be a number (one decimal) from 0 to 10");
	rc_chart_number(&psfs, 75, shown, sizeof shown);
	assert_string_equal(shown, "7.5");
	assert_true(rc_chart_field_check(&test, "positive", &empty, &num, msg, sizeof msg));
	assert_false(rc_chart_field_check(&test, "yes", &empty, &num, msg, sizeof msg));
	assert_true(rc_chart_field_check(&choice, "left_high", &empty, &num, msg, sizeof msg));
	assert_false(rc_chart_field_check(&choice, "right_high", &empty, &num, msg, sizeof msg));
}

static void codes_by_side_and_ages(void **state)
{
	(void)state;
	char out[40];
	rc_chart_codes pht = {.left = "M76.892", .right = "M76.891", .unspecified = "M76.899"};
	rc_chart_icd_for_side(&pht, RC_SIDE_LEFT, out, sizeof out);
	assert_string_equal(out, "M76.892");
	rc_chart_icd_for_side(&pht, RC_SIDE_BOTH, out, sizeof out);
	assert_string_equal(out, "M76.891, M76.892");
	rc_chart_icd_for_side(&pht, RC_SIDE_NONE, out, sizeof out);
	assert_string_equal(out, "M76.899");
	rc_chart_codes dgs = {.left = "G57.02", .right = "G57.01", .both = "G57.03", .unspecified = "G57.00"};
	rc_chart_icd_for_side(&dgs, RC_SIDE_BOTH, out, sizeof out);
	assert_string_equal(out, "G57.03");
	rc_chart_codes neck = {.any = "M54.2"};
	rc_chart_icd_for_side(&neck, RC_SIDE_LEFT, out, sizeof out);
	assert_string_equal(out, "M54.2");
	assert_int_equal(rc_chart_age("1991-04-17", "2026-04-16"), 34);
	assert_int_equal(rc_chart_age("1991-04-17", "2026-04-17"), 35);
	assert_int_equal(rc_chart_age("2030-01-01", "2026-04-17"), -1);
	assert_true(rc_chart_birth_date_ok("1948-02-29", "2026-11-30"));
	assert_false(rc_chart_birth_date_ok("1949-02-29", "2026-11-30"));
	assert_false(rc_chart_birth_date_ok("2027-01-01", "2026-11-30"));
	assert_false(rc_chart_birth_date_ok("1899-12-31", "2026-11-30"));
	assert_false(rc_chart_birth_date_ok("1990-4-17", "2026-11-30"));
}

/* --- the knowledge as shipped ------------------------------------------------------------------------ */

static const char *shared_points(char *buf, size_t n)
{
	const char *shared = getenv("RUNCARE_SHARED");
	snprintf(buf, n, "%s/clinical/acupoints.json", shared ? shared : "../shared");
	if (access(buf, R_OK) == 0)
		return buf;
	if (getenv("CI") && strcmp(getenv("CI"), "true") == 0)
		fail_msg("%s is missing in CI", buf);
	return NULL;
}

static void shipped_knowledge_is_consistent(void **state)
{
	(void)state;
	rc_triage_kb *tk;
	rc_chart_kb *kb;
	char err[512], path[512];
	if (rc_selfcheck_load(NULL, &tk, err, sizeof err))
		fail_msg("%s", err);
	const char *points = shared_points(path, sizeof path);
	if (rc_chart_kb_load(NULL, points ? points : "/nonexistent/acupoints.json", tk, &kb, err, sizeof err))
		fail_msg("%s", err);
	/* The issue's seven templates, each citing its source and using the Cacchio tests where it should. */
	const char *need[] = {"proximal_hamstring_tendinopathy", "hamstring_strain", "deep_gluteal_syndrome",
	                      "lumbar_referral", "shin_pain", "plantar_heel_pain", "neck_pain"};
	for (size_t i = 0; i < sizeof need / sizeof need[0]; i++) {
		const rc_chart_template *t = rc_chart_template_find(kb, need[i]);
		if (!t)
			fail_msg("no template '%s'", need[i]);
		assert_true(strlen(t->source) > 20);
		for (int c = 0; c < t->nconditions; c++)
			if (!rc_chart_diagnosis_find(kb, t->conditions[c]))
				fail_msg("template %s's condition %s has no ICD-10-CM code", t->key, t->conditions[c]);
	}
	const rc_chart_template *pht = rc_chart_template_find(kb, "proximal_hamstring_tendinopathy");
	assert_non_null(strstr(pht->source, "Cacchio"));
	const char *pht_fields[] = {"puranen_orava", "bent_knee_stretch", "modified_bent_knee_stretch", "slr_angle", "slump",
	                            "bridge_count", "pelvic_alignment", "lumbar_mobility", "palpation", "pain_rest",
	                            "pain_activity"};
	for (size_t i = 0; i < sizeof pht_fields / sizeof pht_fields[0]; i++) {
		bool found = false;
		for (int f = 0; f < pht->nfields; f++)
			found |= strcmp(pht->fields[f]->key, pht_fields[i]) == 0;
		if (!found)
			fail_msg("the hamstring template lacks %s", pht_fields[i]);
	}
	for (int i = 0; i < kb->nfields; i++)
		assert_true(strlen(kb->fields[i].source) > 5 && kb->fields[i].plain[0]);
	assert_ptr_equal(rc_chart_template_for(kb, "proximal_hamstring_tendinopathy"), pht);
	assert_string_equal(rc_chart_template_for(kb, "achilles_tendinopathy")->key, "general");
	assert_true(kb->consent_version >= 1 && kb->nconsent >= 3);
	const rc_chart_diagnosis *dx = rc_chart_diagnosis_find(kb, "proximal_hamstring_tendinopathy");
	assert_string_equal(dx->codes.left, "M76.892");
	assert_non_null(rc_chart_option_find(&kb->manual_therapy, "sacroiliac_mobilisation"));
	assert_non_null(rc_chart_option_find(&kb->manual_therapy, "lumbar_mobilisation"));
	if (points) {
		int who = 0;
		for (int i = 0; i < kb->npoints; i++)
			who += kb->points[i].meridian[0] != '\0';
		assert_int_equal(who, 361);
		const rc_acupoint *bl40 = rc_acupoint_find(kb, "BL40");
		assert_non_null(bl40);
		assert_string_equal(bl40->name, "Weizhong");
		assert_string_equal(rc_acupoint_find(kb, "GV20")->meridian, "GV");
		assert_null(rc_acupoint_find(kb, "BL68"));
	} else {
		print_message("acupoints.json is not beside the project: the WHO list was not checked\n");
		assert_int_equal(kb->npoints, 0);
		assert_non_null(strstr(rc_acupoints_missing(kb), "--acupoints"));
	}
	rc_chart_kb_free(kb);
	rc_selfcheck_free(tk);
}

static void put(const char *dir, const char *name, const char *text)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	static char buf[1 << 20];
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	return buf;
}

static void broken_files_are_named(void **state)
{
	(void)state;
	const char *src = getenv("RUNCARE_SOURCE");
	char dir[] = "/tmp/rc-chart-XXXXXX", sub[64], path[700];
	assert_non_null(mkdtemp(dir));
	snprintf(sub, sizeof sub, "%s/chart", dir);
	assert_int_equal(mkdir(sub, 0700), 0);
	const char *names[] = {"fields.json", "templates.json", "diagnoses.json", "treatments.json", "consent.json"};
	for (int i = 0; i < 5; i++) {
		snprintf(path, sizeof path, "%s/content/chart/%s", src ? src : ".", names[i]);
		put(sub, names[i], slurp(path));
	}
	rc_chart_kb *kb;
	char err[512];
	assert_int_equal(rc_chart_kb_load(dir, "/nonexistent.json", NULL, &kb, err, sizeof err), RC_OK);
	rc_chart_kb_free(kb);
	/* A template naming a field fields.json lacks. */
	put(sub, "templates.json", "{\"templates\": [{\"key\": \"t\", \"name\": \"T\", \"conditions\": [], \"fields\": [\"nope\"], "
	                           "\"subjective\": \"s\", \"objective\": \"o\", \"assessment\": \"a\", \"plan\": \"p\", "
	                           "\"source\": \"x\"}]}");
	assert_int_equal(rc_chart_kb_load(dir, "/nonexistent.json", NULL, &kb, err, sizeof err), RC_EINVAL);
	assert_non_null(strstr(err, "chart/templates.json"));
	assert_non_null(strstr(err, "'nope' is not in chart/fields.json"));
	/* A template without a source. */
	put(sub, "templates.json", "{\"templates\": [{\"key\": \"t\", \"name\": \"T\", \"conditions\": [], \"fields\": [\"pain_rest\"], "
	                           "\"subjective\": \"s\", \"objective\": \"o\", \"assessment\": \"a\", \"plan\": \"p\"}]}");
	assert_int_equal(rc_chart_kb_load(dir, "/nonexistent.json", NULL, &kb, err, sizeof err), RC_EINVAL);
	assert_non_null(strstr(err, "template 1 ('t'): 'source'"));
	snprintf(path, sizeof path, "%s/content/chart/templates.json", src ? src : ".");
	put(sub, "templates.json", slurp(path));
	/* A code that is not an ICD-10-CM code; a field's range upside down; a consent without a version. */
	put(sub, "diagnoses.json", "{\"source\": \"s\", \"diagnoses\": [{\"condition\": \"plantar_heel_pain\", \"title\": \"t\", "
	                           "\"any\": \"plantar\"}]}");
	assert_int_equal(rc_chart_kb_load(dir, "/nonexistent.json", NULL, &kb, err, sizeof err), RC_EINVAL);
	assert_non_null(strstr(err, "chart/diagnoses.json: diagnosis 1 ('plantar_heel_pain'): 'any'"));
	snprintf(path, sizeof path, "%s/content/chart/diagnoses.json", src ? src : ".");
	put(sub, "diagnoses.json", slurp(path));
	put(sub, "consent.json", "{\"title\": \"t\", \"source\": \"s\", \"paragraphs\": [\"p\"]}");
	assert_int_equal(rc_chart_kb_load(dir, "/nonexistent.json", NULL, &kb, err, sizeof err), RC_EINVAL);
	assert_non_null(strstr(err, "chart/consent.json: 'version'"));
	put(sub, "consent.json", "{\"version\": 1, \"title\": \"t\", \"source\": \"s\", \"paragraphs\": [\"p\"]}");
	/* The acupoint list: a wrong number, a duplicate, a meridian that is not one. */
	rc_chart_kb bare;
	memset(&bare, 0, sizeof bare);
	rc_arena_init(&bare.arena, 1 << 20);
	const char *bad[][2] = {
		{"{\"points\": [{\"code\": \"BL40\", \"meridian\": \"BL\", \"number\": 41, \"region\": \"x\"}]}", "(BL41)"},
		{"{\"points\": [{\"code\": \"BL40\", \"meridian\": \"BL\", \"number\": 40, \"region\": \"x\"}, "
		 "{\"code\": \"BL40\", \"meridian\": \"BL\", \"number\": 40, \"region\": \"x\"}]}", "'BL40' is listed twice"},
		{"{\"points\": [{\"code\": \"XY4\", \"meridian\": \"XY\", \"number\": 4, \"region\": \"x\"}]}", "'meridian'"},
		{"{\"points\": [", "line 1"},
		{"{\"points\": []}", "must hold"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (rc_acupoints_parse(&bare, "list.json", bad[i][0], strlen(bad[i][0]), err, sizeof err) == RC_OK)
			fail_msg("accepted: %s", bad[i][0]);
		if (!strstr(err, bad[i][1]) || !strstr(err, "list.json"))
			fail_msg("'%s' does not say '%s'", err, bad[i][1]);
		assert_int_equal(bare.npoints, 0);
	}
	const char *good = "{\"points\": [{\"code\": \"GV20\", \"meridian\": \"GV\", \"number\": 20, \"pinyin\": \"Baihui\", "
	                   "\"region\": \"head\"}], \"extra_points\": [{\"code\": \"EX-HN3\", \"group\": \"HN\", \"number\": 3, "
	                   "\"pinyin\": \"Yintang\", \"region\": \"face\"}]}";
	assert_int_equal(rc_acupoints_parse(&bare, "list.json", good, strlen(good), err, sizeof err), RC_OK);
	assert_int_equal(bare.npoints, 2);
	assert_string_equal(rc_acupoint_find(&bare, "EX-HN3")->name, "Yintang");
	rc_arena_free(&bare.arena);
	for (int i = 0; i < 5; i++) {
		snprintf(path, sizeof path, "%s/%s", sub, names[i]);
		unlink(path);
	}
	rmdir(sub);
	rmdir(dir);
}

/* One file from memory against the built-in rest, as fuzz-content does it (the built-in is left as it was). */
static rc_err one_file(const rc_chart_kb *base, const rc_triage_kb *conds, rc_chart_kb *kb, const char *name,
                       const char *text, char *err, size_t errlen)
{
	*kb = *base;
	rc_arena_init(&kb->arena, 0);
	rc_content_file f = {name, text, strlen(text)};
	rc_err e = strcmp(name, "chart/templates.json") == 0 ? rc_chart_parse_templates(kb, &f, err, errlen)
	                                                      : rc_chart_parse_diagnoses(kb, &f, err, errlen);
	return e ? e : rc_chart_kb_link(kb, conds, err, errlen);
}

static void one_file_is_linked_against_the_builtin_rest(void **state)
{
	(void)state;
	rc_triage_kb *tk = NULL;
	rc_chart_kb *base = NULL;
	static rc_chart_kb kb;
	char err[512];
	if (rc_selfcheck_load(NULL, &tk, err, sizeof err) ||
	    rc_chart_kb_load(NULL, "/nonexistent/acupoints.json", tk, &base, err, sizeof err))
		fail_msg("%s", err);
	const char *tpl = "{\"templates\": [{\"key\": \"t\", \"name\": \"T\", \"conditions\": [], "
	                  "\"fields\": [\"pain_rest\", \"slump\"], \"subjective\": \"s\", \"objective\": \"o\", "
	                  "\"assessment\": \"a\", \"plan\": \"p\", \"source\": \"x\"}]}";
	if (one_file(base, tk, &kb, "chart/templates.json", tpl, err, sizeof err))
		fail_msg("%s", err);
	assert_int_equal(kb.ntemplates, 1);
	assert_ptr_equal(kb.templates[0].fields[1], rc_chart_field_find(&kb, "slump"));
	rc_arena_free(&kb.arena);
	assert_true(base->ntemplates > 1);
	const char *dx = "{\"source\": \"s\", \"diagnoses\": [{\"condition\": \"shin_splints\", \"title\": \"t\", "
	                 "\"any\": \"M76.891\"}]}";
	assert_int_equal(one_file(base, tk, &kb, "chart/diagnoses.json", dx, err, sizeof err), RC_EINVAL);
	assert_string_equal(err, "chart/diagnoses.json: diagnosis 1 ('shin_splints'): 'condition' is not in the "
	                         "self-check's conditions");
	rc_arena_free(&kb.arena);
	rc_chart_kb_free(base);
	rc_selfcheck_free(tk);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sides_and_shorthand),
		cmocka_unit_test(point_codes_as_typed),
		cmocka_unit_test(midline_points_have_no_side),
		cmocka_unit_test(a_list_of_points),
		cmocka_unit_test(needling_ranges),
		cmocka_unit_test(finding_values),
		cmocka_unit_test(codes_by_side_and_ages),
		cmocka_unit_test(shipped_knowledge_is_consistent),
		cmocka_unit_test(broken_files_are_named),
		cmocka_unit_test(one_file_is_linked_against_the_builtin_rest),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
