/* selfcheck_store.h — a runner's self-check history. */
#ifndef RC_SELFCHECK_STORE_H
#define RC_SELFCHECK_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"

RC_WUR rc_err rc_selfcheck_save(rc_db *db, int64_t runner_id, int64_t now, const char *urgency, const char *top,
                                const char *answers_json, const char *result_json, int64_t *id);
typedef void (*rc_selfcheck_fn)(void *ctx, int64_t id, int64_t at, const char *urgency, const char *top);
/* Newest first. */
RC_WUR rc_err rc_selfcheck_history(rc_db *db, int64_t runner_id, rc_selfcheck_fn fn, void *ctx);
/* The latest result's urgency for a runner ("" when none): the waitlist's order uses it. */
RC_WUR rc_err rc_selfcheck_latest(rc_db *db, int64_t runner_id, char *urgency, size_t n, char *top, size_t tn);

/* A result made before signing up, held under the hash of the browser's token (rows created before
 * `expired` are deleted first). */
RC_WUR rc_err rc_selfcheck_pending_put(rc_db *db, const char *token_hash, int64_t now, int64_t expired,
                                       const char *urgency, const char *top, const char *answers_json,
                                       const char *result_json);
/* Moves the held result (made at or after `expired`) into runner_id's history, keeping when it was made,
 * and deletes it: once only. Call inside a transaction. *claimed false when there is none. */
RC_WUR rc_err rc_selfcheck_pending_claim(rc_db *db, const char *token_hash, int64_t expired, int64_t runner_id,
                                         bool *claimed);

#endif
