/* selfcheck_store.h — a runner's self-check history. */
#ifndef RC_SELFCHECK_STORE_H
#define RC_SELFCHECK_STORE_H

#include <stdint.h>

#include "store/db.h"

RC_WUR rc_err rc_selfcheck_save(rc_db *db, int64_t runner_id, int64_t now, const char *urgency, const char *top,
                                const char *answers_json, const char *result_json, int64_t *id);
typedef void (*rc_selfcheck_fn)(void *ctx, int64_t id, int64_t at, const char *urgency, const char *top);
/* Newest first. */
RC_WUR rc_err rc_selfcheck_history(rc_db *db, int64_t runner_id, rc_selfcheck_fn fn, void *ctx);
/* The latest result's urgency for a runner ("" when none): the waitlist's order uses it. */
RC_WUR rc_err rc_selfcheck_latest(rc_db *db, int64_t runner_id, char *urgency, size_t n, char *top, size_t tn);

#endif
