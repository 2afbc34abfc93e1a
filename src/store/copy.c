/* copy.c — moves a whole clinic between databases (SQLite ⇄ PostgreSQL) and proves the copy:
 * row counts and an order-independent checksum per table, compared before the target commits.
 * A backup is a copy into a new SQLite file (or the engine's own backup, where it has one). */
#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "store/driver.h"
#include "store/migrate.h"

enum { RC_COPY_MAX_TABLES = 256, RC_COPY_MAX_NAME = 64, RC_COPY_MAX_COLS = 64 };

static const rc_sql q_tables_sqlite = {"copy_tables_sqlite",
	"SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
	"AND name <> 'schema_migrations' ORDER BY rowid"};
/* Creation order (oid) respects foreign keys: a table can only refer to one made before it. */
static const rc_sql q_tables_pg = {"copy_tables_pg",
	"SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
	"WHERE n.nspname = current_schema() AND c.relkind = 'r' AND c.relname <> 'schema_migrations' ORDER BY c.oid"};
static const rc_sql q_version = {"copy_version", "SELECT COALESCE(MAX(version), 0) FROM schema_migrations"};

typedef struct {
	char names[RC_COPY_MAX_TABLES][RC_COPY_MAX_NAME];
	int n;
} table_list;

/* Table names come from the catalog, not from a user, and are checked before they are quoted
 * into SQL: identifiers cannot be bound as parameters. */
static bool plain_identifier(const char *s)
{
	if (!*s || strlen(s) >= RC_COPY_MAX_NAME)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
			return false;
	return true;
}

static rc_err list_tables(rc_db *db, table_list *t, char *err, size_t errlen)
{
	rc_stmt *s = rc_db_stmt(db, rc_db_kind_of(db) == RC_DB_SQLITE ? &q_tables_sqlite : &q_tables_pg);
	bool row;
	t->n = 0;
	rc_err e;
	if (!s)
		return rc_errf(err, errlen, RC_EDB, "%s", rc_db_errmsg(db));
	while (!(e = rc_stmt_step(s, &row)) && row) {
		const char *name = rc_stmt_text(s, 0);
		if (!plain_identifier(name) || t->n == RC_COPY_MAX_TABLES)
			return rc_errf(err, errlen, RC_EINVAL, "table '%s' is not one runcare made", name);
		snprintf(t->names[t->n++], RC_COPY_MAX_NAME, "%s", name);
	}
	return e ? rc_errf(err, errlen, e, "%s", rc_db_errmsg(db)) : RC_OK;
}

static rc_err schema_version(rc_db *db, int64_t *v, char *err, size_t errlen)
{
	rc_stmt *s = rc_db_stmt(db, &q_version);
	bool row = false;
	if (!s || rc_stmt_step(s, &row) || !row)
		return rc_errf(err, errlen, RC_EDB, "cannot read the schema version: %s", rc_db_errmsg(db));
	*v = rc_stmt_int(s, 0);
	return RC_OK;
}

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;
	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 1099511628211ULL;
	return h;
}

/* Hashes the current row; summing row hashes makes the table's checksum independent of the
 * order rows come in, which differs between engines' collations. */
static uint64_t row_hash(rc_stmt *s, int ncols)
{
	uint64_t h = 1469598103934665603ULL;
	for (int c = 0; c < ncols; c++) {
		if (rc_stmt_is_null(s, c)) {
			h = fnv(h, "\x01N", 2);
		} else {
			const char *v = rc_stmt_text(s, c);
			h = fnv(h, v, strlen(v) + 1);
		}
	}
	return h;
}

