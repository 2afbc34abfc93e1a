/* series.c — statements about recurring series. */
#include "store/series.h"

#include <string.h>

static const rc_sql q_by_key = {"series_by_key",
	"SELECT id FROM appointment_series WHERE created_by = ? AND idempotency_key = ?"};
static const rc_sql q_create = {"series_create",
	"INSERT INTO appointment_series (practitioner_id, service_id, every_weeks, occurrences, created_by, created_at, "
	"idempotency_key) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id"};
static const rc_sql q_get = {"series_get",
	"SELECT id, practitioner_id, service_id, every_weeks, occurrences, created_by, created_at FROM appointment_series "
	"WHERE id = ?"};
static const rc_sql q_set = {"appointment_set_series", "UPDATE appointment SET series_id = ? WHERE id = ?"};

rc_err rc_series_by_key(rc_db *db, int64_t created_by, const char *key, int64_t *id, bool *found)
{
	rc_stmt *s;
	rc_err e = rc_db_query(db, &q_by_key, &s, found, "it", created_by, key);
	if (!e && *found) {
		*id = rc_stmt_int(s, 0);
		rc_stmt_done(s);
	}
	return e;
}

rc_err rc_series_create(rc_db *db, const rc_series *v, const char *key, int64_t *id, bool *existing)
{
	rc_stmt *s;
	bool row = false;
	rc_err e;
	*existing = false;
	if (key && *key && ((e = rc_series_by_key(db, v->created_by, key, id, existing)) || *existing))
		return e;
	s = rc_db_stmt(db, &q_create);
	if (!s)
		return RC_EDB;
	if ((e = rc_stmt_bind_int(s, 1, v->practitioner_id)) || (e = rc_stmt_bind_int(s, 2, v->service_id)) ||
	    (e = rc_stmt_bind_int(s, 3, v->every_weeks)) || (e = rc_stmt_bind_int(s, 4, v->occurrences)) ||
	    (e = rc_stmt_bind_int(s, 5, v->created_by)) || (e = rc_stmt_bind_int(s, 6, v->created_at)) ||
	    (e = rc_stmt_bind_text(s, 7, key && *key ? key : NULL)) || (e = rc_stmt_step(s, &row)))
		return e;
	if (!row)
		return RC_EDB;
	*id = rc_stmt_int(s, 0);
	rc_stmt_done(s);
	return RC_OK;
}

rc_err rc_series_get(rc_db *db, int64_t id, rc_series *out, bool *found)
{
	rc_stmt *s;
	rc_err e = rc_db_query(db, &q_get, &s, found, "i", id);
	if (!e && *found) {
		memset(out, 0, sizeof *out);
		out->id = rc_stmt_int(s, 0);
		out->practitioner_id = rc_stmt_int(s, 1);
		out->service_id = rc_stmt_int(s, 2);
		out->every_weeks = (int)rc_stmt_int(s, 3);
		out->occurrences = (int)rc_stmt_int(s, 4);
		out->created_by = rc_stmt_int(s, 5);
		out->created_at = rc_stmt_int(s, 6);
		rc_stmt_done(s);
	}
	return e;
}

rc_err rc_appointment_set_series(rc_db *db, int64_t appointment_id, int64_t series_id)
{
	rc_stmt *s;
	rc_err e = rc_db_query(db, &q_set, &s, NULL, "ii", series_id, appointment_id);
	if (!e && rc_stmt_changes(s) == 0)
		e = RC_ENOTFOUND;
	return e;
}
