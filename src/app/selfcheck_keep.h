/* selfcheck_keep.h — keeping a self-check made before signing up. The visitor's browser holds a random
 * token (a cookie: a visitor has no session of their own); the result is held under the token's hash,
 * and the account that browser then signs in to (a new runner, through the mailed link, or an existing
 * one) claims it once: it joins the runner's history, where the booking that follows shows it to the
 * practitioner. Nothing reaches it without the token: no id, nothing a person could guess. */
#ifndef RC_APP_SELFCHECK_KEEP_H
#define RC_APP_SELFCHECK_KEEP_H

#include <stdbool.h>

#include "app/app.h"

/* How long a result waits for its browser to sign up or sign in. */
enum { RC_SELFCHECK_PENDING_S = 7 * 24 * 60 * 60 };

/* Holds a result made at uc->now under token_hash (older held results are deleted on the way). */
RC_WUR rc_err rc_app_selfcheck_hold(const rc_uc *uc, const char *token_hash, const char *urgency, const char *top,
                                    const char *answers_json, const char *result_json);
/* uc->actor, a runner, claims the result held under token_hash: it moves into their history (audited)
 * and is gone from the hold, in one transaction. *claimed false when nothing was held (or it expired, or
 * it was claimed before); RC_EFORBIDDEN when the actor is not a runner. */
RC_WUR rc_err rc_app_selfcheck_claim(const rc_uc *uc, const char *token_hash, bool *claimed);

#endif
