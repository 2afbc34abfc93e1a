/* import_store.c — the statements of moving a clinic in (see import_store.h). */
#include "store/import_store.h"

static const rc_sql q_born = {"import_patients_born",
	"SELECT a.id, a.name, p.phone_digits FROM account a JOIN patient_profile p ON p.runner_id = a.id "
	"WHERE p.date_of_birth = ? AND a.merged_into IS NULL AND a.deleted_at IS NULL AND (a.role = 'runner' OR "
	"a.patient = 1) ORDER BY a.id"};
static const rc_sql q_taken = {"import_units_taken",
	"SELECT 1 FROM appointment_unit WHERE practitioner_id = ? AND unit_start >= ? AND unit_start < ? LIMIT 1"};
static const rc_sql q_at = {"import_appointment_at",
	"SELECT id FROM appointment WHERE runner_id = ? AND practitioner_id = ? AND starts_at = ? ORDER BY id LIMIT 1"};
static const rc_sql q_cancelled = {"import_appointment_cancelled",
	"INSERT INTO appointment (runner_id, practitioner_id, service_id, starts_at, ends_at, status, reason, created_at, "
	"cancelled_at) VALUES (?, ?, ?, ?, ?, 'cancelled', ?, ?, ?) RETURNING id"};

rc_err rc_import_patients_born(rc_db *db, const char *dob, rc_import_patient_fn fn, void *ctx)
{
	rc_stmt *s;
	bool row;
	rc_err e = rc_db_query(db, &q_born, &s, &row, "t", dob);
	while (!e && row) {
		fn(ctx, rc_stmt_int(s, 0), rc_stmt_text(s, 1), rc_stmt_text(s, 2));
		e = rc_stmt_step(s, &row);
	}
	return e;
}

rc_err rc_import_units_taken(rc_db *db, int64_t practitioner_id, int64_t start, int64_t end, bool *taken)
{
	rc_stmt *s;
	bool row = false;
	rc_err e = rc_db_query(db, &q_taken, &s, &row, "iii", practitioner_id, start, end);
	if (!e && row)
		rc_stmt_done(s);
	*taken = row;
	return e;
}

rc_err rc_import_appointment_at(rc_db *db, int64_t runner_id, int64_t practitioner_id, int64_t start, int64_t *id)
{
	rc_stmt *s;
	bool row = false;
	rc_err e = rc_db_query(db, &q_at, &s, &row, "iii", runner_id, practitioner_id, start);
	*id = !e && row ? rc_stmt_int(s, 0) : 0;
	if (!e && row)
		rc_stmt_done(s);
	return e;
}

rc_err rc_import_appointment_cancelled(rc_db *db, int64_t runner_id, int64_t practitioner_id, int64_t service_id,
                                       int64_t start, int64_t end, const char *reason, int64_t now, int64_t *id)
{
	rc_stmt *s;
	bool row = false;
	rc_err e = rc_db_query(db, &q_cancelled, &s, &row, "iiiiitii", runner_id, practitioner_id, service_id, start, end,
	                       reason, now, now);
	if (!e && !row)
		e = RC_EDB;
	if (!e) {
		*id = rc_stmt_int(s, 0);
		rc_stmt_done(s);
	}
	return e;
}
