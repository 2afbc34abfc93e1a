/* booking.c — statements about the schedule and appointments. */
#include "store/booking.h"

#include <stdio.h>
#include <string.h>

static void copy(char *dst, size_t n, const char *src)
{
	snprintf(dst, n, "%s", src);
}

/* --- services and practitioners ------------------------------------------------------------ */

#define SERVICE_COLS "id, key, name, minutes, price_cents, discipline"

static void read_service(rc_stmt *s, rc_service *v)
{
	memset(v, 0, sizeof *v);
	v->id = rc_stmt_int(s, 0);
	copy(v->key, sizeof v->key, rc_stmt_text(s, 1));
	copy(v->name, sizeof v->name, rc_stmt_text(s, 2));
	v->minutes = (int)rc_stmt_int(s, 3);
	v->price_cents = rc_stmt_int(s, 4);
	copy(v->discipline, sizeof v->discipline, rc_stmt_text(s, 5));
}

static const rc_sql q_services = {"services", "SELECT " SERVICE_COLS " FROM service WHERE active = 1 ORDER BY id"};
static const rc_sql q_service_key = {"service_by_key",
	"SELECT " SERVICE_COLS " FROM service WHERE key = ? AND active = 1"};
static const rc_sql q_service_id = {"service_by_id", "SELECT " SERVICE_COLS " FROM service WHERE id = ?"};

rc_err rc_services_list(rc_db *db, rc_service *out, size_t max, size_t *n)
{
	rc_stmt *s;
	bool row;
	*n = 0;
	rc_err e = rc_db_query(db, &q_services, &s, &row, "");
	while (!e && row) {
		if (*n == max) { /* creation refuses past the limit: reaching here is a database edited by hand */
			rc_stmt_done(s);
			return RC_ETOOBIG;
		}
		read_service(s, &out[(*n)++]);
		e = rc_stmt_step(s, &row);
	}
	return e;
}

static rc_err one_service(rc_db *db, const rc_sql *q, const char *types, const char *key, int64_t id,
                          rc_service *out, bool *found)
{
	rc_stmt *s;
	rc_err e = types[0] == 't' ? rc_db_query(db, q, &s, found, "t", key) : rc_db_query(db, q, &s, found, "i", id);
	if (!e && *found) {
		read_service(s, out);
		rc_stmt_done(s);
	}
	return e;
}

rc_err rc_service_by_key(rc_db *db, const char *key, rc_service *out, bool *found)
{
	return one_service(db, &q_service_key, "t", key, 0, out, found);
}

rc_err rc_service_by_id(rc_db *db, int64_t id, rc_service *out, bool *found)
{
	return one_service(db, &q_service_id, "i", NULL, id, out, found);
}

#define PRACT_COLS "p.id, COALESCE(p.account_id, 0), p.name, p.disciplines"

static void read_practitioner(rc_stmt *s, rc_practitioner *p)
{
	memset(p, 0, sizeof *p);
	p->id = rc_stmt_int(s, 0);
	p->account_id = rc_stmt_int(s, 1);
	copy(p->name, sizeof p->name, rc_stmt_text(s, 2));
	copy(p->disciplines, sizeof p->disciplines, rc_stmt_text(s, 3));
}

static const rc_sql q_practitioners = {"practitioners",
	"SELECT " PRACT_COLS " FROM practitioner p WHERE p.active = 1 AND (? = 0 OR EXISTS "
	"(SELECT 1 FROM practitioner_service ps WHERE ps.practitioner_id = p.id AND ps.service_id = ?)) ORDER BY p.id"};
static const rc_sql q_practitioner = {"practitioner_by_id", "SELECT " PRACT_COLS " FROM practitioner p WHERE p.id = ?"};
static const rc_sql q_practitioner_of = {"practitioner_of_account",
	"SELECT " PRACT_COLS " FROM practitioner p WHERE p.account_id = ?"};
static const rc_sql q_offers = {"practitioner_offers",
	"SELECT 1 FROM practitioner_service ps JOIN practitioner p ON p.id = ps.practitioner_id "
	"WHERE ps.practitioner_id = ? AND ps.service_id = ? AND p.active = 1"};

