/* test_programs.c — the exercise library and programs as shipped: every program the self-check names
 * exists, the clinic's stretch waits for stage 3 with its reason, bone stress has stricter rules; and
 * broken content is refused with the file and key named. Then the program's use cases on a temporary
 * SQLite database: a long history read by what each figure needs, diary pages, and who may adjust. */
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

#include "app/program.h"
#include "base/time.h"
#include "content/programs.h"
#include "content/selfcheck.h"
#include "store/account.h"
#include "store/migrate.h"

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

/* One file from memory against the built-in rest (a copy: rc_programs_link writes into the programs). */
static rc_err one_file(const rc_programs *base, rc_programs *p, const char *name, const char *text, char *err,
                       size_t errlen)
{
	*p = *base;
	rc_arena_init(&p->arena, 0);
	p->programs = rc_arena_alloc(&p->arena, sizeof *p->programs * (size_t)(base->nprograms + 1));
	memcpy(p->programs, base->programs, sizeof *p->programs * (size_t)base->nprograms);
	rc_content_file f = {name, text, strlen(text)};
	rc_err e = strcmp(name, "programs.json") == 0      ? rc_programs_parse_programs(p, &f, err, errlen)
	           : strcmp(name, "progression.json") == 0 ? rc_programs_parse_progression(p, &f, err, errlen)
	                                                   : rc_programs_parse_exercises(p, &f, err, errlen);
	return e ? e : rc_programs_link(p, err, errlen);
}

static void one_file_is_linked_against_the_builtin_rest(void **state)
{
	(void)state;
	rc_programs *base, p;
	char err[512];
	if (rc_programs_load(NULL, &base, err, sizeof err))
		fail_msg("%s", err);
	const char *stage = "\"stages\": [{\"n\": 1, \"name\": \"n\", \"goal\": \"g\", \"entry\": \"e\", "
	                    "\"exit\": \"x\", \"exercises\": [{\"key\": \"high_hamstring_stretch\", \"reps\": 4}]}]";
	char text[1024];
	snprintf(text, sizeof text, "{\"programs\": [{\"key\": \"bone_stress\", \"name\": \"B\", \"summary\": \"s\", "
	                            "\"source\": \"s\", %s}]}", stage);
	if (one_file(base, &p, "programs.json", text, err, sizeof err))
		fail_msg("%s", err);
	const rc_stage_item *it = &p.programs[0].stages[0].items[0];
	assert_ptr_equal(it->ex, rc_exercise_find(base, "high_hamstring_stretch"));
	assert_int_equal(it->reps, 4);
	assert_int_equal(it->sets, it->ex->sets);
	assert_int_equal(p.programs[0].stages[0].per_day, it->ex->per_day);
	assert_int_equal(p.programs[0].stages[0].prescribed, it->sets * 4);
	assert_int_equal(p.programs[0].rules.during_max, rc_program_find(base, "bone_stress")->rules.during_max);
	rc_arena_free(&p.arena);
	/* An exercise the built-in library lacks is named, with its program and stage. */
	snprintf(text, sizeof text, "{\"programs\": [{\"key\": \"bone_stress\", \"name\": \"B\", \"summary\": \"s\", "
	                            "\"source\": \"s\", %s}]}", stage);
	memcpy(strstr(text, "high_hamstring_stretch"), "high_hamstring_strotch", 22);
	assert_int_equal(one_file(base, &p, "programs.json", text, err, sizeof err), RC_EINVAL);
	assert_non_null(strstr(err, "programs.json: program 'bone_stress' stage 1: exercise 1: 'high_hamstring_strotch' "
	                            "is not in exercises.json"));
	rc_arena_free(&p.arena);
	/* The built-in programs against a library of one exercise. */
	const char *one = "{\"exercises\": [{\"key\": \"a\", \"name\": \"A\", \"regions\": [\"hip\"], \"stages\": [1], "
	                  "\"steps\": [\"x\"], \"dosage\": {\"sets\": 1, \"reps\": 5, \"hold_s\": 0, \"rest_s\": 0, "
	                  "\"per_day\": 1}, \"source\": \"s\"}]}";
	assert_int_equal(one_file(base, &p, "exercises.json", one, err, sizeof err), RC_EINVAL);
	assert_non_null(strstr(err, "is not in exercises.json"));
	rc_arena_free(&p.arena);
	/* progression.json giving its own rules to a program programs.json lacks: the real one would have kept the
	 * default rules. */
	const char *rules = "{\"default\": {\"during_ok\": 3, \"during_max\": 5, \"morning_worse\": 2, \"sessions\": 6, "
	                    "\"days\": 7, \"source\": \"s\"}, \"programs\": {\"bone_stres\": {\"during_ok\": 0, "
	                    "\"during_max\": 2, \"morning_worse\": 1, \"sessions\": 6, \"days\": 7, \"source\": \"s\"}}}";
	assert_int_equal(one_file(base, &p, "progression.json", rules, err, sizeof err), RC_EINVAL);
	assert_string_equal(err, "progression.json: programs.bone_stres names no program in programs.json");
	rc_arena_free(&p.arena);
	rc_programs_free(base);
}

