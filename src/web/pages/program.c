/* program.c — the home program a runner follows: today's sessions and logging, the recovery diary and
 * PSFS, the record with charts that staff also see (and adjust), the printable sheet, the exercise
 * drawings, and the program's sessions in the runner's private calendar feed. */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/time.h"
#include "content/programs.h"
#include "domain/progress.h"
#include "formats/ical.h"
#include "store/account.h"
#include "store/program_store.h"
#include "web/html.h"
#include "web/layout.h"
#include "web/pages/pages.h"

enum {
	LOG_MAX_AGE_DAYS = 30,   /* a session may be logged late, up to a month */
	MAX_LOGS = 400,          /* logs read for one page */
	MAX_DIARY = 400,
	CHART_DAYS = 56,         /* charts show the last 8 weeks */
	PSFS_EVERY_DAYS = 14,
	PSFS_MAX = 5,
	NOTES_MAX = 1000,
};

/* A time for each session a day an exercise may ask for (content/programs.c checks per_day). */
static const char *const SESSION_TIMES[] = {"07:30", "12:30", "18:30"};
_Static_assert(sizeof SESSION_TIMES / sizeof SESSION_TIMES[0] == RC_EX_MAX_PER_DAY, "a time for every session");

static void record_page(rc_req *r, const char *error);

/* --- shared reading ------------------------------------------------------------------------ */


typedef struct {
	rc_log_row *v;
	int n;
} logs;

static void keep_log(void *ctx, const rc_log_row *l)
{
	logs *ls = ctx;
	if (ls->n < MAX_LOGS)
		ls->v[ls->n++] = *l;
}

typedef struct {
	rc_diary_row *v;
	int n;
} diary;

static void keep_diary(void *ctx, const rc_diary_row *d)
{
	diary *ds = ctx;
	if (ds->n < MAX_DIARY)
		ds->v[ds->n++] = *d;
}

/* Everything a program page shows, read once. */
typedef struct {
	rc_assignment a;
	bool active;
	const rc_program *prog;
	const rc_stage *stage;
	logs logs;
	diary diary;
	rc_decision decision;
	int done_today;
	double adherence7, adherence28;
} program_view;

static int done_on(void *ctx, int64_t day)
{
	const program_view *v = ctx;
	int n = 0;
	for (int i = 0; i < v->logs.n; i++)
		n += rc_day_number(v->logs.v[i].day) == day;
	return n;
}

static rc_err read_view(rc_req *r, int64_t runner, program_view *v)
{
	memset(v, 0, sizeof *v);
	rc_db *db = rc_req_db(r);
	if (!db)
		return RC_EDB;
	rc_err e = rc_program_active(db, runner, &v->a, &v->active);
	if (e || !v->active)
		return e;
	v->prog = rc_program_find(r->app->programs, v->a.program_key);
	if (!v->prog) {
		v->active = false; /* a program the content no longer has */
		return RC_OK;
	}
	int st = v->a.stage < 1 ? 1 : v->a.stage > v->prog->nstages ? v->prog->nstages : v->a.stage;
	v->stage = &v->prog->stages[st - 1];
	v->logs.v = rc_arena_alloc(&r->arena, sizeof *v->logs.v * MAX_LOGS);
	v->diary.v = rc_arena_alloc(&r->arena, sizeof *v->diary.v * MAX_DIARY);
	if (!v->logs.v || !v->diary.v)
		return RC_ENOMEM;
	if ((e = rc_session_logs(db, v->a.id, keep_log, &v->logs)) || (e = rc_diary_each(db, runner, keep_diary, &v->diary)))
		return e;
	char d[11];
	rc_tz_date(r->now, d);
	int64_t now_day = rc_day_number(d);
	char started[11];
	rc_tz_date(v->a.started_at, started);
	v->done_today = done_on(v, now_day);
	v->adherence7 = rc_adherence(now_day, 7, rc_day_number(started), v->stage->per_day, done_on, v);
	v->adherence28 = rc_adherence(now_day, 28, rc_day_number(started), v->stage->per_day, done_on, v);
	/* The decision looks at this stage's sessions and the diary's mornings. */
	rc_session_log *sl = rc_arena_alloc(&r->arena, sizeof *sl * (size_t)(v->logs.n + 1));
	rc_morning *m = rc_arena_alloc(&r->arena, sizeof *m * (size_t)(v->diary.n + 1));
	if (!sl || !m)
		return RC_ENOMEM;
	int ns = 0;
	for (int i = 0; i < v->logs.n; i++)
		if (v->logs.v[i].stage == st)
			sl[ns++] = (rc_session_log){rc_day_number(v->logs.v[i].day), v->logs.v[i].done, v->logs.v[i].prescribed,
			                            v->logs.v[i].pain_during};
	for (int i = 0; i < v->diary.n; i++)
		m[i] = (rc_morning){rc_day_number(v->diary.v[i].day), v->diary.v[i].pain_rest};
	char stage_day[11];
	rc_tz_date(v->a.stage_started_at, stage_day);
	int k = ns < v->prog->rules.sessions ? ns : v->prog->rules.sessions;
	rc_stage_logs stage_logs = {ns, ns ? sl[0].day : 0, sl + ns - k, k};
	rc_progress_decide(&v->prog->rules, &stage_logs, m, v->diary.n, rc_day_number(stage_day), st, v->prog->nstages,
	                   &v->decision);
	return RC_OK;
}

/* The program's pain limits in one paragraph, from the rules its decision uses. */
static void pain_advice(rc_buf *b, const program_view *v)
{
	char t[320];
	rc_progress_pain_advice(&v->prog->rules, t, sizeof t);
	rc_html_lit(b, "<p class=\"pain-limits\">");
	rc_html_text(b, t);
	rc_html_lit(b, "</p>\n");
}

/* --- exercises ----------------------------------------------------------------------------- */

void rc_page_exercise_drawing(rc_req *r)
{
	/* Served as an image, never inlined: a browser runs nothing inside an <img>. */
	char key[64];
	const char *p = r->params[0];
	size_t n = strlen(p);
	if (n < 5 || n >= sizeof key || strcmp(p + n - 4, ".svg") != 0) {
		rc_page_error(r, 404, "There is no drawing at this address.");
		return;
	}
	snprintf(key, sizeof key, "%.*s", (int)(n - 4), p);
	const rc_exercise *x = rc_exercise_find(r->app->programs, key);
	if (!x || !x->svg[0]) {
		rc_page_error(r, 404, "There is no drawing at this address.");
		return;
	}
	r->out_static = (const unsigned char *)x->svg;
	r->out_static_len = strlen(x->svg);
	r->content_type = "image/svg+xml";
	rc_req_header(r, "Cache-Control", "public, max-age=86400");
	rc_req_header(r, "Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'");
}