rc_err rc_practitioners_list(rc_db *db, int64_t service_id, rc_practitioner *out, size_t max, size_t *n)
{
	rc_stmt *s;
	bool row;
	*n = 0;
	rc_err e = rc_db_query(db, &q_practitioners, &s, &row, "ii", service_id, service_id);
	while (!e && row) {
		if (*n == max) { /* creation refuses past the limit: reaching here is a database edited by hand */
			rc_stmt_done(s);
			return RC_ETOOBIG;
		}
		read_practitioner(s, &out[(*n)++]);
		e = rc_stmt_step(s, &row);
	}
	return e;
}

rc_err rc_practitioner_by_id(rc_db *db, int64_t id, rc_practitioner *out, bool *found)
{
	rc_stmt *s;
	rc_err e = rc_db_query(db, &q_practitioner, &s, found, "i", id);
	if (!e && *found) {
		read_practitioner(s, out);
		rc_stmt_done(s);
	}
	return e;
}

rc_err rc_practitioner_of_account(rc_db *db, int64_t account_id, rc_practitioner *out, bool *found)
{
	rc_stmt *s;
	rc_err e = rc_db_query(db, &q_practitioner_of, &s, found, "i", account_id);
	if (!e && *found) {
		read_practitioner(s, out);
		rc_stmt_done(s);
	}
	return e;
}

rc_err rc_practitioner_offers(rc_db *db, int64_t practitioner_id, int64_t service_id, bool *offers)
{
	rc_stmt *s;
	rc_err e = rc_db_query(db, &q_offers, &s, offers, "ii", practitioner_id, service_id);
	if (!e && *offers)
		rc_stmt_done(s);
	return e;
}

/* --- setup ---------------------------------------------------------------------------------- */

static const rc_sql q_service_create = {"service_create",
	"INSERT INTO service (key, name, minutes, price_cents, discipline) VALUES (?, ?, ?, ?, ?) RETURNING id"};
static const rc_sql q_practitioner_create = {"practitioner_create",
	"INSERT INTO practitioner (account_id, name, disciplines) VALUES (?, ?, ?) RETURNING id"};
static const rc_sql q_offer = {"practitioner_offer",
	"INSERT INTO practitioner_service (practitioner_id, service_id) VALUES (?, ?)"};
static const rc_sql q_hours_add = {"hours_add",
	"INSERT INTO working_hours (practitioner_id, weekday, start_minute, end_minute) VALUES (?, ?, ?, ?)"};
static const rc_sql q_exception_add = {"exception_add",
	"INSERT INTO schedule_exception (practitioner_id, kind, starts_at, ends_at, note) VALUES (?, ?, ?, ?, ?)"};

static const rc_sql q_count_services = {"services_count", "SELECT COUNT(*) FROM service WHERE active = 1"};
static const rc_sql q_count_practitioners = {"practitioners_count",
	"SELECT COUNT(*) FROM practitioner WHERE active = 1"};

/* RC_ETOOBIG when the clinic already has `max` active rows of a kind: every list reads them all. */
static rc_err below_limit(rc_db *db, const rc_sql *q, size_t max)
{
	rc_stmt *s;
	bool row;
	rc_err e = rc_db_query(db, q, &s, &row, "");
	if (e || !row)
		return e ? e : RC_EDB;
	int64_t n = rc_stmt_int(s, 0);
	rc_stmt_done(s);
	return n >= (int64_t)max ? RC_ETOOBIG : RC_OK;
}

static rc_err returning_id(rc_err e, rc_stmt *s, bool row, int64_t *id)
{
	if (!e && !row)
		e = RC_EDB;
	if (!e) {
		*id = rc_stmt_int(s, 0);
		rc_stmt_done(s);
	}
	return e;
}

rc_err rc_service_create(rc_db *db, const char *key, const char *name, int minutes, int64_t price_cents,
                         const char *discipline, int64_t *id)
{
	rc_stmt *s = NULL;
	bool row = false;
	rc_err e = below_limit(db, &q_count_services, RC_BOOKING_MAX_SERVICES);
	if (e)
		return e;
	e = rc_db_query(db, &q_service_create, &s, &row, "ttiit", key, name, (int64_t)minutes, price_cents,
	                       discipline);
	return returning_id(e, s, row, id);
}

