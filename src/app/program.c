/* program.c — the home program's use cases (see program.h). */
#include "app/program.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/text.h"
#include "base/time.h"
#include "formats/ical.h"
#include "store/account.h"

/* The calendar's session times, one for each session a day an exercise may ask for. */
static const char *const SESSION_TIMES[] = {"07:30", "12:30", "18:30"};
_Static_assert(sizeof SESSION_TIMES / sizeof SESSION_TIMES[0] == RC_EX_MAX_PER_DAY, "a time for every session");

bool rc_app_program_may_adjust(const rc_account *actor)
{
	return actor->role == RC_ROLE_PRACTITIONER || actor->role == RC_ROLE_ADMIN;
}

static bool in_range(int v, int lo, int hi)
{
	return v != RC_APP_NOT_A_NUMBER && v >= lo && v <= hi;
}

/* The stage the assignment is at, within what the program has (content may have lost a stage). */
static const rc_stage *stage_of(const rc_program *prog, const rc_assignment *a)
{
	int st = a->stage < 1 ? 1 : a->stage > prog->nstages ? prog->nstages : a->stage;
	return &prog->stages[st - 1];
}

static rc_err only_runners(const rc_uc *uc, rc_problem *p)
{
	if (uc->actor->role != RC_ROLE_RUNNER)
		return rc_problem_set(p, RC_EFORBIDDEN, NULL, "Only a runner keeps a home program, its logs and diary.");
	return RC_OK;
}

/* The runner's account, when it is a runner's. */
static rc_err runner_account(const rc_uc *uc, int64_t runner, rc_account *out)
{
	bool found = false;
	rc_err e = rc_account_by_id(uc->db, runner, out, &found);
	if (e)
		return e;
	memset(out->password_hash, 0, sizeof out->password_hash);
	return found && out->patient ? RC_OK : RC_ENOTFOUND;
}

/* --- starting and adjusting ---------------------------------------------------------------------- */

rc_err rc_app_program_start(const rc_uc *uc, const rc_programs *content, const char *key, rc_problem *p)
{
	rc_err e = only_runners(uc, p);
	if (e)
		return e;
	const rc_program *prog = rc_program_find(content, key);
	if (!prog)
		return rc_problem_set(p, RC_EINVAL, "program", "'Program' must be one of the clinic's home programs.");
	int64_t id;
	return rc_program_start(uc->db, uc->actor->id, prog->key, 1, 0, "", uc->now, &id);
}

rc_err rc_app_program_assign(const rc_uc *uc, const rc_programs *content, const rc_program_assign_in *in,
                             rc_problem *p)
{
	if (!rc_app_program_may_adjust(uc->actor))
		return rc_problem_set(p, RC_EFORBIDDEN, NULL,
		                      "Only a practitioner or an administrator changes a runner's home program.");
	rc_account who;
	rc_err e = runner_account(uc, in->runner, &who);
	if (e)
		return e == RC_ENOTFOUND ? rc_problem_set(p, e, NULL, "There is no runner with this record.") : e;
	const rc_program *prog = rc_program_find(content, in->program);
	if (!prog)
		return rc_problem_set(p, RC_EINVAL, "program", "'Program' must be one of the clinic's home programs.");
	if (!in_range(in->stage, 1, prog->nstages))
		return rc_problem_set(p, RC_EINVAL, "stage", "'Stage' must be a whole number from 1 to %d for this program.",
		                      prog->nstages);
	if (rc_utf8_chars(in->note) > RC_PROGRAM_TEXT_MAX)
		return rc_problem_set(p, RC_EINVAL, "note", "'Note' must be at most %d characters.", RC_PROGRAM_TEXT_MAX);
	rc_assignment a;
	bool active;
	if ((e = rc_program_active(uc->db, in->runner, &a, &active)))
		return e;
	/* The same program: a new stage and note on the same assignment (its logs stay with it). */
	int64_t id;
	if (active && strcmp(a.program_key, prog->key) == 0)
		e = rc_program_set_stage(uc->db, a.id, in->stage, in->note, uc->now);
	else
		e = rc_program_start(uc->db, in->runner, prog->key, in->stage, uc->actor->id, in->note, uc->now, &id);
	if (!e)
		e = rc_audit_add(uc->db, uc->now, uc->actor, "program.assign", in->runner, prog->key, uc->address);
	return e;
}

