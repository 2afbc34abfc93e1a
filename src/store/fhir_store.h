/* fhir_store.h — one patient's record as plain typed rows, read in one snapshot, for the FHIR bundle
 * and the readable download (app/fhir.c turns them into resources, app/export_zip.c into files). */
#ifndef RC_FHIR_STORE_H
#define RC_FHIR_STORE_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"

/* A new JSON object (caller json_decref's it) with one array of row objects per section — "patient"
 * (empty when no live patient has that id), "clinic", "practitioners", "staff" (signers with no
 * practitioner row), "appointments", "episodes", "notes", "addenda", "measures", "treatments", "points",
 * "selfchecks", "diary", "psfs", "programs", "activities" — each row keyed by column name, integers
 * as JSON integers (times are Unix seconds), text as strings, NULL as null. Ordered by id within a
 * section, so two databases with the same rows give the same document. Runs in the caller's
 * transaction (or opens none: the caller takes a snapshot). */
RC_WUR rc_err rc_fhir_rows(rc_db *db, int64_t patient_id, json_t **out);

#endif