static void dosage(rc_buf *b, const rc_stage_item *it)
{
	if (it->hold_s > 1 && it->reps == 1)
		rc_html_printf(b, "%d hold%s of %d s", it->sets, it->sets == 1 ? "" : "s", it->hold_s);
	else if (it->hold_s > 1)
		rc_html_printf(b, "%d set%s of %d holds of %d s", it->sets, it->sets == 1 ? "" : "s", it->reps, it->hold_s);
	else
		rc_html_printf(b, "%d set%s of %d repetitions", it->sets, it->sets == 1 ? "" : "s", it->reps);
	if (it->ex->every_other_day)
		rc_html_printf(b, ", every other day");
	else
		rc_html_printf(b, ", %d time%s a day", it->ex->per_day, it->ex->per_day == 1 ? "" : "s");
}

static void list_items(rc_buf *b, const char *const *v, int n)
{
	for (int i = 0; i < n; i++) {
		rc_html_lit(b, "<li>");
		rc_html_text(b, v[i]);
		rc_html_lit(b, "</li>");
	}
}

static void exercise_card(rc_buf *b, const rc_stage_item *it, bool print)
{
	const rc_exercise *x = it->ex;
	rc_html_lit(b, "<article class=\"exercise\"><h3>");
	rc_html_text(b, x->name);
	rc_html_lit(b, "</h3>\n");
	if (x->svg[0] && !print) {
		rc_html_lit(b, "<img class=\"drawing\" width=\"120\" height=\"80\" alt=\"\" src=\"/exercises/");
		rc_html_url_arg(b, x->key);
		rc_html_lit(b, ".svg\">");
	}
	rc_html_lit(b, "<p class=\"dose\">");
	dosage(b, it);
	rc_html_lit(b, "</p>\n<ol>");
	list_items(b, x->steps, x->nsteps);
	rc_html_lit(b, "</ol>\n");
	if (x->ncues) {
		rc_html_lit(b, "<p class=\"cues\"><strong>Feel:</strong></p><ul>");
		list_items(b, x->cues, x->ncues);
		rc_html_lit(b, "</ul>\n");
	}
	if (x->navoid) {
		rc_html_lit(b, "<p class=\"cues\"><strong>Avoid:</strong></p><ul>");
		list_items(b, x->avoid, x->navoid);
		rc_html_lit(b, "</ul>\n");
	}
	if (x->why[0]) {
		rc_html_lit(b, "<p class=\"why\"><strong>Why not sooner:</strong> ");
		rc_html_text(b, x->why);
		rc_html_lit(b, "</p>\n");
	}
	rc_html_lit(b, "<p class=\"source\">Source: ");
	rc_html_text(b, x->source);
	rc_html_lit(b, "</p></article>\n");
}

/* --- starting and adjusting a program -------------------------------------------------------- */

static bool int_field(const char *s, int lo, int hi, int *out)
{
	if (!s || !*s)
		return false;
	char *end;
	long v = strtol(s, &end, 10);
	if (*end || v < lo || v > hi)
		return false;
	*out = (int)v;
	return true;
}

void rc_page_program_start(rc_req *r)
{
	const char *key = rc_req_form(r, "program");
	const rc_program *p = key ? rc_program_find(r->app->programs, key) : NULL;
	if (!p) {
		rc_page_error(r, 422, "'Program' must be one of the clinic's home programs.");
		return;
	}
	int64_t id;
	if (!rc_req_db(r) || rc_program_start(rc_req_db(r), r->user.id, p->key, 1, 0, "", r->now, &id)) {
		rc_page_error(r, 503, "The program could not be started; try again in a moment.");
		return;
	}
	rc_req_redirect(r, "/today");
}

void rc_page_program_assign(rc_req *r)
{
	int64_t runner = strtoll(r->params[0], NULL, 10);
	const char *key = rc_req_form(r, "program"), *note = rc_req_form(r, "note");
	const rc_program *p = key ? rc_program_find(r->app->programs, key) : NULL;
	int stage;
	if (!p) {
		r->status = 422;
		record_page(r, "'Program' must be one of the clinic's home programs.");
		return;
	}
	if (!int_field(rc_req_form(r, "stage"), 1, p->nstages, &stage)) {
		char *msg = rc_arena_printf(&r->arena, "'Stage' must be a whole number from 1 to %d for this program.",
		                            p->nstages);
		r->status = 422;
		record_page(r, msg);
		return;
	}
	if (note && strlen(note) > NOTES_MAX) {
		r->status = 422;
		record_page(r, "'Note' must be at most 1000 characters.");
		return;
	}
	rc_account who;
	bool found = false;
	if (!rc_req_db(r) || rc_account_by_id(rc_req_db(r), runner, &who, &found)) {
		rc_page_error(r, 503, "The program could not be saved; try again in a moment.");
		return;
	}
	if (!found || who.role != RC_ROLE_RUNNER) {
		rc_page_error(r, 404, "There is no page at this address.");
		return;
	}
	rc_assignment a;
	bool active;
	rc_err e = rc_program_active(rc_req_db(r), runner, &a, &active);
	int64_t id = 0;
	/* The same program: a new stage and note on the same assignment (its logs stay with it). */
	if (!e && active && strcmp(a.program_key, p->key) == 0)
		e = rc_program_set_stage(rc_req_db(r), a.id, stage, note, r->now);
	else if (!e)
		e = rc_program_start(rc_req_db(r), runner, p->key, stage, r->user.id, note, r->now, &id);
	if (e) {
		rc_page_error(r, 503, "The program could not be saved; try again in a moment.");
		return;
	}
	rc_req_audit(r, "program.assign", runner, p->key);
	char to[80];
	snprintf(to, sizeof to, "/runners/%lld/program", (long long)runner);
	rc_req_redirect(r, to);
}

void rc_page_today_stage(rc_req *r)
{
	program_view *v = rc_arena_alloc(&r->arena, sizeof *v);
	if (!v || read_view(r, r->user.id, v)) {
		rc_page_error(r, 503, "Your program could not be read; try again in a moment.");
		return;
	}
	if (!v->active) {
		rc_page_error(r, 409, "There is no active home program to change.");
		return;
	}
	const char *dir = rc_req_form(r, "direction");
	int to = v->stage->n;
	if (dir && strcmp(dir, "up") == 0 && v->decision.kind == RC_DECIDE_PROGRESS)
		to = v->stage->n + 1;
	else if (dir && strcmp(dir, "down") == 0 && v->stage->n > 1)
		to = v->stage->n - 1;
	else {
		rc_page_error(r, 409, "Your logs do not call for that change now; the Today page says what they show.");
		return;
	}
	if (rc_program_set_stage(rc_req_db(r), v->a.id, to, v->a.note, r->now)) {
		rc_page_error(r, 503, "The stage could not be changed; try again in a moment.");
		return;
	}
	rc_req_redirect(r, "/today");
}