/* --- logging a session ----------------------------------------------------------------------------- */

rc_err rc_app_program_log(const rc_uc *uc, const rc_programs *content, const rc_session_in *in, rc_problem *p)
{
	rc_err e = only_runners(uc, p);
	if (e)
		return e;
	rc_assignment a;
	bool active;
	if ((e = rc_program_active(uc->db, uc->actor->id, &a, &active)))
		return e;
	const rc_program *prog = active ? rc_program_find(content, a.program_key) : NULL;
	if (!prog)
		return rc_problem_set(p, RC_ECONFLICT, NULL, "Start a home program before logging a session.");
	const rc_stage *stage = stage_of(prog, &a);
	a.stage = stage->n;
	int max_done = stage->prescribed * RC_PROGRAM_DONE_TIMES;
	int64_t today = rc_tz_day_number(uc->now), started = rc_tz_day_number(a.started_at);
	char day[11];
	int64_t dn = today; /* no day given: today */
	if (in->day && *in->day) {
		dn = rc_day_number(in->day);
		snprintf(day, sizeof day, "%s", dn == INT64_MIN ? "" : in->day);
	} else {
		rc_day_name(today, day);
	}
	if (!in_range(in->done, 1, max_done))
		return rc_problem_set(p, RC_EINVAL, "done",
		                      "'Repetitions and holds done' must be a whole number from 1 to %d (a session with "
		                      "none done is not logged).",
		                      max_done);
	if (!in_range(in->pain, 0, 10))
		return rc_problem_set(p, RC_EINVAL, "pain", "'Pain during' must be a whole number from 0 (none) to 10 (worst).");
	if (dn == INT64_MIN)
		return rc_problem_set(p, RC_EINVAL, "day", "'Day' must be a date like 2026-11-24.");
	if (dn > today)
		return rc_problem_set(p, RC_EINVAL, "day", "'Day' cannot be in the future: log a session once it is done.");
	if (dn < started) {
		char s[11];
		rc_day_name(started, s);
		return rc_problem_set(p, RC_EINVAL, "day", "'Day' is before this program began (%s).", s);
	}
	if (dn < today - RC_PROGRAM_LATE_DAYS)
		return rc_problem_set(p, RC_EINVAL, "day", "'Day' can be at most %d days ago.", RC_PROGRAM_LATE_DAYS);
	int64_t id;
	e = rc_session_log_add(uc->db, &a, day, in->done, stage->prescribed, in->pain, uc->now, in->replaces, &id);
	if (e == RC_ENOTFOUND)
		return rc_problem_set(p, e, NULL, "There is no such log of yours to correct.");
	return e;
}

rc_err rc_app_program_change_stage(const rc_uc *uc, const rc_programs *content, int direction, rc_problem *p)
{
	rc_err e = only_runners(uc, p);
	if (e)
		return e;
	rc_program_view *v = rc_arena_alloc(uc->arena, sizeof *v);
	if (!v)
		return RC_ENOMEM;
	if ((e = rc_app_program_view(uc, content, uc->actor->id, v)))
		return e;
	if (!v->active)
		return rc_problem_set(p, RC_ECONFLICT, NULL, "There is no active home program to change.");
	int to;
	if (direction > 0 && v->decision.kind == RC_DECIDE_PROGRESS)
		to = v->stage->n + 1;
	else if (direction < 0 && v->stage->n > 1)
		to = v->stage->n - 1;
	else
		return rc_problem_set(p, RC_ECONFLICT, NULL,
		                      "Your logs do not call for that change now; the Today page says what they show.");
	return rc_program_set_stage(uc->db, v->a.id, to, v->a.note, uc->now);
}

/* --- the diary and the PSFS ---------------------------------------------------------------------- */

