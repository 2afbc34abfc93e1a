/* program_store.h — a runner's home program: the assignment and its stage, logged sessions, the
 * recovery diary and PSFS ratings. Logs and diary entries are replaced by adding a row (the earlier one
 * keeps its values and points at the new one). Days are "YYYY-MM-DD" in the clinic's time zone. */
#ifndef RC_PROGRAM_STORE_H
#define RC_PROGRAM_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"

typedef struct rc_assignment {
	int64_t id, runner_id, started_at, stage_started_at, assigned_by;
	char program_key[32];
	int stage;
	char note[400];
} rc_assignment;

RC_WUR rc_err rc_program_active(rc_db *db, int64_t runner_id, rc_assignment *out, bool *found);
/* Ends any active program and starts this one, in one transaction. assigned_by 0: the runner. */
RC_WUR rc_err rc_program_start(rc_db *db, int64_t runner_id, const char *key, int stage, int64_t assigned_by,
                               const char *note, int64_t now, int64_t *id);
/* The same inside the caller's transaction (the chart assigns a program with the note that prescribes it). */
RC_WUR rc_err rc_program_start_in(rc_db *db, int64_t runner_id, const char *key, int stage, int64_t assigned_by,
                                  const char *note, int64_t now, int64_t *id);
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
/* The assignment's current logs (not superseded), oldest first. */
RC_WUR rc_err rc_session_logs(rc_db *db, int64_t assignment_id, rc_log_fn fn, void *ctx);
/* Every version of one log, the earliest first (for the record of an edit). */
RC_WUR rc_err rc_session_log_versions(rc_db *db, int64_t runner_id, rc_log_fn fn, void *ctx);

typedef struct rc_diary_row {
	int64_t id;
	char day[11];
	int pain_rest, pain_sitting, pain_running; /* pain_running -1: did not run */
	int minutes_run;
	char notes[1001];
	int64_t created_at, superseded_by;
} rc_diary_row;

RC_WUR rc_err rc_diary_add(rc_db *db, int64_t runner_id, const rc_diary_row *d, int64_t now, int64_t replaces,
                           int64_t *id);
typedef void (*rc_diary_fn)(void *ctx, const rc_diary_row *d);
/* Current entries (not superseded), oldest first. */
RC_WUR rc_err rc_diary_each(rc_db *db, int64_t runner_id, rc_diary_fn fn, void *ctx);

/* The runner's current entry for a day, 0 when there is none. */
RC_WUR rc_err rc_diary_on_day(rc_db *db, int64_t runner_id, const char *day, int64_t *id);

RC_WUR rc_err rc_psfs_add(rc_db *db, int64_t runner_id, const char *day, const char *ratings_json, int64_t now);
typedef void (*rc_psfs_fn)(void *ctx, const char *day, int64_t rated_at, const char *ratings_json);
RC_WUR rc_err rc_psfs_each(rc_db *db, int64_t runner_id, rc_psfs_fn fn, void *ctx);

#endif
