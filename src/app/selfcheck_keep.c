/* selfcheck_keep.c — a self-check made before signing up, kept for the account that follows (see
 * selfcheck_keep.h). */
#include "app/selfcheck_keep.h"

#include "store/selfcheck_store.h"

rc_err rc_app_selfcheck_hold(const rc_uc *uc, const char *token_hash, const char *urgency, const char *top,
                             const char *answers_json, const char *result_json)
{
	return rc_selfcheck_pending_put(uc->db, token_hash, uc->now, uc->now - RC_SELFCHECK_PENDING_S, urgency, top,
	                                answers_json, result_json);
}

typedef struct {
	const rc_uc *uc;
	const char *token_hash;
	bool *claimed;
} claim_ctx;

static rc_err claim_tx(rc_db *db, void *ctx)
{
	claim_ctx *c = ctx;
	rc_err e = rc_selfcheck_pending_claim(db, c->token_hash, c->uc->now - RC_SELFCHECK_PENDING_S, c->uc->actor->id,
	                                      c->claimed);
	if (!e && *c->claimed)
		e = rc_audit_add(db, c->uc->now, c->uc->actor, "selfcheck.claim", c->uc->actor->id,
		                 "a self-check made before signing in", c->uc->address);
	return e;
}

rc_err rc_app_selfcheck_claim(const rc_uc *uc, const char *token_hash, bool *claimed)
{
	*claimed = false;
	if (uc->actor->role != RC_ROLE_RUNNER)
		return RC_EFORBIDDEN;
	claim_ctx c = {uc, token_hash, claimed};
	return rc_db_tx(uc->db, claim_tx, &c);
}