/* --- today ----------------------------------------------------------------------------------- */

static void program_list(rc_req *r)
{
	rc_buf *b = &r->out;
	rc_html_lit(b, "<ul class=\"programs\">\n");
	for (int i = 0; i < r->app->programs->nprograms; i++) {
		const rc_program *p = &r->app->programs->programs[i];
		rc_html_lit(b, "<li><form method=\"post\" action=\"/programs/start\"><input type=\"hidden\" name=\"csrf\" "
		               "value=\"");
		rc_html_text(b, rc_req_csrf(r));
		rc_html_lit(b, "\"><input type=\"hidden\" name=\"program\" value=\"");
		rc_html_text(b, p->key);
		rc_html_lit(b, "\"><strong>");
		rc_html_text(b, p->name);
		rc_html_lit(b, "</strong> — ");
		rc_html_text(b, p->summary);
		rc_html_lit(b, " <button type=\"submit\">Start</button></form></li>\n");
	}
	rc_html_lit(b, "</ul>\n");
}

static void decision_box(rc_req *r, const program_view *v, bool actions)
{
	rc_buf *b = &r->out;
	rc_html_lit(b, "<section class=\"decision ");
	rc_html_text(b, v->decision.kind == RC_DECIDE_PROGRESS ? "progress" : v->decision.kind == RC_DECIDE_STEP_BACK
	                                                                          ? "step-back"
	                                                                          : "hold");
	rc_html_lit(b, "\" aria-labelledby=\"dec-h\"><h2 id=\"dec-h\">What your logs say: ");
	rc_html_text(b, rc_decision_name(v->decision.kind));
	rc_html_lit(b, "</h2><p>");
	rc_html_text(b, v->decision.why);
	rc_html_lit(b, "</p><p class=\"source\">Source: ");
	rc_html_text(b, v->decision.source);
	rc_html_lit(b, "</p>");
	if (actions && (v->decision.kind == RC_DECIDE_PROGRESS ||
	                (v->decision.kind == RC_DECIDE_STEP_BACK && v->stage->n > 1))) {
		bool up = v->decision.kind == RC_DECIDE_PROGRESS;
		rc_html_lit(b, "<form method=\"post\" action=\"/today/stage\"><input type=\"hidden\" name=\"csrf\" value=\"");
		rc_html_text(b, rc_req_csrf(r));
		rc_html_lit(b, "\"><input type=\"hidden\" name=\"direction\" value=\"");
		rc_html_text(b, up ? "up" : "down");
		rc_html_lit(b, "\"><button type=\"submit\">");
		rc_html_printf(b, "%s stage %d", up ? "Move on to" : "Go back to", v->stage->n + (up ? 1 : -1));
		rc_html_lit(b, "</button></form>");
	}
	rc_html_lit(b, "</section>\n");
}

static void log_form(rc_req *r, const program_view *v, const char *error, const char *done, const char *pain,
                     const char *day)
{
	rc_buf *b = &r->out;
	char d[11], prescribed[16];
	rc_tz_date(r->now, d);
	snprintf(prescribed, sizeof prescribed, "%d", v->stage->prescribed);
	rc_html_lit(b, "<section aria-labelledby=\"log-h\"><h2 id=\"log-h\">Log a session</h2>\n");
	if (error)
		rc_page_alert(r, error);
	pain_advice(b, v);
	rc_form_open(r, "/today/log");
	rc_form_input(r, "done", "Repetitions and holds done (all exercises)", "number", done ? done : prescribed, NULL,
	              "off");
	rc_form_input(r, "pain", "Pain during the exercises, 0 (none) to 10 (worst)", "number", pain ? pain : "", NULL,
	              "off");
	rc_form_input_optional(r, "day", "Day (today if left empty)", "date", day ? day : d);
	rc_form_close(r, "Log this session");
	rc_html_lit(b, "</section>\n");
}

static void today_page(rc_req *r, const char *error, const char *done, const char *pain, const char *day)
{
	program_view *v = rc_arena_alloc(&r->arena, sizeof *v);
	if (!v || read_view(r, r->user.id, v)) {
		rc_page_error(r, 503, "Your program could not be read; try again in a moment.");
		return;
	}
	rc_buf *b = &r->out;
	if (error)
		r->status = 422;
	rc_page_begin(r, "Today", "today");
	rc_html_lit(b, "<h1>Today</h1>\n");
	if (!v->active) {
		rc_html_lit(b, "<p>You have no home program yet. The self-check offers the one that fits what it finds; "
		               "or start one here, and your practitioner can adjust it.</p>\n");
		program_list(r);
		rc_page_end(r);
		return;
	}
	rc_html_lit(b, "<p class=\"lead\"><strong>");
	rc_html_text(b, v->prog->name);
	rc_html_lit(b, "</strong>, ");
	rc_html_printf(b, "stage %d of %d: ", v->stage->n, v->prog->nstages);
	rc_html_text(b, v->stage->name);
	rc_html_lit(b, ". ");
	rc_html_text(b, v->stage->goal);
	rc_html_lit(b, "</p>\n");
	if (v->a.note[0]) {
		rc_html_lit(b, "<p class=\"notice\">From your practitioner: ");
		rc_html_text(b, v->a.note);
		rc_html_lit(b, "</p>\n");
	}
	rc_html_lit(b, "<p class=\"sessions\" role=\"status\">");
	rc_html_printf(b, "%d of %d session%s done today. Done as planned: %.0f%% in the last 7 days, %.0f%% in the last "
	                  "28.",
	               v->done_today < v->stage->per_day ? v->done_today : v->stage->per_day, v->stage->per_day,
	               v->stage->per_day == 1 ? "" : "s", v->adherence7 * 100, v->adherence28 * 100);
	rc_html_lit(b, "</p>\n");
	decision_box(r, v, true);
	log_form(r, v, error, done, pain, day);
	rc_html_lit(b, "<p>Pain on waking decides whether to move on: <a href=\"/diary\">fill in today's diary</a>. ");
	rc_html_lit(b, "<a href=\"/runners/");
	rc_html_printf(b, "%lld", (long long)r->user.id);
	rc_html_lit(b, "/program\">Your progress</a> · <a href=\"/runners/");
	rc_html_printf(b, "%lld", (long long)r->user.id);
	rc_html_lit(b, "/program/print\">Print this stage</a></p>\n<section aria-labelledby=\"ex-h\"><h2 id=\"ex-h\">"
	               "This stage's exercises</h2>\n");
	if (v->stage->note[0]) {
		rc_html_lit(b, "<p>");
		rc_html_text(b, v->stage->note);
		rc_html_lit(b, "</p>\n");
	}
	for (int i = 0; i < v->stage->nitems; i++)
		exercise_card(b, &v->stage->items[i], false);
	rc_html_lit(b, "<p class=\"exit\">");
	rc_html_text(b, v->stage->exit);
	rc_html_lit(b, "</p></section>\n");
	rc_page_end(r);
}

