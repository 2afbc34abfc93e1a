/* program_store.c — statements about home programs, session logs, the diary and PSFS. */
#include "store/program_store.h"

#include <stdio.h>
#include <string.h>

static const rc_sql q_active = {"program_active",
	"SELECT id, runner_id, program_key, stage, started_at, stage_started_at, COALESCE(assigned_by, 0), note "
	"FROM program_assignment WHERE runner_id = ? AND ended_at IS NULL ORDER BY id DESC LIMIT 1"};
static const rc_sql q_end = {"program_end",
	"UPDATE program_assignment SET ended_at = ? WHERE runner_id = ? AND ended_at IS NULL"};
static const rc_sql q_start = {"program_start",
	"INSERT INTO program_assignment (runner_id, program_key, stage, started_at, stage_started_at, assigned_by, note) "
	"VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id"};
static const rc_sql q_stage = {"program_stage",
	"UPDATE program_assignment SET stage_started_at = CASE WHEN stage = ? THEN stage_started_at ELSE ? END, "
	"stage = ?, note = ? WHERE id = ? AND ended_at IS NULL"};
static const rc_sql q_log_add = {"log_add",
	"INSERT INTO exercise_log (assignment_id, runner_id, day, stage, done, prescribed, pain_during, logged_at) "
	"VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"};
static const rc_sql q_log_supersede = {"log_supersede",
	"UPDATE exercise_log SET superseded_by = ? WHERE id = ? AND runner_id = ? AND superseded_by IS NULL"};
static const rc_sql q_logs_between = {"logs_between",
	"SELECT id, day, stage, done, prescribed, pain_during, logged_at, COALESCE(superseded_by, 0) FROM exercise_log "
	"WHERE assignment_id = ? AND superseded_by IS NULL AND day >= ? AND day <= ? ORDER BY day DESC, id DESC"};
static const rc_sql q_stage_count = {"stage_log_count",
	"SELECT COUNT(*), COALESCE(MIN(day), '') FROM exercise_log "
	"WHERE assignment_id = ? AND stage = ? AND day >= ? AND superseded_by IS NULL"};
static const rc_sql q_stage_latest = {"stage_logs_latest",
	"SELECT id, day, stage, done, prescribed, pain_during, logged_at, COALESCE(superseded_by, 0) FROM exercise_log "
	"WHERE assignment_id = ? AND stage = ? AND day >= ? AND superseded_by IS NULL ORDER BY day DESC, id DESC LIMIT ?"};
static const rc_sql q_diary_add = {"diary_add",
	"INSERT INTO diary_entry (runner_id, day, pain_rest, pain_sitting, pain_running, minutes_run, notes, created_at) "
	"VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"};
static const rc_sql q_diary_supersede = {"diary_supersede",
	"UPDATE diary_entry SET superseded_by = ? WHERE id = ? AND runner_id = ? AND superseded_by IS NULL"};
#define DIARY_COLUMNS "id, day, pain_rest, pain_sitting, COALESCE(pain_running, -1), minutes_run, notes, created_at "
static const rc_sql q_diary_page = {"diary_page",
	"SELECT " DIARY_COLUMNS "FROM diary_entry WHERE runner_id = ? AND superseded_by IS NULL AND day < ? AND day >= "
	"COALESCE((SELECT MIN(day) FROM (SELECT DISTINCT day FROM diary_entry WHERE runner_id = ? AND "
	"superseded_by IS NULL AND day < ? ORDER BY day DESC LIMIT ?) AS recent), '') ORDER BY day DESC, id DESC"};
static const rc_sql q_diary_get = {"diary_get",
	"SELECT " DIARY_COLUMNS "FROM diary_entry WHERE runner_id = ? AND id = ? AND superseded_by IS NULL"};
static const rc_sql q_mornings = {"diary_mornings",
	"SELECT day, pain_rest FROM diary_entry WHERE runner_id = ? AND superseded_by IS NULL AND day >= "
	"COALESCE((SELECT MAX(day) FROM diary_entry WHERE runner_id = ? AND superseded_by IS NULL AND day <= ?), ?) "
	"ORDER BY day, id"};
static const rc_sql q_diary_day = {"diary_day",
	"SELECT id FROM diary_entry WHERE runner_id = ? AND day = ? AND superseded_by IS NULL ORDER BY id DESC LIMIT 1"};
static const rc_sql q_psfs_add = {"psfs_add",
	"INSERT INTO psfs_rating (runner_id, rated_at, day, ratings) VALUES (?, ?, ?, ?)"};
static const rc_sql q_psfs_since = {"psfs_since",
	"SELECT day, rated_at, ratings FROM psfs_rating WHERE runner_id = ? AND day >= ? ORDER BY day, rated_at, id"};