/* --- the use cases, on a database ---------------------------------------------------------------- */

enum { DAY = 86400 };
/* A fixed now (a Monday evening in San Diego, already Tuesday in UTC): the tests never read the clock. */
static const int64_t NOW = 1781575200; /* 2026-06-16T02:00:00Z */

typedef struct {
	char dir[64], path[128];
	rc_db *db;
	rc_programs *content;
	rc_account runner, physio, admin, desk;
	rc_arena arena;
} world;

static void account(world *w, const char *email, rc_role role, rc_account *out)
{
	int64_t id;
	bool found;
	assert_int_equal(rc_account_create(w->db, email, email, role, NULL, NOW - 400 * DAY, &id), RC_OK);
	assert_int_equal(rc_account_by_id(w->db, id, out, &found), RC_OK);
	assert_true(found);
}

static int world_setup(void **state)
{
	world *w = calloc(1, sizeof *w);
	char url[160], err[512] = "";
	int applied;
	if (!w || rc_tz_set("America/Los_Angeles"))
		return -1;
	snprintf(w->dir, sizeof w->dir, "/tmp/runcare-test-programs-XXXXXX");
	if (!mkdtemp(w->dir))
		return -1;
	snprintf(w->path, sizeof w->path, "%s/test.db", w->dir);
	snprintf(url, sizeof url, "sqlite:%s", w->path);
	if (rc_db_open(url, &w->db, err, sizeof err) || rc_migrate(w->db, &applied, err, sizeof err) ||
	    rc_programs_load(NULL, &w->content, err, sizeof err)) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	account(w, "runner@example.org", RC_ROLE_RUNNER, &w->runner);
	account(w, "physio@example.org", RC_ROLE_PRACTITIONER, &w->physio);
	account(w, "admin@example.org", RC_ROLE_ADMIN, &w->admin);
	account(w, "desk@example.org", RC_ROLE_FRONT_DESK, &w->desk);
	rc_arena_init(&w->arena, 16 << 20);
	*state = w;
	return 0;
}

static int world_teardown(void **state)
{
	world *w = *state;
	rc_arena_free(&w->arena);
	rc_programs_free(w->content);
	rc_db_close(w->db);
	const char *files[] = {"test.db", "test.db-wal", "test.db-shm", "test.db-journal"};
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		char p[200];
		snprintf(p, sizeof p, "%s/%s", w->dir, files[i]);
		unlink(p);
	}
	int rc = rmdir(w->dir);
	free(w);
	return rc;
}

static rc_uc as(world *w, const rc_account *who, int64_t now)
{
	return (rc_uc){w->db, now, who, "test", &w->arena};
}

static void clinic_day(int64_t now, int days_ago, char out[11])
{
	rc_day_name(rc_tz_day_number(now) - days_ago, out);
}

/* 290 days of two sessions a day, then today's two: the page's figures come from the latest days. The
 * page once read the first 400 logs, oldest first, and said 0 of 2 today and 0% this week. */
