/* setup_store.c — statements for changing the clinic's setup (see setup_store.h). */
#include "store/setup_store.h"

#include <stdio.h>
#include <string.h>

#define SERVICE_COLS "id, key, name, minutes, price_cents, discipline, active"
#define PRACT_COLS "id, COALESCE(account_id, 0), name, disciplines, active"

static bool service_row(rc_stmt *s, rc_service *v)
{
	memset(v, 0, sizeof *v);
	v->id = rc_stmt_int(s, 0);
	snprintf(v->key, sizeof v->key, "%s", rc_stmt_text(s, 1));
	snprintf(v->name, sizeof v->name, "%s", rc_stmt_text(s, 2));
	v->minutes = (int)rc_stmt_int(s, 3);
	v->price_cents = rc_stmt_int(s, 4);
	snprintf(v->discipline, sizeof v->discipline, "%s", rc_stmt_text(s, 5));
	return rc_stmt_int(s, 6) != 0;
}

static bool practitioner_row(rc_stmt *s, rc_practitioner *p)
{
	memset(p, 0, sizeof *p);
	p->id = rc_stmt_int(s, 0);
	p->account_id = rc_stmt_int(s, 1);
	snprintf(p->name, sizeof p->name, "%s", rc_stmt_text(s, 2));
	snprintf(p->disciplines, sizeof p->disciplines, "%s", rc_stmt_text(s, 3));
	return rc_stmt_int(s, 4) != 0;
}

/* --- services --------------------------------------------------------------------------------------- */

static const rc_sql q_services = {"setup_services",
	"SELECT " SERVICE_COLS " FROM service ORDER BY active DESC, name, id"};
static const rc_sql q_service_id = {"setup_service_by_id", "SELECT " SERVICE_COLS " FROM service WHERE id = ?"};
static const rc_sql q_service_key = {"setup_service_by_key", "SELECT " SERVICE_COLS " FROM service WHERE key = ?"};
static const rc_sql q_service_update = {"setup_service_update",
	"UPDATE service SET name = ?, minutes = ?, price_cents = ?, discipline = ? WHERE id = ?"};
static const rc_sql q_service_active = {"setup_service_active", "UPDATE service SET active = ? WHERE id = ?"};
/* One definition of "offered to runners", for the list and for one service. */
#define OFFERED                                                                                                  \
	"s.active = 1 AND EXISTS (SELECT 1 FROM practitioner_service ps JOIN practitioner p ON p.id = ps.practitioner_id " \
	"WHERE ps.service_id = s.id AND p.active = 1)"
static const rc_sql q_offered = {"setup_services_offered",
	"SELECT s.id, s.key, s.name, s.minutes, s.price_cents, s.discipline, s.active FROM service s WHERE " OFFERED
	" ORDER BY s.id"};
static const rc_sql q_offered_key = {"setup_service_offered",
	"SELECT s.id, s.key, s.name, s.minutes, s.price_cents, s.discipline, s.active FROM service s WHERE s.key = ? AND "
	OFFERED};
static const rc_sql q_service_booked = {"setup_service_booked",
	"SELECT COUNT(*) FROM appointment WHERE service_id = ? AND status = 'booked' AND starts_at >= ?"};

rc_err rc_setup_services(rc_db *db, rc_setup_service_fn fn, void *ctx)
{
	rc_stmt *s;
	bool row;
	rc_err e = rc_db_query(db, &q_services, &s, &row, "");
	while (!e && row) {
		rc_service sv;
		bool active = service_row(s, &sv);
		fn(ctx, &sv, active);
		e = rc_stmt_step(s, &row);
	}
	return e;
}

rc_err rc_setup_service_get(rc_db *db, int64_t id, const char *key, rc_service *out, bool *active, bool *found)
{
	rc_stmt *s;
	rc_err e = key ? rc_db_query(db, &q_service_key, &s, found, "t", key)
	               : rc_db_query(db, &q_service_id, &s, found, "i", id);
	if (!e && *found) {
		*active = service_row(s, out);
		rc_stmt_done(s);
	}
	return e;
}

rc_err rc_setup_service_update(rc_db *db, int64_t id, const char *name, int minutes, int64_t price_cents,
                               const char *discipline)
{
	return rc_db_query(db, &q_service_update, NULL, NULL, "tiiti", name, (int64_t)minutes, price_cents, discipline, id);
}

rc_err rc_setup_service_set_active(rc_db *db, int64_t id, bool active)
{
	return rc_db_query(db, &q_service_active, NULL, NULL, "ii", (int64_t)active, id);
}

rc_err rc_setup_services_offered(rc_db *db, rc_service *out, size_t max, size_t *n)
{
	rc_stmt *s;
	bool row;
	*n = 0;
	rc_err e = rc_db_query(db, &q_offered, &s, &row, "");
	while (!e && row) {
		if (*n == max) {
			rc_stmt_done(s);
			return RC_ETOOBIG;
		}
		service_row(s, &out[(*n)++]);
		e = rc_stmt_step(s, &row);
	}
	return e;
}