rc_err rc_app_diary_add(const rc_uc *uc, const rc_diary_in *in, rc_problem *p)
{
	rc_err e = only_runners(uc, p);
	if (e)
		return e;
	int64_t dn = in->day ? rc_day_number(in->day) : INT64_MIN;
	if (dn == INT64_MIN)
		return rc_problem_set(p, RC_EINVAL, "day", "'Day' must be a date like 2026-11-24.");
	if (dn > rc_tz_day_number(uc->now))
		return rc_problem_set(p, RC_EINVAL, "day", "'Day' cannot be in the future.");
	if (!in_range(in->pain_rest, 0, 10))
		return rc_problem_set(p, RC_EINVAL, "pain_rest", "'Pain at rest' must be a whole number from 0 to 10.");
	if (!in_range(in->pain_sitting, 0, 10))
		return rc_problem_set(p, RC_EINVAL, "pain_sitting", "'Pain when sitting' must be a whole number from 0 to 10.");
	if (in->pain_running != -1 && !in_range(in->pain_running, 0, 10))
		return rc_problem_set(p, RC_EINVAL, "pain_running",
		                      "'Pain when running' must be a whole number from 0 to 10, or empty.");
	if (!in_range(in->minutes_run, 0, RC_DIARY_MINUTES_MAX))
		return rc_problem_set(p, RC_EINVAL, "minutes_run", "'Minutes run' must be a whole number from 0 to %d.",
		                      RC_DIARY_MINUTES_MAX);
	if (rc_utf8_chars(in->notes) > RC_PROGRAM_TEXT_MAX)
		return rc_problem_set(p, RC_EINVAL, "notes", "'Notes' must be at most %d characters.", RC_PROGRAM_TEXT_MAX);
	rc_diary_row d = {.pain_rest = in->pain_rest, .pain_sitting = in->pain_sitting,
	                  .pain_running = in->pain_running, .minutes_run = in->minutes_run};
	snprintf(d.day, sizeof d.day, "%s", in->day);
	snprintf(d.notes, sizeof d.notes, "%s", in->notes ? in->notes : "");
	/* One entry a day: a second one for the same day corrects the first (which is kept as a version). */
	int64_t replaces = in->replaces, id;
	if (!replaces && (e = rc_diary_on_day(uc->db, uc->actor->id, d.day, &replaces)))
		return e;
	e = rc_diary_add(uc->db, uc->actor->id, &d, uc->now, replaces, &id);
	if (e == RC_ENOTFOUND)
		return rc_problem_set(p, e, NULL, "There is no such diary entry of yours to correct.");
	return e;
}

rc_err rc_app_psfs_add(const rc_uc *uc, const rc_psfs_in *in, rc_problem *p)
{
	rc_err e = only_runners(uc, p);
	if (e)
		return e;
	static const char *const activity_fields[] = {"activity1", "activity2", "activity3", "activity4", "activity5"};
	static const char *const score_fields[] = {"score1", "score2", "score3", "score4", "score5"};
	_Static_assert(sizeof activity_fields / sizeof activity_fields[0] == RC_PSFS_ITEMS, "a field name per item");
	json_t *a = json_array();
	if (!a)
		return RC_ENOMEM;
	for (int i = 0; i < RC_PSFS_ITEMS; i++) {
		const char *act = in->activity[i];
		if (!act || !*act)
			continue;
		if (rc_utf8_chars(act) > RC_PSFS_ACTIVITY_MAX) {
			json_decref(a);
			return rc_problem_set(p, RC_EINVAL, activity_fields[i], "'Activity %d' must be at most %d characters.",
			                      i + 1, RC_PSFS_ACTIVITY_MAX);
		}
		if (!in_range(in->score[i], 0, 10)) {
			json_decref(a);
			return rc_problem_set(p, RC_EINVAL, score_fields[i],
			                      "'Activity %d, score' must be a whole number from 0 (cannot do) to 10 (as before).",
			                      i + 1);
		}
		if (json_array_append_new(a, json_pack("{s:s, s:i}", "activity", act, "score", in->score[i]))) {
			json_decref(a);
			return RC_ENOMEM;
		}
	}
	if (json_array_size(a) == 0) {
		json_decref(a);
		return rc_problem_set(p, RC_EINVAL, "activity1", "Name at least one activity and give it a score from 0 to 10.");
	}
	char *text = json_dumps(a, JSON_COMPACT);
	json_decref(a);
	if (!text)
		return RC_ENOMEM;
	char day[11];
	rc_tz_date(uc->now, day);
	e = rc_psfs_add(uc->db, uc->actor->id, day, text, uc->now);
	free(text);
	return e;
}

