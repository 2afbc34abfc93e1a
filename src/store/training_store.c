/* training_store.c — a runner's stored activities: written once, read back by time. */
#include "store/training_store.h"

#include "base/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/sport.h"


/* The runner's activities near a start, nearest first, read whole: domain/training.h's rule decides. */
static const rc_sql q_same = {"activity_same",
	"SELECT id, start_at, source, format, sport, distance_m, duration_s, moving_s, gain_m, loss_m, hr_avg, uphill_s, "
	"fast_s, track_size_m, track_laps_x10, track_bend_m, track_radius_m, track_direction, " RC_ACTIVITY_MORE
	" FROM activity WHERE runner_id = ? AND start_at BETWEEN ? AND ? ORDER BY ABS(start_at - ?), id"};
/* The richer record's figures over the poorer's, in the insert's order; the name, shoes and sport the
 * first record has stay (a name or shoes it lacks are taken from the new one). */
static const rc_sql q_replace = {"activity_replace",
	"UPDATE activity SET start_at = ?, source = ?, format = ?, sport = CASE WHEN sport = '' THEN ? ELSE sport END, "
	"distance_m = ?, duration_s = ?, moving_s = ?, gain_m = ?, loss_m = ?, hr_avg = ?, uphill_s = ?, fast_s = ?, "
	"track_size_m = ?, track_laps_x10 = ?, track_bend_m = ?, track_radius_m = ?, track_direction = ?, warnings = ?, "
	"imported_at = ?, sport_kind = ?, track_bend_s = ?, track_lane = ?, detail = ?, hr_zones = ?, "
	"name = CASE WHEN name = '' THEN ? ELSE name END, gear = CASE WHEN gear = '' THEN ? ELSE gear END, "
	"energy_kcal = COALESCE(?, energy_kcal) WHERE id = ?"};
static const rc_sql q_fill = {"activity_fill_names",
	"UPDATE activity SET name = CASE WHEN name = '' THEN ? ELSE name END, "
	"gear = CASE WHEN gear = '' THEN ? ELSE gear END, energy_kcal = COALESCE(energy_kcal, ?) WHERE id = ?"};
static const rc_sql q_file_kept = {"activity_file_kept",
	"SELECT COUNT(*) FROM activity_file WHERE activity_id = ? AND name = ? AND size = ?"};
static const rc_sql q_insert = {"activity_insert",
	"INSERT INTO activity (runner_id, start_at, source, format, sport, distance_m, duration_s, moving_s, gain_m, "
	"loss_m, hr_avg, uphill_s, fast_s, track_size_m, track_laps_x10, track_bend_m, track_radius_m, track_direction, "
	"warnings, imported_at, sport_kind, track_bend_s, track_lane, detail, hr_zones, name, gear, energy_kcal) "
	"VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"};
static const rc_sql q_each = {"activity_each",
	"SELECT id, start_at, source, format, sport, distance_m, duration_s, moving_s, gain_m, loss_m, hr_avg, uphill_s, "
	"fast_s, track_size_m, track_laps_x10, track_bend_m, track_radius_m, track_direction, " RC_ACTIVITY_MORE
	" FROM activity WHERE runner_id = ? AND start_at >= ? ORDER BY start_at, id"};
static const rc_sql q_hr_zones = {"activity_hr_zones",
	"SELECT sport, hr_zones FROM activity WHERE runner_id = ? AND start_at >= ? AND hr_zones <> ''"};
static const rc_sql q_latest = {"activity_latest",
	"SELECT start_at FROM activity WHERE runner_id = ? ORDER BY start_at DESC LIMIT 1"};