rc_err rc_setup_service_offered(rc_db *db, const char *key, rc_service *out, bool *found)
{
	rc_stmt *s;
	rc_err e = rc_db_query(db, &q_offered_key, &s, found, "t", key ? key : "");
	if (!e && *found) {
		service_row(s, out);
		rc_stmt_done(s);
	}
	return e;
}

static rc_err count(rc_db *db, const rc_sql *q, int64_t a, int64_t b, int64_t *n)
{
	rc_stmt *s;
	bool row = false;
	*n = 0;
	rc_err e = rc_db_query(db, q, &s, &row, "ii", a, b);
	if (!e && row) {
		*n = rc_stmt_int(s, 0);
		rc_stmt_done(s);
	}
	return e;
}

rc_err rc_setup_service_booked(rc_db *db, int64_t service_id, int64_t from, int64_t *n)
{
	return count(db, &q_service_booked, service_id, from, n);
}

/* --- practitioners ------------------------------------------------------------------------------------ */

static const rc_sql q_practitioners = {"setup_practitioners",
	"SELECT " PRACT_COLS " FROM practitioner ORDER BY active DESC, name, id"};
static const rc_sql q_practitioner = {"setup_practitioner", "SELECT " PRACT_COLS " FROM practitioner WHERE id = ?"};
static const rc_sql q_practitioner_update = {"setup_practitioner_update",
	"UPDATE practitioner SET account_id = ?, name = ?, disciplines = ? WHERE id = ?"};
static const rc_sql q_practitioner_active = {"setup_practitioner_active",
	"UPDATE practitioner SET active = ? WHERE id = ?"};

rc_err rc_setup_practitioners(rc_db *db, rc_setup_practitioner_fn fn, void *ctx)
{
	rc_stmt *s;
	bool row;
	rc_err e = rc_db_query(db, &q_practitioners, &s, &row, "");
	while (!e && row) {
		rc_practitioner p;
		bool active = practitioner_row(s, &p);
		fn(ctx, &p, active);
		e = rc_stmt_step(s, &row);
	}
	return e;
}

rc_err rc_setup_practitioner_get(rc_db *db, int64_t id, rc_practitioner *out, bool *active, bool *found)
{
	rc_stmt *s;
	rc_err e = rc_db_query(db, &q_practitioner, &s, found, "i", id);
	if (!e && *found) {
		*active = practitioner_row(s, out);
		rc_stmt_done(s);
	}
	return e;
}

rc_err rc_setup_practitioner_update(rc_db *db, int64_t id, int64_t account_id, const char *name,
                                    const char *disciplines)
{
	rc_stmt *s = rc_db_stmt(db, &q_practitioner_update);
	bool row;
	rc_err e = s ? RC_OK : RC_EDB;
	if (!e)
		e = account_id ? rc_stmt_bind_int(s, 1, account_id) : rc_stmt_bind_text(s, 1, NULL);
	if (!e && !(e = rc_stmt_bind_text(s, 2, name)) && !(e = rc_stmt_bind_text(s, 3, disciplines)) &&
	    !(e = rc_stmt_bind_int(s, 4, id)))
		e = rc_stmt_step(s, &row);
	return e;
}

rc_err rc_setup_practitioner_set_active(rc_db *db, int64_t id, bool active)
{
	return rc_db_query(db, &q_practitioner_active, NULL, NULL, "ii", (int64_t)active, id);
}

/* --- who offers what ------------------------------------------------------------------------------------ */

static const rc_sql q_offers = {"setup_offers",
	"SELECT practitioner_id, service_id FROM practitioner_service ORDER BY practitioner_id, service_id"};
static const rc_sql q_offer_add = {"setup_offer_add",
	"INSERT INTO practitioner_service (practitioner_id, service_id) VALUES (?, ?) ON CONFLICT DO NOTHING"};
static const rc_sql q_offer_remove = {"setup_offer_remove",
	"DELETE FROM practitioner_service WHERE practitioner_id = ? AND service_id = ?"};

rc_err rc_setup_offers(rc_db *db, rc_setup_offer_fn fn, void *ctx)
{
	rc_stmt *s;
	bool row;
	rc_err e = rc_db_query(db, &q_offers, &s, &row, "");
	while (!e && row) {
		fn(ctx, rc_stmt_int(s, 0), rc_stmt_int(s, 1));
		e = rc_stmt_step(s, &row);
	}
	return e;
}

rc_err rc_setup_offer_set(rc_db *db, int64_t pid, int64_t sid, bool offers)
{
	if (offers)
		return rc_db_query(db, &q_offer_add, NULL, NULL, "ii", pid, sid);
	return rc_db_query(db, &q_offer_remove, NULL, NULL, "ii", pid, sid);
}

/* --- weekly hours ---------------------------------------------------------------------------------------- */

