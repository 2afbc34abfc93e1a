/* crypto.h — every piece of cryptography, through libsodium: random tokens and the hashes the
 * database keeps of them, and password hashing (Argon2id). Below web/ and cli/, which both make
 * tokens and hash passwords. */
#ifndef RC_CRYPTO_H
#define RC_CRYPTO_H

#include <stdbool.h>

#include "base/err.h"

enum {
	RC_TOKEN_CHARS = 43,   /* 32 random bytes, base64url without padding */
	RC_HEX_HASH = 64,      /* a token's BLAKE2b-256 in hex */
	RC_HASH_MAX = 160,     /* room for a password hash string */
	RC_HASHES_AT_ONCE = 2, /* Argon2id runs at once: each takes up to 64 MiB */
};

/* Once at start, before threads: libsodium, the hashing limit, and the cost of new password hashes
 * from RUNCARE_PASSWORD_HASH ("argon2id-64m", the default, or "argon2id-19m"; see docs/security.md).
 * RC_EINVAL, logged with the variable's name, for any other value. */
RC_WUR rc_err rc_crypto_init(void);
/* The name of the cost in use. */
const char *rc_crypto_password_cost(void);

/* A new random token (NUL-terminated, RC_TOKEN_CHARS long). */
void rc_crypto_token(char out[RC_TOKEN_CHARS + 1]);
/* The hex BLAKE2b-256 of a token: what the database stores. */
void rc_crypto_token_hash(const char *token, char out[RC_HEX_HASH + 1]);

/* Argon2id at the cost rc_crypto_init chose; waits while RC_HASHES_AT_ONCE others run.
 * RC_EBUSY when none frees up in time. */
RC_WUR rc_err rc_crypto_hash_password(const char *password, char out[RC_HASH_MAX + 1]);
/* True when password matches hash; *rehash when the hash was made at another cost
 * (an older one, or before the operator changed RUNCARE_PASSWORD_HASH): it is made again at sign-in. A NULL or empty
 * hash still costs one hash, so a missing account takes as long as a wrong password. */
bool rc_crypto_verify_password(const char *hash, const char *password, bool *rehash);

#endif
