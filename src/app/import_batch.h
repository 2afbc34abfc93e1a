/* import_batch.h (app) — importing many training files (a whole export) with one transaction for a
 * batch of files instead of one for each: each file is read and analysed as it comes, held (its bytes
 * copied) until the batch is full, then all are stored together and each reported. A batch holds at
 * most RC_IMPORT_BATCH_FILES files or RC_IMPORT_BATCH_BYTES of their bytes, so memory stays flat with
 * the export's size and a failure loses at most one batch's work (nothing half-written: the batch
 * rolls back). When the batch's transaction fails (two files of one run starting at the same second,
 * a database error), its files are stored again one transaction each, so one file's trouble is that
 * file's alone. The same rules as rc_app_training_import_hint (what an export's lists say of the file,
 * formats/exporthint.h, read as the file is added): a rule lives there, once. */
#ifndef RC_APP_IMPORT_BATCH_H
#define RC_APP_IMPORT_BATCH_H

#include "app/training.h"

enum {
	RC_IMPORT_BATCH_FILES = 64,              /* files stored in one transaction */
	RC_IMPORT_BATCH_BYTES = 4 * 1024 * 1024, /* their bytes held in memory until then */
};

/* Called once for each file when its batch is stored (or the file refused): e is RC_OK, or the
 * database's error for this file alone. */
typedef void (*rc_import_done_fn)(void *ctx, const char *name, rc_err e, const rc_import_result *res);

typedef struct rc_import_batch rc_import_batch;
/* NULL when out of memory. runner_id: whose activities; done and ctx: the report. */
rc_import_batch *rc_import_batch_new(int64_t runner_id, rc_import_done_fn done, void *ctx);
/* Reads one file (uc->now is its import time) and holds it; stores the batch when it is full. An
 * error is a failure to hold it (out of memory); database errors go to done. */
RC_WUR rc_err rc_import_batch_add(const rc_uc *uc, rc_import_batch *b, const char *name, const rc_export_hint *hint,
                                  const unsigned char *data, size_t len);
/* Run inside the batch's transaction for each of its files once it is stored (or refused), so what the
 * caller records of it (an import job's counts and lease) commits with the file or not at all; an error
 * rolls the batch back (and, when each file is then stored alone, that file). */
typedef rc_err (*rc_import_batch_also_fn)(rc_db *db, const char *name, const rc_import_result *res, void *ctx);
void rc_import_batch_set_also(rc_import_batch *b, rc_import_batch_also_fn also, void *ctx);
/* Holds a file that could not be read at all (why: the reader's sentence) in its place among the others:
 * reported as refused with the batch. An error is a failure to hold it (out of memory). */
RC_WUR rc_err rc_import_batch_refuse(const rc_uc *uc, rc_import_batch *b, const char *name, const char *why);
/* Stores what is held (at the end, or before anything else must see it). */
void rc_import_batch_flush(const rc_uc *uc, rc_import_batch *b);
/* Flushes and frees; NULL is fine. */
void rc_import_batch_free(const rc_uc *uc, rc_import_batch *b);
/* Frees what is held without storing it (the work is no longer this caller's); NULL is fine. */
void rc_import_batch_discard(rc_import_batch *b);

#endif