static void a_long_history_counts_its_latest_days(void **state)
{
	world *w = *state;
	rc_problem p = {0};
	rc_uc start = as(w, &w->runner, NOW - 300 * DAY);
	assert_int_equal(rc_app_program_start(&start, w->content, "pht", &p), RC_OK);
	rc_assignment a;
	bool active;
	assert_int_equal(rc_program_active(w->db, w->runner.id, &a, &active), RC_OK);
	assert_true(active);
	int n = rc_program_find(w->content, "pht")->stages[0].prescribed;
	for (int d = 290; d >= 1; d--) {
		char day[11];
		int64_t id;
		clinic_day(NOW, d, day);
		for (int k = 0; k < 2; k++)
			assert_int_equal(rc_session_log_add(w->db, &a, day, n, n, 2, NOW - d * DAY, 0, &id), RC_OK);
	}
	rc_uc uc = as(w, &w->runner, NOW);
	rc_session_in calm = {n, 2, NULL, 0}, sore = {n, 7, "", 0};
	assert_int_equal(rc_app_program_log(&uc, w->content, &calm, &p), RC_OK);
	assert_int_equal(rc_app_program_log(&uc, w->content, &sore, &p), RC_OK);
	rc_program_view v;
	assert_int_equal(rc_app_program_view(&uc, w->content, w->runner.id, &v), RC_OK);
	assert_true(v.active);
	assert_int_equal(v.done_today, 2);
	assert_true(v.adherence7 > 0.999 && v.adherence28 > 0.999);
	assert_int_equal(v.decision.kind, RC_DECIDE_STEP_BACK);
	assert_non_null(strstr(v.decision.why, "7/10"));
	assert_int_equal(v.nlogs, 2 * RC_PROGRAM_CHART_DAYS);
	char today[11];
	clinic_day(NOW, 0, today);
	assert_string_equal(v.logs[0].day, today);
	assert_int_equal(v.logs[0].pain_during, 7);
	assert_int_equal(v.nweeks, RC_PROGRAM_CHART_DAYS / 7);
	assert_true(v.week_adherence[v.nweeks - 1] > 0.999);
	/* The same logs, corrected: the decision reads the correction. */
	rc_session_in fixed = {n, 1, NULL, v.logs[0].id};
	assert_int_equal(rc_app_program_log(&uc, w->content, &fixed, &p), RC_OK);
	assert_int_equal(rc_app_program_view(&uc, w->content, w->runner.id, &v), RC_OK);
	assert_int_equal(v.decision.kind, RC_DECIDE_PROGRESS);
	assert_non_null(strstr(v.decision.why, "582 sessions"));
	/* Bad input names its field. */
	rc_session_in bad[] = {{0, 2, NULL, 0}, {n, 11, NULL, 0}, {n, RC_APP_NOT_A_NUMBER, NULL, 0}, {n, 2, "2026-02-30", 0}};
	const char *fields[] = {"done", "pain", "pain", "day"};
	for (int i = 0; i < 4; i++) {
		memset(&p, 0, sizeof p);
		assert_int_equal(rc_app_program_log(&uc, w->content, &bad[i], &p), RC_EINVAL);
		assert_string_equal(p.field, fields[i]);
	}
}

/* A diary of 130 days is shown 60 days at a time, newest first, with the way to the older ones; the
 * latest PSFS is the one shown, however many came before it. */
