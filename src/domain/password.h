/* password.h — what runcare accepts as a password: long enough, not a common one, not the email;
 * and how long a link to set one lasts. */
#ifndef RC_PASSWORD_H
#define RC_PASSWORD_H

#include <stddef.h>

#include "base/err.h"

enum {
	RC_PASSWORD_MIN = 10,
	RC_PASSWORD_MAX = 256,
	RC_LINK_TTL_S = 60 * 60, /* a set/reset-password link lasts 1 hour */
};

/* RC_OK, or RC_EINVAL with a sentence for the person choosing it. email may be NULL. */
RC_WUR rc_err rc_password_check(const char *password, const char *email, char *why, size_t n);

#endif