/* Binds start_at … energy_kcal (the insert's columns after runner_id, and the replace's) from index *i on. */
static rc_err bind_record(rc_stmt *st, int *pi, const rc_activity_rec *a, const char *warnings, int64_t now)
{
	int i = *pi;
	rc_err e = rc_stmt_bind_int(st, i++, a->start_at);
	e = e ? e : rc_stmt_bind_text(st, i++, a->source);
	e = e ? e : rc_stmt_bind_text(st, i++, a->format);
	e = e ? e : rc_stmt_bind_text(st, i++, a->sport);
	const int64_t nums[] = {a->distance_m, a->duration_s, a->moving_s, a->gain_m, a->loss_m};
	for (size_t k = 0; k < 5; k++)
		e = e ? e : rc_stmt_bind_int(st, i++, nums[k]);
	e = e ? e : (a->hr_avg < 0 ? rc_stmt_bind_text(st, i++, NULL) : rc_stmt_bind_int(st, i++, a->hr_avg));
	e = e ? e : rc_stmt_bind_int(st, i++, a->uphill_s);
	e = e ? e : rc_stmt_bind_int(st, i++, a->fast_s);
	if (a->track_size_m) {
		const int64_t t[] = {a->track_size_m, a->track_laps_x10, a->track_bend_m, a->track_radius_m};
		for (size_t k = 0; k < 4; k++)
			e = e ? e : rc_stmt_bind_int(st, i++, t[k]);
		e = e ? e : rc_stmt_bind_text(st, i++, a->track_direction);
	} else {
		for (int k = 0; k < 5; k++)
			e = e ? e : rc_stmt_bind_text(st, i++, NULL);
	}
	e = e ? e : rc_stmt_bind_text(st, i++, warnings);
	e = e ? e : rc_stmt_bind_int(st, i++, now);
	e = e ? e : rc_stmt_bind_text(st, i++, a->sport_kind[0] ? a->sport_kind : rc_sport_kind(a->sport));
	if (a->track_size_m) {
		e = e ? e : rc_stmt_bind_int(st, i++, a->track_bend_s);
		e = e ? e : (a->track_lane ? rc_stmt_bind_int(st, i++, a->track_lane) : rc_stmt_bind_text(st, i++, NULL));
	} else {
		e = e ? e : rc_stmt_bind_text(st, i++, NULL);
		e = e ? e : rc_stmt_bind_text(st, i++, NULL);
	}
	e = e ? e : rc_stmt_bind_text(st, i++, a->detail ? a->detail : "{}");
	e = e ? e : rc_stmt_bind_text(st, i++, a->hr_zones);
	e = e ? e : rc_stmt_bind_text(st, i++, a->name);
	e = e ? e : rc_stmt_bind_text(st, i++, a->gear);
	e = e ? e : (a->energy_kcal > 0 ? rc_stmt_bind_int(st, i++, a->energy_kcal) : rc_stmt_bind_text(st, i++, NULL));
	*pi = i;
	return e;
}

/* The runner's activity that is the same as a (domain/training.h's rule), nearest in start first; *clash
 * when none is but one starts at a's very second (another sport: the store keeps one a second). */
static rc_err find_same(rc_db *db, int64_t runner_id, const rc_activity_rec *a, rc_activity_rec *same, bool *found,
                        rc_stored *out)
{
	rc_stmt *s;
	bool row;
	*found = false;
	rc_err e = rc_db_query(db, &q_same, &s, &row, "iiii", runner_id, a->start_at - RC_SAME_START_S,
	                       a->start_at + RC_SAME_START_S, a->start_at);
	while (!e && row) {
		rc_activity_row(s, same);
		if (rc_activity_same(a, same)) {
			*found = true;
			out->clash = false;
			rc_stmt_done(s);
			return RC_OK;
		}
		if (same->start_at == a->start_at) {
			out->clash = true;
			snprintf(out->same_source, sizeof out->same_source, "%s", same->source);
		}
		e = rc_stmt_step(s, &row);
	}
	return e;
}

rc_err rc_activity_store_once(rc_db *db, int64_t runner_id, const rc_activity_rec *a, const char *warnings, int64_t now,
                              rc_stored *out)
{
	memset(out, 0, sizeof *out);
	rc_activity_rec *same = malloc(sizeof *same);
	bool row, found;
	if (!same)
		return RC_ENOMEM;
	rc_err e = find_same(db, runner_id, a, same, &found, out);
	if (!e && !found && out->clash) {
		free(same);
		return RC_OK;
	}
	if (!e && found) {
		out->duplicate = true;
		out->id = same->id;
		snprintf(out->same_source, sizeof out->same_source, "%s", same->source);
		out->replaced = rc_activity_richness(a) > rc_activity_richness(same);
		rc_stmt *st = rc_db_stmt(db, out->replaced ? &q_replace : &q_fill);
		int i = 1;
		if (!st)
			e = RC_EDB;
		else if (out->replaced)
			e = bind_record(st, &i, a, warnings, now);
		else {
			e = rc_stmt_bind_text(st, i++, a->name);
			e = e ? e : rc_stmt_bind_text(st, i++, a->gear);
			e = e ? e : (a->energy_kcal > 0 ? rc_stmt_bind_int(st, i++, a->energy_kcal)
			                                : rc_stmt_bind_text(st, i++, NULL));
		}
		e = e ? e : rc_stmt_bind_int(st, i, same->id);
		e = e ? e : rc_stmt_step(st, &row);
	}
	free(same);
	if (e || out->duplicate)
		return e;
	rc_stmt *ins = rc_db_stmt(db, &q_insert);
	if (!ins)
		return RC_EDB;
	int i = 2;
	e = rc_stmt_bind_int(ins, 1, runner_id);
	e = e ? e : bind_record(ins, &i, a, warnings, now);
	e = e ? e : rc_stmt_step(ins, &row);
	if (e)
		return e;
	if (!row)
		return RC_EDB;
	out->id = rc_stmt_int(ins, 0);
	rc_stmt_done(ins);
	return RC_OK;
}

