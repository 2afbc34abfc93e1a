/* activities.c (app) — the history of a runner's activities, one activity's page data, and deleting. */
#include "app/activities.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/training.h"
#include "base/time.h"
#include "domain/sport.h"
#include "store/activity_store.h"

typedef struct {
	rc_arena *arena;
	rc_activity_rec *rows;
	int n, cap;
	bool oom;
} collect_ctx;

static void collect(void *ctx, const rc_activity_rec *a)
{
	collect_ctx *c = ctx;
	if (c->n < c->cap)
		c->rows[c->n++] = *a;
}

rc_err rc_app_activity_history(const rc_uc *uc, int64_t runner_id, const rc_history_query *q, rc_history *out,
                               rc_problem *p)
{
	memset(out, 0, sizeof *out);
	if (q->from_day && q->to_day && q->from_day > q->to_day)
		return rc_problem_set(p, RC_EINVAL, "to", "To must be on or after From.");
	rc_activity_filter f = {q->kind, q->from_day ? rc_tz_day_number_start(q->from_day) : 0,
	                        q->to_day ? rc_tz_day_number_start(q->to_day + 1) : 0};
	rc_err e = rc_activity_count(uc->db, runner_id, &f, &out->total);
	if (e)
		return e;
	out->pages = out->total ? (out->total + RC_HISTORY_ROWS - 1) / RC_HISTORY_ROWS : 1;
	int64_t page = q->page > 0 ? q->page : 1;
	if (page > out->pages)
		return rc_problem_set(p, RC_ENOTFOUND, "page", "There %s %lld page%s of activities here.",
		                      out->pages == 1 ? "is" : "are", (long long)out->pages, out->pages == 1 ? "" : "s");
	collect_ctx c = {uc->arena, rc_arena_alloc(uc->arena, RC_HISTORY_ROWS * sizeof(rc_activity_rec)), 0,
	                 RC_HISTORY_ROWS, false};
	if (!c.rows)
		return RC_ENOMEM;
	e = rc_activity_list(uc->db, runner_id, &f, RC_HISTORY_ROWS, (page - 1) * RC_HISTORY_ROWS, collect, &c);
	out->rows = c.rows;
	out->n = c.n;
	return e;
}

static double num(json_t *v)
{
	return json_is_number(v) ? json_number_value(v) : NAN;
}

static int32_t *int_list(rc_arena *a, json_t *arr, int *n)
{
	*n = 0;
	size_t len = json_array_size(arr);
	int32_t *out = rc_arena_alloc(a, (len ? len : 1) * sizeof *out);
	if (!out)
		return NULL;
	for (size_t i = 0; i < len; i++)
		out[(*n)++] = (int32_t)json_integer_value(json_array_get(arr, i));
	return out;
}

/* The stored detail (app/training.c writes it) read back; an activity imported before it has none. */
static rc_err read_detail(rc_arena *a, const char *text, rc_activity_view *v)
{
	json_t *o = json_loads(text, 0, NULL);
	if (!o)
		return RC_OK;
	json_t *pts = json_object_get(o, "points");
	size_t n = json_array_size(pts);
	v->points = rc_arena_alloc(a, (n ? n : 1) * sizeof *v->points);
	v->km = int_list(a, json_object_get(o, "km"), &v->nkm);
	v->laps = int_list(a, json_object_get(o, "laps"), &v->nlaps);
	if (!v->points || !v->km || !v->laps) {
		json_decref(o);
		return RC_ENOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		json_t *p = json_array_get(pts, i);
		v->points[v->npoints++] = (rc_view_point){num(json_array_get(p, 0)), num(json_array_get(p, 1)),
		                                          num(json_array_get(p, 2)), num(json_array_get(p, 3)),
		                                          num(json_array_get(p, 4)), num(json_array_get(p, 5)),
		                                          json_is_true(json_array_get(p, 6))};
	}
	v->lap_m = num(json_object_get(json_object_get(o, "track"), "lap_m"));
	json_decref(o);
	return RC_OK;
}

static rc_err read_warnings(rc_arena *a, const char *text, rc_activity_view *v)
{
	json_t *w = json_loads(text, 0, NULL);
	size_t n = json_array_size(w);
	v->warnings = rc_arena_alloc(a, (n ? n : 1) * sizeof *v->warnings);
	if (!v->warnings) {
		json_decref(w);
		return RC_ENOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		const char *s = json_string_value(json_array_get(w, i));
		if (s && (v->warnings[v->nwarnings] = rc_arena_strdup(a, s)))
			v->nwarnings++;
	}
	json_decref(w);
	return RC_OK;
}

