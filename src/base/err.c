/* err.c — messages for rc_err codes, error-detail formatting and the invariant panic. */
#include "base/err.h"

#include "base/text.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

static const char *const messages[] = {
#define RC_ERR_MSG(name, msg) [name] = msg,
	RC_ERRORS(RC_ERR_MSG)
#undef RC_ERR_MSG
};

const char *rc_err_str(rc_err e)
{
	if ((size_t)e >= sizeof messages / sizeof messages[0])
		return "unknown error";
	return messages[e];
}

rc_err rc_errf(char *buf, size_t n, rc_err e, const char *fmt, ...)
{
	if (buf && n > 0) {
		va_list ap;
		va_start(ap, fmt);
		int len = vsnprintf(buf, n, fmt, ap);
		va_end(ap);
		/* A message cut to fit never ends in half a character: it is shown on a page or sent in JSON,
		 * and often quotes what someone typed. */
		if (len > 0 && (size_t)len >= n)
			buf[rc_utf8_whole(buf, n - 1)] = '\0';
	}
	return e;
}

void rc_panic(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("runcare: internal error: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	abort();
}