rc_err rc_activity_insert(rc_db *db, int64_t runner_id, const rc_activity_rec *a, const char *warnings, int64_t now,
                          bool *duplicate, int64_t *id)
{
	rc_stored st;
	rc_err e = rc_activity_store_once(db, runner_id, a, warnings, now, &st);
	*duplicate = st.duplicate || st.clash; /* nothing new stored either way */
	*id = st.id;
	return e;
}

void rc_activity_row(rc_stmt *s, rc_activity_rec *out)
{
	rc_activity_rec *a = out;
	memset(a, 0, sizeof *a);
	a->id = rc_stmt_int(s, 0);
	a->start_at = rc_stmt_int(s, 1);
	rc_stmt_text_to(s, 2, a->source, sizeof a->source);
	rc_stmt_text_to(s, 3, a->format, sizeof a->format);
	rc_stmt_text_to(s, 4, a->sport, sizeof a->sport);
	int64_t *nums[] = {&a->distance_m, &a->duration_s, &a->moving_s, &a->gain_m, &a->loss_m};
	for (int k = 0; k < 5; k++)
		*nums[k] = rc_stmt_int(s, 5 + k);
	a->hr_avg = rc_stmt_is_null(s, 10) ? -1 : rc_stmt_int(s, 10);
	a->uphill_s = rc_stmt_int(s, 11);
	a->fast_s = rc_stmt_int(s, 12);
	if (!rc_stmt_is_null(s, 13)) {
		a->track_size_m = rc_stmt_int(s, 13);
		a->track_laps_x10 = rc_stmt_int(s, 14);
		a->track_bend_m = rc_stmt_int(s, 15);
		a->track_radius_m = rc_stmt_int(s, 16);
		rc_stmt_text_to(s, 17, a->track_direction, sizeof a->track_direction);
	}
	rc_stmt_text_to(s, 18, a->sport_kind, sizeof a->sport_kind);
	a->track_bend_s = rc_stmt_is_null(s, 19) ? 0 : rc_stmt_int(s, 19);
	a->track_lane = rc_stmt_is_null(s, 20) ? 0 : rc_stmt_int(s, 20);
	a->effort_set = !rc_stmt_is_null(s, 21);
	a->effort = a->effort_set ? rc_stmt_int(s, 21) : 0;
	rc_stmt_text_to(s, 22, a->hr_zones, sizeof a->hr_zones);
	rc_stmt_text_to(s, 23, a->name, sizeof a->name);
	rc_stmt_text_to(s, 24, a->gear, sizeof a->gear);
	a->energy_kcal = rc_stmt_is_null(s, 25) ? 0 : rc_stmt_int(s, 25);
}

rc_err rc_activity_each(rc_db *db, int64_t runner_id, int64_t from, rc_activity_fn fn, void *ctx)
{
	rc_stmt *s;
	bool row;
	rc_err e = rc_db_query(db, &q_each, &s, &row, "ii", runner_id, from);
	while (!e && row) {
		rc_activity_rec a;
		rc_activity_row(s, &a);
		fn(ctx, &a);
		e = rc_stmt_step(s, &row);
	}
	return e;
}

