/* db.h — the one database API of runcare. Callers see connections, declared statements and
 * transactions; which engine runs underneath (SQLite now, PostgreSQL next) is the driver's business. */
#ifndef RC_DB_H
#define RC_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

typedef struct rc_db rc_db;     /* one connection; used by one thread at a time */
typedef struct rc_stmt rc_stmt; /* a prepared statement, owned by its connection */

/* SQL is declared once, as a static rc_sql, and prepared per connection on first use.
 * Placeholders are written `?` in the common subset of SQLite and PostgreSQL. */
typedef struct rc_sql {
	const char *name; /* for error messages */
	const char *text;
} rc_sql;

typedef enum { RC_DB_SQLITE, RC_DB_POSTGRES } rc_db_kind;

/* Opens "sqlite:PATH" or "postgresql://USER@HOST:PORT/NAME" (any libpq URI).
 * On failure *out is NULL and err says why. */
RC_WUR rc_err rc_db_open(const char *url, rc_db **out, char *err, size_t errlen);
/* How long a connection opened after this call waits for another process's write lock on SQLite before
 * it reports "busy" (PostgreSQL waits for row locks by itself). The server keeps the short default so a
 * request thread is never held long; a command run by hand would rather wait than fail. */
void rc_db_set_busy_wait(int ms);
void rc_db_close(rc_db *db);
rc_db_kind rc_db_kind_of(const rc_db *db);

/* Runs a script of one or more statements with no parameters (migrations only). */
RC_WUR rc_err rc_db_exec(rc_db *db, const char *sql, char *err, size_t errlen);

RC_WUR rc_err rc_db_begin(rc_db *db);
/* A transaction that will write: it takes the write lock up front, so two writers queue
 * instead of failing half-way. */
RC_WUR rc_err rc_db_begin_write(rc_db *db);
RC_WUR rc_err rc_db_commit(rc_db *db);
void rc_db_rollback(rc_db *db);

/* The connection's prepared copy of q, reset and with bindings cleared; NULL on error
 * (rc_db_errmsg says why). Borrowed: valid until the connection closes. */
rc_stmt *rc_db_stmt(rc_db *db, const rc_sql *q);
const char *rc_db_errmsg(rc_db *db);

/* Parameters count from 1. */
RC_WUR rc_err rc_stmt_bind_int(rc_stmt *s, int i, int64_t v);
RC_WUR rc_err rc_stmt_bind_text(rc_stmt *s, int i, const char *v); /* NULL binds SQL NULL */
RC_WUR rc_err rc_stmt_bind_blob(rc_stmt *s, int i, const void *p, size_t n);

/* Prepares q (cached), binds arguments described by types — 'i' int64_t, 't' const char * (NULL
 * binds SQL NULL) — and steps once. *out is left on the first row when *row is true; step it for
 * more. out and row may be NULL for statements that return nothing. */
RC_WUR rc_err rc_db_query(rc_db *db, const rc_sql *q, rc_stmt **out, bool *row, const char *types, ...);

/* Runs the statement or moves to its next row: *row is true while a row is there. */
RC_WUR rc_err rc_stmt_step(rc_stmt *s, bool *row);
/* Ends a statement early (after reading the one row of an INSERT ... RETURNING), releasing what
 * SQLite holds for it: an autocommit write is committed only then. Its columns are gone after. */
void rc_stmt_done(rc_stmt *s);
/* Columns count from 0 and are valid until the next step; text is never NULL (NULL reads as ""). */
int64_t rc_stmt_int(rc_stmt *s, int col);
const char *rc_stmt_text(rc_stmt *s, int col);
/* Column col's text copied into dst[size], cut at size - 1 bytes as snprintf's "%s" would (without
 * its format parsing, which a row of several texts paid for each). */
void rc_stmt_text_to(rc_stmt *s, int col, char *dst, size_t size);
bool rc_stmt_is_null(rc_stmt *s, int col);
/* Rows changed by the last insert, update or delete. */
int64_t rc_stmt_changes(rc_stmt *s);
int rc_stmt_ncols(rc_stmt *s);
const char *rc_stmt_col_name(rc_stmt *s, int col);

/* A statement whose text is known only at run time (db copy walks the catalog), prepared now and
 * finalized by the caller with rc_stmt_free. Never for text that came from a user. */
rc_stmt *rc_db_prepare_dynamic(rc_db *db, const char *sql);
void rc_stmt_free(rc_stmt *s);

/* A read-only transaction that sees one snapshot of the whole database. */
RC_WUR rc_err rc_db_begin_snapshot(rc_db *db);

/* Runs fn inside a transaction and commits; a serialization failure or a busy database rolls back
 * and runs fn again, up to RC_DB_TX_RETRIES times. fn must be safe to repeat. */
enum { RC_DB_TX_RETRIES = 8 };
typedef rc_err (*rc_tx_fn)(rc_db *db, void *ctx);
RC_WUR rc_err rc_db_tx(rc_db *db, rc_tx_fn fn, void *ctx);
/* True when the database answers a trivial query (the health check). */
bool rc_db_ping(rc_db *db);

/* A consistent copy of the whole database into a new SQLite file, safe while others write
 * (from PostgreSQL too: the copy runs in one repeatable-read snapshot). */
RC_WUR rc_err rc_db_backup(rc_db *db, const char *path, char *err, size_t errlen);

/* Copies every row of every table from src to dst (both migrated to the same version), in one
 * transaction on dst, and verifies each table's row count and checksum before committing.
 * A dst with rows is refused unless force, which empties it first. report, if given, is called
 * once per table with its row count. */
typedef void (*rc_copy_report)(void *ctx, const char *table, int64_t rows, uint64_t checksum);
RC_WUR rc_err rc_db_copy(rc_db *src, rc_db *dst, bool force, rc_copy_report report, void *ctx, char *err,
                         size_t errlen);

/* --- a fixed set of connections shared by the server's threads ---------------------------- */
typedef struct rc_pool rc_pool;
RC_WUR rc_err rc_pool_open(const char *url, unsigned size, rc_pool **out, char *err, size_t errlen);
void rc_pool_close(rc_pool *p);
/* Waits for a free connection. */
rc_db *rc_pool_get(rc_pool *p);
void rc_pool_put(rc_pool *p, rc_db *db);

#endif
