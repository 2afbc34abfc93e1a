/* fhir.h (app) — a patient's record as HL7 FHIR R4: Patient/$everything as a searchset Bundle, the
 * server's CapabilityStatement, and the OperationOutcome that says why a request was refused. The web
 * door (/fhir/...) and `runcare export --fhir` both call these; the mapping's pure rules are
 * domain/fhir.h's, the rows store/fhir_store.h's.
 *
 * Who may read: the runner their own record, practitioners and administrators any patient's; anyone
 * else, and an id that is not a live patient, gets "not found" (RC_ENOTFOUND), so a stranger learns
 * nothing from the answer. Each read is in the audit log. */
#ifndef RC_APP_FHIR_H
#define RC_APP_FHIR_H

#include <jansson.h>

#include "app/app.h"
#include "app/chart.h"
#include "content/content.h"
#include "store/training_store.h"

/* What the mapping reads besides the database. */
typedef struct rc_fhir_ctx {
	const rc_chart_know *know;  /* diagnoses' titles, fields' labels, acupoints, programs, self-check */
	const rc_clinic *clinic;    /* the Organization */
	const char *base;           /* the server's public URL ("http://127.0.0.1:8080"): fullUrls and the
	                             * canonical URLs of runcare's own code systems start with base/fhir */
} rc_fhir_ctx;

/* One query parameter of the request, as sent. */
typedef struct rc_fhir_param {
	const char *name, *value;
} rc_fhir_param;

enum {
	RC_FHIR_MAX_WEEKS = 1100,             /* weeks of training load in one bundle: twenty years */
	RC_FHIR_INLINE_BYTES = 4 * 1024 * 1024, /* original training files carried inside a bundle (as
	                                         * attachments' data), oldest first; past it, title and date only */
};

/* Patient/$everything: a new Bundle (caller json_decref's it). Parameters: `_type` (a comma-separated
 * list of the types in rc_fhir_types) only; any other, or an unknown type, is RC_EINVAL with the
 * parameter in p->field and a sentence. RC_ENOTFOUND as above. */
RC_WUR rc_err rc_app_fhir_everything(const rc_uc *uc, const rc_fhir_ctx *f, int64_t patient,
                                     const rc_fhir_param *params, int nparams, json_t **out, rc_problem *p);

/* One resource by type and id (the ids the bundle gives): a new reference (caller json_decref's it). A
 * patient's resource to the runner and clinicians only, RC_ENOTFOUND for anyone else and for an id that
 * names nothing; the clinic, practitioners and the questionnaire to anyone signed in; RC_EUNSUPPORTED for a
 * type runcare does not serve. A read of a patient's resource is in the audit log. */
RC_WUR rc_err rc_app_fhir_read(const rc_uc *uc, const rc_fhir_ctx *f, const char *type, const char *id, json_t **out,
                               rc_problem *p);

/* The signed-in person's own record for their download (/account/export.zip): the rows of
 * store/fhir_store.h (*rows) and the Bundle (*bundle), both the caller's to json_decref, read in one
 * snapshot during which file is called with each original training file. RC_ENOTFOUND when the account
 * holds no patient record (staff who never were runners). In the audit log as account.export. */
RC_WUR rc_err rc_app_download(const rc_uc *uc, const rc_fhir_ctx *f, rc_activity_file_fn file, void *ctx,
                              json_t **rows, json_t **bundle, rc_problem *p);

/* Reading those rows: a section's array (NULL when absent), a column as an integer (0 when NULL), whether
 * it is set, as text ("" when NULL). */
json_t *rc_rows_section(json_t *rows, const char *name);
int64_t rc_row_int(json_t *row, const char *k);
bool rc_row_has(json_t *row, const char *k);
const char *rc_row_text(json_t *row, const char *k);

/* The CapabilityStatement (caller json_decref's it): what /fhir offers, and nothing more. */
json_t *rc_app_fhir_capability(const rc_fhir_ctx *f, int64_t now);

/* An OperationOutcome with one issue (severity error): code is FHIR's issue type ("not-found",
 * "invalid", "forbidden", "login", "exception", "not-supported"), text the sentence, expression the
 * parameter (NULL: none). */
json_t *rc_app_fhir_outcome(const char *code, const char *text, const char *expression);

#endif
