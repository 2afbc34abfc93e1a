/* activity_store.h — a runner's whole history of activities: listed newest first in pages, filtered by
 * kind of sport and by day, one read with its detail, deleted, rated for effort; and the runner's own
 * resting and maximum heart rate. Importing is training_store.h's. */
#ifndef RC_ACTIVITY_STORE_H
#define RC_ACTIVITY_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "domain/training.h"
#include "store/db.h"
#include "store/training_store.h"

typedef struct rc_activity_filter {
	const char *kind;  /* "running", "cross", or NULL / "": every sport */
	int64_t from, to;  /* start_at in [from, to); 0: no bound */
} rc_activity_filter;

RC_WUR rc_err rc_activity_count(rc_db *db, int64_t runner_id, const rc_activity_filter *f, int64_t *n);
/* Newest first: rows offset .. offset + limit - 1. */
RC_WUR rc_err rc_activity_list(rc_db *db, int64_t runner_id, const rc_activity_filter *f, int64_t limit,
                               int64_t offset, rc_activity_fn fn, void *ctx);
/* One of the runner's activities (another runner's is not found), with its JSON detail (migration
 * 0020) and warnings: *detail and *warnings, caller frees. */
RC_WUR rc_err rc_activity_get(rc_db *db, int64_t runner_id, int64_t id, rc_activity_rec *out, char **detail,
                              char **warnings, bool *found);
/* Deletes one of the runner's activities: *deleted false when there is no such activity of theirs. */
RC_WUR rc_err rc_activity_delete(rc_db *db, int64_t runner_id, int64_t id, bool *deleted);
/* The runner's effort rating (0–10, or -1 to clear): *found false when it is not theirs. */
RC_WUR rc_err rc_activity_set_effort(rc_db *db, int64_t runner_id, int64_t id, int64_t effort, bool *found);

/* The shoes the runner's running activities name (gear), the most recently used first (at most max):
 * distance in all and since recent_from, first and last use, runs. */
RC_WUR rc_err rc_activity_shoes(rc_db *db, int64_t runner_id, int64_t recent_from, rc_shoe *out, int max, int *n);
/* The start of the runner's first run; 0 when there is none. */
RC_WUR rc_err rc_activity_first_run(rc_db *db, int64_t runner_id, int64_t *start);

/* The runner's resting and maximum heart rate as they gave them; 0: not given. */
RC_WUR rc_err rc_heart_get(rc_db *db, int64_t runner_id, int64_t *rest_bpm, int64_t *max_bpm);
RC_WUR rc_err rc_heart_set(rc_db *db, int64_t runner_id, int64_t rest_bpm, int64_t max_bpm, int64_t now);

#endif
