/* waitlist.c — statements about the waitlist, offers and the visits a wave counts. */
#include "store/waitlist.h"

#include <stdio.h>
#include <string.h>

#include "domain/schedule.h"

/* Most urgent first: the self-check's level, as a number the database can sort by. */
#define URGENCY_RANK                                                                                     \
	"CASE w.urgency WHEN 'emergency' THEN 0 WHEN 'urgent' THEN 1 WHEN 'soon' THEN 2 ELSE 3 END"

static const rc_sql q_join = {"waitlist_join",
	"INSERT INTO waitlist (runner_id, service_id, practitioner_id, window_start, window_end, urgency, condition, "
	"status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'waiting', ?) RETURNING id"};
static const rc_sql q_cancel = {"waitlist_cancel",
	"UPDATE waitlist SET status = 'cancelled' WHERE id = ? AND status = 'waiting'"};
static const rc_sql q_owner = {"waitlist_owner", "SELECT runner_id FROM waitlist WHERE id = ?"};
static const rc_sql q_offer_owner = {"offer_owner",
	"SELECT w.runner_id FROM waitlist_offer o JOIN waitlist w ON w.id = o.waitlist_id WHERE o.id = ?"};
static const rc_sql q_list = {"waitlist_list",
	"SELECT w.id, w.runner_id, w.service_id, COALESCE(w.practitioner_id, 0), w.window_start, w.window_end, "
	"w.created_at, COALESCE(w.appointment_id, 0), w.urgency, w.condition, w.status, COALESCE(a.name, ''), "
	"COALESCE(a.email, ''), s.name, s.key, COALESCE(o.id, 0), COALESCE(o.starts_at, 0), COALESCE(o.expires_at, 0), "
	"COALESCE(pp.phone, '') "
	"FROM waitlist w JOIN account a ON a.id = w.runner_id JOIN service s ON s.id = w.service_id "
	"LEFT JOIN patient_profile pp ON pp.runner_id = w.runner_id "
	"LEFT JOIN waitlist_offer o ON o.waitlist_id = w.id AND o.status = 'open' AND o.expires_at > ? "
	"WHERE w.status = 'waiting' AND (? = 0 OR w.runner_id = ?) ORDER BY " URGENCY_RANK ", w.created_at, w.id"};
static const rc_sql q_open_offer = {"waitlist_open_offer",
	"SELECT id FROM waitlist_offer WHERE waitlist_id = ? AND status = 'open'"};
static const rc_sql q_next = {"waitlist_next",
	"SELECT w.id FROM waitlist w WHERE w.status = 'waiting' AND w.service_id = ? "
	"AND (w.practitioner_id IS NULL OR w.practitioner_id = ?) AND w.window_start <= ? AND w.window_end >= ? "
	"AND NOT EXISTS (SELECT 1 FROM waitlist_offer o WHERE o.waitlist_id = w.id AND (o.status = 'open' OR "
	"(o.practitioner_id = ? AND o.starts_at = ?))) "
	"ORDER BY " URGENCY_RANK ", w.created_at, w.id LIMIT 1"};
static const rc_sql q_slot_offered = {"waitlist_slot_offered",
	"SELECT 1 FROM waitlist_offer WHERE practitioner_id = ? AND starts_at = ? AND status = 'open'"};
static const rc_sql q_offer_add = {"waitlist_offer_add",
	"INSERT INTO waitlist_offer (waitlist_id, practitioner_id, starts_at, created_at, expires_at, status) "
	"VALUES (?, ?, ?, ?, ?, 'open') RETURNING id"};
static const rc_sql q_offer_get = {"waitlist_offer_get",
	"SELECT o.id, o.waitlist_id, w.runner_id, o.practitioner_id, w.service_id, o.starts_at, o.expires_at, s.minutes, "
	"o.status, COALESCE(a.email, ''), COALESCE(a.name, ''), s.name, s.key, p.name, w.condition FROM waitlist_offer o "
	"JOIN waitlist w ON w.id = o.waitlist_id JOIN account a ON a.id = w.runner_id "
	"JOIN service s ON s.id = w.service_id JOIN practitioner p ON p.id = o.practitioner_id WHERE o.id = ?"};
static const rc_sql q_offer_close = {"waitlist_offer_close",
	"UPDATE waitlist_offer SET status = ? WHERE id = ? AND status = 'open'"};
static const rc_sql q_booked = {"waitlist_booked",
	"UPDATE waitlist SET status = 'booked', appointment_id = ? WHERE id = ?"};