void rc_page_today(rc_req *r)
{
	today_page(r, NULL, NULL, NULL, NULL);
}

void rc_page_today_log(rc_req *r)
{
	program_view *v = rc_arena_alloc(&r->arena, sizeof *v);
	if (!v || read_view(r, r->user.id, v)) {
		rc_page_error(r, 503, "Your program could not be read; try again in a moment.");
		return;
	}
	if (!v->active) {
		rc_page_error(r, 409, "Start a home program before logging a session.");
		return;
	}
	const char *done_s = rc_req_form(r, "done"), *pain_s = rc_req_form(r, "pain"), *day = rc_req_form(r, "day");
	int done, pain, max_done = v->stage->prescribed * 3;
	char d[11], msg[200];
	rc_tz_date(r->now, d);
	if (!day || !*day)
		day = rc_arena_strdup(&r->arena, d); /* no day given: today */
	int64_t dn = day ? rc_day_number(day) : INT64_MIN;
	char started[11];
	rc_tz_date(v->a.started_at, started);
	if (!int_field(done_s, 1, max_done, &done)) {
		snprintf(msg, sizeof msg, "'Repetitions and holds done' must be a whole number from 1 to %d (a session "
		                          "with none done is not logged).", max_done);
		today_page(r, msg, done_s, pain_s, day);
	} else if (!int_field(pain_s, 0, 10, &pain)) {
		today_page(r, "'Pain during' must be a whole number from 0 (none) to 10 (worst).", done_s, pain_s, day);
	} else if (dn == INT64_MIN) {
		today_page(r, "'Day' must be a date like 2026-11-24.", done_s, pain_s, day);
	} else if (dn > rc_day_number(d)) {
		today_page(r, "'Day' cannot be in the future: log a session once it is done.", done_s, pain_s, day);
	} else if (dn < rc_day_number(started)) {
		snprintf(msg, sizeof msg, "'Day' is before this program began (%s).", started);
		today_page(r, msg, done_s, pain_s, day);
	} else if (dn < rc_day_number(d) - LOG_MAX_AGE_DAYS) {
		today_page(r, "'Day' can be at most 30 days ago.", done_s, pain_s, day);
	} else {
		int64_t replaces = 0, id;
		const char *rep = rc_req_form(r, "replaces");
		if (rep && *rep)
			replaces = strtoll(rep, NULL, 10);
		rc_err e = rc_session_log_add(rc_req_db(r), &v->a, day, done, v->stage->prescribed, pain, r->now,
		                              replaces, &id);
		if (e == RC_ENOTFOUND) {
			rc_page_error(r, 404, "There is no such log of yours to correct.");
			return;
		}
		if (e) {
			rc_page_error(r, 503, "The session could not be saved; try again in a moment.");
			return;
		}
		rc_req_redirect(r, "/today");
	}
}

/* --- the diary and PSFS ---------------------------------------------------------------------- */

typedef struct {
	char day[11];
	int64_t at;
	char activity[PSFS_MAX][121];
	int score[PSFS_MAX], n;
} psfs_row;

typedef struct {
	psfs_row *v;
	int n, cap;
} psfs_list;

static void keep_psfs(void *ctx, const char *day, int64_t at, const char *ratings)
{
	psfs_list *l = ctx;
	if (l->n >= l->cap)
		return;
	psfs_row *p = &l->v[l->n];
	memset(p, 0, sizeof *p);
	snprintf(p->day, sizeof p->day, "%s", day);
	p->at = at;
	json_t *a = json_loads(ratings, 0, NULL), *x;
	size_t i;
	json_array_foreach(a, i, x) {
		if (p->n >= PSFS_MAX)
			break;
		const char *act = json_string_value(json_object_get(x, "activity"));
		snprintf(p->activity[p->n], sizeof p->activity[0], "%s", act ? act : "");
		p->score[p->n++] = (int)json_integer_value(json_object_get(x, "score"));
	}
	json_decref(a);
	l->n++;
}