rc_err rc_practitioner_create(rc_db *db, int64_t account_id, const char *name, const char *disciplines, int64_t *id)
{
	rc_err e = below_limit(db, &q_count_practitioners, RC_BOOKING_MAX_PRACTITIONERS);
	if (e)
		return e;
	rc_stmt *s = rc_db_stmt(db, &q_practitioner_create);
	bool row = false;
	e = s ? RC_OK : RC_EDB;
	if (!e)
		e = account_id ? rc_stmt_bind_int(s, 1, account_id) : rc_stmt_bind_text(s, 1, NULL);
	if (!e)
		e = rc_stmt_bind_text(s, 2, name);
	if (!e)
		e = rc_stmt_bind_text(s, 3, disciplines);
	if (!e)
		e = rc_stmt_step(s, &row);
	return returning_id(e, s, row, id);
}

rc_err rc_practitioner_offer(rc_db *db, int64_t practitioner_id, int64_t service_id)
{
	return rc_db_query(db, &q_offer, NULL, NULL, "ii", practitioner_id, service_id);
}

rc_err rc_hours_add(rc_db *db, int64_t practitioner_id, int weekday, int start_minute, int end_minute)
{
	return rc_db_query(db, &q_hours_add, NULL, NULL, "iiii", practitioner_id, (int64_t)weekday,
	                   (int64_t)start_minute, (int64_t)end_minute);
}

rc_err rc_exception_add(rc_db *db, int64_t practitioner_id, const char *kind, int64_t start, int64_t end,
                        const char *note)
{
	return rc_db_query(db, &q_exception_add, NULL, NULL, "itiit", practitioner_id, kind, start, end, note ? note : "");
}

/* --- a day -------------------------------------------------------------------------------- */

static const rc_sql q_day_hours = {"day_hours",
	"SELECT weekday, start_minute, end_minute FROM working_hours WHERE practitioner_id = ? ORDER BY weekday, start_minute"};
static const rc_sql q_day_exceptions = {"day_exceptions",
	"SELECT kind, starts_at, ends_at FROM schedule_exception WHERE practitioner_id = ? AND starts_at < ? AND ends_at > ?"};
static const rc_sql q_day_busy = {"day_busy",
	"SELECT starts_at, ends_at FROM appointment WHERE practitioner_id = ? AND status <> 'cancelled' "
	"AND starts_at < ? AND ends_at > ?"};

enum { RC_DAY_MAX_ROWS = 256 };

rc_err rc_day_load(rc_db *db, rc_arena *a, int64_t pid, int64_t start, int64_t end, rc_day *out)
{
	memset(out, 0, sizeof *out);
	out->start = start;
	out->end = end;
	rc_weekly *hours = rc_arena_alloc(a, sizeof *hours * RC_DAY_MAX_ROWS);
	rc_interval *off = rc_arena_alloc(a, sizeof *off * RC_DAY_MAX_ROWS);
	rc_interval *extra = rc_arena_alloc(a, sizeof *extra * RC_DAY_MAX_ROWS);
	rc_interval *busy = rc_arena_alloc(a, sizeof *busy * RC_DAY_MAX_ROWS);
	if (!hours || !off || !extra || !busy)
		return RC_ENOMEM;
	rc_stmt *s;
	bool row;
	rc_err e = rc_db_query(db, &q_day_hours, &s, &row, "i", pid);
	while (!e && row && out->nhours < RC_DAY_MAX_ROWS) {
		hours[out->nhours++] = (rc_weekly){(int)rc_stmt_int(s, 0), (int)rc_stmt_int(s, 1), (int)rc_stmt_int(s, 2)};
		e = rc_stmt_step(s, &row);
	}
	if (!e)
		e = rc_db_query(db, &q_day_exceptions, &s, &row, "iii", pid, end, start);
	while (!e && row) {
		rc_interval v = {rc_stmt_int(s, 1), rc_stmt_int(s, 2)};
		if (strcmp(rc_stmt_text(s, 0), "time_off") == 0 && out->ntime_off < RC_DAY_MAX_ROWS)
			off[out->ntime_off++] = v;
		else if (out->nextra < RC_DAY_MAX_ROWS)
			extra[out->nextra++] = v;
		e = rc_stmt_step(s, &row);
	}
	/* Busy reaches a little past the day so an appointment running over midnight still counts. */
	if (!e)
		e = rc_db_query(db, &q_day_busy, &s, &row, "iii", pid, end + 8 * 3600, start - 8 * 3600);
	while (!e && row && out->nbusy < RC_DAY_MAX_ROWS) {
		busy[out->nbusy++] = (rc_interval){rc_stmt_int(s, 0), rc_stmt_int(s, 1)};
		e = rc_stmt_step(s, &row);
	}
	out->hours = hours;
	out->time_off = off;
	out->extra = extra;
	out->busy = busy;
	return e;
}

