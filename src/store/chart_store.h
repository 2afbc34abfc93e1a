/* chart_store.h — the clinical chart's statements: patient details (with the versions each edit
 * replaced), episodes, notes (drafts with their earlier versions, signed notes never changed),
 * addenda, the measures and treatments written when a note is signed, needling consent, adverse
 * events, the timeline of visits and notes, and the chart's bounded reads of the
 * self-check, diary and PSFS. Writers run inside the caller's transaction (app/chart.c's). */
#ifndef RC_CHART_STORE_H
#define RC_CHART_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "base/arena.h"
#include "store/db.h"

enum {
	RC_PHONE_MAX = 40,
	RC_ALERTS_MAX = 200,
	RC_ALERT_NOTE_MAX = 500,
	RC_COMPLAINT_MAX = 300,
	RC_GOALS_MAX = 1000,
	RC_OUTCOME_MAX = 2000,
	RC_SUMMARY_MAX = 240,
	RC_ADDENDUM_MAX = 4000,
	RC_ADVERSE_MAX_TEXT = 1000,
};

/* --- patient details ------------------------------------------------------------------------- */

typedef struct rc_profile {
	int64_t runner_id;
	char date_of_birth[11];
	char phone[RC_PHONE_MAX + 1];
	char emergency_name[121];
	char emergency_phone[RC_PHONE_MAX + 1];
	char alerts[RC_ALERTS_MAX + 1]; /* space-separated keys */
	char alert_note[RC_ALERT_NOTE_MAX + 1];
	int64_t updated_at, updated_by;
} rc_profile;

/* *found false (and out zeroed but for runner_id) when nothing is recorded yet. */
RC_WUR rc_err rc_profile_get(rc_db *db, int64_t runner_id, rc_profile *out, bool *found);
/* Inserts, or keeps the current details as a version and replaces them; the patient's search keys
 * follow (store/patient_store.h). phone_digits: the phone's digits (domain/search.h). */
RC_WUR rc_err rc_profile_put(rc_db *db, const rc_profile *p, const char *phone_digits, int64_t now, int64_t by);
/* How many earlier versions are kept. */
RC_WUR rc_err rc_profile_versions(rc_db *db, int64_t runner_id, int64_t *n);

/* --- episodes -------------------------------------------------------------------------------- */

typedef struct rc_episode {
	int64_t id, runner_id;
	char complaint[RC_COMPLAINT_MAX + 1];
	char side[8];
	char onset_day[11], onset_kind[8];
	char condition_key[48], icd10[40];
	char goals[RC_GOALS_MAX + 1];
	char status[12];
	int64_t opened_at, opened_by, discharged_at, discharged_by;
	char outcome[RC_OUTCOME_MAX + 1];
	int notes, signed_notes;
} rc_episode;

RC_WUR rc_err rc_episode_insert(rc_db *db, const rc_episode *e, int64_t *id);
RC_WUR rc_err rc_episode_get(rc_db *db, int64_t id, rc_episode *out, bool *found);
/* Newest first; at most max (the caller checks the count first). */
RC_WUR rc_err rc_episodes_of(rc_db *db, int64_t runner_id, rc_episode *out, int max, int *n);
RC_WUR rc_err rc_episodes_count(rc_db *db, int64_t runner_id, int64_t *n);
/* Active → discharged, once: RC_ECONFLICT when it was not active. */
RC_WUR rc_err rc_episode_discharge(rc_db *db, int64_t id, int64_t now, int64_t by, const char *outcome);

/* --- notes ----------------------------------------------------------------------------------- */

typedef struct rc_note_row {
	int64_t id, runner_id, episode_id, appointment_id;
	char kind[12], template_key[48], visit_day[11];
	int64_t visit_at;
	const char *body; /* in the arena given to the reader; NULL from list readers */
	char summary[RC_SUMMARY_MAX + 1];
	int64_t version, author_id, created_at, updated_at, signed_at, signed_by;
	char author_name[121], signer_name[121];
} rc_note_row;