static const rc_sql q_hours = {"setup_hours",
	"SELECT id, practitioner_id, weekday, start_minute, end_minute FROM working_hours "
	"WHERE ? = 0 OR practitioner_id = ? ORDER BY practitioner_id, weekday, start_minute"};
static const rc_sql q_hours_get = {"setup_hours_get",
	"SELECT id, practitioner_id, weekday, start_minute, end_minute FROM working_hours WHERE id = ?"};
static const rc_sql q_hours_update = {"setup_hours_update",
	"UPDATE working_hours SET weekday = ?, start_minute = ?, end_minute = ? WHERE id = ?"};
static const rc_sql q_hours_delete = {"setup_hours_delete", "DELETE FROM working_hours WHERE id = ?"};

static void hours_row(rc_stmt *s, rc_setup_hours *h)
{
	*h = (rc_setup_hours){rc_stmt_int(s, 0), rc_stmt_int(s, 1),
	                      {(int)rc_stmt_int(s, 2), (int)rc_stmt_int(s, 3), (int)rc_stmt_int(s, 4)}};
}

rc_err rc_setup_hours_list(rc_db *db, int64_t pid, rc_setup_hours_fn fn, void *ctx)
{
	rc_stmt *s;
	bool row;
	rc_err e = rc_db_query(db, &q_hours, &s, &row, "ii", pid, pid);
	while (!e && row) {
		rc_setup_hours h;
		hours_row(s, &h);
		fn(ctx, &h);
		e = rc_stmt_step(s, &row);
	}
	return e;
}

rc_err rc_setup_hours_get(rc_db *db, int64_t id, rc_setup_hours *out, bool *found)
{
	rc_stmt *s;
	rc_err e = rc_db_query(db, &q_hours_get, &s, found, "i", id);
	if (!e && *found) {
		hours_row(s, out);
		rc_stmt_done(s);
	}
	return e;
}

rc_err rc_setup_hours_update(rc_db *db, int64_t id, int weekday, int start_minute, int end_minute)
{
	return rc_db_query(db, &q_hours_update, NULL, NULL, "iiii", (int64_t)weekday, (int64_t)start_minute,
	                   (int64_t)end_minute, id);
}

rc_err rc_setup_hours_delete(rc_db *db, int64_t id)
{
	return rc_db_query(db, &q_hours_delete, NULL, NULL, "i", id);
}

/* --- time off and extra hours ------------------------------------------------------------------------------ */

#define EXCEPTION_COLS "id, practitioner_id, starts_at, ends_at, kind, note"
static const rc_sql q_exceptions = {"setup_exceptions",
	"SELECT " EXCEPTION_COLS " FROM schedule_exception WHERE (? = 0 OR practitioner_id = ?) AND ends_at > ? "
	"ORDER BY starts_at, id"};
static const rc_sql q_exception_get = {"setup_exception_get",
	"SELECT " EXCEPTION_COLS " FROM schedule_exception WHERE id = ?"};
static const rc_sql q_exception_update = {"setup_exception_update",
	"UPDATE schedule_exception SET starts_at = ?, ends_at = ?, note = ? WHERE id = ?"};
static const rc_sql q_exception_delete = {"setup_exception_delete", "DELETE FROM schedule_exception WHERE id = ?"};

static void exception_row(rc_stmt *s, rc_setup_exception *x)
{
	memset(x, 0, sizeof *x);
	x->id = rc_stmt_int(s, 0);
	x->practitioner_id = rc_stmt_int(s, 1);
	x->start = rc_stmt_int(s, 2);
	x->end = rc_stmt_int(s, 3);
	snprintf(x->kind, sizeof x->kind, "%s", rc_stmt_text(s, 4));
	snprintf(x->note, sizeof x->note, "%s", rc_stmt_text(s, 5));
}

rc_err rc_setup_exceptions_list(rc_db *db, int64_t pid, int64_t from, rc_setup_exception_fn fn, void *ctx)
{
	rc_stmt *s;
	bool row;
	rc_err e = rc_db_query(db, &q_exceptions, &s, &row, "iii", pid, pid, from);
	while (!e && row) {
		rc_setup_exception x;
		exception_row(s, &x);
		fn(ctx, &x);
		e = rc_stmt_step(s, &row);
	}
	return e;
}

rc_err rc_setup_exception_get(rc_db *db, int64_t id, rc_setup_exception *out, bool *found)
{
	rc_stmt *s;
	rc_err e = rc_db_query(db, &q_exception_get, &s, found, "i", id);
	if (!e && *found) {
		exception_row(s, out);
		rc_stmt_done(s);
	}
	return e;
}

rc_err rc_setup_exception_update(rc_db *db, int64_t id, int64_t start, int64_t end, const char *note)
{
	return rc_db_query(db, &q_exception_update, NULL, NULL, "iiti", start, end, note ? note : "", id);
}

rc_err rc_setup_exception_delete(rc_db *db, int64_t id)
{
	return rc_db_query(db, &q_exception_delete, NULL, NULL, "i", id);
}
