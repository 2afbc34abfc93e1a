/* training_store.c — a runner's stored activities: written once, read back by time. */
#include "store/training_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>


static const rc_sql q_same = {"activity_same",
	"SELECT id FROM activity WHERE runner_id = ? AND start_at BETWEEN ? AND ? "
	"AND ABS(duration_s - ?) <= ? LIMIT 1"};
static const rc_sql q_insert = {"activity_insert",
	"INSERT INTO activity (runner_id, start_at, source, format, sport, distance_m, duration_s, moving_s, gain_m, "
	"loss_m, hr_avg, uphill_s, fast_s, track_size_m, track_laps_x10, track_bend_m, track_radius_m, track_direction, "
	"warnings, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"};
static const rc_sql q_each = {"activity_each",
	"SELECT id, start_at, source, format, sport, distance_m, duration_s, moving_s, gain_m, loss_m, hr_avg, uphill_s, "
	"fast_s, track_size_m, track_laps_x10, track_bend_m, track_radius_m, track_direction FROM activity "
	"WHERE runner_id = ? AND start_at >= ? ORDER BY start_at, id"};
static const rc_sql q_latest = {"activity_latest",
	"SELECT start_at FROM activity WHERE runner_id = ? ORDER BY start_at DESC LIMIT 1"};

enum { SAME_START_S = 120 };

rc_err rc_activity_insert(rc_db *db, int64_t runner_id, const rc_activity_rec *a, const char *warnings, int64_t now,
                          bool *duplicate, int64_t *id)
{
	rc_stmt *s;
	bool row;
	rc_err e = rc_db_query(db, &q_same, &s, &row, "iiiii", runner_id, a->start_at - SAME_START_S,
	                       a->start_at + SAME_START_S, a->duration_s, a->duration_s / 20 + 60);
	if (e)
		return e;
	if (row) {
		*id = rc_stmt_int(s, 0);
		*duplicate = true;
		rc_stmt_done(s);
		return RC_OK;
	}
	rc_stmt *ins = rc_db_stmt(db, &q_insert);
	if (!ins)
		return RC_EDB;
	int i = 1;
	e = rc_stmt_bind_int(ins, i++, runner_id);
	e = e ? e : rc_stmt_bind_int(ins, i++, a->start_at);
	e = e ? e : rc_stmt_bind_text(ins, i++, a->source);
	e = e ? e : rc_stmt_bind_text(ins, i++, a->format);
	e = e ? e : rc_stmt_bind_text(ins, i++, a->sport);
	const int64_t nums[] = {a->distance_m, a->duration_s, a->moving_s, a->gain_m, a->loss_m};
	for (size_t k = 0; k < 5; k++)
		e = e ? e : rc_stmt_bind_int(ins, i++, nums[k]);
	e = e ? e : (a->hr_avg < 0 ? rc_stmt_bind_text(ins, i++, NULL) : rc_stmt_bind_int(ins, i++, a->hr_avg));
	e = e ? e : rc_stmt_bind_int(ins, i++, a->uphill_s);
	e = e ? e : rc_stmt_bind_int(ins, i++, a->fast_s);
	if (a->track_size_m) {
		const int64_t t[] = {a->track_size_m, a->track_laps_x10, a->track_bend_m, a->track_radius_m};
		for (size_t k = 0; k < 4; k++)
			e = e ? e : rc_stmt_bind_int(ins, i++, t[k]);
		e = e ? e : rc_stmt_bind_text(ins, i++, a->track_direction);
	} else {
		for (int k = 0; k < 5; k++)
			e = e ? e : rc_stmt_bind_text(ins, i++, NULL);
	}
	e = e ? e : rc_stmt_bind_text(ins, i++, warnings);
	e = e ? e : rc_stmt_bind_int(ins, i++, now);
	e = e ? e : rc_stmt_step(ins, &row);
	if (e)
		return e;
	if (!row)
		return RC_EDB;
	*id = rc_stmt_int(ins, 0);
	rc_stmt_done(ins);
	*duplicate = false;
	return RC_OK;
}

rc_err rc_activity_each(rc_db *db, int64_t runner_id, int64_t from, rc_activity_fn fn, void *ctx)
{
	rc_stmt *s;
	bool row;
	rc_err e = rc_db_query(db, &q_each, &s, &row, "ii", runner_id, from);
	while (!e && row) {
		rc_activity_rec a;
		memset(&a, 0, sizeof a);
		a.id = rc_stmt_int(s, 0);
		a.start_at = rc_stmt_int(s, 1);
		snprintf(a.source, sizeof a.source, "%s", rc_stmt_text(s, 2));
		snprintf(a.format, sizeof a.format, "%s", rc_stmt_text(s, 3));
		snprintf(a.sport, sizeof a.sport, "%s", rc_stmt_text(s, 4));
		int64_t *nums[] = {&a.distance_m, &a.duration_s, &a.moving_s, &a.gain_m, &a.loss_m};
		for (int k = 0; k < 5; k++)
			*nums[k] = rc_stmt_int(s, 5 + k);
		a.hr_avg = rc_stmt_is_null(s, 10) ? -1 : rc_stmt_int(s, 10);
		a.uphill_s = rc_stmt_int(s, 11);
		a.fast_s = rc_stmt_int(s, 12);
		if (!rc_stmt_is_null(s, 13)) {
			a.track_size_m = rc_stmt_int(s, 13);
			a.track_laps_x10 = rc_stmt_int(s, 14);
			a.track_bend_m = rc_stmt_int(s, 15);
			a.track_radius_m = rc_stmt_int(s, 16);
			snprintf(a.track_direction, sizeof a.track_direction, "%s", rc_stmt_text(s, 17));
		}
		fn(ctx, &a);
		e = rc_stmt_step(s, &row);
	}
	return e;
}

rc_err rc_activity_latest(rc_db *db, int64_t runner_id, int64_t *start)
{
	rc_stmt *s;
	bool row;
	*start = 0;
	rc_err e = rc_db_query(db, &q_latest, &s, &row, "i", runner_id);
	if (!e && row) {
		*start = rc_stmt_int(s, 0);
		rc_stmt_done(s);
	}
	return e;
}

