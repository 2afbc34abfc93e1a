/* chart.h (app) — the clinical chart's use cases: what a practitioner sees of a patient, their details and
 * alerts, episodes of care, visit notes (draft, signed, addenda), treatments with needling consent,
 * adverse events, the letter to a physician or coach, and the runner's own signed notes (patient search
 * is app/patients.h's).
 *
 * Every door — the pages, the JSON API — parses its input into these structures, calls one use case and
 * renders what it says. The rules live here and in domain/chart.c: who may see what (practitioners and
 * administrators see and write charts; a runner sees only their own signed notes; nobody else anything),
 * a signed note is never changed, needling needs consent first, points exist and sit on a side they have,
 * every write is one transaction, and every read and write of a chart is in the audit log. */
#ifndef RC_APP_CHART_H
#define RC_APP_CHART_H

#include <stdbool.h>
#include <stdint.h>

#include "app/app.h"
#include "content/chart.h"
#include "content/programs.h"
#include "domain/chart.h"
#include "domain/training.h"
#include "domain/triage.h"
#include "store/chart_store.h"
#include "store/program_store.h"

/* Named limits: passing one is refused with a sentence (or, for reads, paged). */
enum {
	RC_CHART_PAGE = 20,              /* timeline entries and notes per page */
	RC_CHART_MAX_EPISODES = 100,     /* per patient */
	RC_CHART_MAX_ADVERSE = 200,      /* adverse events per patient */
	RC_NOTE_MAX_FINDINGS = 64,
	RC_NOTE_MAX_MARKS = 40,
	RC_NOTE_MAX_TREATMENTS = 20,
	RC_NOTE_MAX_ADDENDA = 50,
	RC_NOTE_MAX_VERSIONS = 500,      /* saves of one draft */
	RC_CHART_MAX_MEASURES = 20000,   /* measure rows read for the charts */
	RC_CHART_MAX_DIARY = 4000,       /* diary days read for the charts: ten years */
	RC_CHART_MAX_PSFS = 1000,
	RC_CHART_DIARY_NOTES = 10,       /* the diary's latest notes shown */
	RC_CHART_WINDOW_DAYS = 182,      /* the charts' default span without an episode */
	RC_CHART_ADVERSE_ALERT_DAYS = 90, /* an adverse event this recent is an alert on the chart */
};

/* What the use cases read besides the database. */
typedef struct rc_chart_know {
	const rc_chart_kb *kb;
	const rc_triage_kb *triage;
	const rc_programs *programs;
} rc_chart_know;

/* Practitioners and administrators see and write clinical content. */
bool rc_chart_clinician(const rc_account *a);

/* The body chart: where it hurts, marked per note (front and back views). */
typedef struct rc_body_mark {
	const char *key, *label;
	bool back;          /* drawn on the back view */
	int cx, cy, rx, ry; /* an ellipse in a 400 x 420 drawing: the front at x 0-200, the back at 200-400 */
} rc_body_mark;
extern const rc_body_mark rc_body_marks[];
extern const int rc_body_nmarks;
const rc_body_mark *rc_body_mark_find(const char *key);

/* Treatment kinds: acupuncture, electro_acupuncture, dry_needling, soft_tissue, manual_therapy, taping,
 * education, home_program. */
const char *rc_treatment_kind_label(const char *kind); /* "Acupuncture"; NULL when unknown */
bool rc_treatment_is_needling(const char *kind);

/* --- a patient's details --------------------------------------------------------------------------- */

typedef struct rc_profile_in {
	const char *date_of_birth, *phone, *emergency_name, *emergency_phone, *alert_note;
	const char *alerts[RC_CHART_NALERTS + 1]; /* keys; nalerts past the maximum is refused */
	int nalerts;
} rc_profile_in;
typedef struct rc_patient_details {
	rc_account patient;
	rc_profile profile;
	bool has_profile;
	rc_consent consent; /* the latest not withdrawn */
	bool has_consent;
	rc_episode active; /* the newest open episode */
	bool has_active;
} rc_patient_details;
/* A clinician reading a patient's details, alerts and needling consent (audited as what: "details" or
 * "consent"). */
RC_WUR rc_err rc_app_patient_details(const rc_uc *uc, int64_t patient, const char *what, rc_patient_details *out,
                                     rc_problem *p);
/* Fields: date_of_birth, phone, emergency_name, emergency_phone, alerts, alert_note. */
RC_WUR rc_err rc_app_profile_save(const rc_uc *uc, int64_t patient, const rc_profile_in *in, rc_problem *p);

/* --- episodes -------------------------------------------------------------------------------------- */

typedef struct rc_episode_in {
	const char *complaint, *side, *onset_day, *onset_kind, *condition, *goals;
} rc_episode_in;
/* Opens an episode (fields: complaint, side, onset_day, onset_kind, condition, goals); out->icd10 is the
 * condition's code on that side. */
RC_WUR rc_err rc_app_episode_open(const rc_uc *uc, const rc_chart_know *k, int64_t patient, const rc_episode_in *in,
                                  rc_episode *out, rc_problem *p);

