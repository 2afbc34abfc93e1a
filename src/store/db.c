/* db.c — picks the driver from the URL, caches prepared statements per connection, and the pool. */
#include "store/driver.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/text.h"

/* Set once, before any thread opens a connection. */
static int busy_wait_ms = 5000;

void rc_db_set_busy_wait(int ms)
{
	busy_wait_ms = ms > 0 ? ms : 5000;
}

int rc_db_busy_wait_ms(void)
{
	return busy_wait_ms;
}

rc_err rc_db_open(const char *url, rc_db **out, char *err, size_t errlen)
{
	*out = NULL;
	if (rc_has_prefix(url, "sqlite:")) {
		const char *path = url + strlen("sqlite:");
		if (!*path)
			return rc_errf(err, errlen, RC_EINVAL, "database URL '%s' names no file: use sqlite:PATH", url);
		return rc_sqlite_driver.open(path, out, err, errlen);
	}
	if (rc_has_prefix(url, "postgresql://") || rc_has_prefix(url, "postgres://"))
		return rc_pg_driver.open(url, out, err, errlen);
	/* Never echo the URL: it may carry a password. */
	return rc_errf(err, errlen, RC_EINVAL,
	               "the database URL is not understood: use sqlite:PATH or postgresql://USER@HOST:PORT/NAME");
}

void rc_db_close(rc_db *db)
{
	if (!db)
		return;
	for (size_t i = 0; i < db->ncache; i++)
		db->drv->finalize(db->cache[i].s);
	db->drv->close(db);
}

rc_db_kind rc_db_kind_of(const rc_db *db)
{
	return db->drv->kind;
}

rc_err rc_db_exec(rc_db *db, const char *sql, char *err, size_t errlen)
{
	return db->drv->exec(db, sql, err, errlen);
}

/* A statement left mid-result holds a read snapshot; SQLite cannot turn that into a write
 * transaction without risking deadlock and answers "busy" at once. Starting clean avoids it. Only
 * a statement stepped since the last time can be mid-result: resetting every prepared one (some 250)
 * at each transaction's start and end, and after each request, was a tenth of a request's time. */
static void reset_all(rc_db *db)
{
	for (size_t i = 0; i < db->nstepped; i++) {
		rc_stmt *s = db->cache[db->stepped[i]].s;
		db->drv->reset(s);
		s->stepped = false;
	}
	db->nstepped = 0;
}

rc_err rc_db_begin(rc_db *db)
{
	reset_all(db);
	return db->drv->exec(db, "BEGIN", db->errmsg, sizeof db->errmsg);
}

static void unlock_writer(rc_db *db)
{
	if (db->holds_write_lock) {
		db->holds_write_lock = false;
		pthread_mutex_unlock(db->write_lock);
	}
}

rc_err rc_db_begin_write(rc_db *db)
{
	reset_all(db);
	if (db->write_lock && !db->holds_write_lock) {
		pthread_mutex_lock(db->write_lock);
		db->holds_write_lock = true;
	}
	/* SQLite takes its one write lock up front; PostgreSQL runs writers side by side and
	 * reports a conflict as a serialization failure, which rc_db_tx retries. */
	const char *sql = db->drv->kind == RC_DB_SQLITE ? "BEGIN IMMEDIATE" : "BEGIN ISOLATION LEVEL SERIALIZABLE";
	rc_err e = db->drv->exec(db, sql, db->errmsg, sizeof db->errmsg);
	if (e)
		unlock_writer(db);
	return e;
}

rc_err rc_db_begin_snapshot(rc_db *db)
{
	reset_all(db);
	const char *sql = db->drv->kind == RC_DB_SQLITE ? "BEGIN" : "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";
	return db->drv->exec(db, sql, db->errmsg, sizeof db->errmsg);
}

