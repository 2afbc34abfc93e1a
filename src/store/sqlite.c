/* sqlite.c — the SQLite driver: WAL, foreign keys, a busy timeout, and the online backup API. */
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "store/driver.h"

typedef struct {
	rc_db base;
	sqlite3 *h;
} sq_db;

typedef struct {
	rc_stmt base;
	sqlite3_stmt *st;
} sq_stmt;

static sqlite3 *handle(rc_db *db)
{
	return ((sq_db *)db)->h;
}

static rc_err sq_exec(rc_db *db, const char *sql, char *err, size_t errlen)
{
	char *msg = NULL;
	int rc = sqlite3_exec(handle(db), sql, NULL, NULL, &msg);
	if (rc == SQLITE_OK)
		return RC_OK;
	rc_err e = (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) ? RC_EBUSY
	         : (rc == SQLITE_CONSTRAINT)                  ? RC_ECONFLICT
	                                                      : RC_EDB;
	rc_errf(err, errlen, e, "%s", msg ? msg : sqlite3_errstr(rc));
	sqlite3_free(msg);
	return e;
}

static rc_err sq_open(const char *path, rc_db **out, char *err, size_t errlen)
{
	sq_db *db = calloc(1, sizeof *db);
	if (!db)
		return rc_errf(err, errlen, RC_ENOMEM, "out of memory");
	db->base.drv = &rc_sqlite_driver;
	int rc = sqlite3_open_v2(path, &db->h,
	                         SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		rc_errf(err, errlen, RC_EDB, "cannot open SQLite database '%s': %s (does its folder exist, and may runcare "
		        "write there?)", path, db->h ? sqlite3_errmsg(db->h) : sqlite3_errstr(rc));
		sqlite3_close(db->h);
		free(db);
		return RC_EDB;
	}
	int busy_ms = rc_db_busy_wait_ms();
	sqlite3_busy_timeout(db->h, busy_ms);
	sqlite3_extended_result_codes(db->h, 0);
	/* Switching a new file to WAL needs a moment alone with it; a second process opening it at the
	 * same instant is told "busy" without waiting, so wait here (bounded) instead of failing. */
	rc_err e;
	for (int tries = 0;; tries++) {
		e = sq_exec(&db->base, "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; PRAGMA synchronous=FULL;", err,
		            errlen);
		if (e != RC_EBUSY || tries == busy_ms / 10)
			break;
		sqlite3_sleep(10);
	}
	if (e) {
		sqlite3_close(db->h);
		free(db);
		return e;
	}
	*out = &db->base;
	return RC_OK;
}

static void sq_close(rc_db *db)
{
	sqlite3_close(handle(db));
	free(db);
}

static rc_stmt *sq_prepare(rc_db *db, const rc_sql *q)
{
	sq_stmt *s = calloc(1, sizeof *s);
	if (!s) {
		rc_errf(db->errmsg, sizeof db->errmsg, RC_ENOMEM, "out of memory");
		return NULL;
	}
	s->base.db = db;
	int rc = sqlite3_prepare_v3(handle(db), q->text, -1, SQLITE_PREPARE_PERSISTENT, &s->st, NULL);
	if (rc != SQLITE_OK) {
		rc_errf(db->errmsg, sizeof db->errmsg, RC_EDB, "statement '%s': %s", q->name,
		        sqlite3_errmsg(handle(db)));
		free(s);
		return NULL;
	}
	return &s->base;
}

static sqlite3_stmt *st(rc_stmt *s)
{
	return ((sq_stmt *)s)->st;
}

static void sq_reset(rc_stmt *s)
{
	sqlite3_reset(st(s));
	sqlite3_clear_bindings(st(s));
}

static void sq_finalize(rc_stmt *s)
{
	sqlite3_finalize(st(s));
	free(s);
}

static rc_err bind_result(rc_stmt *s, int rc)
{
	if (rc == SQLITE_OK)
		return RC_OK;
	return rc_errf(s->db->errmsg, sizeof s->db->errmsg, RC_EDB, "bind: %s", sqlite3_errstr(rc));
}

static rc_err sq_bind_int(rc_stmt *s, int i, int64_t v)
{
	return bind_result(s, sqlite3_bind_int64(st(s), i, v));
}

