/* test_store.c — unit tests for store/ on a temporary SQLite file: opening, migrations, the clinic row,
 * prepared-statement reuse, connection settings and the online backup. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/embed.h"
#include "store/clinic.h"
#include "store/db.h"
#include "store/migrate.h"

/* A temporary folder holding the test's database files, and an open, unmigrated connection. */
typedef struct {
	char dir[64];
	char path[128];
	rc_db *db;
} fixture;

static const char *const leftovers[] = {"test.db", "test.db-wal", "test.db-shm", "test.db-journal",
                                        "copy.db", "copy.db-wal", "copy.db-shm", "copy.db-journal"};

static int db_setup(void **state)
{
	fixture *f = calloc(1, sizeof *f);
	if (!f)
		return -1;
	snprintf(f->dir, sizeof f->dir, "/tmp/runcare-test-store-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->path, sizeof f->path, "%s/test.db", f->dir);
	char url[160], err[512] = "";
	snprintf(url, sizeof url, "sqlite:%s", f->path);
	if (rc_db_open(url, &f->db, err, sizeof err)) {
		fprintf(stderr, "open %s: %s\n", url, err);
		return -1;
	}
	*state = f;
	return 0;
}

static int db_teardown(void **state)
{
	fixture *f = *state;
	rc_db_close(f->db);
	for (size_t i = 0; i < sizeof leftovers / sizeof leftovers[0]; i++) {
		char p[160];
		snprintf(p, sizeof p, "%s/%s", f->dir, leftovers[i]);
		unlink(p);
	}
	int rc = rmdir(f->dir);
	free(f);
	return rc;
}

static int known_migrations(void)
{
	int n = 0;
	for (const rc_embedded *m = rc_embedded_migrations; m->name; m++)
		n++;
	return n;
}

static rc_db *migrated(void **state)
{
	fixture *f = *state;
	int applied = -1;
	char err[512] = "";
	rc_err e = rc_migrate(f->db, &applied, err, sizeof err);
	if (e)
		fail_msg("migrate: %s", err);
	return f->db;
}

/* One integer from a statement that returns one row. */
static int64_t one_int(rc_db *db, const rc_sql *q)
{
	rc_stmt *s = rc_db_stmt(db, q);
	if (!s)
		fail_msg("%s: %s", q->name, rc_db_errmsg(db));
	bool row = false;
	assert_int_equal(rc_stmt_step(s, &row), RC_OK);
	assert_true(row);
	return rc_stmt_int(s, 0);
}

static void open_rejects_bad_urls(void **state)
{
	(void)state;
	rc_db *db = (rc_db *)1;
	char err[512] = "";
	assert_int_equal(rc_db_open("mysql://root@localhost/x", &db, err, sizeof err), RC_EINVAL);
	assert_null(db);
	assert_non_null(strstr(err, "sqlite:PATH"));
	/* The URL may hold a password: it is not repeated back. */
	err[0] = '\0';
	assert_int_equal(rc_db_open("mysql://root:hunter2@localhost/x", &db, err, sizeof err), RC_EINVAL);
	assert_null(strstr(err, "hunter2"));
	err[0] = '\0';
	assert_int_equal(rc_db_open("sqlite:", &db, err, sizeof err), RC_EINVAL);
	assert_null(db);
	assert_true(strlen(err) > 0);
	assert_int_equal(rc_db_open("", &db, err, sizeof err), RC_EINVAL);
	/* A file in a folder that does not exist. */
	err[0] = '\0';
	assert_int_equal(rc_db_open("sqlite:/nonexistent-runcare-dir/x.db", &db, err, sizeof err), RC_EDB);
	assert_null(db);
	assert_non_null(strstr(err, "/nonexistent-runcare-dir/x.db"));
}

static void open_sets_wal_and_foreign_keys(void **state)
{
	fixture *f = *state;
	static const rc_sql q_fk = {"test_fk", "PRAGMA foreign_keys"};
	static const rc_sql q_journal = {"test_journal", "PRAGMA journal_mode"};
	static const rc_sql q_sync = {"test_sync", "PRAGMA synchronous"};
	assert_int_equal(rc_db_kind_of(f->db), RC_DB_SQLITE);
	assert_int_equal(one_int(f->db, &q_fk), 1);
	assert_int_equal(one_int(f->db, &q_sync), 2); /* FULL */
	rc_stmt *s = rc_db_stmt(f->db, &q_journal);
	assert_non_null(s);
	bool row = false;
	assert_int_equal(rc_stmt_step(s, &row), RC_OK);
	assert_true(row);
	assert_string_equal(rc_stmt_text(s, 0), "wal");
}

static void migrate_is_idempotent(void **state)
{
	fixture *f = *state;
	int applied = -1, known = known_migrations();
	char err[512] = "";
	assert_true(known >= 1);
	assert_int_equal(rc_migrate(f->db, &applied, err, sizeof err), RC_OK);
	assert_int_equal(applied, known);
	assert_int_equal(rc_migrate(f->db, &applied, err, sizeof err), RC_OK);
	assert_int_equal(applied, 0);
	/* A second connection to the same file finds nothing to do either. */
	char url[160];
	snprintf(url, sizeof url, "sqlite:%s", f->path);
	rc_db *other = NULL;
	assert_int_equal(rc_db_open(url, &other, err, sizeof err), RC_OK);
	applied = -1;
	assert_int_equal(rc_migrate(other, &applied, err, sizeof err), RC_OK);
	assert_int_equal(applied, 0);
	rc_db_close(other);
	static const rc_sql q_rows = {"test_migration_rows", "SELECT COUNT(*) FROM schema_migrations"};
	assert_int_equal(one_int(f->db, &q_rows), known);
}

static void migrate_status_lists_all(void **state)
{
	fixture *f = *state;
	rc_migration_status st[64];
	int n = -1, known = known_migrations();
	char err[512] = "";
	/* Before: every migration known and pending. */
	assert_int_equal(rc_migrate_status(f->db, st, 64, &n, err, sizeof err), RC_OK);
	assert_int_equal(n, known);
	for (int i = 0; i < n; i++) {
		assert_false(st[i].applied);
		assert_string_equal(st[i].applied_at, "");
	}
	migrated(state);
	assert_int_equal(rc_migrate_status(f->db, st, 64, &n, err, sizeof err), RC_OK);
	assert_int_equal(n, known);
	assert_int_equal(st[0].version, 1);
	assert_string_equal(st[0].name, "0001_clinic.sql");
	for (int i = 0; i < n; i++) {
		assert_true(st[i].applied);
		assert_true(st[i].version >= 1);
		/* "2026-11-24T11:21:04Z" */
		assert_int_equal(strlen(st[i].applied_at), 20);
		assert_int_equal(st[i].applied_at[10], 'T');
		assert_int_equal(st[i].applied_at[19], 'Z');
		if (i)
			assert_true(st[i].version > st[i - 1].version);
	}
	/* max caps what is written. */
	assert_int_equal(rc_migrate_status(f->db, st, 1, &n, err, sizeof err), RC_OK);
	assert_int_equal(n, 1);
}

static void migrate_refuses_a_newer_database(void **state)
{
	rc_db *db = migrated(state);
	char err[512] = "";
	assert_int_equal(rc_db_exec(db,
	                            "INSERT INTO schema_migrations (version, name, applied_at) "
	                            "VALUES (9999, '9999_future.sql', '2099-01-01T00:00:00Z')",
	                            err, sizeof err),
	                 RC_OK);
	int applied = -1;
	assert_int_equal(rc_migrate(db, &applied, err, sizeof err), RC_EINVAL);
	assert_non_null(strstr(err, "9999"));
	assert_int_equal(applied, 0);
}

static void clinic_ensure_creates_once(void **state)
{
	rc_db *db = migrated(state);
	long n = -1;
	assert_int_equal(rc_store_clinic_count(db, &n), RC_OK);
	assert_int_equal(n, 0);
	bool created = false;
	assert_int_equal(rc_store_clinic_ensure(db, "demo", "Demo Clinic", "America/Los_Angeles", &created), RC_OK);
	assert_true(created);
	created = true;
	assert_int_equal(rc_store_clinic_ensure(db, "demo", "Another Name", "UTC", &created), RC_OK);
	assert_false(created);
	assert_int_equal(rc_store_clinic_count(db, &n), RC_OK);
	assert_int_equal(n, 1);
	/* The first insert's values stand. */
	static const rc_sql q_name = {"test_clinic_name", "SELECT name, timezone FROM clinic WHERE slug = ?"};
	rc_stmt *s = rc_db_stmt(db, &q_name);
	assert_non_null(s);
	assert_int_equal(rc_stmt_bind_text(s, 1, "demo"), RC_OK);
	bool row = false;
	assert_int_equal(rc_stmt_step(s, &row), RC_OK);
	assert_true(row);
	assert_string_equal(rc_stmt_text(s, 0), "Demo Clinic");
	assert_string_equal(rc_stmt_text(s, 1), "America/Los_Angeles");
	/* A second slug is a second clinic. */
	assert_int_equal(rc_store_clinic_ensure(db, "other", "Other", "UTC", &created), RC_OK);
	assert_true(created);
	assert_int_equal(rc_store_clinic_count(db, &n), RC_OK);
	assert_int_equal(n, 2);
}

static void statements_are_prepared_once_and_reset(void **state)
{
	rc_db *db = migrated(state);
	bool created;
	assert_int_equal(rc_store_clinic_ensure(db, "a", "A", "UTC", &created), RC_OK);
	assert_int_equal(rc_store_clinic_ensure(db, "b", "B", "UTC", &created), RC_OK);
	static const rc_sql q_slugs = {"test_slugs", "SELECT slug FROM clinic WHERE slug >= ? ORDER BY slug"};
	rc_stmt *s1 = rc_db_stmt(db, &q_slugs);
	assert_non_null(s1);
	assert_int_equal(rc_stmt_bind_text(s1, 1, "b"), RC_OK);
	bool row = false;
	assert_int_equal(rc_stmt_step(s1, &row), RC_OK);
	assert_true(row);
	assert_string_equal(rc_stmt_text(s1, 0), "b");
	/* The same rc_sql gives the same statement, reset and with its bindings cleared. */
	rc_stmt *s2 = rc_db_stmt(db, &q_slugs);
	assert_ptr_equal(s1, s2);
	assert_int_equal(rc_stmt_step(s2, &row), RC_OK);
	assert_false(row); /* slug >= NULL matches nothing: the old "b" binding is gone */
	s2 = rc_db_stmt(db, &q_slugs);
	assert_int_equal(rc_stmt_bind_text(s2, 1, "a"), RC_OK);
	assert_int_equal(rc_stmt_step(s2, &row), RC_OK);
	assert_true(row);
	assert_string_equal(rc_stmt_text(s2, 0), "a");
	assert_int_equal(rc_stmt_step(s2, &row), RC_OK);
	assert_true(row);
	assert_string_equal(rc_stmt_text(s2, 0), "b");
	assert_int_equal(rc_stmt_step(s2, &row), RC_OK);
	assert_false(row);
	/* Another rc_sql with the same text is another statement. */
	static const rc_sql q_slugs2 = {"test_slugs2", "SELECT slug FROM clinic WHERE slug >= ? ORDER BY slug"};
	assert_ptr_not_equal(rc_db_stmt(db, &q_slugs2), s1);
	/* Bad SQL gives NULL and a message that names the statement. */
	static const rc_sql q_bad = {"test_bad", "SELECT nope FROM nowhere"};
	assert_null(rc_db_stmt(db, &q_bad));
	assert_non_null(strstr(rc_db_errmsg(db), "test_bad"));
	assert_non_null(strstr(rc_db_errmsg(db), "nowhere"));
}

static void constraint_and_transactions(void **state)
{
	rc_db *db = migrated(state);
	static const rc_sql q_insert = {"test_insert",
		"INSERT INTO clinic (slug, name, timezone, created_at) VALUES (?, ?, 'UTC', '2026-01-01T00:00:00Z')"};
	rc_stmt *s = rc_db_stmt(db, &q_insert);
	bool row;
	assert_int_equal(rc_stmt_bind_text(s, 1, "x"), RC_OK);
	assert_int_equal(rc_stmt_bind_text(s, 2, "X"), RC_OK);
	assert_int_equal(rc_stmt_step(s, &row), RC_OK);
	assert_int_equal(rc_stmt_changes(s), 1);
	/* The UNIQUE slug: a conflict, not a generic failure. */
	s = rc_db_stmt(db, &q_insert);
	assert_int_equal(rc_stmt_bind_text(s, 1, "x"), RC_OK);
	assert_int_equal(rc_stmt_bind_text(s, 2, "Y"), RC_OK);
	assert_int_equal(rc_stmt_step(s, &row), RC_ECONFLICT);
	/* A NOT NULL column bound to NULL. */
	s = rc_db_stmt(db, &q_insert);
	assert_int_equal(rc_stmt_bind_text(s, 1, "y"), RC_OK);
	assert_int_equal(rc_stmt_bind_text(s, 2, NULL), RC_OK);
	assert_int_not_equal(rc_stmt_step(s, &row), RC_OK);
	assert_non_null(strstr(rc_db_errmsg(db), "NOT NULL"));
	/* A rolled-back insert leaves nothing. */
	long n;
	assert_int_equal(rc_db_begin_write(db), RC_OK);
	s = rc_db_stmt(db, &q_insert);
	assert_int_equal(rc_stmt_bind_text(s, 1, "z"), RC_OK);
	assert_int_equal(rc_stmt_bind_text(s, 2, "Z"), RC_OK);
	assert_int_equal(rc_stmt_step(s, &row), RC_OK);
	assert_int_equal(rc_store_clinic_count(db, &n), RC_OK);
	assert_int_equal(n, 2);
	rc_db_rollback(db);
	assert_int_equal(rc_store_clinic_count(db, &n), RC_OK);
	assert_int_equal(n, 1);
}

static void backup_makes_a_working_copy(void **state)
{
	fixture *f = *state;
	rc_db *db = migrated(state);
	bool created;
	assert_int_equal(rc_store_clinic_ensure(db, "demo", "Demo Clinic", "UTC", &created), RC_OK);
	char copy[160], err[512] = "";
	snprintf(copy, sizeof copy, "%s/copy.db", f->dir);
	assert_int_equal(rc_db_backup(db, copy, err, sizeof err), RC_OK);
	struct stat sb;
	assert_int_equal(stat(copy, &sb), 0);
	assert_true(sb.st_size > 0);
	/* The source goes on changing; the copy keeps the moment it was taken. */
	assert_int_equal(rc_store_clinic_ensure(db, "later", "Later", "UTC", &created), RC_OK);

	char url[200];
	snprintf(url, sizeof url, "sqlite:%s", copy);
	rc_db *back = NULL;
	assert_int_equal(rc_db_open(url, &back, err, sizeof err), RC_OK);
	int applied = -1;
	assert_int_equal(rc_migrate(back, &applied, err, sizeof err), RC_OK);
	assert_int_equal(applied, 0); /* the copy has the schema and its history */
	long n = -1;
	assert_int_equal(rc_store_clinic_count(back, &n), RC_OK);
	assert_int_equal(n, 1);
	created = true;
	assert_int_equal(rc_store_clinic_ensure(back, "demo", "Demo Clinic", "UTC", &created), RC_OK);
	assert_false(created);
	rc_db_close(back);

	/* A backup into a folder that does not exist fails and says where. */
	err[0] = '\0';
	assert_int_not_equal(rc_db_backup(db, "/nonexistent-runcare-dir/b.db", err, sizeof err), RC_OK);
	assert_non_null(strstr(err, "/nonexistent-runcare-dir/b.db"));
}

/* A statement left mid-result holds a read snapshot: the next transaction's start resets it, however
 * often it was taken and reset before, so that another connection's write since then does not make
 * this one's BEGIN IMMEDIATE busy at once. */
static void begin_resets_a_statement_left_mid_result(void **state)
{
	fixture *f = *state;
	rc_db *db = migrated(state);
	bool created;
	assert_int_equal(rc_store_clinic_ensure(db, "a", "A", "UTC", &created), RC_OK);
	assert_int_equal(rc_store_clinic_ensure(db, "b", "B", "UTC", &created), RC_OK);
	char url[160], err[512] = "";
	snprintf(url, sizeof url, "sqlite:%s", f->path);
	rc_db *other = NULL;
	assert_int_equal(rc_db_open(url, &other, err, sizeof err), RC_OK);
	static const rc_sql q_slugs = {"test_slugs", "SELECT slug FROM clinic ORDER BY slug"};
	for (int round = 0; round < 3; round++) {
		rc_stmt *s;
		bool row = false;
		assert_int_equal(rc_db_query(db, &q_slugs, &s, &row, ""), RC_OK);
		assert_true(row); /* one row of several read: the statement is mid-result */
		char slug[8];
		snprintf(slug, sizeof slug, "w%d", round);
		assert_int_equal(rc_store_clinic_ensure(other, slug, "W", "UTC", &created), RC_OK);
		assert_int_equal(rc_db_begin_write(db), RC_OK);
		rc_db_rollback(db);
	}
	rc_db_close(other);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, db_setup, db_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(open_rejects_bad_urls),
		T(open_sets_wal_and_foreign_keys),
		T(migrate_is_idempotent),
		T(migrate_status_lists_all),
		T(migrate_refuses_a_newer_database),
		T(clinic_ensure_creates_once),
		T(statements_are_prepared_once_and_reset),
		T(constraint_and_transactions),
		T(begin_resets_a_statement_left_mid_result),
		T(backup_makes_a_working_copy),
	};
	return cmocka_run_group_tests_name("store", tests, NULL, NULL);
}