rc_err rc_db_tx(rc_db *db, rc_tx_fn fn, void *ctx)
{
	rc_err e = RC_EBUSY;
	for (int attempt = 0; attempt < RC_DB_TX_RETRIES; attempt++) {
		if (attempt) {
			/* Back off a little, with jitter, so retries do not collide again. */
			struct timespec ts = {0, (long)(1000000L * (1 << attempt) + (rand() % 1000) * 1000L)};
			nanosleep(&ts, NULL);
		}
		e = rc_db_begin_write(db);
		if (e == RC_EBUSY)
			continue;
		if (e)
			return e;
		e = fn(db, ctx);
		if (!e)
			e = rc_db_commit(db);
		if (!e)
			return RC_OK;
		rc_db_rollback(db);
		if (e != RC_EBUSY)
			return e;
	}
	return e;
}

rc_err rc_db_commit(rc_db *db)
{
	/* SQLite will not commit while a statement is mid-result (an INSERT ... RETURNING read once). */
	reset_all(db);
	rc_err e = db->drv->exec(db, "COMMIT", db->errmsg, sizeof db->errmsg);
	if (!e || !db->drv->in_tx(db))
		unlock_writer(db);
	return e;
}

void rc_db_rollback(rc_db *db)
{
	char ignored[64];
	(void)db->drv->exec(db, "ROLLBACK", ignored, sizeof ignored);
	unlock_writer(db);
}

rc_stmt *rc_db_stmt(rc_db *db, const rc_sql *q)
{
	for (size_t i = 0; i < db->ncache; i++) {
		if (db->cache[i].q == q) {
			db->drv->reset(db->cache[i].s);
			return db->cache[i].s;
		}
	}
	if (db->ncache == RC_DB_MAX_STMTS)
		rc_panic("more than %d declared statements: raise RC_DB_MAX_STMTS", RC_DB_MAX_STMTS);
	rc_stmt *s = db->drv->prepare(db, q);
	if (!s)
		return NULL;
	s->slot = (int)db->ncache;
	db->cache[db->ncache].q = q;
	db->cache[db->ncache].s = s;
	db->ncache++;
	return s;
}

rc_err rc_db_query(rc_db *db, const rc_sql *q, rc_stmt **out, bool *row, const char *types, ...)
{
	bool dummy;
	if (out)
		*out = NULL;
	if (!row)
		row = &dummy;
	*row = false;
	rc_stmt *s = rc_db_stmt(db, q);
	if (!s)
		return RC_EDB;
	va_list ap;
	va_start(ap, types);
	rc_err e = RC_OK;
	for (int i = 0; types[i] && !e; i++) {
		if (types[i] == 'i')
			e = rc_stmt_bind_int(s, i + 1, va_arg(ap, int64_t));
		else if (types[i] == 't')
			e = rc_stmt_bind_text(s, i + 1, va_arg(ap, const char *));
		else
			rc_panic("rc_db_query: bad type '%c' for %s", types[i], q->name);
	}
	va_end(ap);
	if (!e)
		e = rc_stmt_step(s, row);
	if (!e && out)
		*out = s;
	return e;
}

const char *rc_db_errmsg(rc_db *db)
{
	return db->errmsg;
}

rc_err rc_stmt_bind_int(rc_stmt *s, int i, int64_t v)
{
	return s->db->drv->bind_int(s, i, v);
}

rc_err rc_stmt_bind_text(rc_stmt *s, int i, const char *v)
{
	return s->db->drv->bind_text(s, i, v);
}

rc_err rc_stmt_bind_blob(rc_stmt *s, int i, const void *p, size_t n)
{
	return s->db->drv->bind_blob(s, i, p, n);
}

void rc_stmt_done(rc_stmt *s)
{
	s->db->drv->reset(s);
}

rc_err rc_stmt_step(rc_stmt *s, bool *row)
{
	if (s->slot >= 0 && !s->stepped) {
		s->stepped = true;
		s->db->stepped[s->db->nstepped++] = (uint16_t)s->slot;
	}
	return s->db->drv->step(s, row);
}

int64_t rc_stmt_int(rc_stmt *s, int col)
{
	return s->db->drv->col_int(s, col);
}

const char *rc_stmt_text(rc_stmt *s, int col)
{
	return s->db->drv->col_text(s, col);
}