static rc_err sq_bind_text(rc_stmt *s, int i, const char *v)
{
	if (!v)
		return bind_result(s, sqlite3_bind_null(st(s), i));
	return bind_result(s, sqlite3_bind_text(st(s), i, v, -1, SQLITE_TRANSIENT));
}

static rc_err sq_bind_blob(rc_stmt *s, int i, const void *p, size_t n)
{
	return bind_result(s, sqlite3_bind_blob64(st(s), i, p, n, SQLITE_TRANSIENT));
}

static rc_err sq_step(rc_stmt *s, bool *row)
{
	int rc = sqlite3_step(st(s));
	*row = rc == SQLITE_ROW;
	if (rc == SQLITE_ROW || rc == SQLITE_DONE)
		return RC_OK;
	rc_err e = (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) ? RC_EBUSY
	         : (rc == SQLITE_CONSTRAINT)                  ? RC_ECONFLICT
	                                                      : RC_EDB;
	rc_errf(s->db->errmsg, sizeof s->db->errmsg, e, "%s", sqlite3_errmsg(handle(s->db)));
	sqlite3_reset(st(s));
	return e;
}

static int64_t sq_col_int(rc_stmt *s, int col)
{
	return sqlite3_column_int64(st(s), col);
}

static const char *sq_col_text(rc_stmt *s, int col)
{
	const unsigned char *t = sqlite3_column_text(st(s), col);
	return t ? (const char *)t : "";
}

static bool sq_col_null(rc_stmt *s, int col)
{
	return sqlite3_column_type(st(s), col) == SQLITE_NULL;
}

static int64_t sq_changes(rc_stmt *s)
{
	return sqlite3_changes64(handle(s->db));
}

static bool sq_in_tx(rc_db *db)
{
	return !sqlite3_get_autocommit(handle(db));
}

static int sq_ncols(rc_stmt *s)
{
	return sqlite3_column_count(st(s));
}

static const char *sq_col_name(rc_stmt *s, int col)
{
	const char *n = sqlite3_column_name(st(s), col);
	return n ? n : "";
}

static rc_err sq_backup(rc_db *db, const char *path, char *err, size_t errlen)
{
	sqlite3 *dst = NULL;
	int rc = sqlite3_open_v2(path, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
	if (rc != SQLITE_OK) {
		rc_errf(err, errlen, RC_EIO, "cannot create backup file '%s': %s", path,
		        dst ? sqlite3_errmsg(dst) : sqlite3_errstr(rc));
		sqlite3_close(dst);
		return RC_EIO;
	}
	/* Step the whole database in one go: a reader in WAL mode sees one snapshot, so the copy
	 * is consistent even while the server keeps writing. */
	sqlite3_backup *b = sqlite3_backup_init(dst, "main", handle(db), "main");
	if (!b) {
		rc_errf(err, errlen, RC_EDB, "backup to '%s' failed: %s", path, sqlite3_errmsg(dst));
		sqlite3_close(dst);
		return RC_EDB;
	}
	do {
		rc = sqlite3_backup_step(b, -1);
		if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
			sqlite3_sleep(50);
	} while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE) {
		rc_errf(err, errlen, RC_EDB, "backup to '%s' failed: %s", path, sqlite3_errstr(rc));
		sqlite3_close(dst);
		return RC_EDB;
	}
	return sqlite3_close(dst) == SQLITE_OK ? RC_OK
	                                       : rc_errf(err, errlen, RC_EIO, "closing backup '%s' failed", path);
}

const rc_db_driver rc_sqlite_driver = {
	.kind = RC_DB_SQLITE,
	.open = sq_open,
	.close = sq_close,
	.exec = sq_exec,
	.prepare = sq_prepare,
	.reset = sq_reset,
	.finalize = sq_finalize,
	.bind_int = sq_bind_int,
	.bind_text = sq_bind_text,
	.bind_blob = sq_bind_blob,
	.step = sq_step,
	.col_int = sq_col_int,
	.col_text = sq_col_text,
	.col_null = sq_col_null,
	.changes = sq_changes,
	.ncols = sq_ncols,
	.in_tx = sq_in_tx,
	.col_name = sq_col_name,
	.backup = sq_backup,
};
