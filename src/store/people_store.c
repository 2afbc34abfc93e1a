/* people_store.c — roles and deactivation (see people_store.h). */
#include "store/people_store.h"

static const rc_sql q_role = {"people_role",
	"UPDATE account SET role = ?, patient = CASE WHEN ? = 1 THEN 1 ELSE patient END "
	"WHERE id = ? AND deleted_at IS NULL"};
static const rc_sql q_deactivate = {"people_deactivate",
	"UPDATE account SET deactivated_at = ? WHERE id = ? AND deleted_at IS NULL AND deactivated_at IS NULL"};
static const rc_sql q_sessions = {"people_sessions_end", "DELETE FROM session WHERE account_id = ?"};
static const rc_sql q_tokens = {"people_tokens_revoke",
	"UPDATE api_token SET revoked_at = ? WHERE account_id = ? AND revoked_at IS NULL"};
static const rc_sql q_links = {"people_links_revoke",
	"UPDATE one_time_link SET revoked_at = ? WHERE account_id = ? AND used_at IS NULL AND revoked_at IS NULL"};
static const rc_sql q_reactivate = {"people_reactivate",
	"UPDATE account SET deactivated_at = NULL WHERE id = ? AND deleted_at IS NULL AND deactivated_at IS NOT NULL"};
static const rc_sql q_admins = {"people_admins",
	"SELECT COUNT(*) FROM account WHERE role = 'admin' AND deleted_at IS NULL AND deactivated_at IS NULL AND id <> ?"};

rc_err rc_people_set_role(rc_db *db, int64_t id, rc_role role, bool keep_patient, bool *changed)
{
	rc_stmt *s;
	rc_err e = rc_db_query(db, &q_role, &s, NULL, "tii", rc_role_name(role), (int64_t)keep_patient, id);
	*changed = !e && rc_stmt_changes(s) == 1;
	return e;
}

rc_err rc_people_deactivate(rc_db *db, int64_t id, int64_t now, bool *changed)
{
	rc_stmt *s;
	rc_err e = rc_db_query(db, &q_deactivate, &s, NULL, "ii", now, id);
	*changed = !e && rc_stmt_changes(s) == 1;
	if (e || !*changed)
		return e;
	if ((e = rc_db_query(db, &q_sessions, NULL, NULL, "i", id)) ||
	    (e = rc_db_query(db, &q_tokens, NULL, NULL, "ii", now, id)))
		return e;
	return rc_db_query(db, &q_links, NULL, NULL, "ii", now, id);
}

rc_err rc_people_reactivate(rc_db *db, int64_t id, bool *changed)
{
	rc_stmt *s;
	rc_err e = rc_db_query(db, &q_reactivate, &s, NULL, "i", id);
	*changed = !e && rc_stmt_changes(s) == 1;
	return e;
}

rc_err rc_people_admins(rc_db *db, int64_t but_id, int64_t *n)
{
	rc_stmt *s;
	bool row;
	*n = 0;
	rc_err e = rc_db_query(db, &q_admins, &s, &row, "i", but_id);
	if (!e && row) {
		*n = rc_stmt_int(s, 0);
		rc_stmt_done(s);
	}
	return e;
}