void rc_stmt_text_to(rc_stmt *s, int col, char *dst, size_t size)
{
	if (!size)
		return;
	const char *t = rc_stmt_text(s, col);
	size_t n = t ? strnlen(t, size - 1) : 0;
	if (n)
		memcpy(dst, t, n);
	dst[n] = '\0';
}

bool rc_stmt_is_null(rc_stmt *s, int col)
{
	return s->db->drv->col_null(s, col);
}

int64_t rc_stmt_changes(rc_stmt *s)
{
	return s->db->drv->changes(s);
}

int rc_stmt_ncols(rc_stmt *s)
{
	return s->db->drv->ncols(s);
}

const char *rc_stmt_col_name(rc_stmt *s, int col)
{
	return s->db->drv->col_name(s, col);
}

rc_stmt *rc_db_prepare_dynamic(rc_db *db, const char *sql)
{
	rc_sql q = {"dynamic", sql};
	rc_stmt *s = db->drv->prepare(db, &q);
	if (s)
		s->slot = -1;
	return s;
}

void rc_stmt_free(rc_stmt *s)
{
	if (s)
		s->db->drv->finalize(s);
}

/* Resets every statement so none holds a read snapshot or a lock, and ends any transaction a
 * failed request left open: the next user of the connection starts clean. */
static void release(rc_db *db)
{
	reset_all(db);
	if (db->drv->in_tx(db))
		rc_db_rollback(db);
	unlock_writer(db);
}

struct rc_pool {
	pthread_mutex_t mu, writer;
	pthread_cond_t cv;
	unsigned size, nfree;
	rc_db **conns; /* conns[0..nfree) are free */
};

rc_err rc_pool_open(const char *url, unsigned size, rc_pool **out, char *err, size_t errlen)
{
	*out = NULL;
	rc_pool *p = calloc(1, sizeof *p);
	if (!p || !(p->conns = calloc(size, sizeof *p->conns))) {
		free(p);
		return rc_errf(err, errlen, RC_ENOMEM, "out of memory");
	}
	pthread_mutex_init(&p->mu, NULL);
	pthread_mutex_init(&p->writer, NULL);
	pthread_cond_init(&p->cv, NULL);
	p->size = size;
	for (unsigned i = 0; i < size; i++) {
		rc_err e = rc_db_open(url, &p->conns[i], err, errlen);
		if (e) {
			p->nfree = i;
			rc_pool_close(p);
			return e;
		}
		if (rc_db_kind_of(p->conns[i]) == RC_DB_SQLITE)
			p->conns[i]->write_lock = &p->writer;
	}
	p->nfree = size;
	*out = p;
	return RC_OK;
}

void rc_pool_close(rc_pool *p)
{
	if (!p)
		return;
	for (unsigned i = 0; i < p->nfree; i++)
		rc_db_close(p->conns[i]);
	pthread_mutex_destroy(&p->mu);
	pthread_mutex_destroy(&p->writer);
	pthread_cond_destroy(&p->cv);
	free(p->conns);
	free(p);
}

rc_db *rc_pool_get(rc_pool *p)
{
	pthread_mutex_lock(&p->mu);
	while (p->nfree == 0)
		pthread_cond_wait(&p->cv, &p->mu);
	rc_db *db = p->conns[--p->nfree];
	pthread_mutex_unlock(&p->mu);
	return db;
}

void rc_pool_put(rc_pool *p, rc_db *db)
{
	release(db);
	pthread_mutex_lock(&p->mu);
	p->conns[p->nfree++] = db;
	pthread_cond_signal(&p->cv);
	pthread_mutex_unlock(&p->mu);
}

static const rc_sql q_ping = {"health_ping", "SELECT 1"};

bool rc_db_ping(rc_db *db)
{
	rc_stmt *s = db ? rc_db_stmt(db, &q_ping) : NULL;
	bool row = false;
	if (!s || rc_stmt_step(s, &row) || !row)
		return false;
	rc_stmt_done(s);
	return true;
}
