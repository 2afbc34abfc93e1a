/* chart.h (content) — what the clinical chart knows, loaded and checked once at start: the structured
 * findings (content/chart/fields.json), note templates per condition (templates.json), each working
 * diagnosis's ICD-10-CM codes (diagnoses.json), what a treatment row may name (treatments.json), the
 * needling consent text and its version (consent.json), and the WHO acupuncture points, read from a
 * file beside the project (../shared/clinical/acupoints.json by default). An error names the file and
 * the key. Without the acupoint file the chart still works; only acupuncture rows are refused. */
#ifndef RC_CONTENT_CHART_H
#define RC_CONTENT_CHART_H

#include <stdbool.h>
#include <stddef.h>

#include "base/arena.h"
#include "base/err.h"
#include "content/content.h"
#include "domain/chart.h"
#include "domain/triage.h"

enum {
	RC_CHART_MAX_FIELDS = 80,
	RC_CHART_MAX_TEMPLATES = 40,
	RC_CHART_TEMPLATE_FIELDS = 24,
	RC_CHART_TEMPLATE_CONDITIONS = 8,
	RC_CHART_MAX_DIAGNOSES = 80,
	RC_CHART_MAX_OPTIONS = 40,       /* regions, techniques of one kind, muscles, topics */
	RC_CHART_CONSENT_PARAGRAPHS = 12,
	RC_ACUPOINTS_MAX = 600,
};

#define RC_ACUPOINTS_DEFAULT "../shared/clinical/acupoints.json"

typedef struct rc_chart_template {
	const char *key, *name, *subjective, *objective, *assessment, *plan, *source;
	const char *conditions[RC_CHART_TEMPLATE_CONDITIONS];
	int nconditions; /* 0: any condition */
	const char *field_keys[RC_CHART_TEMPLATE_FIELDS];  /* as templates.json names them */
	const rc_chart_field *fields[RC_CHART_TEMPLATE_FIELDS]; /* found by rc_chart_kb_link */
	int nfields;
} rc_chart_template;

typedef struct rc_chart_diagnosis {
	const char *condition, *title;
	rc_chart_codes codes;
} rc_chart_diagnosis;

typedef struct rc_chart_option {
	const char *key, *label;
	bool sided;
} rc_chart_option;

typedef struct rc_chart_options {
	rc_chart_option v[RC_CHART_MAX_OPTIONS];
	int n;
} rc_chart_options;

typedef struct rc_acupoint {
	const char *code, *meridian, *name, *hanzi, *region; /* meridian "" for extra points */
} rc_acupoint;

typedef struct rc_chart_kb {
	rc_arena arena;
	rc_chart_field fields[RC_CHART_MAX_FIELDS];
	int nfields;
	rc_chart_template templates[RC_CHART_MAX_TEMPLATES];
	int ntemplates;
	rc_chart_diagnosis diagnoses[RC_CHART_MAX_DIAGNOSES];
	int ndiagnoses;
	const char *diagnoses_source;
	rc_chart_options regions, soft_tissue, manual_therapy, taping, muscles, education;
	int consent_version;
	const char *consent_title, *consent_source;
	const char *consent[RC_CHART_CONSENT_PARAGRAPHS];
	int nconsent;
	rc_acupoint *points; /* in the file's order; NULL when the file was absent */
	int npoints;
	const char *acupoints_path;   /* as configured */
	const char *acupoints_missing; /* the sentence shown while no list is loaded */
	const char *acupoints_source; /* the file's own "source" */
} rc_chart_kb;

/* dir NULL: the content compiled into the binary. acupoints: the path of the acupoint list (NULL: the
 * default); a missing file is not an error (npoints 0), a malformed one is. conditions: the self-check's
 * vocabulary that templates and diagnoses must use. The caller frees *out with rc_chart_kb_free. */
RC_WUR rc_err rc_chart_kb_load(const char *dir, const char *acupoints, const rc_triage_kb *conditions,
                               rc_chart_kb **out, char *err, size_t errlen);
void rc_chart_kb_free(rc_chart_kb *kb);

/* One file's bytes into kb (its strings in kb->arena), replacing what kb held from that file, each
 * checked on its own; a key that names another file's entry is only kept, for rc_chart_kb_link. */
RC_WUR rc_err rc_chart_parse_fields(rc_chart_kb *kb, const rc_content_file *f, char *err, size_t errlen);
RC_WUR rc_err rc_chart_parse_templates(rc_chart_kb *kb, const rc_content_file *f, char *err, size_t errlen);
RC_WUR rc_err rc_chart_parse_diagnoses(rc_chart_kb *kb, const rc_content_file *f, char *err, size_t errlen);
RC_WUR rc_err rc_chart_parse_treatments(rc_chart_kb *kb, const rc_content_file *f, char *err, size_t errlen);
RC_WUR rc_err rc_chart_parse_consent(rc_chart_kb *kb, const rc_content_file *f, char *err, size_t errlen);
/* The checks across files, once each is parsed: every template's field is in chart/fields.json, and
 * (with conditions) every template's and diagnosis's condition is one of the self-check's. Writes only
 * the templates' fields, so it may run again after one file is parsed anew. */
RC_WUR rc_err rc_chart_kb_link(rc_chart_kb *kb, const rc_triage_kb *conditions, char *err, size_t errlen);

/* Parses an acupoint list's bytes into kb (exposed for tests and the fuzzer). */
RC_WUR rc_err rc_acupoints_parse(rc_chart_kb *kb, const char *name, const char *data, size_t len, char *err,
                                 size_t errlen);

/* Borrowed lookups; NULL when absent. */
const rc_chart_field *rc_chart_field_find(const rc_chart_kb *kb, const char *key);
const rc_chart_template *rc_chart_template_find(const rc_chart_kb *kb, const char *key);
/* The template made for a condition, else the general one (the last template with no conditions). */
const rc_chart_template *rc_chart_template_for(const rc_chart_kb *kb, const char *condition);
const rc_chart_diagnosis *rc_chart_diagnosis_find(const rc_chart_kb *kb, const char *condition);
const rc_chart_option *rc_chart_option_find(const rc_chart_options *o, const char *key);
const rc_acupoint *rc_acupoint_find(const rc_chart_kb *kb, const char *code);
/* The sentence a person reads when no acupoint list was loaded. */
const char *rc_acupoints_missing(const rc_chart_kb *kb);

#endif
