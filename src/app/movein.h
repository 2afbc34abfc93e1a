/* movein.h (app) — a clinic moving in from another practice system: its patients, practitioners, services
 * and appointments, exported as CSV files, read through a column mapping, checked row by row and written
 * in one transaction — all or nothing. `runcare import-clinic` and the administrators' page call it.
 *
 * What a row becomes: created; merged (a patient already here or earlier in the file — same email, or the
 * same name and date of birth —, a practitioner or service of the same name, a visit already imported:
 * the row's missing details are added to the one kept); or refused with the reason (a visit that overlaps
 * another of the practitioner's, one off the quarter hour, one that names a patient the file does not
 * have). Refused rows are left out and the rest moves in. An error — a file that is not UTF-8, a column
 * the mapping needs that the file lacks, a date, time, number, phone, email or status that cannot be
 * read — stops the whole import: nothing is written, and each error names its file, line and column.
 * A dry run does everything but commit, so it reports exactly what the import would do. */
#ifndef RC_APP_MOVEIN_H
#define RC_APP_MOVEIN_H

#include <stdbool.h>
#include <stddef.h>

#include "app/app.h"

typedef enum { RC_MOVEIN_PATIENTS, RC_MOVEIN_PRACTITIONERS, RC_MOVEIN_SERVICES, RC_MOVEIN_APPOINTMENTS,
	           RC_MOVEIN_KINDS } rc_movein_kind;
enum {
	RC_MOVEIN_FIELDS = 8,          /* runcare's fields of one kind */
	RC_MOVEIN_MAX_LINES = 20000,   /* lines of the report (created rows are counted, not listed) */
	RC_MOVEIN_MAX_FILE = 32 * 1024 * 1024,
};

/* "patients", "practitioners", "services", "appointments". */
extern const char *const rc_movein_kinds[RC_MOVEIN_KINDS];
/* Each kind's fields, as the mapping names them (NULL-terminated), and which are required. */
extern const char *const rc_movein_fields[RC_MOVEIN_KINDS][RC_MOVEIN_FIELDS + 1];

/* The mapping file (JSON):
 *   {"patients": {"file": "patients.csv", "columns": {"id": "PatientID", "first_name": "First", ...},
 *                 "date_of_birth_order": "month-first"},
 *    "practitioners": {...}, "services": {...}, "appointments": {...}}
 * Everything is optional: a kind's file is KIND.csv and each field's column is the field's own name,
 * unless the mapping says otherwise. date_of_birth_order ("month-first" or "day-first") reads 03/04/1985
 * one way; without it such a date is an error (it could be either). */
typedef struct rc_movein_mapping {
	char file[RC_MOVEIN_KINDS][128];
	char column[RC_MOVEIN_KINDS][RC_MOVEIN_FIELDS][128];
	int dob_order; /* 0 unknown, 1 month first, 2 day first */
} rc_movein_mapping;
/* NULL text: the defaults. RC_EINVAL with a sentence for a mapping that is not one. */
RC_WUR rc_err rc_app_movein_mapping(const char *text, size_t len, rc_movein_mapping *out, rc_problem *p);

typedef struct rc_movein_input {
	const rc_movein_mapping *map;
	const char *data[RC_MOVEIN_KINDS]; /* a kind's file; NULL when there is none */
	size_t len[RC_MOVEIN_KINDS];
	bool dry_run;
} rc_movein_input;

typedef enum { RC_MOVEIN_CREATED, RC_MOVEIN_MERGED, RC_MOVEIN_REFUSED, RC_MOVEIN_ERROR } rc_movein_outcome;
extern const char *const rc_movein_outcomes[4]; /* "created", "merged", "refused", "error" */

typedef struct rc_movein_line {
	rc_movein_kind kind;
	int line;           /* 0: the file as a whole */
	const char *column; /* as the file names it; "" none */
	rc_movein_outcome what;
	const char *text;
} rc_movein_line;

typedef struct rc_movein_report {
	int count[RC_MOVEIN_KINDS][4]; /* by kind and outcome */
	int errors;
	rc_movein_line *lines; /* merged, refused and errors, in file order; in uc->arena */
	int nlines;
	bool written; /* committed (not a dry run, no error) */
} rc_movein_report;

/* Administrators (and the command line's operator) only: RC_EFORBIDDEN. RC_EINVAL when the files have
 * errors (out lists them; nothing written). RC_OK otherwise, dry run or written. */
RC_WUR rc_err rc_app_movein(const rc_uc *uc, const rc_movein_input *in, rc_movein_report *out, rc_problem *p);

#endif