/* --- reading ----------------------------------------------------------------------------------- */

/* An array in the arena that grows as rows come: no count is fixed in advance, and only the request's
 * memory cap (an error the caller shows) bounds it. */
typedef struct {
	rc_arena *arena;
	size_t size;
	void *v;
	int n, cap;
	bool spent;
} grow;

static void *grow_add(grow *g)
{
	if (g->spent)
		return NULL;
	if (g->n == g->cap) {
		int cap = g->cap ? g->cap * 2 : 32;
		void *v = g->cap < INT32_MAX / 4 ? rc_arena_alloc(g->arena, g->size * (size_t)cap) : NULL;
		if (!v) {
			g->spent = true;
			return NULL;
		}
		if (g->n)
			memcpy(v, g->v, g->size * (size_t)g->n);
		g->v = v;
		g->cap = cap;
	}
	return (char *)g->v + g->size * (size_t)g->n++;
}

static void keep_log(void *ctx, const rc_log_row *l)
{
	rc_log_row *x = grow_add(ctx);
	if (x)
		*x = *l;
}

static void keep_diary(void *ctx, const rc_diary_row *d)
{
	rc_diary_row *x = grow_add(ctx);
	if (x)
		*x = *d;
}

static void keep_morning(void *ctx, const char *day, int pain_rest)
{
	rc_morning *x = grow_add(ctx);
	if (x)
		*x = (rc_morning){rc_day_number(day), pain_rest};
}

/* A stored rating (the JSON its use case wrote: at most RC_PSFS_ITEMS activities). */
static void read_psfs(rc_psfs *p, const char *day, int64_t at, const char *ratings)
{
	memset(p, 0, sizeof *p);
	snprintf(p->day, sizeof p->day, "%s", day);
	p->rated_at = at;
	json_t *a = json_loads(ratings, 0, NULL), *x;
	size_t i;
	double sum = 0;
	json_array_foreach(a, i, x) {
		if (p->n == RC_PSFS_ITEMS)
			break;
		const char *act = json_string_value(json_object_get(x, "activity"));
		snprintf(p->activity[p->n], sizeof p->activity[0], "%s", act ? act : "");
		p->score[p->n] = (int)json_integer_value(json_object_get(x, "score"));
		sum += p->score[p->n++];
	}
	json_decref(a);
	p->average = p->n ? sum / p->n : 0;
}

static void keep_psfs(void *ctx, const char *day, int64_t at, const char *ratings)
{
	rc_psfs *x = grow_add(ctx);
	if (x)
		read_psfs(x, day, at, ratings);
}

static void latest_psfs(void *ctx, const char *day, int64_t at, const char *ratings)
{
	read_psfs(ctx, day, at, ratings);
}

/* The stage's latest sessions arrive newest first; the decision wants them oldest first. */
typedef struct {
	rc_session_log *v;
	int n, cap;
} latest_logs;

static void keep_latest(void *ctx, const rc_log_row *l)
{
	latest_logs *s = ctx;
	if (s->n < s->cap) /* the query's LIMIT is cap: never more */
		s->v[s->n++] = (rc_session_log){rc_day_number(l->day), l->done, l->prescribed, l->pain_during};
}

typedef struct {
	int64_t first;
	const int *count; /* sessions on each day of the window, from first */
} day_counts;

static int done_on(void *ctx, int64_t day)
{
	const day_counts *c = ctx;
	return day >= c->first && day < c->first + RC_PROGRAM_CHART_DAYS ? c->count[day - c->first] : 0;
}

/* The decision: the stage's count, first day and latest sessions, and the mornings since it began. */
static rc_err decide(const rc_uc *uc, rc_program_view *v, const rc_morning *m, int nm)
{
	const rc_progress_rules *rules = &v->prog->rules;
	int64_t stage_start = rc_tz_day_number(v->a.stage_started_at);
	char since[11], first[11];
	rc_day_name(stage_start, since);
	rc_stage_logs s = {0};
	latest_logs l = {rc_arena_alloc(uc->arena, sizeof *l.v * (size_t)rules->sessions), 0, rules->sessions};
	if (!l.v)
		return RC_ENOMEM;
	rc_err e = rc_stage_log_count(uc->db, v->a.id, v->stage->n, since, &s.count, first);
	if (!e)
		e = rc_stage_logs_latest(uc->db, v->a.id, v->stage->n, since, rules->sessions, keep_latest, &l);
	if (e)
		return e;
	for (int i = 0; i < l.n / 2; i++) {
		rc_session_log t = l.v[i];
		l.v[i] = l.v[l.n - 1 - i];
		l.v[l.n - 1 - i] = t;
	}
	s.first_day = first[0] ? rc_day_number(first) : 0;
	s.latest = l.v;
	s.nlatest = l.n;
	rc_progress_decide(rules, &s, m, nm, stage_start, v->stage->n, v->prog->nstages, &v->decision);
	return RC_OK;
}

