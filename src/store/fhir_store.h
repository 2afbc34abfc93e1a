/* fhir_store.h — one patient's record as plain typed rows, read in one snapshot, for the FHIR bundle
 * and the readable download (app/fhir.c turns them into resources, app/export_zip.c into files). */
#ifndef RC_FHIR_STORE_H
#define RC_FHIR_STORE_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "domain/fhir.h"
#include "store/db.h"

/* A new JSON object (caller json_decref's it) with one array of row objects per section — "patient"
 * (empty when no live patient has that id), "clinic", "practitioners", "staff" (signers with no
 * practitioner row), "appointments", "episodes", "notes", "addenda", "measures", "treatments", "points",
 * "selfchecks", "diary", "psfs", "programs", "activities" — each row keyed by column name, integers
 * as JSON integers (times are Unix seconds), text as strings, NULL as null. Ordered by id within a
 * section, so two databases with the same rows give the same document. Runs in the caller's
 * transaction (or opens none: the caller takes a snapshot). */
RC_WUR rc_err rc_fhir_rows(rc_db *db, int64_t patient_id, json_t **out);

/* The patient whose row n of the table src names is (0 when there is none). */
RC_WUR rc_err rc_fhir_owner(rc_db *db, int src, int64_t n, int64_t *patient);
/* A read of a resource that is no patient's: the "clinic", "practitioners" and "staff" sections, the last
 * two holding practitioner n, and staff member n who signs notes, when they exist. */
RC_WUR rc_err rc_fhir_shared_rows(rc_db *db, int64_t n, json_t **out);

#endif
