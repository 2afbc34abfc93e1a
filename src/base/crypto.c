/* crypto.c — libsodium for every piece of cryptography: Argon2id, BLAKE2b, random bytes, base64. */
#include "base/crypto.h"

#include <errno.h>
#include <semaphore.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/log.h"

/* The process-wide state besides the config, set once in rc_crypto_init before any thread exists: a
 * counting limit on concurrent hashing, and the Argon2id cost new password hashes are made with. */
static sem_t hashing;

/* The costs an operator may choose (RUNCARE_PASSWORD_HASH), each one OWASP's Password Storage Cheat
 * Sheet accepts for Argon2id (libsodium's parallelism is 1): libsodium's interactive limits (64 MiB,
 * 2 passes), the default, and OWASP's smallest memory at 2 passes (19 MiB) for a small server, or for
 * the test suites, which hash hundreds of passwords and would otherwise spend half their time doing so. */
static const struct {
	const char *name;
	unsigned long long ops;
	size_t mem;
} costs[] = {
	{"argon2id-64m", crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE},
	{"argon2id-19m", 2, 19456 * 1024},
};
static unsigned cost;

rc_err rc_crypto_init(void)
{
	if (sodium_init() < 0)
		return RC_EIO;
	const char *want = getenv("RUNCARE_PASSWORD_HASH");
	cost = 0;
	if (want && *want) {
		unsigned n = sizeof costs / sizeof costs[0];
		while (cost < n && strcmp(costs[cost].name, want) != 0)
			cost++;
		if (cost == n) {
			rc_error("RUNCARE_PASSWORD_HASH must be argon2id-64m (the default) or argon2id-19m; it is \"%.40s\"",
			         want);
			cost = 0;
			return RC_EINVAL;
		}
	}
	if (sem_init(&hashing, 0, RC_HASHES_AT_ONCE) != 0)
		return RC_EIO;
	return RC_OK;
}

const char *rc_crypto_password_cost(void)
{
	return costs[cost].name;
}

void rc_crypto_token(char out[RC_TOKEN_CHARS + 1])
{
	unsigned char raw[32];
	randombytes_buf(raw, sizeof raw);
	sodium_bin2base64(out, RC_TOKEN_CHARS + 1, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof raw);
}

void rc_crypto_token_hash(const char *token, char out[RC_HEX_HASH + 1])
{
	unsigned char h[32];
	crypto_generichash(h, sizeof h, (const unsigned char *)token, strlen(token), NULL, 0);
	sodium_bin2hex(out, RC_HEX_HASH + 1, h, sizeof h);
}

static bool acquire(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += 10;
	while (sem_timedwait(&hashing, &ts) != 0)
		if (errno != EINTR)
			return false;
	return true;
}

rc_err rc_crypto_hash_password(const char *password, char out[RC_HASH_MAX + 1])
{
	if (!acquire())
		return RC_EBUSY;
	int rc = crypto_pwhash_str(out, password, strlen(password), costs[cost].ops, costs[cost].mem);
	sem_post(&hashing);
	return rc == 0 ? RC_OK : RC_ENOMEM;
}

bool rc_crypto_verify_password(const char *hash, const char *password, bool *rehash)
{
	*rehash = false;
	if (!acquire())
		return false;
	bool ok;
	if (!hash || !*hash) {
		/* Spend the same effort on a dummy so timing does not reveal that no password exists. */
		char dummy[crypto_pwhash_STRBYTES];
		if (crypto_pwhash_str(dummy, password, strlen(password), costs[cost].ops, costs[cost].mem) != 0)
			dummy[0] = '\0';
		ok = false;
	} else {
		ok = crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
		if (ok)
			*rehash = crypto_pwhash_str_needs_rehash(hash, costs[cost].ops, costs[cost].mem) != 0;
	}
	sem_post(&hashing);
	return ok;
}
