/* activity_store.c — a runner's activities listed, read, deleted and rated; their heart rate settings. */
#include "store/activity_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define COLS                                                                                                     \
	"id, start_at, source, format, sport, distance_m, duration_s, moving_s, gain_m, loss_m, hr_avg, uphill_s, " \
	"fast_s, track_size_m, track_laps_x10, track_bend_m, track_radius_m, track_direction, " RC_ACTIVITY_MORE
#define FILTER "runner_id = ? AND (? = '' OR sport_kind = ?) AND start_at >= ? AND start_at < ?"

static const rc_sql q_count = {"activity_count", "SELECT COUNT(*) FROM activity WHERE " FILTER};
static const rc_sql q_list = {"activity_list",
	"SELECT " COLS " FROM activity WHERE " FILTER " ORDER BY start_at DESC, id DESC LIMIT ? OFFSET ?"};
static const rc_sql q_get = {"activity_get", "SELECT " COLS ", detail, warnings FROM activity WHERE id = ? AND runner_id = ?"};
static const rc_sql q_delete = {"activity_delete", "DELETE FROM activity WHERE id = ? AND runner_id = ?"};
/* The file the activity was read from goes with it (migration 0019 keeps it for the runner's download). */
static const rc_sql q_delete_file = {"activity_delete_file",
	"DELETE FROM activity_file WHERE activity_id IN (SELECT id FROM activity WHERE id = ? AND runner_id = ?)"};
static const rc_sql q_effort = {"activity_effort", "UPDATE activity SET effort = ? WHERE id = ? AND runner_id = ?"};
static const rc_sql q_shoes = {"activity_shoes",
	"SELECT gear, SUM(distance_m), SUM(CASE WHEN start_at >= ? THEN distance_m ELSE 0 END), MIN(start_at), "
	"MAX(start_at), COUNT(*) FROM activity WHERE runner_id = ? AND sport_kind = 'running' AND gear <> '' "
	"GROUP BY gear ORDER BY MAX(start_at) DESC, gear LIMIT ?"};
static const rc_sql q_first_run = {"activity_first_run",
	"SELECT COALESCE(MIN(start_at), 0) FROM activity WHERE runner_id = ? AND sport_kind = 'running'"};
static const rc_sql q_heart_get = {"heart_get",
	"SELECT COALESCE(rest_bpm, 0), COALESCE(max_bpm, 0) FROM runner_heart WHERE runner_id = ?"};
static const rc_sql q_heart_set = {"heart_set",
	"INSERT INTO runner_heart (runner_id, rest_bpm, max_bpm, updated_at) VALUES (?, ?, ?, ?) "
	"ON CONFLICT (runner_id) DO UPDATE SET rest_bpm = excluded.rest_bpm, max_bpm = excluded.max_bpm, "
	"updated_at = excluded.updated_at"};

static const char *kind_of(const rc_activity_filter *f)
{
	return f && f->kind ? f->kind : "";
}

static int64_t to_of(const rc_activity_filter *f)
{
	return f && f->to ? f->to : INT64_MAX;
}

rc_err rc_activity_count(rc_db *db, int64_t runner_id, const rc_activity_filter *f, int64_t *n)
{
	rc_stmt *s;
	bool row;
	*n = 0;
	rc_err e = rc_db_query(db, &q_count, &s, &row, "ittii", runner_id, kind_of(f), kind_of(f), f ? f->from : 0,
	                       to_of(f));
	if (!e && row) {
		*n = rc_stmt_int(s, 0);
		rc_stmt_done(s);
	}
	return e;
}

rc_err rc_activity_list(rc_db *db, int64_t runner_id, const rc_activity_filter *f, int64_t limit, int64_t offset,
                        rc_activity_fn fn, void *ctx)
{
	rc_stmt *s;
	bool row;
	rc_err e = rc_db_query(db, &q_list, &s, &row, "ittiiii", runner_id, kind_of(f), kind_of(f), f ? f->from : 0,
	                       to_of(f), limit, offset);
	while (!e && row) {
		rc_activity_rec a;
		rc_activity_row(s, &a);
		fn(ctx, &a);
		e = rc_stmt_step(s, &row);
	}
	return e;
}

