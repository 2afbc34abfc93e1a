/* training_store.h — a runner's imported activities, and importing one training file. */
#ifndef RC_TRAINING_STORE_H
#define RC_TRAINING_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/training.h"
#include "store/db.h"

typedef enum { RC_IMPORT_ADDED, RC_IMPORT_DUPLICATE, RC_IMPORT_REFUSED } rc_import_outcome;

typedef struct rc_import_result {
	rc_import_outcome outcome;
	rc_activity_rec rec;
	char message[300]; /* why it was refused, or the file's first warning */
} rc_import_result;

/* Reads one training file (GPX, TCX or FIT, by content) and stores what it says for the runner, in
 * one transaction. The same activity imported twice (the same start within two minutes and a
 * duration within 5%, from whichever file) is stored once. A file that is not an activity, has no
 * start time, or starts before 1990 or in the future is refused with a message that says why;
 * RC_OK then, too: only a database failure is an error. */
RC_WUR rc_err rc_training_import(rc_db *db, int64_t runner_id, const char *name, const unsigned char *data,
                                 size_t len, int64_t now, rc_import_result *out);

/* Stores an activity already read (inside the caller's transaction): *duplicate when the runner has it. */
RC_WUR rc_err rc_activity_insert(rc_db *db, int64_t runner_id, const rc_activity_rec *a, const char *warnings_json,
                                 int64_t now, bool *duplicate, int64_t *id);

typedef void (*rc_activity_fn)(void *ctx, const rc_activity_rec *a);
/* Activities starting at or after `from`, oldest first. */
RC_WUR rc_err rc_activity_each(rc_db *db, int64_t runner_id, int64_t from, rc_activity_fn fn, void *ctx);
/* The latest activity's start, 0 when there is none. */
RC_WUR rc_err rc_activity_latest(rc_db *db, int64_t runner_id, int64_t *start);
/* The runner's load and flags as of now (rc_training.h). */
RC_WUR rc_err rc_training_compute(rc_db *db, int64_t runner_id, int64_t now, rc_training *out);

#endif