static rc_err table_sum(rc_db *db, const char *table, int64_t *rows, uint64_t *sum, char *err, size_t errlen)
{
	char sql[160];
	snprintf(sql, sizeof sql, "SELECT * FROM \"%s\"", table);
	rc_stmt *s = rc_db_prepare_dynamic(db, sql);
	if (!s)
		return rc_errf(err, errlen, RC_EDB, "%s: %s", table, rc_db_errmsg(db));
	bool row;
	rc_err e;
	*rows = 0;
	*sum = 0;
	while (!(e = rc_stmt_step(s, &row)) && row) {
		(*rows)++;
		*sum += row_hash(s, rc_stmt_ncols(s));
	}
	if (e)
		rc_errf(err, errlen, e, "%s: %s", table, rc_db_errmsg(db));
	rc_stmt_free(s);
	return e;
}

static rc_err copy_table(rc_db *src, rc_db *dst, const char *table, int64_t *rows, uint64_t *sum, bool *has_id,
                         char *err, size_t errlen)
{
	*has_id = false;
	char sql[160];
	snprintf(sql, sizeof sql, "SELECT * FROM \"%s\"", table);
	rc_stmt *in = rc_db_prepare_dynamic(src, sql);
	if (!in)
		return rc_errf(err, errlen, RC_EDB, "reading %s: %s", table, rc_db_errmsg(src));
	rc_stmt *out = NULL;
	rc_err e;
	bool row;
	int ncols = 0;
	*rows = 0;
	*sum = 0;
	while (!(e = rc_stmt_step(in, &row)) && row) {
		if (!out) {
			ncols = rc_stmt_ncols(in);
			rc_buf b;
			rc_buf_init(&b, 16384);
			rc_buf_printf(&b, "INSERT INTO \"%s\" (", table);
			for (int c = 0; c < ncols; c++) {
				const char *name = rc_stmt_col_name(in, c);
				if (!plain_identifier(name) || ncols > RC_COPY_MAX_COLS) {
					rc_buf_free(&b);
					e = rc_errf(err, errlen, RC_EINVAL, "%s: column '%s' is not one runcare made", table, name);
					goto done;
				}
				rc_buf_printf(&b, "%s\"%s\"", c ? ", " : "", name);
				*has_id |= strcmp(name, "id") == 0;
			}
			rc_buf_lit(&b, ") VALUES (");
			for (int c = 0; c < ncols; c++)
				rc_buf_puts(&b, c ? ", ?" : "?");
			rc_buf_lit(&b, ")");
			out = b.failed ? NULL : rc_db_prepare_dynamic(dst, b.data);
			rc_buf_free(&b);
			if (!out) {
				e = rc_errf(err, errlen, RC_EDB, "writing %s: %s", table, rc_db_errmsg(dst));
				goto done;
			}
		} else {
			dst->drv->reset(out);
		}
		for (int c = 0; c < ncols && !e; c++)
			e = rc_stmt_bind_text(out, c + 1, rc_stmt_is_null(in, c) ? NULL : rc_stmt_text(in, c));
		bool r2;
		if (e || (e = rc_stmt_step(out, &r2))) {
			e = rc_errf(err, errlen, e, "writing %s row %lld: %s", table, (long long)*rows + 1, rc_db_errmsg(dst));
			goto done;
		}
		(*rows)++;
		*sum += row_hash(in, ncols);
	}
	if (e)
		rc_errf(err, errlen, e, "reading %s: %s", table, rc_db_errmsg(src));
done:
	rc_stmt_free(out);
	rc_stmt_free(in);
	return e;
}

/* Runs one parameterless statement built from a checked table name. */
static rc_err run_on(rc_db *db, const char *fmt, const char *table, char *err, size_t errlen)
{
	char sql[512];
	snprintf(sql, sizeof sql, fmt, table, table);
	rc_stmt *s = rc_db_prepare_dynamic(db, sql);
	bool row;
	rc_err e = s ? rc_stmt_step(s, &row) : RC_EDB;
	if (e)
		rc_errf(err, errlen, e, "%s: %s", table, rc_db_errmsg(db));
	rc_stmt_free(s);
	return e;
}

