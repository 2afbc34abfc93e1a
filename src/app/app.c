/* app.c — what every use case shares. */
#include "app/app.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "store/booking.h"

rc_err rc_problem_set(rc_problem *p, rc_err code, const char *field, const char *fmt, ...)
{
	if (p) {
		p->field = field;
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(p->text, sizeof p->text, fmt, ap);
		va_end(ap);
	}
	return code;
}

void *rc_uc_grow(rc_arena *a, void *old, size_t n, size_t *cap, size_t size)
{
	if (old && n < *cap)
		return old;
	size_t more = *cap ? *cap * 2 : 16;
	if (more > SIZE_MAX / size)
		return NULL;
	void *p = rc_arena_alloc(a, more * size);
	if (!p)
		return NULL;
	if (n)
		memcpy(p, old, n * size);
	*cap = more;
	return p;
}

/* The clinic's limit is kept when practitioners are added, but a list here does not depend on it: read
 * again, twice as long, until it fits. */
rc_err rc_uc_practitioners(const rc_uc *uc, rc_practitioner **out, size_t *n, size_t *cap)
{
	for (size_t want = RC_BOOKING_MAX_PRACTITIONERS;; want *= 2) {
		rc_practitioner *ps = rc_arena_alloc(uc->arena, want * sizeof *ps);
		if (!ps)
			return RC_ENOMEM;
		rc_err e = rc_practitioners_list(uc->db, 0, ps, want, n);
		if (e == RC_ETOOBIG)
			continue;
		if (e)
			return e;
		*out = ps;
		*cap = want;
		return RC_OK;
	}
}