static rc_err read_view(const rc_uc *uc, const rc_programs *content, int64_t runner, rc_program_view *v)
{
	rc_err e = rc_program_active(uc->db, runner, &v->a, &v->active);
	if (e)
		return e;
	v->prog = v->active ? rc_program_find(content, v->a.program_key) : NULL;
	v->active = v->prog != NULL; /* a program the content no longer has is no program */
	char from[11], to[11];
	rc_day_name(v->first_day, from);
	rc_day_name(v->today, to);
	/* The mornings from where the stage began (for the decision) or the window (for the chart),
	 * whichever is earlier. */
	int64_t since_day = v->first_day;
	if (v->active) {
		v->stage = stage_of(v->prog, &v->a);
		rc_progress_pain_advice(&v->prog->rules, v->pain_advice, sizeof v->pain_advice);
		rc_tz_date(v->a.started_at, v->started);
		int64_t stage_start = rc_tz_day_number(v->a.stage_started_at);
		if (stage_start < since_day)
			since_day = stage_start;
	}
	char since[11];
	rc_day_name(since_day, since);
	grow logs = {uc->arena, sizeof(rc_log_row), NULL, 0, 0, false};
	grow mornings = {uc->arena, sizeof(rc_morning), NULL, 0, 0, false};
	grow psfs = {uc->arena, sizeof(rc_psfs), NULL, 0, 0, false};
	if ((e = rc_diary_mornings(uc->db, runner, since, keep_morning, &mornings)) ||
	    (e = rc_psfs_since(uc->db, runner, from, keep_psfs, &psfs)))
		return e;
	if (v->active && (e = rc_session_logs_between(uc->db, v->a.id, from, to, keep_log, &logs)))
		return e;
	if (logs.spent || mornings.spent || psfs.spent)
		return RC_ENOMEM;
	v->logs = logs.v;
	v->nlogs = logs.n;
	v->psfs = psfs.v;
	v->npsfs = psfs.n;
	rc_morning *m = mornings.v;
	if (v->active && (e = decide(uc, v, m, mornings.n)))
		return e;
	/* The chart's mornings: those in the window. */
	int skip = 0;
	while (skip < mornings.n && m[skip].day < v->first_day)
		skip++;
	v->mornings = m ? m + skip : NULL;
	v->nmornings = mornings.n - skip;
	if (!v->active)
		return RC_OK;
	/* Sessions done each day of the window: today's count, adherence over 7 and 28 days, and week by week. */
	int count[RC_PROGRAM_CHART_DAYS] = {0};
	for (int i = 0; i < v->nlogs; i++) {
		int64_t d = rc_day_number(v->logs[i].day);
		if (d >= v->first_day && d <= v->today)
			count[d - v->first_day]++;
	}
	day_counts c = {v->first_day, count};
	int64_t started = rc_day_number(v->started);
	int per_day = v->stage->per_day;
	v->done_today = done_on(&c, v->today);
	v->adherence7 = rc_adherence(v->today, 7, started, per_day, done_on, &c);
	v->adherence28 = rc_adherence(v->today, 28, started, per_day, done_on, &c);
	for (int64_t d = v->first_day + 6; d <= v->today; d += 7) {
		if (d < started)
			continue; /* before the program: nothing was due */
		v->week_end[v->nweeks] = d;
		v->week_adherence[v->nweeks++] = rc_adherence(d, 7, started, per_day, done_on, &c);
	}
	return RC_OK;
}

