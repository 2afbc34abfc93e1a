/* training_store.h — a runner's stored activities (reading a file and deciding are src/app/training.c's). */
#ifndef RC_TRAINING_STORE_H
#define RC_TRAINING_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/training.h"
#include "store/db.h"

/* Stores an activity already read (inside the caller's transaction): *duplicate when the runner has it. */
RC_WUR rc_err rc_activity_insert(rc_db *db, int64_t runner_id, const rc_activity_rec *a, const char *warnings_json,
                                 int64_t now, bool *duplicate, int64_t *id);

typedef void (*rc_activity_fn)(void *ctx, const rc_activity_rec *a);
/* Activities starting at or after `from`, oldest first. */
RC_WUR rc_err rc_activity_each(rc_db *db, int64_t runner_id, int64_t from, rc_activity_fn fn, void *ctx);
/* The latest activity's start, 0 when there is none. */
RC_WUR rc_err rc_activity_latest(rc_db *db, int64_t runner_id, int64_t *start);

#endif