rc_err rc_app_activity_view(const rc_uc *uc, int64_t runner_id, int64_t id, rc_activity_view *out, bool *found)
{
	memset(out, 0, sizeof *out);
	char *detail = NULL, *warnings = NULL;
	rc_err e = rc_activity_get(uc->db, runner_id, id, &out->rec, &detail, &warnings, found);
	if (!e && *found) {
		out->sport_label = rc_sport_label(out->rec.sport);
		e = read_detail(uc->arena, detail, out);
		e = e ? e : read_warnings(uc->arena, warnings, out);
	}
	free(detail);
	free(warnings);
	if (e || !*found)
		return e;
	/* The flags of today's figures that this activity counted toward. */
	rc_training *t = rc_arena_alloc(uc->arena, sizeof *t);
	if (!t)
		return RC_ENOMEM;
	if ((e = rc_app_training_view(uc, runner_id, t)))
		return e;
	for (int i = 0; i < t->nflags; i++)
		if (rc_training_flag_counts(t, &t->flags[i], &out->rec))
			out->flags[out->nflags++] = t->flags[i];
	out->load_kind = t->load_kind;
	out->load = rc_training_is_run(out->rec.sport) ? rc_training_load_of(t, &out->rec) : -1;
	return RC_OK;
}

typedef struct {
	const rc_uc *uc;
	int64_t id;
	bool deleted;
	char detail[160];
} delete_ctx;

static rc_err delete_tx(rc_db *db, void *p)
{
	delete_ctx *c = p;
	rc_err e = rc_activity_delete(db, c->uc->actor->id, c->id, &c->deleted);
	if (e || !c->deleted)
		return e;
	return rc_audit_add(db, c->uc->now, c->uc->actor, "training.delete", c->uc->actor->id, c->detail,
	                    c->uc->address);
}

rc_err rc_app_activity_delete(const rc_uc *uc, int64_t id, rc_problem *p)
{
	delete_ctx c = {uc, id, false, ""};
	rc_activity_rec rec;
	char *detail = NULL, *warnings = NULL;
	bool found = false;
	rc_err e = rc_activity_get(uc->db, uc->actor->id, id, &rec, &detail, &warnings, &found);
	free(detail);
	free(warnings);
	if (e)
		return e;
	if (!found)
		return rc_problem_set(p, RC_ENOTFOUND, NULL, "There is no such activity of yours.");
	snprintf(c.detail, sizeof c.detail, "activity %lld (%s)", (long long)id, rec.source);
	e = rc_db_tx(uc->db, delete_tx, &c);
	if (!e && !c.deleted)
		return rc_problem_set(p, RC_ENOTFOUND, NULL, "There is no such activity of yours.");
	return e;
}

rc_err rc_app_activity_effort(const rc_uc *uc, int64_t id, int64_t effort, rc_problem *p)
{
	if (effort < -1 || effort > 10)
		return rc_problem_set(p, RC_EINVAL, "effort", "How hard was it must be from 0 (rest) to 10 (maximal).");
	bool found = false;
	rc_err e = rc_activity_set_effort(uc->db, uc->actor->id, id, effort, &found);
	if (!e && !found)
		return rc_problem_set(p, RC_ENOTFOUND, NULL, "There is no such activity of yours.");
	return e;
}

rc_err rc_app_training_heart_set(const rc_uc *uc, int64_t rest, int64_t max, rc_problem *p)
{
	if (rest && (rest < 30 || rest > 110))
		return rc_problem_set(p, RC_EINVAL, "rest", "Resting heart rate must be from 30 to 110 beats a minute.");
	if (max && (max < 120 || max > 230))
		return rc_problem_set(p, RC_EINVAL, "max", "Maximum heart rate must be from 120 to 230 beats a minute.");
	if (rest && max && max < rest + 20)
		return rc_problem_set(p, RC_EINVAL, "max", "Maximum heart rate must be at least 20 above the resting rate.");
	return rc_heart_set(uc->db, uc->actor->id, rest, max, uc->now);
}

rc_err rc_app_shoes(const rc_uc *uc, int64_t runner_id, rc_shoe *out, int *n)
{
	return rc_activity_shoes(uc->db, runner_id, rc_shoe_recent_from(rc_tz_day_number(uc->now)), out, RC_SHOES_MAX,
	                         n);
}