static void the_diary_pages_through_every_entry(void **state)
{
	world *w = *state;
	for (int d = 130; d >= 1; d--) {
		rc_diary_row e = {.pain_rest = d % 10, .pain_sitting = 1, .pain_running = -1, .minutes_run = 0};
		int64_t id;
		clinic_day(NOW, d, e.day);
		snprintf(e.notes, sizeof e.notes, "day %d", d);
		assert_int_equal(rc_diary_add(w->db, w->runner.id, &e, NOW - d * DAY, 0, &id), RC_OK);
	}
	for (int i = 0; i < 110; i++) {
		char day[11], json[80];
		clinic_day(NOW, 110 - i, day);
		snprintf(json, sizeof json, "[{\"activity\": \"rating %d\", \"score\": 4}]", i);
		assert_int_equal(rc_psfs_add(w->db, w->runner.id, day, json, NOW - (110 - i) * DAY), RC_OK);
	}
	rc_uc uc = as(w, &w->runner, NOW);
	rc_problem p = {0};
	rc_diary_view v;
	char day[11];
	assert_int_equal(rc_app_diary_view(&uc, NULL, 0, &v, &p), RC_OK);
	assert_int_equal(v.n, RC_DIARY_PAGE);
	assert_string_equal(v.entries[0].notes, "day 1");
	clinic_day(NOW, RC_DIARY_PAGE, day);
	assert_string_equal(v.older, day);
	assert_true(v.rated);
	assert_string_equal(v.last_psfs.activity[0], "rating 109");
	char before[11];
	snprintf(before, sizeof before, "%s", v.older);
	assert_int_equal(rc_app_diary_view(&uc, before, 0, &v, &p), RC_OK);
	assert_int_equal(v.n, RC_DIARY_PAGE);
	assert_string_equal(v.entries[0].notes, "day 61");
	snprintf(before, sizeof before, "%s", v.older);
	assert_int_equal(rc_app_diary_view(&uc, before, 0, &v, &p), RC_OK);
	assert_int_equal(v.n, 10);
	assert_string_equal(v.older, "");
	/* An entry of the first page is found for correction wherever it is. */
	int64_t oldest = v.entries[9].id;
	assert_int_equal(rc_app_diary_view(&uc, NULL, oldest, &v, &p), RC_OK);
	assert_true(v.editing);
	assert_string_equal(v.edit.notes, "day 130");
	assert_int_equal(rc_app_diary_view(&uc, "someday", 0, &v, &p), RC_EINVAL);
}

/* Practitioners and administrators adjust a program; the front desk and the runner do not. A note alone
 * does not restart the stage's clock; a practitioner's note is kept whole. */
