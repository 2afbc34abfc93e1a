/* clinic.c — statements about the clinic table. */
#include "store/clinic.h"

#include "base/time.h"

static const rc_sql q_insert = {"clinic_insert",
	"INSERT INTO clinic (slug, name, timezone, created_at) SELECT ?, ?, ?, ? "
	"WHERE NOT EXISTS (SELECT 1 FROM clinic WHERE slug = ?)"};
static const rc_sql q_count = {"clinic_count", "SELECT COUNT(*) FROM clinic"};

rc_err rc_store_clinic_ensure(rc_db *db, const char *slug, const char *name, const char *tz, bool *created)
{
	char now[32];
	rc_time_iso(rc_time_now(), now, sizeof now);
	rc_stmt *s = rc_db_stmt(db, &q_insert);
	bool row;
	rc_err e;
	if (!s)
		return RC_EDB;
	if ((e = rc_stmt_bind_text(s, 1, slug)) || (e = rc_stmt_bind_text(s, 2, name)) ||
	    (e = rc_stmt_bind_text(s, 3, tz)) || (e = rc_stmt_bind_text(s, 4, now)) ||
	    (e = rc_stmt_bind_text(s, 5, slug)) || (e = rc_stmt_step(s, &row)))
		return e;
	*created = rc_stmt_changes(s) > 0;
	return RC_OK;
}

rc_err rc_store_clinic_count(rc_db *db, long *n)
{
	rc_stmt *s = rc_db_stmt(db, &q_count);
	bool row = false;
	rc_err e;
	if (!s)
		return RC_EDB;
	if ((e = rc_stmt_step(s, &row)))
		return e;
	*n = row ? (long)rc_stmt_int(s, 0) : 0;
	return RC_OK;
}