rc_err rc_app_program_view(const rc_uc *uc, const rc_programs *content, int64_t runner, rc_program_view *out)
{
	memset(out, 0, sizeof *out);
	bool self = uc->actor->id == runner;
	if (!self && !rc_role_is_staff(uc->actor->role))
		return RC_ENOTFOUND; /* as if there were no such record */
	rc_err e = runner_account(uc, runner, &out->runner);
	if (e)
		return e;
	out->may_adjust = rc_app_program_may_adjust(uc->actor);
	out->today = rc_tz_day_number(uc->now);
	out->first_day = out->today - RC_PROGRAM_CHART_DAYS + 1;
	/* One snapshot, so the counts, the latest sessions and the window agree with each other. */
	if ((e = rc_db_begin_snapshot(uc->db)))
		return e;
	e = read_view(uc, content, runner, out);
	rc_db_rollback(uc->db);
	if (!e && !self)
		e = rc_audit_add(uc->db, uc->now, uc->actor, "program.view", runner, "", uc->address);
	return e;
}

rc_err rc_app_diary_view(const rc_uc *uc, const char *before, int64_t edit, rc_diary_view *out, rc_problem *p)
{
	memset(out, 0, sizeof *out);
	rc_err e = only_runners(uc, p);
	if (e)
		return e;
	if (before && *before && rc_day_number(before) == INT64_MIN)
		return rc_problem_set(p, RC_EINVAL, "before", "'before' must be a date like 2026-11-24.");
	int64_t runner = uc->actor->id;
	/* The entries of the latest RC_DIARY_PAGE days that have one; one more day's worth says whether
	 * there are older ones (its entries wait for the next page). */
	grow d = {uc->arena, sizeof(rc_diary_row), NULL, 0, 0, false};
	if ((e = rc_diary_page(uc->db, runner, before, RC_DIARY_PAGE + 1, keep_diary, &d)))
		return e;
	if (d.spent)
		return RC_ENOMEM;
	rc_diary_row *rows = d.v;
	int days = 0, n = 0;
	for (; n < d.n; n++) {
		if (n == 0 || strcmp(rows[n].day, rows[n - 1].day) != 0)
			days++;
		if (days > RC_DIARY_PAGE) {
			snprintf(out->older, sizeof out->older, "%s", rows[n - 1].day);
			break;
		}
	}
	out->entries = rows;
	out->n = n;
	if ((e = rc_psfs_latest(uc->db, runner, latest_psfs, &out->last_psfs)))
		return e;
	out->rated = out->last_psfs.rated_at != 0;
	out->psfs_due = !out->rated || uc->now - out->last_psfs.rated_at >= RC_PSFS_EVERY_DAYS * 86400;
	if (edit)
		e = rc_diary_get(uc->db, runner, edit, &out->edit, &out->editing);
	return e;
}

/* --- the calendar feed -------------------------------------------------------------------------- */

rc_err rc_app_program_calendar(const rc_uc *uc, const rc_programs *content, int64_t runner, rc_buf *out)
{
	rc_assignment a;
	bool active = false;
	rc_err e = rc_program_active(uc->db, runner, &a, &active);
	const rc_program *prog = !e && active ? rc_program_find(content, a.program_key) : NULL;
	if (!prog)
		return e;
	/* per_day is at most RC_EX_MAX_PER_DAY (content/programs.c checks it): every session has a time. */
	int per_day = stage_of(prog, &a)->per_day;
	int64_t today = rc_tz_day_number(uc->now);
	for (int day = 0; day < RC_PROGRAM_CALENDAR_DAYS; day++) {
		char ymd[11];
		rc_day_name(today + day, ymd);
		for (int k = 0; k < per_day; k++) {
			char local[32], uid[96];
			int64_t start;
			snprintf(local, sizeof local, "%sT%s", ymd, SESSION_TIMES[k]);
			if (!rc_tz_parse_local(local, &start))
				continue;
			snprintf(uid, sizeof uid, "program-%lld-%s-%d@runcare", (long long)a.id, ymd, k);
			/* The title says nothing of a diagnosis: calendars are shared and synced. */
			rc_ical_event ev = {uid, "Home exercises", NULL, "CONFIRMED", start, start + 20 * 60, a.stage_started_at, 10};
			rc_ical_event_add(out, &ev);
		}
	}
	return RC_OK;
}