/* --- appointments ------------------------------------------------------------------------- */

static const rc_sql q_idem = {"appointment_by_key",
	"SELECT id FROM appointment WHERE runner_id = ? AND idempotency_key = ?"};
static const rc_sql q_book = {"appointment_book",
	"INSERT INTO appointment (runner_id, practitioner_id, service_id, starts_at, ends_at, status, booked_by, "
	"idempotency_key, reason, created_at, condition) VALUES (?, ?, ?, ?, ?, 'booked', ?, ?, ?, ?, ?) RETURNING id"};
static const rc_sql q_unit = {"appointment_unit_claim",
	"INSERT INTO appointment_unit (practitioner_id, unit_start, appointment_id) VALUES (?, ?, ?)"};
static const rc_sql q_units_free = {"appointment_units_free", "DELETE FROM appointment_unit WHERE appointment_id = ?"};
static const rc_sql q_move = {"appointment_move",
	"UPDATE appointment SET practitioner_id = ?, starts_at = ?, ends_at = ? WHERE id = ? AND status = 'booked'"};
static const rc_sql q_cancel = {"appointment_cancel",
	"UPDATE appointment SET status = 'cancelled', cancelled_at = ? WHERE id = ? AND status = 'booked'"};
static const rc_sql q_status = {"appointment_status",
	"UPDATE appointment SET status = ?, marked_at = ? WHERE id = ? AND status IN ('booked', 'arrived', 'no_show')"};
static const rc_sql q_owner = {"appointment_owner", "SELECT runner_id FROM appointment WHERE id = ?"};

static rc_err claim_units(rc_db *db, int64_t pid, int64_t start, int64_t end, int64_t id)
{
	for (int64_t u = start; u < end; u += RC_UNIT_S) {
		rc_err e = rc_db_query(db, &q_unit, NULL, NULL, "iii", pid, u, id);
		if (e)
			return e; /* RC_ECONFLICT: another appointment owns this quarter hour */
	}
	return RC_OK;
}

rc_err rc_appointment_book(rc_db *db, int64_t runner_id, int64_t pid, int64_t sid, int64_t start, int64_t end,
                           int64_t booked_by, const char *key, const char *reason, const char *condition,
                           int64_t now, int64_t *id, bool *existing)
{
	rc_stmt *s;
	bool row = false;
	rc_err e;
	*existing = false;
	if (key && *key) {
		if ((e = rc_db_query(db, &q_idem, &s, &row, "it", runner_id, key)))
			return e;
		if (row) {
			*id = rc_stmt_int(s, 0);
			rc_stmt_done(s);
			*existing = true;
			return RC_OK;
		}
	}
	s = rc_db_stmt(db, &q_book);
	if (!s)
		return RC_EDB;
	if ((e = rc_stmt_bind_int(s, 1, runner_id)) || (e = rc_stmt_bind_int(s, 2, pid)) ||
	    (e = rc_stmt_bind_int(s, 3, sid)) || (e = rc_stmt_bind_int(s, 4, start)) || (e = rc_stmt_bind_int(s, 5, end)) ||
	    (e = booked_by ? rc_stmt_bind_int(s, 6, booked_by) : rc_stmt_bind_text(s, 6, NULL)) ||
	    (e = rc_stmt_bind_text(s, 7, key && *key ? key : NULL)) || (e = rc_stmt_bind_text(s, 8, reason ? reason : "")) ||
	    (e = rc_stmt_bind_int(s, 9, now)) || (e = rc_stmt_bind_text(s, 10, condition ? condition : "other")) ||
	    (e = rc_stmt_step(s, &row)))
		return e;
	if ((e = returning_id(RC_OK, s, row, id)))
		return e;
	return claim_units(db, pid, start, end, *id);
}