static void diary_page(rc_req *r, const char *error, const rc_diary_row *form_vals)
{
	rc_db *db = rc_req_db(r);
	diary d = {rc_arena_alloc(&r->arena, sizeof(rc_diary_row) * MAX_DIARY), 0};
	psfs_list ps = {rc_arena_alloc(&r->arena, sizeof(psfs_row) * 100), 0, 100};
	if (!db || !d.v || !ps.v || rc_diary_each(db, r->user.id, keep_diary, &d) || rc_psfs_each(db, r->user.id, keep_psfs, &ps)) {
		rc_page_error(r, 503, "Your diary could not be read; try again in a moment.");
		return;
	}
	rc_buf *b = &r->out;
	if (error)
		r->status = 422;
	rc_page_begin(r, "Diary", "today");
	rc_html_lit(b, "<h1>Recovery diary</h1>\n");
	const char *saved = rc_req_query(r, "saved");
	if (saved && !error)
		rc_page_notice(r, strcmp(saved, "psfs") == 0 ? "Your ratings are saved." : "Saved.");
	const rc_diary_row *edit = form_vals;
	const char *edit_id = rc_req_query(r, "edit");
	if (!edit && edit_id)
		for (int i = 0; i < d.n; i++)
			if (d.v[i].id == strtoll(edit_id, NULL, 10))
				edit = &d.v[i];
	char day[11], v1[16] = "", v2[16] = "", v3[16] = "", v4[16] = "", rep[24] = "";
	rc_tz_date(r->now, day);
	if (edit) {
		snprintf(day, sizeof day, "%s", edit->day);
		if (edit->pain_rest >= 0)
			snprintf(v1, sizeof v1, "%d", edit->pain_rest);
		if (edit->pain_sitting >= 0)
			snprintf(v2, sizeof v2, "%d", edit->pain_sitting);
		if (edit->pain_running >= 0)
			snprintf(v3, sizeof v3, "%d", edit->pain_running);
		snprintf(v4, sizeof v4, "%d", edit->minutes_run);
		if (edit->id)
			snprintf(rep, sizeof rep, "%lld", (long long)edit->id);
	}
	rc_html_lit(b, "<section aria-labelledby=\"di-h\"><h2 id=\"di-h\">");
	rc_html_text(b, edit && edit->id ? "Correct an entry" : "Today's entry");
	rc_html_lit(b, "</h2>\n");
	if (error)
		rc_page_alert(r, error);
	rc_form_open(r, "/diary");
	if (rep[0]) {
		rc_html_lit(b, "<input type=\"hidden\" name=\"replaces\" value=\"");
		rc_html_text(b, rep);
		rc_html_lit(b, "\">");
	}
	rc_form_input(r, "day", "Day", "date", day, NULL, "off");
	rc_form_input(r, "pain_rest", "Pain at rest, on waking (0 to 10)", "number", v1, NULL, "off");
	rc_form_input(r, "pain_sitting", "Pain when sitting (0 to 10)", "number", v2, NULL, "off");
	rc_form_input_optional(r, "pain_running", "Pain when running (0 to 10; leave empty if you did not run)", "number",
	                       v3);
	rc_form_input(r, "minutes_run", "Minutes run", "number", v4[0] ? v4 : "0", NULL, "off");
	rc_html_lit(b, "<p><label for=\"f-notes\">Notes</label><textarea id=\"f-notes\" name=\"notes\" rows=\"3\" "
	               "maxlength=\"1000\">");
	if (edit)
		rc_html_text(b, edit->notes);
	rc_html_lit(b, "</textarea></p>\n");
	rc_form_close(r, "Save");
	rc_html_lit(b, "</section>\n");
	/* PSFS: at the start and every two weeks. */
	int64_t last = ps.n ? ps.v[ps.n - 1].at : 0;
	bool due = !last || r->now - last >= PSFS_EVERY_DAYS * 86400;
	rc_html_lit(b, "<section aria-labelledby=\"ps-h\"><h2 id=\"ps-h\">What you cannot do yet</h2>\n<p>Name up to "
	               "five activities your pain makes hard, and rate each: 0 means you cannot do it, 10 means as well "
	               "as before the injury (the Patient-Specific Functional Scale). ");
	rc_html_text(b, due ? "It is due now." : "Next due two weeks after the last rating; you may rate again sooner.");
	rc_html_lit(b, "</p>\n");
	if (ps.n) {
		const psfs_row *lp = &ps.v[ps.n - 1];
		rc_html_lit(b, "<p>Last rated ");
		rc_html_text(b, lp->day);
		rc_html_lit(b, ":</p><ul>");
		for (int k = 0; k < lp->n; k++) {
			rc_html_lit(b, "<li>");
			rc_html_text(b, lp->activity[k]);
			rc_html_printf(b, ": %d of 10", lp->score[k]);
			rc_html_lit(b, "</li>");
		}
		rc_html_lit(b, "</ul>\n");
	}
	rc_form_open(r, "/diary/psfs");
	for (int i = 0; i < PSFS_MAX; i++) {
		char an[16], sn[16], al[40], sl[40];
		snprintf(an, sizeof an, "activity%d", i + 1);
		snprintf(sn, sizeof sn, "score%d", i + 1);
		snprintf(al, sizeof al, "Activity %d", i + 1);
		snprintf(sl, sizeof sl, "Activity %d, score 0 to 10", i + 1);
		const char *prev = ps.n && i < ps.v[ps.n - 1].n ? ps.v[ps.n - 1].activity[i] : "";
		rc_form_input_optional(r, an, al, "text", prev);
		rc_form_input_optional(r, sn, sl, "number", "");
	}
	rc_form_close(r, "Save ratings");
	rc_html_lit(b, "</section>\n<section aria-labelledby=\"en-h\"><h2 id=\"en-h\">Entries</h2>\n<div "
	               "class=\"table-scroll\"><table class=\"list\"><thead><tr><th scope=\"col\">Day</th><th "
	               "scope=\"col\">On waking</th><th scope=\"col\">Sitting</th><th scope=\"col\">Running</th><th "
	               "scope=\"col\">Minutes run</th><th scope=\"col\">Notes</th><th scope=\"col\"></th></tr></thead>"
	               "<tbody>\n");
	for (int i = d.n - 1; i >= 0; i--) {
		const rc_diary_row *e = &d.v[i];
		rc_html_lit(b, "<tr><td>");
		rc_html_text(b, e->day);
		rc_html_lit(b, "</td><td>");
		rc_html_printf(b, "%d", e->pain_rest);
		rc_html_lit(b, "</td><td>");
		rc_html_printf(b, "%d", e->pain_sitting);
		rc_html_lit(b, "</td><td>");
		if (e->pain_running >= 0)
			rc_html_printf(b, "%d", e->pain_running);
		else
			rc_html_lit(b, "—");
		rc_html_lit(b, "</td><td>");
		rc_html_printf(b, "%d", e->minutes_run);
		rc_html_lit(b, "</td><td>");
		rc_html_text(b, e->notes);
		rc_html_lit(b, "</td><td><a href=\"/diary?edit=");
		rc_html_printf(b, "%lld", (long long)e->id);
		rc_html_lit(b, "\">Correct</a></td></tr>\n");
	}
	rc_html_lit(b, "</tbody></table></div></section>\n");
	rc_page_end(r);
}

void rc_page_diary(rc_req *r)
{
	diary_page(r, NULL, NULL);
}

void rc_page_diary_post(rc_req *r)
{
	rc_diary_row d;
	memset(&d, 0, sizeof d);
	d.pain_rest = d.pain_sitting = d.pain_running = -1;
	const char *day = rc_req_form(r, "day"), *notes = rc_req_form(r, "notes"), *pr = rc_req_form(r, "pain_running");
	const char *rep = rc_req_form(r, "replaces");
	snprintf(d.day, sizeof d.day, "%s", day ? day : "");
	char t[11];
	rc_tz_date(r->now, t);
	const char *error = NULL;
	if (!day || rc_day_number(day) == INT64_MIN)
		error = "'Day' must be a date like 2026-11-24.";
	else if (rc_day_number(day) > rc_day_number(t))
		error = "'Day' cannot be in the future.";
	else if (!int_field(rc_req_form(r, "pain_rest"), 0, 10, &d.pain_rest))
		error = "'Pain at rest' must be a whole number from 0 to 10.";
	else if (!int_field(rc_req_form(r, "pain_sitting"), 0, 10, &d.pain_sitting))
		error = "'Pain when sitting' must be a whole number from 0 to 10.";
	else if (pr && *pr && !int_field(pr, 0, 10, &d.pain_running))
		error = "'Pain when running' must be a whole number from 0 to 10, or empty.";
	else if (!int_field(rc_req_form(r, "minutes_run"), 0, 600, &d.minutes_run))
		error = "'Minutes run' must be a whole number from 0 to 600.";
	else if (notes && strlen(notes) > NOTES_MAX)
		error = "'Notes' must be at most 1000 characters.";
	snprintf(d.notes, sizeof d.notes, "%.1000s", notes ? notes : "");
	if (error) {
		d.id = rep ? strtoll(rep, NULL, 10) : 0;
		diary_page(r, error, &d);
		return;
	}
	/* One entry a day: a second one for the same day corrects the first (which is kept as a version). */
	int64_t replaces = rep && *rep ? strtoll(rep, NULL, 10) : 0;
	if (!replaces && rc_diary_on_day(rc_req_db(r), r->user.id, d.day, &replaces)) {
		rc_page_error(r, 503, "The diary could not be saved; try again in a moment.");
		return;
	}
	int64_t id;
	rc_err e = rc_diary_add(rc_req_db(r), r->user.id, &d, r->now, replaces, &id);
	if (e == RC_ENOTFOUND) {
		rc_page_error(r, 404, "There is no such diary entry of yours to correct.");
		return;
	}
	if (e) {
		rc_page_error(r, 503, "The diary could not be saved; try again in a moment.");
		return;
	}
	rc_req_redirect(r, "/diary?saved=entry");
}

