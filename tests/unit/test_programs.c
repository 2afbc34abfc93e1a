/* test_programs.c — the exercise library and programs as shipped: every program the self-check names
 * exists, the clinic's stretch waits for stage 3 with its reason, bone stress has stricter rules; and
 * broken content is refused with the file and key named. */
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

#include "content/programs.h"
#include "content/selfcheck.h"

static void shipped_content_is_consistent(void **state)
{
	(void)state;
	rc_programs *p;
	rc_triage_kb *kb;
	char err[512];
	if (rc_programs_load(NULL, &p, err, sizeof err))
		fail_msg("%s", err);
	if (rc_selfcheck_load(NULL, &kb, err, sizeof err))
		fail_msg("%s", err);
	for (int i = 0; i < kb->nconditions; i++) {
		const char *key = kb->conditions[i].program;
		if (key && key[0] && !rc_program_find(p, key))
			fail_msg("condition %s names program '%s', which programs.json lacks", kb->conditions[i].key, key);
	}
	const rc_program *pht = rc_program_find(p, "pht");
	assert_non_null(pht);
	assert_int_equal(pht->nstages, 4);
	const rc_exercise *stretch = rc_exercise_find(p, "high_hamstring_stretch");
	assert_non_null(stretch);
	assert_true(stretch->reps >= 15 && stretch->reps <= 20 && stretch->per_day >= 2 && stretch->per_day <= 3);
	assert_true(strstr(stretch->why, "Goom") != NULL);
	for (int s = 0; s < pht->nstages; s++)
		for (int i = 0; i < pht->stages[s].nitems; i++)
			if (pht->stages[s].items[i].ex == stretch && s + 1 < 3)
				fail_msg("the clinic's stretch is in stage %d", s + 1);
	const rc_program *bone = rc_program_find(p, "bone_stress");
	assert_non_null(bone);
	assert_true(bone->rules.during_max < pht->rules.during_max);
	for (int i = 0; i < p->nprograms; i++) {
		assert_true(p->programs[i].source[0] && p->programs[i].rules.source[0]);
		for (int s = 0; s < p->programs[i].nstages; s++)
			assert_true(p->programs[i].stages[s].per_day >= 1 && p->programs[i].stages[s].prescribed >= 1);
	}
	rc_selfcheck_free(kb);
	rc_programs_free(p);
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

static void broken_content_is_named(void **state)
{
	(void)state;
	char dir[] = "/tmp/rc-programs-XXXXXX";
	assert_non_null(mkdtemp(dir));
	static const char ex[] =
		"{\"exercises\": [{\"key\": \"a\", \"name\": \"A\", \"regions\": [\"hip\"], \"stages\": [1], \"steps\": [\"x\"], "
		"\"dosage\": {\"sets\": 1, \"reps\": 5, \"hold_s\": 0, \"rest_s\": 0, \"per_day\": 1, \"every_other_day\": false}, "
		"\"source\": \"s\"}]}";
	static const char rules[] = "{\"default\": {\"during_ok\": 3, \"during_max\": 5, \"morning_worse\": 2, "
	                            "\"sessions\": 6, \"days\": 7, \"source\": \"s\"}}";
	put(dir, "exercises.json", ex);
	put(dir, "progression.json", rules);
	put(dir, "programs.json", "{\"programs\": [{\"key\": \"p\", \"name\": \"P\", \"summary\": \"s\", \"source\": \"s\", "
	                            "\"stages\": [{\"n\": 1, \"name\": \"n\", \"goal\": \"g\", \"entry\": \"e\", \"exit\": \"x\", "
	                            "\"exercises\": [{\"key\": \"nope\"}]}]}]}");
	rc_programs *p;
	char err[512];
	assert_int_equal(rc_programs_load(dir, &p, err, sizeof err), RC_EINVAL);
	assert_non_null(strstr(err, "programs.json"));
	assert_non_null(strstr(err, "'nope' is not in exercises.json"));
	put(dir, "programs.json", "{\"programs\": [{\"key\": \"p\", \"name\": \"P\", \"summary\": \"s\", \"source\": \"s\", "
	                            "\"stages\": [{\"n\": 2, \"name\": \"n\", \"goal\": \"g\", \"entry\": \"e\", \"exit\": \"x\", "
	                            "\"exercises\": [{\"key\": \"a\"}]}]}]}");
	assert_int_equal(rc_programs_load(dir, &p, err, sizeof err), RC_EINVAL);
	assert_non_null(strstr(err, "numbered"));
	put(dir, "programs.json", "{\"programs\": [{\"key\": \"p\", \"name\": \"P\", \"summary\": \"s\", \"source\": \"s\", "
	                            "\"stages\": [{\"n\": 1, \"name\": \"n\", \"goal\": \"g\", \"entry\": \"e\", \"exit\": \"x\", "
	                            "\"exercises\": [{\"key\": \"a\", \"reps\": 500}]}]}]}");
	assert_int_equal(rc_programs_load(dir, &p, err, sizeof err), RC_EINVAL);
	assert_non_null(strstr(err, "'reps'"));
	/* A key longer than the store keeps would lose the runner's program: refused. */
	put(dir, "programs.json", "{\"programs\": [{\"key\": \"a_program_key_of_thirty_two_chars\", \"name\": \"P\", "
	                            "\"summary\": \"s\", \"source\": \"s\", \"stages\": [{\"n\": 1, \"name\": \"n\", "
	                            "\"goal\": \"g\", \"entry\": \"e\", \"exit\": \"x\", \"exercises\": [{\"key\": \"a\"}]}]}]}");
	assert_int_equal(rc_programs_load(dir, &p, err, sizeof err), RC_EINVAL);
	assert_non_null(strstr(err, "'key' must be at most 31 characters"));
	put(dir, "exercises.json", "{\"exercises\": [{\"key\": \"a\", \"name\": \"A\", \"regions\": [\"hip\"], "
	                             "\"stages\": [1], \"steps\": [\"x\"], \"svg\": \"<svg onload='x()'></svg>\", "
	                             "\"dosage\": {\"sets\": 1, \"reps\": 5, \"hold_s\": 0, \"rest_s\": 0, \"per_day\": 1}, "
	                             "\"source\": \"s\"}]}");
	assert_int_equal(rc_programs_load(dir, &p, err, sizeof err), RC_EINVAL);
	assert_non_null(strstr(err, "'svg'"));
	put(dir, "exercises.json", "{\"exercises\": [");
	assert_int_equal(rc_programs_load(dir, &p, err, sizeof err), RC_EINVAL);
	assert_non_null(strstr(err, "exercises.json: line"));
	char path[512];
	const char *names[] = {"exercises.json", "programs.json", "progression.json"};
	for (int i = 0; i < 3; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		unlink(path);
	}
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(shipped_content_is_consistent),
		cmocka_unit_test(broken_content_is_named),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
