/* app.h — what every use case of the clinic takes and gives back.
 *
 * A use case is one function `rc_app_<area>_<verb>(const rc_uc *uc, <input>, <output>, rc_problem *p)`:
 * the database, the one "now" of the request or command, and who acts come in `uc`; it loads through
 * store/, decides through domain/, saves in one transaction and never sees an HTTP request. Pages, the
 * JSON API, CLI commands and timed jobs parse their input, call it, and render what it says. A rule
 * (lead time, cancel window, who may do what) lives in exactly one use case or domain function. */
#ifndef RC_APP_H
#define RC_APP_H

#include <stdbool.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/err.h"
#include "store/account.h"
#include "store/db.h"

/* Who acts, and from where (for the audit log). A timed job acts as nobody (id 0, role none). */
typedef struct rc_uc {
	rc_db *db;
	int64_t now;                /* taken once by the caller */
	const rc_account *actor;    /* borrowed; never NULL (a zeroed account for nobody) */
	const char *address;        /* "127.0.0.1", "cli", "job" */
	rc_arena *arena;            /* for anything the result needs to outlive the call */
} rc_uc;

/* Why a use case refused: the field a person must change (NULL when it is not one field) and a
 * sentence they understand. The caller shows it next to that field with what was typed kept. */
typedef struct rc_problem {
	const char *field;
	char text[240];
} rc_problem;

/* Fills p and returns code (RC_EINVAL for bad input, RC_ECONFLICT for a rule or a race, RC_ENOTFOUND,
 * RC_EFORBIDDEN when the actor may not do it). */
rc_err rc_problem_set(rc_problem *p, rc_err code, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* An array of n items of size bytes in the arena, with room for one more: `old` itself while there
 * is, else a copy twice as large (*cap updated). NULL when the arena's cap is reached — lists are
 * sized by their data, and running out is an error the caller reports, never a silent cut. */
void *rc_uc_grow(rc_arena *a, void *old, size_t n, size_t *cap, size_t size);

/* Every active practitioner, however many, in uc->arena (*cap: room for more, for rc_uc_grow). */
struct rc_practitioner;
RC_WUR rc_err rc_uc_practitioners(const rc_uc *uc, struct rc_practitioner **out, size_t *n, size_t *cap);

#endif
