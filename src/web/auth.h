/* auth.h — who is asking: how long sessions last, and what an API token's scope lets it do. The
 * cryptography (tokens, their hashes, passwords) is base/crypto.h's; the sign-in throttle and the
 * other account limits are app/account.h's; every route's check happens in http.c, and pages only
 * read r->user. */
#ifndef RC_AUTH_H
#define RC_AUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/crypto.h"
#include "store/account.h"

enum {
	RC_SESSION_IDLE_S = 2 * 60 * 60,          /* signed out after 2 hours without a request */
	RC_SESSION_ABSOLUTE_S = 7 * 24 * 60 * 60, /* and after 7 days whatever happens */
};

/* The pages' names for base/crypto.h's functions, kept so that the pages need not change with the
 * move; new code calls rc_crypto_* itself. */
static inline void rc_auth_token(char out[RC_TOKEN_CHARS + 1])
{
	rc_crypto_token(out);
}
static inline void rc_auth_token_hash(const char *token, char out[RC_HEX_HASH + 1])
{
	rc_crypto_token_hash(token, out);
}
RC_WUR static inline rc_err rc_auth_hash_password(const char *password, char out[RC_HASH_MAX + 1])
{
	return rc_crypto_hash_password(password, out);
}
static inline bool rc_auth_verify_password(const char *hash, const char *password, bool *rehash)
{
	return rc_crypto_verify_password(hash, password, rehash);
}

/* Why a caller who came with this credential may not use this method (a sentence for the 403), or
 * NULL when it may. A read-scoped API token may GET and HEAD only; a write-scoped token and a session
 * may use every method their account's routes allow. http.c asks it for every request. */
const char *rc_auth_scope_refusal(const rc_account *who, const char *method);

#endif
