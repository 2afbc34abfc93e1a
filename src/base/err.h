/* err.h — error codes shared by every module, with their messages, from one X-macro. */
#ifndef RC_ERR_H
#define RC_ERR_H

#include <stddef.h>

#define RC_ERRORS(X)                                   \
	X(RC_OK, "ok")                                 \
	X(RC_ENOMEM, "out of memory")                  \
	X(RC_EINVAL, "invalid input")                  \
	X(RC_ETOOBIG, "too large")                     \
	X(RC_ENOTFOUND, "not found")                   \
	X(RC_EIO, "input/output error")                \
	X(RC_EDB, "database error")                    \
	X(RC_EBUSY, "busy, try again")                 \
	X(RC_ECONFLICT, "conflict with existing data") \
	X(RC_EUNSUPPORTED, "not supported")            \
	X(RC_EFORBIDDEN, "not allowed")

typedef enum {
#define RC_ERR_ENUM(name, msg) name,
	RC_ERRORS(RC_ERR_ENUM)
#undef RC_ERR_ENUM
} rc_err;

/* The fixed message for an error code; never NULL. */
const char *rc_err_str(rc_err e);

/* Writes a formatted detail into a caller's buffer (always NUL-terminated when n > 0)
 * and returns e, so a function can `return rc_errf(buf, n, RC_EINVAL, "line %d: ...", line);`. */
rc_err rc_errf(char *buf, size_t n, rc_err e, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#define RC_WUR __attribute__((warn_unused_result))

/* Ends the process on a broken invariant: never for bad input. */
_Noreturn void rc_panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