void rc_page_psfs_post(rc_req *r)
{
	json_t *a = json_array();
	for (int i = 0; i < PSFS_MAX; i++) {
		char an[16], sn[16], msg[120];
		snprintf(an, sizeof an, "activity%d", i + 1);
		snprintf(sn, sizeof sn, "score%d", i + 1);
		const char *act = rc_req_form(r, an), *sc = rc_req_form(r, sn);
		int score;
		if (!act || !*act)
			continue;
		if (strlen(act) > 120 || !int_field(sc, 0, 10, &score)) {
			json_decref(a);
			snprintf(msg, sizeof msg, "'Activity %d, score' must be a whole number from 0 to 10 (and the activity "
			                          "at most 120 characters).", i + 1);
			diary_page(r, msg, NULL);
			return;
		}
		json_array_append_new(a, json_pack("{s:s, s:i}", "activity", act, "score", score));
	}
	if (json_array_size(a) == 0) {
		json_decref(a);
		diary_page(r, "Name at least one activity and give it a score from 0 to 10.", NULL);
		return;
	}
	char *text = json_dumps(a, JSON_COMPACT);
	json_decref(a);
	char d[11];
	rc_tz_date(r->now, d);
	rc_err e = text ? rc_psfs_add(rc_req_db(r), r->user.id, d, text, r->now) : RC_ENOMEM;
	free(text);
	if (e) {
		rc_page_error(r, 503, "The ratings could not be saved; try again in a moment.");
		return;
	}
	rc_req_redirect(r, "/diary?saved=psfs");
}

/* --- the record: charts, logs, the practitioner's adjustment ------------------------------------ */

/* A line chart of 0-10 values by day over the last CHART_DAYS days; series NULL-terminated. */
typedef struct {
	const char *name, *cls;
	const int64_t *day;
	const double *v;
	int n;
} series;

static void line_chart(rc_buf *b, const char *id, const char *title, const char *desc, const series *s, int ns,
                       int64_t first_day, double top)
{
	const double W = 600, H = 170, pad = 30;
	rc_html_lit(b, "<figure class=\"chart\"><svg viewBox=\"0 0 600 200\" role=\"img\" aria-labelledby=\"");
	rc_html_text(b, id);
	rc_html_lit(b, "-t ");
	rc_html_text(b, id);
	rc_html_lit(b, "-d\"><title id=\"");
	rc_html_text(b, id);
	rc_html_lit(b, "-t\">");
	rc_html_text(b, title);
	rc_html_lit(b, "</title><desc id=\"");
	rc_html_text(b, id);
	rc_html_lit(b, "-d\">");
	rc_html_text(b, desc);
	rc_html_lit(b, "</desc>");
	for (int g = 0; g <= 2; g++) {
		double y = H - g / 2.0 * (H - 10);
		rc_html_lit(b, "<line class=\"grid\" x1=\"30\" x2=\"590\" y1=\"");
		rc_html_printf(b, "%.1f", y);
		rc_html_lit(b, "\" y2=\"");
		rc_html_printf(b, "%.1f", y);
		rc_html_lit(b, "\"></line><text class=\"axis\" x=\"2\" y=\"");
		rc_html_printf(b, "%.1f", y + 4);
		rc_html_lit(b, "\">");
		rc_html_printf(b, "%.0f", top * g / 2);
		rc_html_lit(b, "</text>");
	}
	for (int k = 0; k < ns; k++) {
		rc_html_lit(b, "<polyline class=\"");
		rc_html_text(b, s[k].cls);
		rc_html_lit(b, "\" points=\"");
		for (int i = 0; i < s[k].n; i++) {
			double x = pad + (double)(s[k].day[i] - first_day) / (CHART_DAYS - 1) * (W - pad - 10);
			double y = H - (s[k].v[i] > top ? top : s[k].v[i]) / top * (H - 10);
			rc_html_printf(b, "%.1f,%.1f ", x, y);
		}
		rc_html_lit(b, "\"></polyline>");
		/* A marker for each value, so one value alone shows too. */
		for (int i = 0; i < s[k].n; i++) {
			double x = pad + (double)(s[k].day[i] - first_day) / (CHART_DAYS - 1) * (W - pad - 10);
			double y = H - (s[k].v[i] > top ? top : s[k].v[i]) / top * (H - 10);
			rc_html_lit(b, "<circle class=\"");
			rc_html_text(b, s[k].cls);
			rc_html_lit(b, "\" r=\"3.5\" cx=\"");
			rc_html_printf(b, "%.1f", x);
			rc_html_lit(b, "\" cy=\"");
			rc_html_printf(b, "%.1f", y);
			rc_html_lit(b, "\"></circle>");
		}
	}
	char from[11], to[11];
	rc_day_name(first_day, from);
	rc_day_name(first_day + CHART_DAYS - 1, to);
	rc_html_lit(b, "<text class=\"axis\" x=\"30\" y=\"192\">");
	rc_html_text(b, from);
	rc_html_lit(b, "</text><text class=\"axis\" x=\"590\" y=\"192\" text-anchor=\"end\">");
	rc_html_text(b, to);
	rc_html_lit(b, "</text>");
	int total = 0;
	for (int k = 0; k < ns; k++)
		total += s[k].n;
	if (!total)
		rc_html_lit(b, "<text class=\"axis\" x=\"310\" y=\"90\" text-anchor=\"middle\">Nothing recorded yet</text>");
	rc_html_lit(b, "</svg><figcaption>");
	rc_html_text(b, title);
	rc_html_lit(b, ": ");
	for (int k = 0; k < ns; k++) {
		rc_html_lit(b, "<span class=\"key ");
		rc_html_text(b, s[k].cls);
		rc_html_lit(b, "\">");
		rc_html_text(b, s[k].name);
		rc_html_lit(b, "</span> ");
	}
	rc_html_lit(b, "</figcaption></figure>\n");
}