RC_WUR rc_err rc_note_insert(rc_db *db, const rc_note_row *n, int64_t *id);
RC_WUR rc_err rc_note_get(rc_db *db, rc_arena *a, int64_t id, rc_note_row *out, bool *found);
/* Keeps the draft's current body as a version, then replaces it. RC_ECONFLICT when the note is signed
 * or its version is not expected_version (someone saved in between). */
RC_WUR rc_err rc_note_update_draft(rc_db *db, const rc_note_row *n, int64_t expected_version, int64_t by);
/* Draft → signed, once: RC_ECONFLICT when already signed. */
RC_WUR rc_err rc_note_sign(rc_db *db, int64_t id, int64_t now, int64_t by);
RC_WUR rc_err rc_note_versions(rc_db *db, int64_t note_id, int64_t *n);
/* The episode's notes: how many, and whether one is an initial assessment. */
RC_WUR rc_err rc_episode_notes(rc_db *db, int64_t episode_id, int64_t *count, bool *has_initial);
/* The patient's notes newest first, page by page (signed_only for the runner's own view); bodies are read
 * only with_body (into a). *more is true when a note follows the page. */
typedef void (*rc_note_fn)(void *ctx, const rc_note_row *n);
RC_WUR rc_err rc_notes_page(rc_db *db, rc_arena *a, int64_t runner_id, bool signed_only, bool with_body, int offset,
                            int limit, rc_note_fn fn, void *ctx, bool *more);
/* An episode's first (or latest) signed note, with its body. */
RC_WUR rc_err rc_episode_signed_note(rc_db *db, rc_arena *a, int64_t episode_id, bool latest, rc_note_row *out,
                                     bool *found);

typedef struct rc_addendum {
	int64_t id, note_id, author_id, created_at;
	char author_name[121];
	const char *text; /* in the reader's arena */
} rc_addendum;
RC_WUR rc_err rc_addendum_insert(rc_db *db, int64_t note_id, int64_t runner_id, int64_t author, int64_t now,
                                 const char *text, int64_t *id);
RC_WUR rc_err rc_addenda_count(rc_db *db, int64_t note_id, int64_t *n);
typedef void (*rc_addendum_fn)(void *ctx, const rc_addendum *a);
RC_WUR rc_err rc_addenda_each(rc_db *db, rc_arena *a, int64_t note_id, rc_addendum_fn fn, void *ctx);

/* --- the timeline: notes and the visits without one --------------------------------------------- */

typedef struct rc_timeline_item {
	bool is_note;
	int64_t id, at, episode_id;
	char what[24];     /* a note's kind, or an appointment's status */
	char title[121];   /* a note's template key, or the service's name */
	char summary[RC_SUMMARY_MAX + 1]; /* a note's summary, or the appointment's reason */
	char who[121];     /* the note's author, or the practitioner */
	bool signed_;
} rc_timeline_item;
typedef void (*rc_timeline_fn)(void *ctx, const rc_timeline_item *t);
RC_WUR rc_err rc_timeline_page(rc_db *db, int64_t runner_id, int offset, int limit, rc_timeline_fn fn, void *ctx,
                               bool *more);

/* --- what a signed note writes once ------------------------------------------------------------- */

RC_WUR rc_err rc_measure_insert(rc_db *db, int64_t note_id, int64_t runner_id, const char *day, const char *key,
                                const char *side, int64_t value);
typedef void (*rc_measure_fn)(void *ctx, const char *day, const char *key, const char *side, int64_t value,
                              int64_t note_id);
/* The patient's measures from day from on (oldest first); RC_ETOOBIG past limit rows. */
RC_WUR rc_err rc_measures_since(rc_db *db, int64_t runner_id, const char *from, int limit, rc_measure_fn fn, void *ctx);