rc_err rc_activity_hr_zones_each(rc_db *db, int64_t runner_id, int64_t from, rc_hr_zones_fn fn, void *ctx)
{
	rc_stmt *s;
	bool row;
	rc_err e = rc_db_query(db, &q_hr_zones, &s, &row, "ii", runner_id, from);
	while (!e && row) {
		/* As rc_activity_row keeps them. */
		char sport[sizeof ((rc_activity_rec *)0)->sport], zones[sizeof ((rc_activity_rec *)0)->hr_zones];
		rc_stmt_text_to(s, 0, sport, sizeof sport);
		rc_stmt_text_to(s, 1, zones, sizeof zones);
		fn(ctx, sport, zones);
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


/* --- import jobs ----------------------------------------------------------------------------- */

enum { PART_BYTES = RC_IMPORT_PART_BYTES };

static const rc_sql q_jobs_open = {"import_jobs_open",
	"SELECT (SELECT COUNT(*) FROM import_job WHERE runner_id = ? AND state IN ('queued', 'running')), "
	"(SELECT COALESCE(SUM(bytes_total), 0) FROM import_job WHERE state IN ('queued', 'running'))"};
static const rc_sql q_job_insert = {"import_job_insert",
	"INSERT INTO import_job (runner_id, bytes_total, created_at, receiving) VALUES (?, ?, ?, 1) RETURNING id"};
static const rc_sql q_job_received = {"import_job_received",
	"UPDATE import_job SET receiving = 0, bytes_done = 0 WHERE id = ?"};
static const rc_sql q_job_stored = {"import_job_stored",
	"UPDATE import_job SET bytes_done = ?, stored_at = ? WHERE id = ? AND receiving = 1"};
/* A job receiving its parts whose last part (or, before the first, its creation) came before the given time. */
static const rc_sql q_jobs_stalled = {"import_jobs_stalled",
	"SELECT id FROM import_job WHERE receiving = 1 "
	"AND (CASE WHEN stored_at > created_at THEN stored_at ELSE created_at END) < ? ORDER BY id LIMIT 1"};
static const rc_sql q_job_store_failed = {"import_job_store_failed",
	"UPDATE import_job SET state = 'failed', receiving = 0, message = ?, finished_at = ? "
	"WHERE id = ? AND receiving = 1"};
static const rc_sql q_file_insert = {"import_job_file_insert",
	"INSERT INTO import_job_file (job_id, name, size) VALUES (?, ?, ?) RETURNING id"};
static const rc_sql q_part_insert = {"import_job_part_insert",
	"INSERT INTO import_job_part (file_id, data) VALUES (?, ?)"};
static const rc_sql q_job_get = {"import_job_get",
	"SELECT j.id, j.runner_id, j.state, j.files_seen, j.files_added, j.files_duplicate, j.files_refused, "
	"j.files_skipped, j.bytes_done, j.bytes_total, j.bytes_expanded, j.message, j.created_at, "
	"COALESCE(j.started_at, 0), COALESCE(j.finished_at, 0), j.lease_until, j.attempts, "
	"(SELECT COUNT(*) FROM import_job_file f WHERE f.job_id = j.id), j.receiving, j.stored_at FROM import_job j "
	"WHERE j.id = ?"};
static const rc_sql q_job_owner = {"import_job_owner", "SELECT runner_id FROM import_job WHERE id = ?"};
static const rc_sql q_job_problems = {"import_job_problems",
	"SELECT name, why FROM import_job_problem WHERE job_id = ? ORDER BY id LIMIT ?"};
static const rc_sql q_jobs_latest = {"import_jobs_latest",
	"SELECT id FROM import_job WHERE runner_id = ? ORDER BY id DESC LIMIT ?"};
static const rc_sql q_job_next = {"import_job_next",
	"SELECT id, attempts FROM import_job WHERE (state = 'queued' OR (state = 'running' AND lease_until <= ?)) "
	"AND attempts < ? AND receiving = 0 ORDER BY id LIMIT 1"};
static const rc_sql q_job_claim = {"import_job_claim",
	"UPDATE import_job SET state = 'running', attempts = ?, lease_until = ?, started_at = COALESCE(started_at, ?), "
	"bytes_expanded = 0 WHERE id = ? AND attempts = ? "
	"AND (state = 'queued' OR (state = 'running' AND lease_until <= ?))"};
static const rc_sql q_job_stale = {"import_job_stale",
	"SELECT id FROM import_job WHERE state = 'running' AND lease_until <= ? AND attempts >= ? ORDER BY id LIMIT 1"};
static const rc_sql q_job_fail = {"import_job_fail",
	"UPDATE import_job SET state = 'failed', message = ?, finished_at = ?, lease_until = 0 "
	"WHERE id = ? AND state = 'running' AND lease_until <= ?"};
static const rc_sql q_job_files = {"import_job_files",
	"SELECT id, name, size FROM import_job_file WHERE job_id = ? ORDER BY id LIMIT ?"};
/* A few parts at a time, after the last one read: a result set (which libpq holds whole) stays small. */
static const rc_sql q_job_parts = {"import_job_parts",
	"SELECT id, data FROM import_job_part WHERE file_id = ? AND id > ? ORDER BY id LIMIT ?"};
static const rc_sql q_job_purgeable = {"import_job_purgeable",
	"SELECT id FROM import_job WHERE (state IN ('done', 'failed') AND finished_at < ?) "
	"OR (receiving = 1 AND created_at < ?) ORDER BY id LIMIT 1"};
static const rc_sql q_purge_parts = {"import_job_purge_parts",
	"DELETE FROM import_job_part WHERE file_id IN (SELECT id FROM import_job_file WHERE job_id = ?)"};
static const rc_sql q_purge_files = {"import_job_purge_files", "DELETE FROM import_job_file WHERE job_id = ?"};
static const rc_sql q_purge_problems = {"import_job_purge_problems", "DELETE FROM import_job_problem WHERE job_id = ?"};
static const rc_sql q_purge_job = {"import_job_purge", "DELETE FROM import_job WHERE id = ?"};
static const rc_sql q_job_progress = {"import_job_progress",
	"UPDATE import_job SET files_seen = files_seen + 1, files_added = files_added + ?, "
	"files_duplicate = files_duplicate + ?, files_refused = files_refused + ?, bytes_done = ?, bytes_expanded = ?, "
	"lease_until = ? WHERE id = ? AND state = 'running' AND attempts = ?"};
static const rc_sql q_job_heartbeat = {"import_job_heartbeat",
	"UPDATE import_job SET bytes_done = ?, bytes_expanded = ?, lease_until = ? "
	"WHERE id = ? AND state = 'running' AND attempts = ?"};
static const rc_sql q_problem_add = {"import_job_problem_add",
	"INSERT INTO import_job_problem (job_id, name, why) SELECT CAST(? AS BIGINT), CAST(? AS TEXT), CAST(? AS TEXT) "
	"WHERE (SELECT COUNT(*) FROM import_job_problem WHERE job_id = ?) < ?"};
static const rc_sql q_job_finish = {"import_job_finish",
	"UPDATE import_job SET state = ?, message = ?, files_skipped = ?, bytes_done = bytes_total, bytes_expanded = ?, "
	"finished_at = ?, lease_until = 0 WHERE id = ? AND state = 'running' AND attempts = ?"};
/* A few parts at a time: deleting a gigabyte of rows in one statement holds it all in SQLite's cache. */
static const rc_sql q_job_parts_delete = {"import_job_parts_delete",
	"DELETE FROM import_job_part WHERE id IN (SELECT p.id FROM import_job_part p JOIN import_job_file f "
	"ON f.id = p.file_id WHERE f.job_id = ? ORDER BY p.id LIMIT ?)"};
static const rc_sql q_jobs_with_parts = {"import_jobs_with_parts",
	"SELECT j.id FROM import_job j WHERE j.state IN ('done', 'failed') AND EXISTS (SELECT 1 FROM import_job_file f "
	"JOIN import_job_part p ON p.file_id = f.id WHERE f.job_id = j.id) ORDER BY j.id LIMIT 1"};
static const rc_sql q_job_release = {"import_job_release",
	"UPDATE import_job SET state = 'queued', lease_until = 0, attempts = attempts - 1 "
	"WHERE id = ? AND state = 'running' AND attempts = ?"};

static const char *const job_states[] = {"queued", "running", "done", "failed"};

static rc_job_state job_state(const char *s)
{
	for (int i = 0; i < 4; i++)
		if (strcmp(s, job_states[i]) == 0)
			return (rc_job_state)i;
	return RC_JOB_FAILED;
}

static const rc_sql q_activity_file_insert = {"activity_file_insert",
	"INSERT INTO activity_file (activity_id, name, size, data) VALUES (?, ?, ?, ?)"};
static const rc_sql q_activity_files = {"activity_files",
	"SELECT f.activity_id, f.name, f.size, f.data FROM activity_file f JOIN activity a ON a.id = f.activity_id "
	"WHERE a.runner_id = ? ORDER BY a.start_at, a.id"};

rc_err rc_activity_file_insert(rc_db *db, int64_t activity_id, const char *name, const unsigned char *data, size_t len)
{
	if (len > RC_ACTIVITY_FILE_MAX)
		return RC_OK;
	rc_stmt *s;
	bool row;
	rc_err e = rc_db_query(db, &q_file_kept, &s, &row, "iti", activity_id, name, (int64_t)len);
	if (e)
		return e;
	int64_t kept = row ? rc_stmt_int(s, 0) : 0;
	if (row)
		rc_stmt_done(s);
	if (kept)
		return RC_OK;
	char *text = malloc(4 * ((len + 2) / 3) + 1);
	if (!text)
		return RC_ENOMEM;
	rc_base64_encode(data, len, text);
	e = rc_db_query(db, &q_activity_file_insert, NULL, NULL, "itit", activity_id, name, (int64_t)len, text);
	free(text);
	return e;
}

rc_err rc_activity_files_each(rc_db *db, int64_t runner_id, rc_activity_file_fn fn, void *ctx)
{
	rc_stmt *s;
	bool row;
	rc_err e = rc_db_query(db, &q_activity_files, &s, &row, "i", runner_id);
	while (!e && row) {
		int64_t size = rc_stmt_int(s, 2);
		unsigned char *buf = size >= 0 && size <= RC_ACTIVITY_FILE_MAX ? malloc((size_t)size + 1) : NULL;
		if (!buf) {
			rc_stmt_done(s);
			return size > RC_ACTIVITY_FILE_MAX ? RC_EDB : RC_ENOMEM;
		}
		long long n = rc_base64_decode(rc_stmt_text(s, 3), buf, (size_t)size);
		int stop = n == size ? fn(ctx, rc_stmt_int(s, 0), rc_stmt_text(s, 1), buf, (size_t)n) : 0;
		free(buf);
		if (n != size) {
			rc_stmt_done(s);
			return RC_EDB;
		}
		if (stop) {
			rc_stmt_done(s);
			return RC_OK;
		}
		e = rc_stmt_step(s, &row);
	}
	return e;
}

rc_err rc_import_jobs_open(rc_db *db, int64_t runner_id, int64_t *runner_jobs, int64_t *all_bytes)
{
	rc_stmt *s;
	bool row;
	rc_err e = rc_db_query(db, &q_jobs_open, &s, &row, "i", runner_id);
	if (e)
		return e;
	*runner_jobs = row ? rc_stmt_int(s, 0) : 0;
	*all_bytes = row ? rc_stmt_int(s, 1) : 0;
	rc_stmt_done(s);
	return RC_OK;
}

rc_err rc_import_job_create(rc_db *db, int64_t runner_id, int64_t bytes_total, int64_t now, int64_t *id)
{
	rc_stmt *s;
	bool row;
	rc_err e = rc_db_query(db, &q_job_insert, &s, &row, "iii", runner_id, bytes_total, now);
	if (e)
		return e;
	if (!row)
		return RC_EDB;
	*id = rc_stmt_int(s, 0);
	rc_stmt_done(s);
	return RC_OK;
}

rc_err rc_import_job_file_add(rc_db *db, int64_t job_id, const char *name, int64_t size, int64_t *file_id)
{
	rc_stmt *s;
	bool row;
	rc_err e = rc_db_query(db, &q_file_insert, &s, &row, "iti", job_id, name, size);
	if (e)
		return e;
	if (!row)
		return RC_EDB;
	*file_id = rc_stmt_int(s, 0);
	rc_stmt_done(s);
	return RC_OK;
}

rc_err rc_import_job_part_add(rc_db *db, int64_t file_id, const unsigned char *data, size_t len)
{
	if (len > PART_BYTES)
		return RC_EINVAL;
	char *text = malloc(4 * ((PART_BYTES + 2) / 3) + 1);
	if (!text)
		return RC_ENOMEM;
	rc_base64_encode(data, len, text);
	rc_err e = rc_db_query(db, &q_part_insert, NULL, NULL, "it", file_id, text);
	free(text);
	return e;
}

rc_err rc_import_job_received(rc_db *db, int64_t job_id)
{
	return rc_db_query(db, &q_job_received, NULL, NULL, "i", job_id);
}

rc_err rc_import_job_stored(rc_db *db, int64_t job_id, int64_t bytes, int64_t now)
{
	return rc_db_query(db, &q_job_stored, NULL, NULL, "iii", bytes, now, job_id);
}

rc_err rc_import_jobs_stalled(rc_db *db, int64_t moved_before, int64_t *id, bool *found)
{
	rc_stmt *s;
	*id = 0;
	rc_err e = rc_db_query(db, &q_jobs_stalled, &s, found, "i", moved_before);
	if (e || !*found)
		return e;
	*id = rc_stmt_int(s, 0);
	rc_stmt_done(s);
	return RC_OK;
}

rc_err rc_import_job_store_failed(rc_db *db, int64_t job_id, const char *message, int64_t now)
{
	return rc_db_query(db, &q_job_store_failed, NULL, NULL, "tii", message, now, job_id);
}

rc_err rc_import_job_get(rc_db *db, int64_t id, rc_import_job *out, bool *found)
{
	rc_stmt *s;
	memset(out, 0, sizeof *out);
	rc_err e = rc_db_query(db, &q_job_get, &s, found, "i", id);
	if (e || !*found)
		return e;
	out->id = rc_stmt_int(s, 0);
	out->runner_id = rc_stmt_int(s, 1);
	out->state = job_state(rc_stmt_text(s, 2));
	int64_t *nums[] = {&out->files_seen, &out->added, &out->duplicates, &out->refused, &out->skipped,
	                   &out->bytes_done, &out->bytes_total, &out->bytes_expanded};
	for (int k = 0; k < 8; k++)
		*nums[k] = rc_stmt_int(s, 3 + k);
	snprintf(out->message, sizeof out->message, "%s", rc_stmt_text(s, 11));
	out->created_at = rc_stmt_int(s, 12);
	out->started_at = rc_stmt_int(s, 13);
	out->finished_at = rc_stmt_int(s, 14);
	out->lease_until = rc_stmt_int(s, 15);
	out->attempts = rc_stmt_int(s, 16);
	out->nfiles = rc_stmt_int(s, 17);
	out->receiving = rc_stmt_int(s, 18) != 0;
	out->stored_at = rc_stmt_int(s, 19);
	rc_stmt_done(s);
	return RC_OK;
}

rc_err rc_import_job_owner(rc_db *db, int64_t id, int64_t *runner_id)
{
	rc_stmt *s;
	bool row;
	*runner_id = 0;
	rc_err e = rc_db_query(db, &q_job_owner, &s, &row, "i", id);
	if (!e && row) {
		*runner_id = rc_stmt_int(s, 0);
		rc_stmt_done(s);
	}
	return e;
}

rc_err rc_import_job_problems(rc_db *db, int64_t id, int max, rc_job_problem_fn fn, void *ctx)
{
	rc_stmt *s;
	bool row;
	rc_err e = rc_db_query(db, &q_job_problems, &s, &row, "ii", id, (int64_t)max);
	while (!e && row) {
		fn(ctx, rc_stmt_text(s, 0), rc_stmt_text(s, 1));
		e = rc_stmt_step(s, &row);
	}
	return e;
}

rc_err rc_import_jobs_latest(rc_db *db, int64_t runner_id, int64_t *ids, int max, int *n)
{
	rc_stmt *s;
	bool row;
	*n = 0;
	rc_err e = rc_db_query(db, &q_jobs_latest, &s, &row, "ii", runner_id, (int64_t)max);
	while (!e && row && *n < max) {
		ids[(*n)++] = rc_stmt_int(s, 0);
		e = rc_stmt_step(s, &row);
	}
	return e;
}

rc_err rc_import_job_next(rc_db *db, int64_t now, int64_t max_attempts, int64_t *id, int64_t *attempts, bool *found)
{
	rc_stmt *s;
	rc_err e = rc_db_query(db, &q_job_next, &s, found, "ii", now, max_attempts);
	if (!e && *found) {
		*id = rc_stmt_int(s, 0);
		*attempts = rc_stmt_int(s, 1);
		rc_stmt_done(s);
	}
	return e;
}

rc_err rc_import_job_claim(rc_db *db, int64_t id, int64_t attempts, int64_t now, int64_t lease_until, bool *won)
{
	rc_stmt *s;
	*won = false;
	rc_err e = rc_db_query(db, &q_job_claim, &s, NULL, "iiiiii", attempts + 1, lease_until, now, id, attempts, now);
	if (!e)
		*won = rc_stmt_changes(s) == 1;
	return e;
}

rc_err rc_import_job_fail_stale(rc_db *db, int64_t now, int64_t max_attempts, const char *message, bool *found)
{
	rc_stmt *s;
	rc_err e = rc_db_query(db, &q_job_stale, &s, found, "ii", now, max_attempts);
	if (e || !*found)
		return e;
	int64_t id = rc_stmt_int(s, 0);
	rc_stmt_done(s);
	if ((e = rc_db_query(db, &q_job_fail, &s, NULL, "tiii", message, now, id, now)))
		return e;
	return RC_OK;
}

rc_err rc_import_job_files(rc_db *db, int64_t job_id, rc_import_job_file *out, int max, int *n)
{
	rc_stmt *s;
	bool row;
	*n = 0;
	rc_err e = rc_db_query(db, &q_job_files, &s, &row, "ii", job_id, (int64_t)max);
	while (!e && row && *n < max) {
		rc_import_job_file *f = &out[(*n)++];
		f->id = rc_stmt_int(s, 0);
		snprintf(f->name, sizeof f->name, "%s", rc_stmt_text(s, 1));
		f->size = rc_stmt_int(s, 2);
		e = rc_stmt_step(s, &row);
	}
	return e;
}

rc_err rc_import_job_parts_read(rc_db *db, int64_t file_id, int64_t *after, int max, rc_job_part_fn fn, void *ctx,
                                int *n)
{
	*n = 0;
	unsigned char *buf = malloc(PART_BYTES);
	if (!buf)
		return RC_ENOMEM;
	rc_stmt *s;
	bool row;
	rc_err e = rc_db_query(db, &q_job_parts, &s, &row, "iii", file_id, *after, (int64_t)max);
	while (!e && row) {
		long long got = rc_base64_decode(rc_stmt_text(s, 1), buf, PART_BYTES);
		if (got < 0) {
			rc_stmt_done(s);
			e = RC_EINVAL;
			break;
		}
		*after = rc_stmt_int(s, 0);
		(*n)++;
		if ((e = fn(ctx, buf, (size_t)got))) {
			rc_stmt_done(s);
			break;
		}
		e = rc_stmt_step(s, &row);
	}
	free(buf);
	return e;
}

static rc_err purge_job(rc_db *db, int64_t id)
{
	rc_err e = rc_db_query(db, &q_purge_parts, NULL, NULL, "i", id); /* none left, but for a stopped sweep's */
	if (!e)
		e = rc_db_query(db, &q_purge_files, NULL, NULL, "i", id);
	if (!e)
		e = rc_db_query(db, &q_purge_problems, NULL, NULL, "i", id);
	if (!e)
		e = rc_db_query(db, &q_purge_job, NULL, NULL, "i", id);
	return e;
}

rc_err rc_import_job_discard(rc_db *db, int64_t id)
{
	return purge_job(db, id);
}

rc_err rc_import_jobs_purgeable(rc_db *db, int64_t finished_before, int64_t received_before, int64_t *id,
                                bool *found)
{
	rc_stmt *s;
	*id = 0;
	rc_err e = rc_db_query(db, &q_job_purgeable, &s, found, "ii", finished_before, received_before);
	if (e || !*found)
		return e;
	*id = rc_stmt_int(s, 0);
	rc_stmt_done(s);
	return RC_OK;
}

rc_err rc_import_job_progress(rc_db *db, int64_t id, int64_t claim, const rc_import_progress *pr, bool *held)
{
	rc_stmt *s;
	rc_err e = rc_db_query(db, &q_job_progress, &s, NULL, "iiiiiiii", (int64_t)pr->added, (int64_t)pr->duplicates,
	                       (int64_t)pr->refused, pr->bytes_done, pr->bytes_expanded, pr->lease_until, id, claim);
	*held = !e && rc_stmt_changes(s) == 1;
	return e;
}

rc_err rc_import_job_heartbeat(rc_db *db, int64_t id, int64_t claim, int64_t bytes_done, int64_t bytes_expanded,
                               int64_t lease_until, bool *held)
{
	rc_stmt *s;
	rc_err e = rc_db_query(db, &q_job_heartbeat, &s, NULL, "iiiii", bytes_done, bytes_expanded, lease_until, id, claim);
	*held = !e && rc_stmt_changes(s) == 1;
	return e;
}

rc_err rc_import_job_problem_add(rc_db *db, int64_t id, const char *name, const char *why, int max)
{
	return rc_db_query(db, &q_problem_add, NULL, NULL, "ittii", id, name, why, id, (int64_t)max);
}

rc_err rc_import_job_finish(rc_db *db, int64_t id, int64_t claim, rc_job_state state, const char *message,
                            int64_t skipped, int64_t bytes_expanded, int64_t now, bool *held)
{
	rc_stmt *s;
	rc_err e = rc_db_query(db, &q_job_finish, &s, NULL, "ttiiiii", job_states[state], message, skipped, bytes_expanded,
	                       now, id, claim);
	*held = !e && rc_stmt_changes(s) == 1;
	return e;
}

rc_err rc_import_job_parts_drop(rc_db *db, int64_t id, int max, bool *more)
{
	rc_stmt *s;
	rc_err e = rc_db_query(db, &q_job_parts_delete, &s, NULL, "ii", id, (int64_t)max);
	*more = !e && rc_stmt_changes(s) == max;
	return e;
}

rc_err rc_import_jobs_with_parts(rc_db *db, int64_t *id, bool *found)
{
	rc_stmt *s;
	*id = 0;
	rc_err e = rc_db_query(db, &q_jobs_with_parts, &s, found, "");
	if (e || !*found)
		return e;
	*id = rc_stmt_int(s, 0);
	rc_stmt_done(s);
	return RC_OK;
}

rc_err rc_import_job_release(rc_db *db, int64_t id, int64_t claim)
{
	return rc_db_query(db, &q_job_release, NULL, NULL, "ii", id, claim);
}