static void only_practitioners_and_admins_adjust(void **state)
{
	world *w = *state;
	rc_problem p = {0};
	rc_assignment before, after;
	bool active;
	assert_false(rc_app_program_may_adjust(&w->desk));
	assert_false(rc_app_program_may_adjust(&w->runner));
	assert_true(rc_app_program_may_adjust(&w->physio) && rc_app_program_may_adjust(&w->admin));
	rc_uc runner = as(w, &w->runner, NOW - 20 * DAY);
	assert_int_equal(rc_app_program_start(&runner, w->content, "achilles", &p), RC_OK);
	assert_int_equal(rc_program_active(w->db, w->runner.id, &before, &active), RC_OK);
	rc_program_assign_in in = {w->runner.id, "achilles", 2, "from the desk"};
	rc_uc desk = as(w, &w->desk, NOW);
	assert_int_equal(rc_app_program_assign(&desk, w->content, &in, &p), RC_EFORBIDDEN);
	runner.now = NOW;
	assert_int_equal(rc_app_program_assign(&runner, w->content, &in, &p), RC_EFORBIDDEN);
	assert_int_equal(rc_program_active(w->db, w->runner.id, &after, &active), RC_OK);
	assert_int_equal(after.stage, before.stage);
	assert_string_equal(after.note, before.note);
	/* A runner's own start is not the clinic's to make, nor the other way round. */
	assert_int_equal(rc_app_program_start(&desk, w->content, "achilles", &p), RC_EFORBIDDEN);
	rc_uc physio = as(w, &w->physio, NOW - 10 * DAY);
	in.note = "heavier now";
	assert_int_equal(rc_app_program_assign(&physio, w->content, &in, &p), RC_OK);
	assert_int_equal(rc_program_active(w->db, w->runner.id, &after, &active), RC_OK);
	assert_int_equal(after.stage, 2);
	assert_int_equal(after.id, before.id); /* the same program: its logs stay with it */
	assert_int_equal(after.stage_started_at, NOW - 10 * DAY);
	/* A week on, a new note at the same stage keeps the days done in it. */
	char note[2 * RC_PROGRAM_TEXT_MAX + 2] = "";
	for (int i = 0; i < RC_PROGRAM_TEXT_MAX; i++)
		strcat(note, "\xc3\xa9"); /* é: 1000 characters, 2000 bytes */
	in.note = note;
	physio.now = NOW - 3 * DAY;
	assert_int_equal(rc_app_program_assign(&physio, w->content, &in, &p), RC_OK);
	assert_int_equal(rc_program_active(w->db, w->runner.id, &after, &active), RC_OK);
	assert_int_equal(after.stage_started_at, NOW - 10 * DAY);
	assert_string_equal(after.note, note);
	rc_uc admin = as(w, &w->admin, NOW);
	in.stage = 3;
	in.note = "last stage";
	assert_int_equal(rc_app_program_assign(&admin, w->content, &in, &p), RC_OK);
	assert_int_equal(rc_program_active(w->db, w->runner.id, &after, &active), RC_OK);
	assert_int_equal(after.stage, 3);
	assert_int_equal(after.stage_started_at, NOW);
	/* Refusals name the field. */
	in.stage = 9;
	assert_int_equal(rc_app_program_assign(&admin, w->content, &in, &p), RC_EINVAL);
	assert_string_equal(p.field, "stage");
	in.stage = 1;
	strcat(note, "x");
	in.note = note;
	assert_int_equal(rc_app_program_assign(&admin, w->content, &in, &p), RC_EINVAL);
	assert_string_equal(p.field, "note");
	in.note = NULL;
	in.program = "nope";
	assert_int_equal(rc_app_program_assign(&admin, w->content, &in, &p), RC_EINVAL);
	assert_string_equal(p.field, "program");
	in.program = "achilles";
	in.runner = w->physio.id; /* not a runner */
	assert_int_equal(rc_app_program_assign(&admin, w->content, &in, &p), RC_ENOTFOUND);
	/* Another runner's program is not theirs to see; the clinic's staff see it. */
	rc_program_view v;
	rc_account other = w->runner;
	other.id = w->runner.id + 1000;
	rc_uc stranger = as(w, &other, NOW);
	assert_int_equal(rc_app_program_view(&stranger, w->content, w->runner.id, &v), RC_ENOTFOUND);
	assert_int_equal(rc_app_program_view(&desk, w->content, w->runner.id, &v), RC_OK);
	assert_false(v.may_adjust);
}

/* Every pain limit on the pages and the printed sheet is the program's own. */
static void the_pain_limits_are_each_programs_own(void **state)
{
	world *w = *state;
	rc_problem p = {0};
	rc_uc uc = as(w, &w->runner, NOW);
	assert_int_equal(rc_app_program_start(&uc, w->content, "bone_stress", &p), RC_OK);
	rc_program_view v;
	assert_int_equal(rc_app_program_view(&uc, w->content, w->runner.id, &v), RC_OK);
	assert_non_null(strstr(v.pain_advice, "2/10"));
	assert_null(strstr(v.pain_advice, "3/10"));
	assert_int_equal(rc_app_program_start(&uc, w->content, "pht", &p), RC_OK);
	assert_int_equal(rc_app_program_view(&uc, w->content, w->runner.id, &v), RC_OK);
	assert_non_null(strstr(v.pain_advice, "up to 3/10 is fine"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(shipped_content_is_consistent),
		cmocka_unit_test(broken_content_is_named),
		cmocka_unit_test(one_file_is_linked_against_the_builtin_rest),
		cmocka_unit_test_setup_teardown(a_long_history_counts_its_latest_days, world_setup, world_teardown),
		cmocka_unit_test_setup_teardown(the_diary_pages_through_every_entry, world_setup, world_teardown),
		cmocka_unit_test_setup_teardown(only_practitioners_and_admins_adjust, world_setup, world_teardown),
		cmocka_unit_test_setup_teardown(the_pain_limits_are_each_programs_own, world_setup, world_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