static const rc_sql q_expired = {"waitlist_offer_next_expired",
	"SELECT id FROM waitlist_offer WHERE status = 'open' AND expires_at <= ? ORDER BY expires_at, id LIMIT 1"};
static const rc_sql q_taken = {"slot_taken",
	"SELECT 1 FROM appointment_unit WHERE practitioner_id = ? AND unit_start >= ? AND unit_start < ?"};

static rc_err returning(rc_err e, rc_stmt *s, bool row, int64_t *id)
{
	if (!e && !row)
		e = RC_EDB;
	if (!e) {
		*id = rc_stmt_int(s, 0);
		rc_stmt_done(s);
	}
	return e;
}

rc_err rc_waitlist_join(rc_db *db, int64_t runner_id, int64_t service_id, int64_t practitioner_id,
                        int64_t window_start, int64_t window_end, const char *urgency, const char *condition,
                        int64_t now, int64_t *id)
{
	rc_stmt *s = rc_db_stmt(db, &q_join);
	bool row = false;
	rc_err e = s ? RC_OK : RC_EDB;
	if (!e && !(e = rc_stmt_bind_int(s, 1, runner_id)) && !(e = rc_stmt_bind_int(s, 2, service_id)) &&
	    !(e = practitioner_id ? rc_stmt_bind_int(s, 3, practitioner_id) : rc_stmt_bind_text(s, 3, NULL)) &&
	    !(e = rc_stmt_bind_int(s, 4, window_start)) && !(e = rc_stmt_bind_int(s, 5, window_end)) &&
	    !(e = rc_stmt_bind_text(s, 6, urgency)) && !(e = rc_stmt_bind_text(s, 7, condition)) &&
	    !(e = rc_stmt_bind_int(s, 8, now)))
		e = rc_stmt_step(s, &row);
	return returning(e, s, row, id);
}

rc_err rc_waitlist_cancel(rc_db *db, int64_t id)
{
	rc_stmt *s;
	rc_err e = rc_db_query(db, &q_cancel, &s, NULL, "i", id);
	return !e && rc_stmt_changes(s) == 0 ? RC_ENOTFOUND : e;
}

static rc_err one_int(rc_db *db, const rc_sql *q, int64_t id, int64_t *out)
{
	rc_stmt *s;
	bool row;
	*out = 0;
	rc_err e = rc_db_query(db, q, &s, &row, "i", id);
	if (!e && row) {
		*out = rc_stmt_int(s, 0);
		rc_stmt_done(s);
	}
	return e;
}

rc_err rc_waitlist_owner(rc_db *db, int64_t id, int64_t *runner_id)
{
	return one_int(db, &q_owner, id, runner_id);
}

rc_err rc_offer_owner(rc_db *db, int64_t id, int64_t *runner_id)
{
	return one_int(db, &q_offer_owner, id, runner_id);
}

#define COPY(dst, col) snprintf((dst), sizeof(dst), "%s", rc_stmt_text(s, (col)))

rc_err rc_waitlist_open_offer(rc_db *db, int64_t waitlist_id, int64_t *offer_id)
{
	return one_int(db, &q_open_offer, waitlist_id, offer_id);
}

rc_err rc_waitlist_list(rc_db *db, int64_t runner_id, int64_t now, rc_wait_fn fn, void *ctx)
{
	rc_stmt *s;
	bool row;
	rc_err e = rc_db_query(db, &q_list, &s, &row, "iii", now, runner_id, runner_id);
	while (!e && row) {
		rc_wait_entry w = {
			.id = rc_stmt_int(s, 0), .runner_id = rc_stmt_int(s, 1), .service_id = rc_stmt_int(s, 2),
			.practitioner_id = rc_stmt_int(s, 3), .window_start = rc_stmt_int(s, 4), .window_end = rc_stmt_int(s, 5),
			.created_at = rc_stmt_int(s, 6), .appointment_id = rc_stmt_int(s, 7), .offer_id = rc_stmt_int(s, 15),
			.offer_start = rc_stmt_int(s, 16), .offer_expires = rc_stmt_int(s, 17),
		};
		COPY(w.urgency, 8);
		COPY(w.condition, 9);
		COPY(w.status, 10);
		COPY(w.runner_name, 11);
		COPY(w.runner_email, 12);
		COPY(w.runner_phone, 18);
		COPY(w.service_name, 13);
		COPY(w.service_key, 14);
		fn(ctx, &w);
		e = rc_stmt_step(s, &row);
	}
	return e;
}