rc_err rc_appointment_move(rc_db *db, int64_t id, int64_t pid, int64_t start, int64_t end)
{
	rc_stmt *s;
	rc_err e = rc_db_query(db, &q_move, &s, NULL, "iiii", pid, start, end, id);
	if (e)
		return e;
	if (rc_stmt_changes(s) == 0)
		return RC_ENOTFOUND;
	if ((e = rc_db_query(db, &q_units_free, NULL, NULL, "i", id)))
		return e;
	return claim_units(db, pid, start, end, id);
}

rc_err rc_appointment_cancel(rc_db *db, int64_t id, int64_t now)
{
	rc_stmt *s;
	rc_err e = rc_db_query(db, &q_cancel, &s, NULL, "ii", now, id);
	if (e)
		return e;
	if (rc_stmt_changes(s) == 0)
		return RC_ENOTFOUND;
	return rc_db_query(db, &q_units_free, NULL, NULL, "i", id);
}

rc_err rc_appointment_set_status(rc_db *db, int64_t id, const char *status, int64_t marked_at)
{
	rc_stmt *s = rc_db_stmt(db, &q_status);
	rc_err e = s ? RC_OK : RC_EDB;
	if (!e)
		e = rc_stmt_bind_text(s, 1, status);
	if (!e)
		e = marked_at ? rc_stmt_bind_int(s, 2, marked_at) : rc_stmt_bind_text(s, 2, NULL);
	if (!e)
		e = rc_stmt_bind_int(s, 3, id);
	bool row = false;
	if (!e)
		e = rc_stmt_step(s, &row);
	if (!e && rc_stmt_changes(s) == 0)
		e = RC_ENOTFOUND;
	return e;
}

rc_err rc_appointment_owner(rc_db *db, int64_t id, int64_t *runner_id)
{
	rc_stmt *s;
	bool row;
	*runner_id = 0;
	rc_err e = rc_db_query(db, &q_owner, &s, &row, "i", id);
	if (!e && row) {
		*runner_id = rc_stmt_int(s, 0);
		rc_stmt_done(s);
	}
	return e;
}

#define APPT_SELECT                                                                                              \
	"SELECT a.id, a.runner_id, a.practitioner_id, a.service_id, a.starts_at, a.ends_at, a.created_at, a.status, " \
	"a.reason, s.key, s.name, p.name, COALESCE(r.name, ''), COALESCE(r.email, ''), a.condition, "   \
	"COALESCE(a.series_id, 0), COALESCE(a.marked_at, 0) FROM appointment a "        \
	"JOIN service s ON s.id = a.service_id JOIN practitioner p ON p.id = a.practitioner_id "                  \
	"JOIN account r ON r.id = a.runner_id "

static void read_appointment(rc_stmt *s, rc_appointment *a)
{
	memset(a, 0, sizeof *a);
	a->id = rc_stmt_int(s, 0);
	a->runner_id = rc_stmt_int(s, 1);
	a->practitioner_id = rc_stmt_int(s, 2);
	a->service_id = rc_stmt_int(s, 3);
	a->starts_at = rc_stmt_int(s, 4);
	a->ends_at = rc_stmt_int(s, 5);
	a->created_at = rc_stmt_int(s, 6);
	copy(a->status, sizeof a->status, rc_stmt_text(s, 7));
	copy(a->reason, sizeof a->reason, rc_stmt_text(s, 8));
	copy(a->service_key, sizeof a->service_key, rc_stmt_text(s, 9));
	copy(a->service_name, sizeof a->service_name, rc_stmt_text(s, 10));
	copy(a->practitioner_name, sizeof a->practitioner_name, rc_stmt_text(s, 11));
	copy(a->runner_name, sizeof a->runner_name, rc_stmt_text(s, 12));
	copy(a->runner_email, sizeof a->runner_email, rc_stmt_text(s, 13));
	copy(a->condition, sizeof a->condition, rc_stmt_text(s, 14));
	a->series_id = rc_stmt_int(s, 15);
	a->marked_at = rc_stmt_int(s, 16);
}

static const rc_sql q_get = {"appointment_get", APPT_SELECT "WHERE a.id = ?"};
static const rc_sql q_of_runner = {"appointments_of_runner", APPT_SELECT "WHERE a.runner_id = ? ORDER BY a.starts_at"};
static const rc_sql q_of_series = {"appointments_of_series",
	APPT_SELECT "WHERE a.series_id = ? ORDER BY a.starts_at"};