static const rc_sql q_psfs_latest = {"psfs_latest",
	"SELECT day, rated_at, ratings FROM psfs_rating WHERE runner_id = ? ORDER BY rated_at DESC, id DESC LIMIT 1"};

rc_err rc_program_active(rc_db *db, int64_t runner_id, rc_assignment *out, bool *found)
{
	rc_stmt *s = NULL;
	bool row = false;
	*found = false;
	memset(out, 0, sizeof *out);
	rc_err e = rc_db_query(db, &q_active, &s, &row, "i", runner_id);
	if (!e && row) {
		out->id = rc_stmt_int(s, 0);
		out->runner_id = rc_stmt_int(s, 1);
		snprintf(out->program_key, sizeof out->program_key, "%s", rc_stmt_text(s, 2));
		out->stage = (int)rc_stmt_int(s, 3);
		out->started_at = rc_stmt_int(s, 4);
		out->stage_started_at = rc_stmt_int(s, 5);
		out->assigned_by = rc_stmt_int(s, 6);
		snprintf(out->note, sizeof out->note, "%s", rc_stmt_text(s, 7));
		*found = true;
		rc_stmt_done(s);
	}
	return e;
}

typedef struct {
	int64_t runner_id, assigned_by, now, id;
	const char *key, *note;
	int stage;
} start_ctx;

static rc_err start_tx(rc_db *db, void *p)
{
	start_ctx *c = p;
	return rc_program_start_in(db, c->runner_id, c->key, c->stage, c->assigned_by, c->note, c->now, &c->id);
}

rc_err rc_program_start_in(rc_db *db, int64_t runner_id, const char *key, int stage, int64_t assigned_by,
                           const char *note, int64_t now, int64_t *id)
{
	start_ctx cs = {runner_id, assigned_by, now, 0, key, note ? note : "", stage}, *c = &cs;
	rc_stmt *s = NULL;
	bool row = false;
	rc_err e = rc_db_query(db, &q_end, NULL, NULL, "ii", c->now, c->runner_id);
	if (!e) {
		rc_stmt *ins = rc_db_stmt(db, &q_start);
		if (!ins)
			return RC_EDB;
		int i = 1;
		e = rc_stmt_bind_int(ins, i++, c->runner_id);
		e = e ? e : rc_stmt_bind_text(ins, i++, c->key);
		e = e ? e : rc_stmt_bind_int(ins, i++, c->stage);
		e = e ? e : rc_stmt_bind_int(ins, i++, c->now);
		e = e ? e : rc_stmt_bind_int(ins, i++, c->now);
		e = e ? e : (c->assigned_by ? rc_stmt_bind_int(ins, i++, c->assigned_by) : rc_stmt_bind_text(ins, i++, NULL));
		e = e ? e : rc_stmt_bind_text(ins, i++, c->note);
		e = e ? e : rc_stmt_step(ins, &row);
		s = ins;
		if (!e && !row)
			e = RC_EDB;
		if (!e) {
			*id = rc_stmt_int(s, 0);
			rc_stmt_done(s);
		}
	}
	return e;
}

rc_err rc_program_start(rc_db *db, int64_t runner_id, const char *key, int stage, int64_t assigned_by,
                        const char *note, int64_t now, int64_t *id)
{
	start_ctx c = {runner_id, assigned_by, now, 0, key, note ? note : "", stage};
	rc_err e = rc_db_tx(db, start_tx, &c);
	*id = c.id;
	return e;
}

rc_err rc_program_set_stage(rc_db *db, int64_t assignment_id, int stage, const char *note, int64_t now)
{
	return rc_db_query(db, &q_stage, NULL, NULL, "iiiti", (int64_t)stage, now, (int64_t)stage, note ? note : "",
	                   assignment_id);
}

typedef struct {
	const rc_sql *add, *supersede;
	int64_t runner_id, replaces, id;
	const void *row; /* the values, bound by bind */
	rc_err (*bind)(rc_stmt *s, const void *row);
} add_ctx;

static rc_err add_tx(rc_db *db, void *p)
{
	add_ctx *c = p;
	rc_stmt *s = rc_db_stmt(db, c->add);
	bool row;
	if (!s)
		return RC_EDB;
	rc_err e = c->bind(s, c->row);
	e = e ? e : rc_stmt_step(s, &row);
	if (e)
		return e;
	if (!row)
		return RC_EDB;
	c->id = rc_stmt_int(s, 0);
	rc_stmt_done(s);
	if (c->replaces) {
		rc_stmt *u;
		e = rc_db_query(db, c->supersede, &u, NULL, "iii", c->id, c->replaces, c->runner_id);
		if (!e && rc_stmt_changes(u) != 1)
			e = RC_ENOTFOUND; /* not this runner's, or already replaced: nothing is written */
	}
	return e;
}

