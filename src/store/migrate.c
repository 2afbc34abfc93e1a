/* migrate.c — applies the embedded migrations; the schema_migrations table records each one. */
#include "store/migrate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/embed.h"
#include "base/time.h"
#include "store/driver.h"
#include "store/patient_store.h"

static const rc_sql q_create = {"migrations_create",
	"CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
	"name TEXT NOT NULL, applied_at TEXT NOT NULL)"};
static const rc_sql q_applied = {"migrations_applied",
	"SELECT applied_at FROM schema_migrations WHERE version = ?"};
static const rc_sql q_max = {"migrations_max", "SELECT COALESCE(MAX(version), 0) FROM schema_migrations"};
static const rc_sql q_record = {"migrations_record",
	"INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)"};

static int version_of(const char *name)
{
	int v = 0;
	for (const char *p = name; *p >= '0' && *p <= '9'; p++)
		v = v * 10 + (*p - '0');
	return v;
}

static int latest_known(void)
{
	int max = 0;
	for (const rc_embedded *m = rc_embedded_migrations; m->name; m++)
		if (version_of(m->name) > max)
			max = version_of(m->name);
	return max;
}

/* Looks up a version: 1 applied (at copied into at), 0 pending, -1 error. */
static int lookup(rc_db *db, int version, char *at, size_t atlen)
{
	rc_stmt *s = rc_db_stmt(db, &q_applied);
	bool row = false;
	if (!s || rc_stmt_bind_int(s, 1, version) || rc_stmt_step(s, &row))
		return -1;
	if (row && at)
		snprintf(at, atlen, "%s", rc_stmt_text(s, 0));
	return row ? 1 : 0;
}

static rc_err prepare_table(rc_db *db, char *err, size_t errlen)
{
	rc_stmt *s = rc_db_stmt(db, &q_create);
	bool row;
	if (!s || rc_stmt_step(s, &row))
		return rc_errf(err, errlen, RC_EDB, "cannot create schema_migrations: %s", rc_db_errmsg(db));
	s = rc_db_stmt(db, &q_max);
	if (!s || rc_stmt_step(s, &row) || !row)
		return rc_errf(err, errlen, RC_EDB, "cannot read schema_migrations: %s", rc_db_errmsg(db));
	int have = (int)rc_stmt_int(s, 0), known = latest_known();
	if (have > known)
		return rc_errf(err, errlen, RC_EINVAL,
		               "the database is at schema version %d, newer than this runcare (%d): "
		               "upgrade runcare before using this database",
		               have, known);
	return RC_OK;
}

static const rc_sql q_pg_lock = {"migrations_pg_lock", "SELECT pg_advisory_lock(7271001)"};
static const rc_sql q_pg_unlock = {"migrations_pg_unlock", "SELECT pg_advisory_unlock(7271001)"};

static rc_err migrate_locked(rc_db *db, int *applied, char *err, size_t errlen);

rc_err rc_migrate(rc_db *db, int *applied, char *err, size_t errlen)
{
	*applied = 0;
	if (rc_db_kind_of(db) == RC_DB_SQLITE)
		return migrate_locked(db, applied, err, errlen);
	/* Several runcare processes may start together on one PostgreSQL: one migrates, the others
	 * wait here and then find nothing to do. (SQLite serialises on BEGIN IMMEDIATE instead.) */
	rc_stmt *s = rc_db_stmt(db, &q_pg_lock);
	bool row;
	if (!s || rc_stmt_step(s, &row))
		return rc_errf(err, errlen, RC_EDB, "cannot take the migration lock: %s", rc_db_errmsg(db));
	rc_err e = migrate_locked(db, applied, err, errlen);
	s = rc_db_stmt(db, &q_pg_unlock);
	if ((!s || rc_stmt_step(s, &row)) && !e)
		e = rc_errf(err, errlen, RC_EDB, "cannot release the migration lock: %s", rc_db_errmsg(db));
	return e;
}

/* Patients whose search keys were never written (all of them, the first time 0013 runs; any another
 * program added since) get them now, a batch per transaction. Search finds them meanwhile too, only
 * more slowly; nothing is written when there are none. */
static rc_err index_pending(rc_db *db, char *err, size_t errlen)
{
	for (;;) {
		int done = 0;
		rc_err e = rc_db_begin_write(db);
		if (!e && (e = rc_patient_index_pending(db, RC_PATIENT_INDEX_BATCH, &done)) == RC_OK)
			e = done ? rc_db_commit(db) : RC_OK;
		if (e || !done) {
			char detail[256];
			snprintf(detail, sizeof detail, "%s", rc_db_errmsg(db));
			rc_db_rollback(db);
			return e ? rc_errf(err, errlen, e, "writing patients' search keys failed: %s", detail) : RC_OK;
		}
	}
}

static rc_err migrate_locked(rc_db *db, int *applied, char *err, size_t errlen)
{
	rc_err e = prepare_table(db, err, errlen);
	if (e)
		return e;
	for (const rc_embedded *m = rc_embedded_migrations; m->name; m++) {
		int version = version_of(m->name);
		if (version <= 0)
			rc_panic("migration '%s' has no number", m->name);
		if ((e = rc_db_begin_write(db)))
			return rc_errf(err, errlen, e, "cannot start migration %s: %s", m->name, rc_db_errmsg(db));
		/* Checked inside the write transaction, so a second process starting at the same
		 * moment waits and then sees the migration as done. */
		int state = lookup(db, version, NULL, 0);
		if (state == 1) {
			rc_db_rollback(db);
			continue;
		}
		char at[32];
		rc_time_iso(rc_time_now(), at, sizeof at);
		rc_stmt *s;
		bool row;
		if (state < 0 || (e = rc_db_exec(db, (const char *)m->data, err, errlen)) ||
		    !(s = rc_db_stmt(db, &q_record)) || rc_stmt_bind_int(s, 1, version) ||
		    rc_stmt_bind_text(s, 2, m->name) || rc_stmt_bind_text(s, 3, at) ||
		    rc_stmt_step(s, &row) || rc_db_commit(db)) {
			char detail[256];
			snprintf(detail, sizeof detail, "%s", e ? err : rc_db_errmsg(db));
			rc_db_rollback(db);
			return rc_errf(err, errlen, e ? e : RC_EDB, "migration %s failed: %s", m->name, detail);
		}
		(*applied)++;
	}
	return index_pending(db, err, errlen);
}

rc_err rc_migrate_status(rc_db *db, rc_migration_status *out, int max, int *n, char *err, size_t errlen)
{
	*n = 0;
	rc_err e = prepare_table(db, err, errlen);
	if (e)
		return e;
	for (const rc_embedded *m = rc_embedded_migrations; m->name && *n < max; m++) {
		rc_migration_status *st = &out[(*n)++];
		memset(st, 0, sizeof *st);
		st->version = version_of(m->name);
		st->name = m->name;
		int state = lookup(db, st->version, st->applied_at, sizeof st->applied_at);
		if (state < 0)
			return rc_errf(err, errlen, RC_EDB, "cannot read schema_migrations: %s", rc_db_errmsg(db));
		st->applied = state == 1;
	}
	return RC_OK;
}