rc_err rc_db_copy(rc_db *src, rc_db *dst, bool force, rc_copy_report report, void *ctx, char *err, size_t errlen)
{
	int64_t vs = 0, vd = 0;
	rc_err e;
	int applied;
	if ((e = schema_version(src, &vs, err, errlen)) || (e = rc_migrate(dst, &applied, err, errlen)) ||
	    (e = schema_version(dst, &vd, err, errlen)))
		return e;
	if (vs != vd)
		return rc_errf(err, errlen, RC_EINVAL,
		               "the source is at schema version %lld and the target at %lld: run 'runcare db migrate' "
		               "on the source first",
		               (long long)vs, (long long)vd);
	static table_list ts, td; /* large; db copy runs once per process */
	if ((e = list_tables(src, &ts, err, errlen)) || (e = list_tables(dst, &td, err, errlen)))
		return e;
	if ((e = rc_db_begin_snapshot(src)))
		return rc_errf(err, errlen, e, "cannot read the source consistently: %s", rc_db_errmsg(src));
	if ((e = rc_db_begin_write(dst))) {
		rc_db_rollback(src);
		return rc_errf(err, errlen, e, "cannot start writing the target: %s", rc_db_errmsg(dst));
	}
	/* Refuse, or empty, a target that already holds data: children before parents. */
	for (int i = td.n - 1; i >= 0 && !e; i--) {
		int64_t rows;
		uint64_t sum;
		if ((e = table_sum(dst, td.names[i], &rows, &sum, err, errlen)))
			break;
		if (rows && !force)
			e = rc_errf(err, errlen, RC_ECONFLICT,
			            "the target is not empty (table %s has %lld rows): use --force to replace its data",
			            td.names[i], (long long)rows);
		else if (rows)
			e = run_on(dst, "DELETE FROM \"%s\"", td.names[i], err, errlen);
	}
	for (int i = 0; i < ts.n && !e; i++) {
		const char *t = ts.names[i];
		int64_t rows = 0, rows2 = 0;
		uint64_t sum = 0, sum2 = 0;
		bool has_id;
		if ((e = copy_table(src, dst, t, &rows, &sum, &has_id, err, errlen)))
			break;
		if ((e = table_sum(dst, t, &rows2, &sum2, err, errlen)))
			break;
		if (rows != rows2 || sum != sum2) {
			e = rc_errf(err, errlen, RC_EIO,
			            "verification failed for %s: %lld rows (checksum %016llx) read, %lld (%016llx) written",
			            t, (long long)rows, (unsigned long long)sum, (long long)rows2, (unsigned long long)sum2);
			break;
		}
		/* Identity columns continue after the highest copied id. */
		if (rc_db_kind_of(dst) == RC_DB_POSTGRES && has_id && rows)
			e = run_on(dst, "SELECT setval(pg_get_serial_sequence('\"%s\"', 'id'), MAX(id)) FROM \"%s\"", t, err,
			           errlen);
		if (!e && report)
			report(ctx, t, rows, sum);
	}
	rc_db_rollback(src);
	if (e) {
		rc_db_rollback(dst);
		return e;
	}
	if ((e = rc_db_commit(dst)))
		return rc_errf(err, errlen, e, "committing the copy failed: %s", rc_db_errmsg(dst));
	return RC_OK;
}

rc_err rc_db_backup(rc_db *db, const char *path, char *err, size_t errlen)
{
	if (db->drv->backup)
		return db->drv->backup(db, path, err, errlen);
	char url[4200];
	if ((size_t)snprintf(url, sizeof url, "sqlite:%s", path) >= sizeof url)
		return rc_errf(err, errlen, RC_EINVAL, "backup path too long");
	rc_db *dst = NULL;
	rc_err e = rc_db_open(url, &dst, err, errlen);
	int applied;
	if (!e)
		e = rc_migrate(dst, &applied, err, errlen);
	if (!e)
		e = rc_db_copy(db, dst, false, NULL, NULL, err, errlen);
	rc_db_close(dst);
	return e;
}