typedef struct {
	const rc_assignment *a;
	const char *day;
	int done, prescribed, pain;
	int64_t now;
} log_vals;

static rc_err bind_log(rc_stmt *s, const void *row)
{
	const log_vals *v = row;
	int i = 1;
	rc_err e = rc_stmt_bind_int(s, i++, v->a->id);
	e = e ? e : rc_stmt_bind_int(s, i++, v->a->runner_id);
	e = e ? e : rc_stmt_bind_text(s, i++, v->day);
	e = e ? e : rc_stmt_bind_int(s, i++, v->a->stage);
	e = e ? e : rc_stmt_bind_int(s, i++, v->done);
	e = e ? e : rc_stmt_bind_int(s, i++, v->prescribed);
	e = e ? e : rc_stmt_bind_int(s, i++, v->pain);
	e = e ? e : rc_stmt_bind_int(s, i++, v->now);
	return e;
}

rc_err rc_session_log_add(rc_db *db, const rc_assignment *a, const char *day, int done, int prescribed,
                          int pain_during, int64_t now, int64_t replaces, int64_t *id)
{
	log_vals v = {a, day, done, prescribed, pain_during, now};
	add_ctx c = {&q_log_add, &q_log_supersede, a->runner_id, replaces, 0, &v, bind_log};
	rc_err e = rc_db_tx(db, add_tx, &c);
	*id = c.id;
	return e;
}

static rc_err each_log(rc_stmt *s, bool row, rc_err e, rc_log_fn fn, void *ctx)
{
	while (!e && row) {
		rc_log_row l;
		l.id = rc_stmt_int(s, 0);
		snprintf(l.day, sizeof l.day, "%s", rc_stmt_text(s, 1));
		l.stage = (int)rc_stmt_int(s, 2);
		l.done = (int)rc_stmt_int(s, 3);
		l.prescribed = (int)rc_stmt_int(s, 4);
		l.pain_during = (int)rc_stmt_int(s, 5);
		l.logged_at = rc_stmt_int(s, 6);
		l.superseded_by = rc_stmt_int(s, 7);
		fn(ctx, &l);
		e = rc_stmt_step(s, &row);
	}
	return e;
}

rc_err rc_session_logs_between(rc_db *db, int64_t assignment_id, const char *from, const char *to, rc_log_fn fn,
                               void *ctx)
{
	rc_stmt *s = NULL;
	bool row = false;
	rc_err e = rc_db_query(db, &q_logs_between, &s, &row, "itt", assignment_id, from, to);
	return each_log(s, row, e, fn, ctx);
}

rc_err rc_stage_log_count(rc_db *db, int64_t assignment_id, int stage, const char *since, int *count,
                          char first_day[11])
{
	rc_stmt *s = NULL;
	bool row = false;
	*count = 0;
	first_day[0] = '\0';
	rc_err e = rc_db_query(db, &q_stage_count, &s, &row, "iit", assignment_id, (int64_t)stage, since);
	if (!e && row) {
		*count = (int)rc_stmt_int(s, 0);
		snprintf(first_day, 11, "%s", rc_stmt_text(s, 1));
		rc_stmt_done(s);
	}
	return e;
}

rc_err rc_stage_logs_latest(rc_db *db, int64_t assignment_id, int stage, const char *since, int limit, rc_log_fn fn,
                            void *ctx)
{
	rc_stmt *s = NULL;
	bool row = false;
	rc_err e = rc_db_query(db, &q_stage_latest, &s, &row, "iiti", assignment_id, (int64_t)stage, since,
	                       (int64_t)limit);
	return each_log(s, row, e, fn, ctx);
}

typedef struct {
	int64_t runner_id, now;
	const rc_diary_row *d;
} diary_vals;

static rc_err bind_diary(rc_stmt *s, const void *row)
{
	const diary_vals *v = row;
	int i = 1;
	rc_err e = rc_stmt_bind_int(s, i++, v->runner_id);
	e = e ? e : rc_stmt_bind_text(s, i++, v->d->day);
	e = e ? e : rc_stmt_bind_int(s, i++, v->d->pain_rest);
	e = e ? e : rc_stmt_bind_int(s, i++, v->d->pain_sitting);
	e = e ? e : (v->d->pain_running < 0 ? rc_stmt_bind_text(s, i++, NULL) : rc_stmt_bind_int(s, i++, v->d->pain_running));
	e = e ? e : rc_stmt_bind_int(s, i++, v->d->minutes_run);
	e = e ? e : rc_stmt_bind_text(s, i++, v->d->notes);
	e = e ? e : rc_stmt_bind_int(s, i++, v->now);
	return e;
}