/* --- notes ----------------------------------------------------------------------------------------- */

typedef struct rc_note_field_in {
	const char *key, *side, *value; /* side "", "left" or "right" */
} rc_note_field_in;

typedef struct rc_treatment_in {
	const char *kind;
	const char *points;             /* "BL40 both, GB30 left, GV20" */
	const char *needles, *minutes, *hz, *stage; /* as typed; "" or NULL: not given */
	const char *side, *muscle, *region, *technique, *topic, *detail, *program;
} rc_treatment_in;

typedef struct rc_note_in {
	int64_t episode;          /* 0: the patient's one active episode */
	int64_t appointment;      /* 0: none */
	const char *kind;         /* initial, follow_up, discharge; NULL: initial for an episode's first note */
	const char *template_key; /* NULL: the one for the episode's condition */
	const char *visit_day;    /* NULL: today in the clinic's zone */
	const char *subjective, *objective, *assessment, *plan;
	rc_note_field_in findings[RC_NOTE_MAX_FINDINGS + 1];
	int nfindings;
	const char *marks[RC_NOTE_MAX_MARKS + 1];
	int nmarks;
	rc_treatment_in treatments[RC_NOTE_MAX_TREATMENTS + 1];
	int ntreatments;
	bool sign;                /* sign it now */
	int64_t expected_version; /* an update: the version the editor started from (0: do not check) */
} rc_note_in;

typedef struct rc_note_finding {
	const char *key;
	const rc_chart_field *field; /* NULL when the content no longer has the field */
	rc_side side; /* none, left or right */
	const char *value;
	int64_t num;
} rc_note_finding;

typedef struct rc_note_point {
	char code[RC_CHART_CODE_MAX + 1];
	rc_side side;
	const rc_acupoint *point; /* NULL when the list is not loaded */
} rc_note_point;

typedef struct rc_note_treatment {
	const char *kind;
	rc_note_point points[RC_CHART_MAX_POINTS];
	int npoints;
	int needles, minutes, hz, stage; /* -1: not given */
	rc_side side;
	const char *muscle, *region, *technique, *topic, *detail, *program; /* "" when not given */
} rc_note_treatment;

typedef struct rc_note {
	rc_note_row row;
	rc_episode episode;
	const rc_chart_template *tmpl; /* NULL when the content no longer has it */
	const char *subjective, *objective, *assessment, *plan;
	rc_note_finding findings[RC_NOTE_MAX_FINDINGS];
	int nfindings;
	const char *marks[RC_NOTE_MAX_MARKS];
	int nmarks;
	rc_note_treatment treatments[RC_NOTE_MAX_TREATMENTS];
	int ntreatments;
	rc_addendum addenda[RC_NOTE_MAX_ADDENDA];
	int naddenda;
	int64_t versions; /* earlier versions of the draft kept */
} rc_note;

/* RC_EINVAL: bad input (p->field names it, as the API and the form name it: episode_id, appointment_id,
 * kind, template, visit_day, subjective … plan, findings.KEY[.SIDE], marks, treatments[I].FIELD);
 * RC_ECONFLICT: a rule (signed, discharged episode, consent missing, someone saved in between);
 * RC_ENOTFOUND: no such patient, note or episode for this actor. out is the note as saved. */
RC_WUR rc_err rc_app_note_create(const rc_uc *uc, const rc_chart_know *k, int64_t patient, const rc_note_in *in,
                                 rc_note *out, rc_problem *p);
/* Replaces a draft (patient: the one the door's address names, 0 for any). A signed note: RC_ECONFLICT. */
RC_WUR rc_err rc_app_note_update(const rc_uc *uc, const rc_chart_know *k, int64_t patient, int64_t note,
                                 const rc_note_in *in, rc_note *out, rc_problem *p);
RC_WUR rc_err rc_app_note_sign(const rc_uc *uc, const rc_chart_know *k, int64_t patient, int64_t note, rc_note *out,
                               rc_problem *p);
/* A dated, signed correction of a signed note (field: text). A draft: RC_ECONFLICT (edit it instead). */
RC_WUR rc_err rc_app_note_addendum(const rc_uc *uc, const rc_chart_know *k, int64_t patient, int64_t note,
                                   const char *text, rc_note *out, rc_problem *p);
/* One note, read and audited: a clinician any; a runner only their own signed ones. */
RC_WUR rc_err rc_app_note_get(const rc_uc *uc, const rc_chart_know *k, int64_t patient, int64_t note, rc_note *out,
                              rc_problem *p);
/* A draft as the input that would save it unchanged (the editor, and PATCH's starting point). */
void rc_app_note_as_input(const rc_note *n, rc_note_in *in, rc_arena *a);

/* --- consent and adverse events -------------------------------------------------------------------- */

typedef struct rc_consent_in {
	int version;         /* the text's version the patient read: must be the current one */
	const char *given_day; /* NULL: today */
} rc_consent_in;
RC_WUR rc_err rc_app_consent_record(const rc_uc *uc, const rc_chart_know *k, int64_t patient, const rc_consent_in *in,
                                    rc_consent *out, rc_problem *p);