typedef struct rc_treatment_row {
	int64_t note_id, runner_id;
	int seq;
	const char *kind, *side, *muscle, *region, *technique, *topic, *detail, *program_key;
	int needles, minutes, hz, stage; /* -1: not given */
	int64_t assignment_id;           /* 0: none */
} rc_treatment_row;
RC_WUR rc_err rc_treatment_insert(rc_db *db, const rc_treatment_row *t, int64_t *id);
RC_WUR rc_err rc_treatment_point_insert(rc_db *db, int64_t treatment_id, const char *code, const char *side);
/* Treatments given in an episode's signed notes, by kind: fn(kind, count). */
typedef void (*rc_count_fn)(void *ctx, const char *key, int64_t n);
RC_WUR rc_err rc_treatment_counts(rc_db *db, int64_t episode_id, rc_count_fn fn, void *ctx);
/* Points needled in an episode, most used first (at most limit). */
RC_WUR rc_err rc_treatment_points(rc_db *db, int64_t episode_id, int limit, rc_count_fn fn, void *ctx);

/* --- consent and adverse events ----------------------------------------------------------------- */

typedef struct rc_consent {
	int64_t id, runner_id, recorded_at, recorded_by, withdrawn_at;
	int version;
	char given_day[11], recorded_by_name[121];
} rc_consent;
RC_WUR rc_err rc_consent_insert(rc_db *db, int64_t runner_id, int version, const char *day, int64_t now, int64_t by,
                                int64_t *id);
/* The latest consent not withdrawn. */
RC_WUR rc_err rc_consent_current(rc_db *db, int64_t runner_id, rc_consent *out, bool *found);
/* RC_ECONFLICT when it was already withdrawn. */
RC_WUR rc_err rc_consent_withdraw(rc_db *db, int64_t id, int64_t now, int64_t by);

typedef struct rc_adverse {
	int64_t id, runner_id, note_id, recorded_at, recorded_by;
	char day[11], kind[16], severity[10];
	char description[RC_ADVERSE_MAX_TEXT + 1], recorded_by_name[121];
} rc_adverse;
RC_WUR rc_err rc_adverse_insert(rc_db *db, const rc_adverse *a, int64_t *id);
RC_WUR rc_err rc_adverse_count(rc_db *db, int64_t runner_id, int64_t *n);
/* Newest first, at most max. */
RC_WUR rc_err rc_adverse_list(rc_db *db, int64_t runner_id, rc_adverse *out, int max, int *n);

/* --- the chart's reads of the runner's own records ----------------------------------------------- */

typedef struct rc_selfcheck_row {
	int64_t id, at;
	char urgency[16], top[64];
	const char *answers, *result; /* JSON, in the arena */
} rc_selfcheck_row;
RC_WUR rc_err rc_chart_selfcheck_latest(rc_db *db, rc_arena *a, int64_t runner_id, rc_selfcheck_row *out, bool *found);

typedef struct rc_diary_point {
	char day[11];
	int pain_rest, pain_sitting, pain_running, minutes_run; /* pain_running -1: did not run */
	const char *notes; /* in the arena */
} rc_diary_point;
typedef void (*rc_diary_point_fn)(void *ctx, const rc_diary_point *d);
/* Current diary entries from day from on, oldest first; RC_ETOOBIG past limit. */
RC_WUR rc_err rc_chart_diary_since(rc_db *db, rc_arena *a, int64_t runner_id, const char *from, int limit,
                                   rc_diary_point_fn fn, void *ctx);
typedef void (*rc_psfs_point_fn)(void *ctx, const char *day, const char *ratings_json);
RC_WUR rc_err rc_chart_psfs_since(rc_db *db, int64_t runner_id, const char *from, int limit, rc_psfs_point_fn fn,
                                  void *ctx);
/* An appointment's runner, start and status (0, 0, "" when there is none). */
RC_WUR rc_err rc_chart_appointment(rc_db *db, int64_t id, int64_t *runner_id, int64_t *starts_at, char status[16]);

#endif