rc_err rc_activity_get(rc_db *db, int64_t runner_id, int64_t id, rc_activity_rec *out, char **detail,
                       char **warnings, bool *found)
{
	rc_stmt *s;
	bool row;
	*found = false;
	*detail = *warnings = NULL;
	rc_err e = rc_db_query(db, &q_get, &s, &row, "ii", id, runner_id);
	if (e || !row)
		return e;
	rc_activity_row(s, out);
	*detail = strdup(rc_stmt_text(s, RC_ACTIVITY_NCOLS));
	*warnings = strdup(rc_stmt_text(s, RC_ACTIVITY_NCOLS + 1));
	rc_stmt_done(s);
	if (!*detail || !*warnings) {
		free(*detail);
		free(*warnings);
		*detail = *warnings = NULL;
		return RC_ENOMEM;
	}
	*found = true;
	return RC_OK;
}

rc_err rc_activity_delete(rc_db *db, int64_t runner_id, int64_t id, bool *deleted)
{
	*deleted = false;
	rc_err e = rc_db_query(db, &q_delete_file, NULL, NULL, "ii", id, runner_id);
	if (e)
		return e;
	rc_stmt *s = rc_db_stmt(db, &q_delete);
	bool row;
	if (!s)
		return RC_EDB;
	e = rc_stmt_bind_int(s, 1, id);
	e = e ? e : rc_stmt_bind_int(s, 2, runner_id);
	e = e ? e : rc_stmt_step(s, &row);
	if (!e)
		*deleted = rc_stmt_changes(s) > 0;
	return e;
}

rc_err rc_activity_set_effort(rc_db *db, int64_t runner_id, int64_t id, int64_t effort, bool *found)
{
	rc_stmt *s = rc_db_stmt(db, &q_effort);
	bool row;
	*found = false;
	if (!s)
		return RC_EDB;
	rc_err e = effort < 0 ? rc_stmt_bind_text(s, 1, NULL) : rc_stmt_bind_int(s, 1, effort);
	e = e ? e : rc_stmt_bind_int(s, 2, id);
	e = e ? e : rc_stmt_bind_int(s, 3, runner_id);
	e = e ? e : rc_stmt_step(s, &row);
	if (!e)
		*found = rc_stmt_changes(s) > 0;
	return e;
}

rc_err rc_activity_shoes(rc_db *db, int64_t runner_id, int64_t recent_from, rc_shoe *out, int max, int *n)
{
	rc_stmt *s;
	bool row;
	*n = 0;
	rc_err e = rc_db_query(db, &q_shoes, &s, &row, "iii", recent_from, runner_id, (int64_t)max);
	while (!e && row && *n < max) {
		rc_shoe *p = &out[(*n)++];
		snprintf(p->gear, sizeof p->gear, "%s", rc_stmt_text(s, 0));
		p->total_m = rc_stmt_int(s, 1);
		p->recent_m = rc_stmt_int(s, 2);
		p->first_at = rc_stmt_int(s, 3);
		p->last_at = rc_stmt_int(s, 4);
		p->runs = rc_stmt_int(s, 5);
		e = rc_stmt_step(s, &row);
	}
	if (!e && row)
		rc_stmt_done(s);
	return e;
}

rc_err rc_activity_first_run(rc_db *db, int64_t runner_id, int64_t *start)
{
	rc_stmt *s;
	bool row;
	*start = 0;
	rc_err e = rc_db_query(db, &q_first_run, &s, &row, "i", runner_id);
	if (!e && row) {
		*start = rc_stmt_int(s, 0);
		rc_stmt_done(s);
	}
	return e;
}

rc_err rc_heart_get(rc_db *db, int64_t runner_id, int64_t *rest_bpm, int64_t *max_bpm)
{
	rc_stmt *s;
	bool row;
	*rest_bpm = *max_bpm = 0;
	rc_err e = rc_db_query(db, &q_heart_get, &s, &row, "i", runner_id);
	if (!e && row) {
		*rest_bpm = rc_stmt_int(s, 0);
		*max_bpm = rc_stmt_int(s, 1);
		rc_stmt_done(s);
	}
	return e;
}

rc_err rc_heart_set(rc_db *db, int64_t runner_id, int64_t rest_bpm, int64_t max_bpm, int64_t now)
{
	rc_stmt *s = rc_db_stmt(db, &q_heart_set);
	bool row;
	if (!s)
		return RC_EDB;
	rc_err e = rc_stmt_bind_int(s, 1, runner_id);
	e = e ? e : (rest_bpm > 0 ? rc_stmt_bind_int(s, 2, rest_bpm) : rc_stmt_bind_text(s, 2, NULL));
	e = e ? e : (max_bpm > 0 ? rc_stmt_bind_int(s, 3, max_bpm) : rc_stmt_bind_text(s, 3, NULL));
	e = e ? e : rc_stmt_bind_int(s, 4, now);
	return e ? e : rc_stmt_step(s, &row);
}