RC_WUR rc_err rc_app_consent_withdraw(const rc_uc *uc, int64_t patient, rc_problem *p);

typedef struct rc_adverse_in {
	const char *day, *kind, *severity, *description;
	int64_t note; /* 0: not tied to a note */
} rc_adverse_in;
RC_WUR rc_err rc_app_adverse_record(const rc_uc *uc, int64_t patient, const rc_adverse_in *in, rc_adverse *out,
                                    rc_problem *p);
extern const char *const rc_adverse_kinds[];
extern const int rc_adverse_nkinds;
const char *rc_adverse_kind_label(const char *kind);

/* --- the chart ------------------------------------------------------------------------------------- */

typedef struct rc_chart_point {
	int64_t day;  /* day number */
	int64_t value;
	int64_t note; /* the signed note it was measured in; 0 for the runner's own */
} rc_chart_point;

typedef struct rc_chart_series {
	const rc_chart_field *field; /* NULL for the runner's own series */
	const char *key, *label, *side;
	int top;                     /* the axis's top, in the series' unit */
	int decimals;
	rc_chart_point *v;
	int n;
} rc_chart_series;

typedef struct rc_chart_visit {
	int64_t day, note;
} rc_chart_visit;

typedef struct rc_chart_answer {
	const rc_finding *finding;
	char text[64];  /* the answer in words */
	bool red_flag;  /* asked among the warning signs */
	bool fired;     /* made a red flag fire */
} rc_chart_answer;

typedef struct rc_chart_view {
	rc_account patient;
	rc_profile profile;
	bool has_profile;
	int age; /* -1: no date of birth */
	int64_t profile_versions;
	const rc_chart_alert *alerts[RC_CHART_NALERTS];
	int nalerts;
	rc_consent consent;
	bool has_consent, consent_current;
	bool needling_ready; /* the acupoint list is loaded */
	rc_episode *episodes; /* newest first */
	int nepisodes;
	const rc_episode *active; /* the newest active one, or NULL */
	rc_timeline_item *timeline;
	int ntimeline, page;
	bool more;
	rc_adverse *adverse; /* newest first */
	int nadverse, nrecent_adverse; /* the first nrecent_adverse are alerts */
	/* The latest self-check, every answer (warning signs first). */
	bool has_selfcheck;
	rc_selfcheck_row selfcheck;
	const char *selfcheck_top; /* the likely condition's name */
	rc_chart_answer *answers;
	int nanswers;
	const char *flag_reasons[16];
	int nflags;
	/* Training files: load and flags. */
	rc_training *training;
	/* The home program. */
	bool has_program;
	rc_assignment assignment;
	const rc_program *program;
	double adherence7, adherence28;
	/* Measures over time: from first_day to last_day (day numbers). */
	int64_t first_day, last_day;
	bool all_time;
	rc_chart_series *series; /* the clinician's, by field and side, then the runner's own */
	int nseries, nclinical;
	rc_chart_visit *visits; /* signed visits in the window, oldest first */
	int nvisits;
	rc_diary_point *diary_notes; /* the latest with notes, newest first */
	int ndiary_notes;
	int diary_days;
} rc_chart_view;

typedef struct rc_chart_view_in {
	int64_t patient;
	int page;      /* the timeline's, from 0 */
	bool all_time; /* measures since the first record, not the active episode */
} rc_chart_view_in;
RC_WUR rc_err rc_app_chart_view(const rc_uc *uc, const rc_chart_know *k, const rc_chart_view_in *in,
                                rc_chart_view *out, rc_problem *p);

/* --- the letter ------------------------------------------------------------------------------------ */

typedef struct rc_letter {
	rc_account patient;
	rc_profile profile;
	rc_episode episode;
	const rc_note *first, *latest; /* the episode's first and latest signed notes (the same when one) */
	int nnotes;
	struct {
		const char *kind;
		int64_t n;
	} treatments[16];
	int ntreatments;
	struct {
		char code[RC_CHART_CODE_MAX + 1];
		int64_t n;
	} points[12];
	int npoints;
} rc_letter;
/* From the episode's signed notes only; RC_ECONFLICT when it has none yet. */
RC_WUR rc_err rc_app_letter(const rc_uc *uc, const rc_chart_know *k, int64_t patient, int64_t episode, rc_letter *out,
                            rc_problem *p);

/* --- the runner's own notes, and search ---------------------------------------------------------------- */

typedef struct rc_note_list {
	rc_note *v;
	int n, page;
	bool more;
} rc_note_list;
/* A runner's signed notes, newest first, a page at a time: for the runner themself, or a clinician. */
RC_WUR rc_err rc_app_runner_notes(const rc_uc *uc, const rc_chart_know *k, int64_t runner, int page, rc_note_list *out,
                                  rc_problem *p);

/* A condition's name in the self-check's vocabulary (the key when unknown). */
const char *rc_chart_condition_name(const rc_chart_know *k, const char *key);

#endif
