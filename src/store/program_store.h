/* program_store.h — a runner's home program: the assignment and its stage, logged sessions, the
 * recovery diary and PSFS ratings. Logs and diary entries are replaced by adding a row (the earlier one
 * keeps its values and points at the new one). Days are "YYYY-MM-DD" in the clinic's time zone. */
#ifndef RC_PROGRAM_STORE_H
#define RC_PROGRAM_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "domain/progress.h"
#include "store/db.h"

/* A practitioner's note and a diary entry's notes: at most this many characters (4 bytes each at most
 * in UTF-8, so the buffers below hold every note that passes). */
enum { RC_PROGRAM_TEXT_MAX = 1000 };

typedef struct rc_assignment {
	int64_t id, runner_id, started_at, stage_started_at, assigned_by;
	char program_key[RC_PROGRAM_KEY_MAX + 1];
	int stage;
	char note[4 * RC_PROGRAM_TEXT_MAX + 1];
} rc_assignment;

RC_WUR rc_err rc_program_active(rc_db *db, int64_t runner_id, rc_assignment *out, bool *found);
/* Ends any active program and starts this one, in one transaction. assigned_by 0: the runner. */
RC_WUR rc_err rc_program_start(rc_db *db, int64_t runner_id, const char *key, int stage, int64_t assigned_by,
                               const char *note, int64_t now, int64_t *id);
/* The same inside the caller's transaction (the chart assigns a program with the note that prescribes it). */
RC_WUR rc_err rc_program_start_in(rc_db *db, int64_t runner_id, const char *key, int stage, int64_t assigned_by,
                                  const char *note, int64_t now, int64_t *id);
/* A new stage (and note) for the assignment; the stage's clock restarts only when the stage changes, so a
 * note alone does not cost the runner the days already done. */
RC_WUR rc_err rc_program_set_stage(rc_db *db, int64_t assignment_id, int stage, const char *note, int64_t now);

typedef struct rc_log_row {
	int64_t id;
	char day[11];
	int stage, done, prescribed, pain_during;
	int64_t logged_at, superseded_by;
} rc_log_row;

/* replaces: 0, or the id of the runner's earlier log this one corrects. */
RC_WUR rc_err rc_session_log_add(rc_db *db, const rc_assignment *a, const char *day, int done, int prescribed,
                                 int pain_during, int64_t now, int64_t replaces, int64_t *id);
typedef void (*rc_log_fn)(void *ctx, const rc_log_row *l);
/* The assignment's current logs (not superseded) of the days from..to, newest first. */
RC_WUR rc_err rc_session_logs_between(rc_db *db, int64_t assignment_id, const char *from, const char *to,
                                      rc_log_fn fn, void *ctx);
/* The assignment's current logs of `stage` on days from `since` on: how many, and the first one's day
 * ("" when there is none). */
RC_WUR rc_err rc_stage_log_count(rc_db *db, int64_t assignment_id, int stage, const char *since, int *count,
                                 char first_day[11]);
/* The latest `limit` of those, newest first. */
RC_WUR rc_err rc_stage_logs_latest(rc_db *db, int64_t assignment_id, int stage, const char *since, int limit,
                                   rc_log_fn fn, void *ctx);

typedef struct rc_diary_row {
	int64_t id;
	char day[11];
	int pain_rest, pain_sitting, pain_running; /* pain_running -1: did not run */
	int minutes_run;
	char notes[4 * RC_PROGRAM_TEXT_MAX + 1];
	int64_t created_at, superseded_by;
} rc_diary_row;

RC_WUR rc_err rc_diary_add(rc_db *db, int64_t runner_id, const rc_diary_row *d, int64_t now, int64_t replaces,
                           int64_t *id);
typedef void (*rc_diary_fn)(void *ctx, const rc_diary_row *d);
/* Current entries (not superseded) of the latest `days` days that have one, before the day `before` ("" or
 * NULL: up to the latest), newest first: one page of the diary, every entry of each of its days. */
RC_WUR rc_err rc_diary_page(rc_db *db, int64_t runner_id, const char *before, int days, rc_diary_fn fn, void *ctx);
/* One current entry of the runner's; *found false when it is not theirs, not current or not there. */
RC_WUR rc_err rc_diary_get(rc_db *db, int64_t runner_id, int64_t id, rc_diary_row *out, bool *found);
/* The pain on waking of each current entry, oldest first, from the last one on or before the day
 * `since` onward (so the morning a stage began from is there even when the diary has a gap). */
typedef void (*rc_morning_fn)(void *ctx, const char *day, int pain_rest);
RC_WUR rc_err rc_diary_mornings(rc_db *db, int64_t runner_id, const char *since, rc_morning_fn fn, void *ctx);

/* The runner's current entry for a day, 0 when there is none. */
RC_WUR rc_err rc_diary_on_day(rc_db *db, int64_t runner_id, const char *day, int64_t *id);

RC_WUR rc_err rc_psfs_add(rc_db *db, int64_t runner_id, const char *day, const char *ratings_json, int64_t now);
typedef void (*rc_psfs_fn)(void *ctx, const char *day, int64_t rated_at, const char *ratings_json);
/* The ratings of days from `since` on, oldest first. */
RC_WUR rc_err rc_psfs_since(rc_db *db, int64_t runner_id, const char *since, rc_psfs_fn fn, void *ctx);
/* The latest rating (fn is not called when there is none). */
RC_WUR rc_err rc_psfs_latest(rc_db *db, int64_t runner_id, rc_psfs_fn fn, void *ctx);

#endif
