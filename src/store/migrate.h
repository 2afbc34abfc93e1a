/* migrate.h — numbered SQL migrations compiled into the binary, applied in order, each once. */
#ifndef RC_MIGRATE_H
#define RC_MIGRATE_H

#include <stdbool.h>

#include "store/db.h"

typedef struct rc_migration_status {
	int version;
	const char *name;       /* file name, e.g. "0001_clinic.sql" */
	bool applied;
	char applied_at[32];    /* UTC, ISO 8601; empty when pending */
} rc_migration_status;

/* Applies every pending migration, each in its own transaction; *applied counts them.
 * Safe to run from several processes at once. */
RC_WUR rc_err rc_migrate(rc_db *db, int *applied, char *err, size_t errlen);

/* Fills out[0..max) with every known migration and whether it is applied; *n is the count. */
RC_WUR rc_err rc_migrate_status(rc_db *db, rc_migration_status *out, int max, int *n, char *err,
                                size_t errlen);

#endif
