/* bookings.c — the booking transaction shared by the pages and the API. */
#include "web/bookings.h"

#include "base/time.h"
#include "store/booking.h"
#include "store/waitlist.h"

static rc_err book_tx(rc_db *db, void *arg)
{
	rc_booking *b = arg;
	int64_t ds, de, now = b->now;
	rc_tz_day_bounds(b->start, &ds, &de);
	rc_day day;
	rc_err e = rc_day_load(db, b->arena, b->practitioner, ds, de, &day);
	if (e)
		return e;
	b->state = rc_slot_check(&day, b->start, b->minutes, now);
	/* "Taken" is left to the quarter-hour keys: a retry with its key must find its own booking. */
	if (b->state == RC_SLOT_TAKEN)
		b->state = RC_SLOT_FREE;
	if (b->state != RC_SLOT_FREE)
		return RC_OK;
	e = rc_appointment_book(db, b->runner, b->practitioner, b->service, b->start, b->start + (int64_t)b->minutes * 60,
	                        b->by, b->key, b->reason ? b->reason : "", b->condition, now, &b->id, &b->existing);
	if (e == RC_ECONFLICT)
		b->state = RC_SLOT_TAKEN;
	/* The audit line commits with the booking: one transaction, one flush to disk. */
	if (!e && !b->existing)
		e = rc_audit_add(db, now, b->actor, "appointment.book", b->runner, b->condition ? b->condition : "", b->address);
	return e;
}

rc_err rc_booking_make(rc_db *db, rc_booking *b)
{
	bool taken = false;
	b->state = RC_SLOT_FREE;
	b->existing = false;
	rc_err e = b->key && *b->key ? RC_OK
	                             : rc_slot_taken(db, b->practitioner, b->start, b->start + (int64_t)b->minutes * 60, &taken);
	if (!e && taken) {
		b->state = RC_SLOT_TAKEN;
		return RC_OK;
	}
	if (!e)
		e = rc_db_tx(db, book_tx, b);
	return e == RC_ECONFLICT ? RC_OK : e;
}

struct move {
	rc_booking *b;
	int64_t id;
};

static rc_err move_tx(rc_db *db, void *arg)
{
	struct move *m = arg;
	rc_booking *b = m->b;
	int64_t ds, de;
	rc_tz_day_bounds(b->start, &ds, &de);
	rc_day day;
	rc_err e = rc_day_load(db, b->arena, b->practitioner, ds, de, &day);
	if (e)
		return e;
	b->state = rc_slot_check(&day, b->start, b->minutes, b->now);
	if (b->state == RC_SLOT_TAKEN)
		b->state = RC_SLOT_FREE; /* the keys decide, and the appointment's own quarter hours are freed first */
	if (b->state != RC_SLOT_FREE)
		return RC_OK;
	e = rc_appointment_move(db, m->id, b->practitioner, b->start, b->start + (int64_t)b->minutes * 60);
	if (e == RC_ECONFLICT)
		b->state = RC_SLOT_TAKEN;
	return e;
}

rc_err rc_booking_move(rc_db *db, int64_t id, rc_booking *b)
{
	struct move m = {b, id};
	rc_err e = rc_db_tx(db, move_tx, &m);
	return e == RC_ECONFLICT ? RC_OK : e;
}
