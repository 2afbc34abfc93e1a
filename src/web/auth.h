/* auth.h — who is asking: password hashing (Argon2id), random tokens and their hashes, sessions
 * from cookies, bearer tokens, CSRF, and the sign-in throttle. Every route's check happens in
 * http.c through rc_auth_request; pages only read r->user. */
#ifndef RC_AUTH_H
#define RC_AUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/account.h"

enum {
	RC_TOKEN_CHARS = 43,                      /* 32 random bytes, base64url without padding */
	RC_SESSION_IDLE_S = 2 * 60 * 60,          /* signed out after 2 hours without a request */
	RC_SESSION_ABSOLUTE_S = 7 * 24 * 60 * 60, /* and after 7 days whatever happens */
	RC_LINK_TTL_S = 60 * 60,                  /* a set/reset-password link lasts 1 hour */
	RC_HASHES_AT_ONCE = 2,                    /* Argon2id runs at once: each takes 64 MiB */
	RC_THROTTLE_WINDOW_S = 15 * 60,
	RC_THROTTLE_FREE_PER_EMAIL = 5,           /* failures before sign-ins slow down */
	RC_THROTTLE_FREE_PER_ADDRESS = 20,
	RC_THROTTLE_MAX_WAIT_S = 15 * 60,
};

/* Once at start, before threads: libsodium and the hashing limit. */
RC_WUR rc_err rc_auth_init(void);

/* A new random token (NUL-terminated, RC_TOKEN_CHARS long). */
void rc_auth_token(char out[RC_TOKEN_CHARS + 1]);
/* The hex BLAKE2b-256 of a token: what the database stores. */
void rc_auth_token_hash(const char *token, char out[RC_HEX_HASH + 1]);

/* Argon2id with libsodium's interactive limits; waits while RC_HASHES_AT_ONCE others run.
 * RC_EBUSY when none frees up in time. */
RC_WUR rc_err rc_auth_hash_password(const char *password, char out[RC_HASH_MAX + 1]);
/* True when password matches hash; *rehash when the hash used older parameters. A NULL or empty
 * hash still costs one hash, so a missing account takes as long as a wrong password. */
bool rc_auth_verify_password(const char *hash, const char *password, bool *rehash);

/* How long a sign-in for this email from this address must wait, given recent failures (0: go). */
int64_t rc_auth_throttle_wait(int64_t by_email, int64_t by_address, int64_t latest, int64_t now);

#endif
