/* training_store.c — importing training files and reading a runner's activities back. */
#include "store/training_store.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/analysis.h"
#include "formats/activity.h"

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

typedef struct {
	int64_t runner_id, now;
	const rc_activity_rec *rec;
	const char *warnings;
	bool duplicate;
	int64_t id;
} insert_ctx;

static rc_err insert_tx(rc_db *db, void *p)
{
	insert_ctx *c = p;
	return rc_activity_insert(db, c->runner_id, c->rec, c->warnings, c->now, &c->duplicate, &c->id);
}

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

static rc_err refuse(rc_import_result *out, const char *msg)
{
	out->outcome = RC_IMPORT_REFUSED;
	snprintf(out->message, sizeof out->message, "%s", msg);
	return RC_OK;
}

rc_err rc_training_import(rc_db *db, int64_t runner_id, const char *name, const unsigned char *data, size_t len,
                          int64_t now, rc_import_result *out)
{
	memset(out, 0, sizeof *out);
	rc_activity_rec *a = &out->rec;
	rc_file_kind kind = rc_activity_kind(data, len);
	if (kind == RC_FILE_UNKNOWN)
		return refuse(out, "not a training file: runcare reads GPX, TCX and FIT");
	rc_analysis *an = malloc(sizeof *an);
	if (!an)
		return RC_ENOMEM;
	rc_analysis_init(an);
	rc_activity_info info;
	char err[300];
	if (rc_activity_read(data, len, now, rc_analysis_sample, an, &info, err, sizeof err)) {
		free(an);
		return refuse(out, err);
	}
	rc_analysis_finish(an, &info);
	const rc_summary *s = &an->sum;
	if (s->start && s->end == s->start && s->distance_m < 1) {
		free(an);
		return refuse(out, "a single point in time with no distance: not an activity");
	}
	if (!s->start) {
		free(an);
		return refuse(out, info.rejected               ? "every time in the file is before 1990 or in the future"
		                   : kind == RC_FILE_FIT && !info.samples
		                       ? "a FIT file with no activity in it (settings, a workout plan or daily monitoring)"
		                       : "the file has no times, so runcare cannot tell when it was run");
	}
	snprintf(a->source, sizeof a->source, "%s", name);
	snprintf(a->format, sizeof a->format, "%s", kind == RC_FILE_GPX ? "gpx" : kind == RC_FILE_TCX ? "tcx" : "fit");
	snprintf(a->sport, sizeof a->sport, "%s", info.sport);
	a->start_at = s->start;
	a->distance_m = llround(s->distance_m);
	a->duration_s = s->end - s->start;
	a->moving_s = llround(s->moving_s);
	a->gain_m = llround(s->gain_m);
	a->loss_m = llround(s->loss_m);
	a->hr_avg = s->hr_n ? llround(s->hr_sum / (double)s->hr_n) : -1;
	a->uphill_s = llround(an->uphill_s);
	a->fast_s = llround(an->fast_s);
	if (an->track.found) {
		a->track_size_m = an->track.size_m;
		a->track_laps_x10 = llround(an->track.laps * 10);
		a->track_bend_m = llround(an->track.bend_distance_m);
		a->track_radius_m = llround(an->track.radius_m);
		snprintf(a->track_direction, sizeof a->track_direction, "%s", rc_direction_name(an->track.direction));
	}
	free(an);
	json_t *w = json_array();
	for (int i = 0; i < info.nwarnings; i++)
		json_array_append_new(w, json_string(info.warnings[i]));
	char *warnings = json_dumps(w, JSON_COMPACT);
	json_decref(w);
	if (!warnings)
		return RC_ENOMEM;
	if (info.nwarnings)
		snprintf(out->message, sizeof out->message, "%s", info.warnings[0]);
	insert_ctx c = {.runner_id = runner_id, .now = now, .rec = a, .warnings = warnings};
	rc_err e = rc_db_tx(db, insert_tx, &c);
	free(warnings);
	if (!e) {
		a->id = c.id;
		out->outcome = c.duplicate ? RC_IMPORT_DUPLICATE : RC_IMPORT_ADDED;
	}
	return e;
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

static void add_one(void *ctx, const rc_activity_rec *a)
{
	rc_training_add(ctx, a);
}

rc_err rc_training_compute(rc_db *db, int64_t runner_id, int64_t now, rc_training *out)
{
	int64_t latest;
	rc_err e = rc_activity_latest(db, runner_id, &latest);
	if (e)
		return e;
	rc_training_init(out, now, latest);
	e = rc_activity_each(db, runner_id, rc_training_window_start(out), add_one, out);
	if (!e)
		rc_training_finish(out);
	return e;
}
