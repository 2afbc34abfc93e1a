/* import_store.h — what moving a clinic in needs besides the setup's and booking's own statements:
 * patients by date of birth (to find one already here), whether a practitioner's quarter hours are
 * taken, an appointment already imported, and a cancelled visit written as history. Inside the
 * caller's transaction (app/import_clinic.c's). */
#ifndef RC_IMPORT_STORE_H
#define RC_IMPORT_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"

typedef void (*rc_import_patient_fn)(void *ctx, int64_t id, const char *name, const char *phone_digits);
/* Live patients born on dob (YYYY-MM-DD). */
RC_WUR rc_err rc_import_patients_born(rc_db *db, const char *dob, rc_import_patient_fn fn, void *ctx);
/* Whether any quarter hour of [start, end) of the practitioner is held by a visit. */
RC_WUR rc_err rc_import_units_taken(rc_db *db, int64_t practitioner_id, int64_t start, int64_t end, bool *taken);
/* The patient's visit with that practitioner starting then (0: none). */
RC_WUR rc_err rc_import_appointment_at(rc_db *db, int64_t runner_id, int64_t practitioner_id, int64_t start,
                                       int64_t *id);
/* A cancelled visit, as history: no quarter hour held. */
RC_WUR rc_err rc_import_appointment_cancelled(rc_db *db, int64_t runner_id, int64_t practitioner_id, int64_t service_id,
                                              int64_t start, int64_t end, const char *reason, int64_t now,
                                              int64_t *id);

#endif