rc_err rc_slot_taken(rc_db *db, int64_t pid, int64_t start, int64_t end, bool *taken)
{
	rc_stmt *s;
	rc_err e = rc_db_query(db, &q_taken, &s, taken, "iii", pid, start, end);
	if (!e && *taken)
		rc_stmt_done(s);
	return e;
}

rc_err rc_waitlist_offer_next(rc_db *db, int64_t pid, int64_t service_id, int64_t start, int minutes, int64_t now,
                              int64_t expires_at, int64_t *offer_id)
{
	int64_t end = start + (int64_t)minutes * 60, entry = 0;
	bool row = false;
	rc_stmt *s;
	*offer_id = 0;
	/* One open offer per time, and only while the time is still free. */
	rc_err e = rc_db_query(db, &q_slot_offered, &s, &row, "ii", pid, start);
	if (e || row) {
		if (row)
			rc_stmt_done(s);
		return e;
	}
	if ((e = rc_slot_taken(db, pid, start, end, &row)) || row)
		return e;
	if ((e = rc_db_query(db, &q_next, &s, &row, "iiiiii", service_id, pid, start, end, pid, start)) || !row)
		return e;
	entry = rc_stmt_int(s, 0);
	rc_stmt_done(s);
	if ((e = rc_db_query(db, &q_offer_add, &s, &row, "iiiii", entry, pid, start, now, expires_at)))
		return e;
	return returning(RC_OK, s, row, offer_id);
}

rc_err rc_offer_get(rc_db *db, int64_t id, rc_offer *o, bool *found)
{
	rc_stmt *s;
	rc_err e = rc_db_query(db, &q_offer_get, &s, found, "i", id);
	if (e || !*found)
		return e;
	memset(o, 0, sizeof *o);
	o->id = rc_stmt_int(s, 0);
	o->waitlist_id = rc_stmt_int(s, 1);
	o->runner_id = rc_stmt_int(s, 2);
	o->practitioner_id = rc_stmt_int(s, 3);
	o->service_id = rc_stmt_int(s, 4);
	o->starts_at = rc_stmt_int(s, 5);
	o->expires_at = rc_stmt_int(s, 6);
	o->minutes = (int)rc_stmt_int(s, 7);
	COPY(o->status, 8);
	COPY(o->runner_email, 9);
	COPY(o->runner_name, 10);
	COPY(o->service_name, 11);
	COPY(o->service_key, 12);
	COPY(o->practitioner_name, 13);
	COPY(o->condition, 14);
	rc_stmt_done(s);
	return RC_OK;
}

rc_err rc_offer_close(rc_db *db, int64_t id, const char *status, bool *was_open)
{
	rc_stmt *s;
	rc_err e = rc_db_query(db, &q_offer_close, &s, NULL, "ti", status, id);
	*was_open = !e && rc_stmt_changes(s) > 0;
	return e;
}

rc_err rc_waitlist_booked(rc_db *db, int64_t waitlist_id, int64_t appointment_id)
{
	return rc_db_query(db, &q_booked, NULL, NULL, "ii", appointment_id, waitlist_id);
}

rc_err rc_offer_next_expired(rc_db *db, int64_t now, int64_t *id, bool *found)
{
	rc_stmt *s;
	*id = 0;
	rc_err e = rc_db_query(db, &q_expired, &s, found, "i", now);
	if (!e && *found) {
		*id = rc_stmt_int(s, 0);
		rc_stmt_done(s);
	}
	return e;
}

static const rc_sql q_visits = {"visits_between",
	"SELECT a.starts_at, a.condition, a.practitioner_id, p.name FROM appointment a "
	"JOIN practitioner p ON p.id = a.practitioner_id WHERE a.status <> 'cancelled' AND a.starts_at >= ? "
	"AND a.starts_at < ? ORDER BY a.starts_at"};

rc_err rc_visits_between(rc_db *db, int64_t from, int64_t to, rc_visit_fn fn, void *ctx)
{
	rc_stmt *s;
	bool row;
	rc_err e = rc_db_query(db, &q_visits, &s, &row, "ii", from, to);
	while (!e && row) {
		fn(ctx, rc_stmt_int(s, 0), rc_stmt_text(s, 1), rc_stmt_int(s, 2), rc_stmt_text(s, 3));
		e = rc_stmt_step(s, &row);
	}
	return e;
}
