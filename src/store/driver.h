/* driver.h — what each database engine implements behind db.h. Only store/ includes this. */
#ifndef RC_DRIVER_H
#define RC_DRIVER_H

#include <pthread.h>
#include <stdint.h>

#include "store/db.h"

/* Statements one connection prepares, at most: every rc_sql the program declares (about 210 with the chart),
 * with room for the modules to come. */
enum { RC_DB_MAX_STMTS = 512 };

/* The wait set by rc_db_set_busy_wait, in milliseconds (db.c). */
int rc_db_busy_wait_ms(void);

typedef struct rc_db_driver {
	rc_db_kind kind;
	rc_err (*open)(const char *target, rc_db **out, char *err, size_t errlen);
	void (*close)(rc_db *db);
	rc_err (*exec)(rc_db *db, const char *sql, char *err, size_t errlen);
	rc_stmt *(*prepare)(rc_db *db, const rc_sql *q);
	void (*reset)(rc_stmt *s);
	void (*finalize)(rc_stmt *s);
	rc_err (*bind_int)(rc_stmt *s, int i, int64_t v);
	rc_err (*bind_text)(rc_stmt *s, int i, const char *v);
	rc_err (*bind_blob)(rc_stmt *s, int i, const void *p, size_t n);
	rc_err (*step)(rc_stmt *s, bool *row);
	int64_t (*col_int)(rc_stmt *s, int col);
	const char *(*col_text)(rc_stmt *s, int col);
	bool (*col_null)(rc_stmt *s, int col);
	int64_t (*changes)(rc_stmt *s);
	int (*ncols)(rc_stmt *s); /* after the first step */
	bool (*in_tx)(rc_db *db);
	const char *(*col_name)(rc_stmt *s, int col);
	rc_err (*backup)(rc_db *db, const char *path, char *err, size_t errlen);
} rc_db_driver;

/* Every connection starts with this header; drivers extend it. */
struct rc_db {
	const rc_db_driver *drv;
	struct {
		const rc_sql *q;
		rc_stmt *s;
	} cache[RC_DB_MAX_STMTS];
	size_t ncache;
	/* The cached statements stepped since the last reset_all, by their place in cache: only these
	 * can hold a result or a read snapshot, so a transaction's start resets these few and not all. */
	uint16_t stepped[RC_DB_MAX_STMTS];
	size_t nstepped;
	char errmsg[512];
	/* SQLite allows one writer per file. Connections of one pool share this lock, so this
	 * process's writers queue on a mutex instead of polling the file lock with sleeps; other
	 * processes still meet SQLite's busy timeout. NULL for PostgreSQL and lone connections. */
	pthread_mutex_t *write_lock;
	bool holds_write_lock;
};

/* Every statement starts with this header. */
struct rc_stmt {
	rc_db *db;
	int slot;     /* its place in db->cache; -1 for rc_db_prepare_dynamic's */
	bool stepped; /* listed in db->stepped */
};

extern const rc_db_driver rc_sqlite_driver;
extern const rc_db_driver rc_pg_driver;

#endif
