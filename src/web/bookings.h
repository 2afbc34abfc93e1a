/* bookings.h — booking and moving an appointment, the one way both the pages and the JSON API do
 * it: a read first (a time already taken needs no write lock to be refused), then one write
 * transaction that checks hours and time off, claims the quarter hours and writes the audit line. */
#ifndef RC_BOOKINGS_H
#define RC_BOOKINGS_H

#include <stdbool.h>
#include <stdint.h>

#include "base/arena.h"
#include "domain/schedule.h"
#include "store/account.h"
#include "store/db.h"

typedef struct rc_booking {
	/* in */
	int64_t runner, practitioner, service, start, by;
	int64_t now; /* the request's one "now" */
	int minutes;
	const char *key, *reason, *condition; /* key: idempotency, may be NULL */
	const rc_account *actor;              /* for the audit line */
	const char *address;
	rc_arena *arena;
	/* out */
	rc_slot_state state; /* RC_SLOT_FREE when booked (or found by its key) */
	int64_t id;
	bool existing;       /* the key had booked it before: nothing new was written */
} rc_booking;

/* RC_OK with b->state saying what happened; an error only when the database failed. */
RC_WUR rc_err rc_booking_make(rc_db *db, rc_booking *b);

/* Moves appointment `id` to b->start with b->practitioner (b->runner, key, reason unused). */
RC_WUR rc_err rc_booking_move(rc_db *db, int64_t id, rc_booking *b);

#endif