static const rc_sql q_between = {"appointments_between",
	APPT_SELECT "WHERE (? = 0 OR a.practitioner_id = ?) AND a.starts_at >= ? AND a.starts_at < ? "
	"ORDER BY a.starts_at, a.practitioner_id"};

rc_err rc_appointment_get(rc_db *db, int64_t id, rc_appointment *out, bool *found)
{
	rc_stmt *s;
	rc_err e = rc_db_query(db, &q_get, &s, found, "i", id);
	if (!e && *found) {
		read_appointment(s, out);
		rc_stmt_done(s);
	}
	return e;
}

static rc_err each(rc_err e, rc_stmt *s, bool row, rc_appointment_fn fn, void *ctx)
{
	while (!e && row) {
		rc_appointment a;
		read_appointment(s, &a);
		fn(ctx, &a);
		e = rc_stmt_step(s, &row);
	}
	return e;
}

rc_err rc_appointments_of_runner(rc_db *db, int64_t runner_id, rc_appointment_fn fn, void *ctx)
{
	rc_stmt *s;
	bool row;
	rc_err e = rc_db_query(db, &q_of_runner, &s, &row, "i", runner_id);
	return each(e, s, row, fn, ctx);
}

rc_err rc_appointments_of_series(rc_db *db, int64_t series_id, rc_appointment_fn fn, void *ctx)
{
	rc_stmt *s;
	bool row;
	rc_err e = rc_db_query(db, &q_of_series, &s, &row, "i", series_id);
	return each(e, s, row, fn, ctx);
}

rc_err rc_appointments_between(rc_db *db, int64_t pid, int64_t from, int64_t to, rc_appointment_fn fn, void *ctx)
{
	rc_stmt *s;
	bool row;
	rc_err e = rc_db_query(db, &q_between, &s, &row, "iiii", pid, pid, from, to);
	return each(e, s, row, fn, ctx);
}

static const rc_sql q_hours_list = {"hours_list",
	"SELECT weekday, start_minute, end_minute FROM working_hours WHERE practitioner_id = ? ORDER BY weekday, start_minute"};
static const rc_sql q_exceptions_list = {"exceptions_list",
	"SELECT kind, starts_at, ends_at, note FROM schedule_exception WHERE practitioner_id = ? AND ends_at > ? "
	"ORDER BY starts_at"};
static const rc_sql q_offered = {"practitioner_services",
	"SELECT s.key FROM practitioner_service ps JOIN service s ON s.id = ps.service_id WHERE ps.practitioner_id = ? "
	"ORDER BY s.id"};

rc_err rc_hours_list(rc_db *db, int64_t pid, rc_hours_fn fn, void *ctx)
{
	rc_stmt *s;
	bool row;
	rc_err e = rc_db_query(db, &q_hours_list, &s, &row, "i", pid);
	while (!e && row) {
		fn(ctx, (int)rc_stmt_int(s, 0), (int)rc_stmt_int(s, 1), (int)rc_stmt_int(s, 2));
		e = rc_stmt_step(s, &row);
	}
	return e;
}

rc_err rc_exceptions_list(rc_db *db, int64_t pid, int64_t from, rc_exception_fn fn, void *ctx)
{
	rc_stmt *s;
	bool row;
	rc_err e = rc_db_query(db, &q_exceptions_list, &s, &row, "ii", pid, from);
	while (!e && row) {
		fn(ctx, rc_stmt_text(s, 0), rc_stmt_int(s, 1), rc_stmt_int(s, 2), rc_stmt_text(s, 3));
		e = rc_stmt_step(s, &row);
	}
	return e;
}

rc_err rc_practitioner_services(rc_db *db, int64_t pid, char *out, size_t n)
{
	rc_stmt *s;
	bool row;
	size_t used = 0;
	out[0] = '\0';
	rc_err e = rc_db_query(db, &q_offered, &s, &row, "i", pid);
	while (!e && row) {
		int w = snprintf(out + used, n - used, "%s%s", used ? " " : "", rc_stmt_text(s, 0));
		if (w > 0 && (size_t)w < n - used)
			used += (size_t)w;
		e = rc_stmt_step(s, &row);
	}
	return e;
}