rc_err rc_diary_add(rc_db *db, int64_t runner_id, const rc_diary_row *d, int64_t now, int64_t replaces, int64_t *id)
{
	diary_vals v = {runner_id, now, d};
	add_ctx c = {&q_diary_add, &q_diary_supersede, runner_id, replaces, 0, &v, bind_diary};
	rc_err e = rc_db_tx(db, add_tx, &c);
	*id = c.id;
	return e;
}

static void read_diary(rc_stmt *s, rc_diary_row *d)
{
	d->id = rc_stmt_int(s, 0);
	snprintf(d->day, sizeof d->day, "%s", rc_stmt_text(s, 1));
	d->pain_rest = (int)rc_stmt_int(s, 2);
	d->pain_sitting = (int)rc_stmt_int(s, 3);
	d->pain_running = (int)rc_stmt_int(s, 4);
	d->minutes_run = (int)rc_stmt_int(s, 5);
	snprintf(d->notes, sizeof d->notes, "%s", rc_stmt_text(s, 6));
	d->created_at = rc_stmt_int(s, 7);
	d->superseded_by = 0;
}

rc_err rc_diary_page(rc_db *db, int64_t runner_id, const char *before, int days, rc_diary_fn fn, void *ctx)
{
	rc_stmt *s = NULL;
	bool row = false;
	/* No 'before': every day is before the last one a date can name. */
	const char *b = before && *before ? before : "9999-12-31";
	rc_err e = rc_db_query(db, &q_diary_page, &s, &row, "ititi", runner_id, b, runner_id, b, (int64_t)days);
	while (!e && row) {
		rc_diary_row d;
		read_diary(s, &d);
		fn(ctx, &d);
		e = rc_stmt_step(s, &row);
	}
	return e;
}

rc_err rc_diary_get(rc_db *db, int64_t runner_id, int64_t id, rc_diary_row *out, bool *found)
{
	rc_stmt *s = NULL;
	bool row = false;
	*found = false;
	memset(out, 0, sizeof *out);
	rc_err e = rc_db_query(db, &q_diary_get, &s, &row, "ii", runner_id, id);
	if (!e && row) {
		read_diary(s, out);
		*found = true;
		rc_stmt_done(s);
	}
	return e;
}

rc_err rc_diary_mornings(rc_db *db, int64_t runner_id, const char *since, rc_morning_fn fn, void *ctx)
{
	rc_stmt *s = NULL;
	bool row = false;
	rc_err e = rc_db_query(db, &q_mornings, &s, &row, "iitt", runner_id, runner_id, since, since);
	while (!e && row) {
		fn(ctx, rc_stmt_text(s, 0), (int)rc_stmt_int(s, 1));
		e = rc_stmt_step(s, &row);
	}
	return e;
}

rc_err rc_diary_on_day(rc_db *db, int64_t runner_id, const char *day, int64_t *id)
{
	rc_stmt *s = NULL;
	bool row = false;
	*id = 0;
	rc_err e = rc_db_query(db, &q_diary_day, &s, &row, "it", runner_id, day);
	if (!e && row) {
		*id = rc_stmt_int(s, 0);
		rc_stmt_done(s);
	}
	return e;
}

rc_err rc_psfs_add(rc_db *db, int64_t runner_id, const char *day, const char *ratings_json, int64_t now)
{
	return rc_db_query(db, &q_psfs_add, NULL, NULL, "iitt", runner_id, now, day, ratings_json);
}

static rc_err each_psfs(rc_stmt *s, bool row, rc_err e, rc_psfs_fn fn, void *ctx)
{
	while (!e && row) {
		fn(ctx, rc_stmt_text(s, 0), rc_stmt_int(s, 1), rc_stmt_text(s, 2));
		e = rc_stmt_step(s, &row);
	}
	return e;
}

rc_err rc_psfs_since(rc_db *db, int64_t runner_id, const char *since, rc_psfs_fn fn, void *ctx)
{
	rc_stmt *s = NULL;
	bool row = false;
	rc_err e = rc_db_query(db, &q_psfs_since, &s, &row, "it", runner_id, since);
	return each_psfs(s, row, e, fn, ctx);
}

rc_err rc_psfs_latest(rc_db *db, int64_t runner_id, rc_psfs_fn fn, void *ctx)
{
	rc_stmt *s = NULL;
	bool row = false;
	rc_err e = rc_db_query(db, &q_psfs_latest, &s, &row, "i", runner_id);
	return each_psfs(s, row, e, fn, ctx);
}
