/* ingest.h (app) — storing a web upload off the request threads. The upload's request creates its job
 * (rc_app_import_open) and hands its spooled body here — a descriptor of the spool file (the request's
 * own is closed when the request ends) and where each file lies in it — then answers at once; one
 * ingest thread per `runcare serve`, with its own database connection, maps the spool again and stores
 * the files into the job (rc_app_import_store), one upload after another, so no upload of any size
 * holds a request thread while it is written to the database. The job page shows "Storing your
 * upload" meanwhile. */
#ifndef RC_APP_INGEST_H
#define RC_APP_INGEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One file of an upload: its name and where its bytes lie in the spool file. */
typedef struct rc_ingest_file {
	const char *name;
	size_t offset, len;
} rc_ingest_file;

typedef struct rc_import_ingest rc_import_ingest;

/* The thread and its connection to db_url; NULL (and err) when it cannot start. */
rc_import_ingest *rc_import_ingest_start(const char *db_url, char *err, size_t errlen);

/* Hands over job's n files (names copied) lying in the file fd of size bytes. Takes fd and done in
 * every case: fd is closed and done(ctx) called (may be NULL) once the spool is no longer needed —
 * stored, failed, or at once when this returns false (stopping, out of memory, or 64 uploads already
 * waiting: the caller stores the files itself). */
bool rc_import_ingest_hand(rc_import_ingest *ing, int64_t job, int fd, size_t size, const rc_ingest_file *files,
                           int n, void (*done)(void *ctx), void *ctx);

/* Stops it: the upload being stored stops after its current transaction, it and those waiting are
 * failed (each one short transaction: the stop is bounded) and their spools let go. NULL is fine. */
void rc_import_ingest_stop(rc_import_ingest *ing);

#endif
