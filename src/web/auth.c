/* auth.c — libsodium for every piece of cryptography: Argon2id, BLAKE2b, random bytes, base64. */
#include "web/auth.h"

#include <errno.h>
#include <semaphore.h>
#include <sodium.h>
#include <string.h>
#include <time.h>

/* The one piece of process-wide state besides the config: a counting limit on concurrent
 * hashing, set once in rc_auth_init before any thread exists. */
static sem_t hashing;

rc_err rc_auth_init(void)
{
	if (sodium_init() < 0)
		return RC_EIO;
	if (sem_init(&hashing, 0, RC_HASHES_AT_ONCE) != 0)
		return RC_EIO;
	return RC_OK;
}

void rc_auth_token(char out[RC_TOKEN_CHARS + 1])
{
	unsigned char raw[32];
	randombytes_buf(raw, sizeof raw);
	sodium_bin2base64(out, RC_TOKEN_CHARS + 1, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof raw);
}

void rc_auth_token_hash(const char *token, char out[RC_HEX_HASH + 1])
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

rc_err rc_auth_hash_password(const char *password, char out[RC_HASH_MAX + 1])
{
	if (!acquire())
		return RC_EBUSY;
	int rc = crypto_pwhash_str(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
	                           crypto_pwhash_MEMLIMIT_INTERACTIVE);
	sem_post(&hashing);
	return rc == 0 ? RC_OK : RC_ENOMEM;
}

bool rc_auth_verify_password(const char *hash, const char *password, bool *rehash)
{
	*rehash = false;
	if (!acquire())
		return false;
	bool ok;
	if (!hash || !*hash) {
		/* Spend the same effort on a dummy so timing does not reveal that no password exists. */
		char dummy[crypto_pwhash_STRBYTES];
		if (crypto_pwhash_str(dummy, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
		                      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
			dummy[0] = '\0';
		ok = false;
	} else {
		ok = crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
		if (ok)
			*rehash = crypto_pwhash_str_needs_rehash(hash, crypto_pwhash_OPSLIMIT_INTERACTIVE,
			                                         crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0;
	}
	sem_post(&hashing);
	return ok;
}

int64_t rc_auth_throttle_wait(int64_t by_email, int64_t by_address, int64_t latest, int64_t now)
{
	int64_t over_e = by_email - RC_THROTTLE_FREE_PER_EMAIL, over_a = by_address - RC_THROTTLE_FREE_PER_ADDRESS;
	int64_t over = over_e > over_a ? over_e : over_a;
	if (over < 0)
		return 0;
	/* 1 s after the first failure past the allowance, then doubling, up to the cap. */
	int64_t wait = over >= 10 ? RC_THROTTLE_MAX_WAIT_S : (int64_t)1 << over;
	if (wait > RC_THROTTLE_MAX_WAIT_S)
		wait = RC_THROTTLE_MAX_WAIT_S;
	int64_t left = latest + wait - now;
	return left > 0 ? left : 0;
}