/* The record; on a refused adjustment, error says why and the form keeps what the practitioner typed. */
static void record_page(rc_req *r, const char *error)
{
	int64_t runner = strtoll(r->params[0], NULL, 10);
	rc_account who;
	bool found = false;
	if (!rc_req_db(r) || rc_account_by_id(rc_req_db(r), runner, &who, &found)) {
		rc_page_error(r, 503, "The program could not be read; try again in a moment.");
		return;
	}
	if (!found || who.role != RC_ROLE_RUNNER) {
		rc_page_error(r, 404, "There is no page at this address.");
		return;
	}
	program_view *v = rc_arena_alloc(&r->arena, sizeof *v);
	psfs_list ps = {rc_arena_alloc(&r->arena, sizeof(psfs_row) * 100), 0, 100};
	if (!v || !ps.v || read_view(r, runner, v) || rc_psfs_each(rc_req_db(r), runner, keep_psfs, &ps)) {
		rc_page_error(r, 503, "The program could not be read; try again in a moment.");
		return;
	}
	bool self = r->user.id == runner;
	if (!self)
		rc_req_audit(r, "program.view", runner, "");
	rc_buf *b = &r->out;
	rc_page_begin(r, self ? "My progress" : "Home program", self ? "today" : "patients");
	rc_html_lit(b, "<h1>");
	rc_html_text(b, self ? "My progress" : "Home program: ");
	if (!self)
		rc_html_text(b, who.name);
	rc_html_lit(b, "</h1>\n");
	if (v->active) {
		rc_html_lit(b, "<p class=\"lead\"><strong>");
		rc_html_text(b, v->prog->name);
		rc_html_lit(b, "</strong>, ");
		rc_html_printf(b, "stage %d of %d: ", v->stage->n, v->prog->nstages);
		rc_html_text(b, v->stage->name);
		rc_html_lit(b, ". ");
		rc_html_printf(b, "Done as planned: %.0f%% in the last 7 days, %.0f%% in the last 28.", v->adherence7 * 100,
		               v->adherence28 * 100);
		rc_html_lit(b, "</p>\n");
		pain_advice(b, v);
		decision_box(r, v, false);
	} else {
		rc_html_lit(b, "<p>No home program at the moment.</p>\n");
	}
	/* Charts: the last 8 weeks. */
	char t[11];
	rc_tz_date(r->now, t);
	int64_t last = rc_day_number(t), first = last - CHART_DAYS + 1;
	int64_t *ld = rc_arena_alloc(&r->arena, sizeof *ld * (size_t)(v->logs.n + v->diary.n + CHART_DAYS + 1));
	double *lv = rc_arena_alloc(&r->arena, sizeof *lv * (size_t)(v->logs.n + v->diary.n + CHART_DAYS + 1));
	if (!ld || !lv) {
		rc_page_error(r, 503, "Out of memory.");
		return;
	}
	int nl = 0, nd = 0;
	for (int i = 0; i < v->logs.n; i++) {
		int64_t d = rc_day_number(v->logs.v[i].day);
		if (d >= first)
			ld[nl] = d, lv[nl++] = v->logs.v[i].pain_during;
	}
	int64_t *dd = ld + nl;
	double *dv = lv + nl;
	for (int i = 0; i < v->diary.n; i++) {
		int64_t d = rc_day_number(v->diary.v[i].day);
		if (d >= first)
			dd[nd] = d, dv[nd++] = v->diary.v[i].pain_rest;
	}
	series pain[] = {{"during exercise", "s1", ld, lv, nl}, {"on waking", "s2", dd, dv, nd}};
	rc_html_lit(b, "<section aria-labelledby=\"ch-h\"><h2 id=\"ch-h\">The last 8 weeks</h2>\n");
	line_chart(b, "pain", "Pain, 0 to 10", "Pain during each logged session and on waking each day, the last 8 weeks",
	           pain, 2, first, 10);
	/* Adherence by week: sessions done over sessions due. */
	int64_t *wd = dd + nd;
	double *wv = dv + nd;
	int nw = 0;
	if (v->active) {
		char started[11];
		rc_tz_date(v->a.started_at, started);
		for (int64_t d = first + 6; d <= last; d += 7) {
			if (d < rc_day_number(started))
				continue; /* before the program: nothing was due */
			wd[nw] = d;
			wv[nw++] = rc_adherence(d, 7, rc_day_number(started), v->stage->per_day, done_on, v) * 100;
		}
	}
	series adh[] = {{"sessions done as planned, % a week", "s1", wd, wv, nw}};
	line_chart(b, "adh", "Adherence", "The share of planned sessions done, week by week, in per cent", adh, 1, first,
	           100);
	/* PSFS: the average of each rating (0 cannot do, 10 as before), over the same weeks. */
	int64_t *pd = rc_arena_alloc(&r->arena, sizeof *pd * (size_t)(ps.n + 1));
	double *pv = rc_arena_alloc(&r->arena, sizeof *pv * (size_t)(ps.n + 1));
	int np = 0;
	for (int i = 0; pd && pv && i < ps.n; i++) {
		int64_t d = rc_day_number(ps.v[i].day);
		double sum = 0;
		for (int k = 0; k < ps.v[i].n; k++)
			sum += ps.v[i].score[k];
		if (d >= first && ps.v[i].n)
			pd[np] = d, pv[np++] = sum / ps.v[i].n;
	}
	series psfs[] = {{"average of the activities rated", "s1", pd, pv, np}};
	line_chart(b, "psfs", "What you can do (PSFS)",
	           "The Patient-Specific Functional Scale: the average of the activities rated, 0 cannot do to 10 as before",
	           psfs, 1, first, 10);
	rc_html_lit(b, "<div class=\"table-scroll\"><table class=\"list\"><caption>Sessions logged</caption><thead><tr>"
	               "<th scope=\"col\">Day</th><th scope=\"col\">Stage</th><th scope=\"col\">Done</th><th "
	               "scope=\"col\">Pain during</th></tr></thead><tbody>\n");
	for (int i = v->logs.n - 1; i >= 0 && i >= v->logs.n - 60; i--) {
		const rc_log_row *l = &v->logs.v[i];
		rc_html_lit(b, "<tr><td>");
		rc_html_text(b, l->day);
		rc_html_lit(b, "</td><td>");
		rc_html_printf(b, "%d", l->stage);
		rc_html_lit(b, "</td><td>");
		rc_html_printf(b, "%d of %d", l->done, l->prescribed);
		rc_html_lit(b, "</td><td>");
		rc_html_printf(b, "%d/10", l->pain_during);
		rc_html_lit(b, "</td></tr>\n");
	}
	rc_html_lit(b, "</tbody></table></div>\n<div class=\"table-scroll\"><table class=\"list\"><caption>Patient-Specific "
	               "Functional Scale (0 cannot do, 10 as before)</caption><thead><tr><th scope=\"col\">Day</th><th "
	               "scope=\"col\">Activities</th><th scope=\"col\">Average</th></tr></thead><tbody>\n");
	for (int i = 0; i < ps.n; i++) {
		double sum = 0;
		rc_html_lit(b, "<tr><td>");
		rc_html_text(b, ps.v[i].day);
		rc_html_lit(b, "</td><td>");
		for (int k = 0; k < ps.v[i].n; k++) {
			rc_html_text(b, ps.v[i].activity[k]);
			rc_html_printf(b, " %d; ", ps.v[i].score[k]);
			sum += ps.v[i].score[k];
		}
		rc_html_lit(b, "</td><td>");
		rc_html_printf(b, "%.1f", ps.v[i].n ? sum / ps.v[i].n : 0);
		rc_html_lit(b, "</td></tr>\n");
	}
	rc_html_lit(b, "</tbody></table></div></section>\n");
	if (rc_role_is_staff(r->user.role)) {
		rc_html_lit(b, "<section aria-labelledby=\"as-h\"><h2 id=\"as-h\">Assign or adjust</h2>\n");
		const char *typed_program = error ? rc_req_form(r, "program") : NULL;
		const char *typed_stage = error ? rc_req_form(r, "stage") : NULL, *typed_note = error ? rc_req_form(r, "note") : NULL;
		if (error)
			rc_page_alert(r, error);
		char action[80];
		snprintf(action, sizeof action, "/runners/%lld/program", (long long)runner);
		rc_form_open(r, action);
		rc_html_lit(b, "<p><label for=\"f-program\">Program</label><select id=\"f-program\" name=\"program\">");
		for (int i = 0; i < r->app->programs->nprograms; i++) {
			const rc_program *p = &r->app->programs->programs[i];
			rc_html_lit(b, "<option value=\"");
			rc_html_text(b, p->key);
			rc_html_lit(b, "\"");
			if (typed_program ? strcmp(typed_program, p->key) == 0 : v->active && p == v->prog)
				rc_html_lit(b, " selected");
			rc_html_lit(b, ">");
			rc_html_text(b, p->name);
			rc_html_lit(b, "</option>");
		}
		rc_html_lit(b, "</select></p>\n");
		char st[8];
		snprintf(st, sizeof st, "%d", v->active ? v->stage->n : 1);
		rc_form_input(r, "stage", "Stage", "number", typed_stage ? typed_stage : st, NULL, "off");
		rc_html_lit(b, "<p><label for=\"f-note\">Note for the runner</label><textarea id=\"f-note\" name=\"note\" "
		               "rows=\"2\" maxlength=\"1000\">");
		if (typed_note)
			rc_html_text(b, typed_note);
		else if (v->active)
			rc_html_text(b, v->a.note);
		rc_html_lit(b, "</textarea></p>\n");
		rc_form_close(r, "Save the program");
		rc_html_lit(b, "</section>\n");
	}
	rc_page_end(r);
}

