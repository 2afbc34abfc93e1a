/* export.h — everything runcare holds about one runner, as one JSON document. */
#ifndef RC_STORE_EXPORT_H
#define RC_STORE_EXPORT_H

#include <jansson.h>

#include "store/db.h"

/* The tables that hold nothing about a person; every other table must appear in the export
 * (tests compare this list and the export against the database's catalog). */
extern const char *const rc_export_impersonal_tables[];
/* The tables that hold credentials or security bookkeeping about a person, or uploads not yet read,
 * left out with a reason (the export lists them under "tables_left_out"); ends with a NULL table. */
typedef struct rc_export_left_out {
	const char *table, *why;
} rc_export_left_out;
extern const rc_export_left_out rc_export_left_out_tables[];

/* Appends one object per row of q (the id bound to its first `params` parameters) to rows, keyed by
 * column name: a column whose letter in types is 'i' as a JSON integer, others (and all, with types
 * NULL) as strings; NULL as null. */
RC_WUR rc_err rc_export_rows(rc_db *db, const rc_sql *q, int params, int64_t id, const char *types, json_t *rows);

/* A new JSON object (caller json_decref's it) keyed by table name. */
RC_WUR rc_err rc_export_runner(rc_db *db, int64_t account_id, json_t **out);

#endif
