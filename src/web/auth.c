/* auth.c — the sign-in throttle. */
#include "web/auth.h"

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