void rc_page_program_record(rc_req *r)
{
	record_page(r, NULL);
}

void rc_page_program_print(rc_req *r)
{
	int64_t runner = strtoll(r->params[0], NULL, 10);
	program_view *v = rc_arena_alloc(&r->arena, sizeof *v);
	if (!v || read_view(r, runner, v)) {
		rc_page_error(r, 503, "The program could not be read; try again in a moment.");
		return;
	}
	rc_buf *b = &r->out;
	rc_page_begin(r, "Home program", "today");
	if (!v->active) {
		rc_html_lit(b, "<h1>Home program</h1>\n<p>No home program at the moment: nothing to print.</p>\n");
		rc_page_end(r);
		return;
	}
	rc_html_lit(b, "<div class=\"sheet\"><h1>");
	rc_html_text(b, v->prog->name);
	rc_html_lit(b, "</h1>\n<p>");
	rc_html_printf(b, "Stage %d of %d: ", v->stage->n, v->prog->nstages);
	rc_html_text(b, v->stage->name);
	rc_html_lit(b, ". ");
	rc_html_text(b, v->stage->goal);
	rc_html_printf(b, " %d session%s a day.", v->stage->per_day, v->stage->per_day == 1 ? "" : "s");
	rc_html_lit(b, "</p>\n");
	if (v->a.note[0]) {
		rc_html_lit(b, "<p>From your practitioner: ");
		rc_html_text(b, v->a.note);
		rc_html_lit(b, "</p>\n");
	}
	for (int i = 0; i < v->stage->nitems; i++)
		exercise_card(b, &v->stage->items[i], true);
	pain_advice(b, v);
	rc_html_lit(b, "<p>");
	rc_html_text(b, v->stage->exit);
	rc_html_lit(b, "</p><p class=\"source\">Source: ");
	rc_html_text(b, v->prog->source);
	rc_html_lit(b, "; ");
	rc_html_text(b, v->prog->rules.source);
	rc_html_lit(b, "</p></div>\n");
	rc_page_end(r);
}

/* --- the calendar feed ------------------------------------------------------------------------ */

void rc_program_calendar(rc_req *r, int64_t runner, rc_buf *out)
{
	rc_assignment a;
	bool active = false;
	if (!rc_req_db(r) || rc_program_active(rc_req_db(r), runner, &a, &active) || !active)
		return;
	const rc_program *p = rc_program_find(r->app->programs, a.program_key);
	if (!p)
		return;
	int st = a.stage < 1 ? 1 : a.stage > p->nstages ? p->nstages : a.stage;
	int per_day = p->stages[st - 1].per_day;
	char d[11];
	rc_tz_date(r->now, d);
	int y, m, dd;
	if (!rc_date_parse(d, &y, &m, &dd))
		return;
	/* The next two weeks of sessions, each with a reminder; the title says nothing of a diagnosis. */
	for (int day = 0; day < 14; day++) {
		struct tm tm;
		rc_tz_local(rc_tz_day_start(y, m, dd + day) + 3600, &tm);
		for (int k = 0; k < per_day; k++) {
			char local[32];
			int64_t start;
			snprintf(local, sizeof local, "%04d-%02d-%02dT%s", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
			         SESSION_TIMES[k]);
			if (!rc_tz_parse_local(local, &start))
				continue;
			char uid[96];
			snprintf(uid, sizeof uid, "program-%lld-%.10s-%d@runcare", (long long)a.id, local, k);
			rc_ical_event e = {uid, "Home exercises", NULL, "CONFIRMED", start, start + 20 * 60, a.stage_started_at, 10};
			rc_ical_event_add(out, &e);
		}
	}
}
