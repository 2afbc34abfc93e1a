/* chart_store.c — the clinical chart's statements (see chart_store.h). */
#include "store/chart_store.h"

#include <stdio.h>
#include <string.h>

#include "store/patient_store.h"

/* --- statements, declared once -------------------------------------------------------------------- */

static const rc_sql q_profile_get = {"chart_profile_get",
	"SELECT date_of_birth, phone, emergency_name, emergency_phone, alerts, alert_note, updated_at, "
	"COALESCE(updated_by, 0) FROM patient_profile WHERE runner_id = ?"};
static const rc_sql q_profile_keep = {"chart_profile_keep",
	"INSERT INTO patient_profile_version (runner_id, date_of_birth, phone, emergency_name, emergency_phone, alerts, "
	"alert_note, saved_at, saved_by, replaced_at) SELECT runner_id, date_of_birth, phone, emergency_name, "
	"emergency_phone, alerts, alert_note, updated_at, updated_by, ? FROM patient_profile WHERE runner_id = ?"};
static const rc_sql q_profile_insert = {"chart_profile_insert",
	"INSERT INTO patient_profile (runner_id, date_of_birth, phone, phone_digits, emergency_name, emergency_phone, "
	"alerts, alert_note, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"};
static const rc_sql q_profile_update = {"chart_profile_update",
	"UPDATE patient_profile SET date_of_birth = ?, phone = ?, phone_digits = ?, emergency_name = ?, "
	"emergency_phone = ?, alerts = ?, alert_note = ?, updated_at = ?, updated_by = ? WHERE runner_id = ?"};
static const rc_sql q_profile_versions = {"chart_profile_versions",
	"SELECT COUNT(*) FROM patient_profile_version WHERE runner_id = ?"};

#define EPISODE_COLS                                                                                        \
	"e.id, e.runner_id, e.complaint, e.side, e.onset_day, e.onset_kind, e.condition_key, e.icd10, e.goals, " \
	"e.status, e.opened_at, e.opened_by, COALESCE(e.discharged_at, 0), COALESCE(e.discharged_by, 0), "      \
	"e.outcome, (SELECT COUNT(*) FROM clinical_note n WHERE n.episode_id = e.id), "                          \
	"(SELECT COUNT(*) FROM clinical_note n WHERE n.episode_id = e.id AND n.signed_at IS NOT NULL)"
static const rc_sql q_episode_insert = {"chart_episode_insert",
	"INSERT INTO episode (runner_id, complaint, side, onset_day, onset_kind, condition_key, icd10, goals, status, "
	"opened_at, opened_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'active', ?, ?) RETURNING id"};
static const rc_sql q_episode_get = {"chart_episode_get", "SELECT " EPISODE_COLS " FROM episode e WHERE e.id = ?"};
static const rc_sql q_episodes_of = {"chart_episodes_of",
	"SELECT " EPISODE_COLS " FROM episode e WHERE e.runner_id = ? ORDER BY e.id DESC LIMIT ?"};
static const rc_sql q_episodes_count = {"chart_episodes_count", "SELECT COUNT(*) FROM episode WHERE runner_id = ?"};
static const rc_sql q_episode_discharge = {"chart_episode_discharge",
	"UPDATE episode SET status = 'discharged', discharged_at = ?, discharged_by = ?, outcome = ? "
	"WHERE id = ? AND status = 'active'"};

#define NOTE_COLS                                                                                             \
	"n.id, n.runner_id, n.episode_id, COALESCE(n.appointment_id, 0), n.kind, n.template_key, n.visit_day, "   \
	"n.visit_at, n.summary, n.version, n.author_id, n.created_at, n.updated_at, COALESCE(n.signed_at, 0), "    \
	"COALESCE(n.signed_by, 0), a.name, COALESCE(s.name, '')"
#define NOTE_FROM "FROM clinical_note n JOIN account a ON a.id = n.author_id LEFT JOIN account s ON s.id = n.signed_by "
static const rc_sql q_note_insert = {"chart_note_insert",
	"INSERT INTO clinical_note (runner_id, episode_id, appointment_id, kind, template_key, visit_day, visit_at, body, "
	"summary, version, author_id, created_at, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?) "
	"RETURNING id"};
static const rc_sql q_note_get = {"chart_note_get", "SELECT " NOTE_COLS ", n.body " NOTE_FROM "WHERE n.id = ?"};
static const rc_sql q_note_keep = {"chart_note_keep",
	"INSERT INTO clinical_note_version (note_id, version, body, saved_at, saved_by) "
	"SELECT id, version, body, updated_at, updated_by FROM clinical_note WHERE id = ? AND signed_at IS NULL "
	"AND version = ?"};
static const rc_sql q_note_update = {"chart_note_update",
	"UPDATE clinical_note SET appointment_id = ?, kind = ?, template_key = ?, visit_day = ?, visit_at = ?, body = ?, "
	"summary = ?, version = version + 1, updated_at = ?, updated_by = ? WHERE id = ? AND signed_at IS NULL "
	"AND version = ?"};
static const rc_sql q_note_sign = {"chart_note_sign",
	"UPDATE clinical_note SET signed_at = ?, signed_by = ? WHERE id = ? AND signed_at IS NULL"};
static const rc_sql q_note_versions = {"chart_note_versions",
	"SELECT COUNT(*) FROM clinical_note_version WHERE note_id = ?"};
static const rc_sql q_episode_notes = {"chart_episode_notes",
	"SELECT COUNT(*), COALESCE(SUM(CASE WHEN kind = 'initial' THEN 1 ELSE 0 END), 0) FROM clinical_note "
	"WHERE episode_id = ?"};
static const rc_sql q_notes_page = {"chart_notes_page",
	"SELECT " NOTE_COLS ", n.body " NOTE_FROM "WHERE n.runner_id = ? AND (? = 0 OR n.signed_at IS NOT NULL) "
	"ORDER BY n.visit_at DESC, n.id DESC LIMIT ? OFFSET ?"};
static const rc_sql q_episode_first = {"chart_episode_first",
	"SELECT " NOTE_COLS ", n.body " NOTE_FROM "WHERE n.episode_id = ? AND n.signed_at IS NOT NULL "
	"ORDER BY n.visit_at, n.id LIMIT 1"};
static const rc_sql q_episode_latest = {"chart_episode_latest",
	"SELECT " NOTE_COLS ", n.body " NOTE_FROM "WHERE n.episode_id = ? AND n.signed_at IS NOT NULL "
	"ORDER BY n.visit_at DESC, n.id DESC LIMIT 1"};

static const rc_sql q_addendum_insert = {"chart_addendum_insert",
	"INSERT INTO note_addendum (note_id, runner_id, author_id, created_at, text) VALUES (?, ?, ?, ?, ?) RETURNING id"};
static const rc_sql q_addenda_count = {"chart_addenda_count", "SELECT COUNT(*) FROM note_addendum WHERE note_id = ?"};
static const rc_sql q_addenda = {"chart_addenda",
	"SELECT d.id, d.author_id, d.created_at, a.name, d.text FROM note_addendum d JOIN account a ON a.id = d.author_id "
	"WHERE d.note_id = ? ORDER BY d.id"};

static const rc_sql q_timeline = {"chart_timeline",
	"SELECT 1, n.id, n.visit_at, n.episode_id, n.kind, n.template_key, n.summary, a.name, "
	"CASE WHEN n.signed_at IS NULL THEN 0 ELSE 1 END FROM clinical_note n JOIN account a ON a.id = n.author_id "
	"WHERE n.runner_id = ? "
	"UNION ALL "
	"SELECT 0, ap.id, ap.starts_at, 0, ap.status, s.name, ap.reason, p.name, 0 FROM appointment ap "
	"JOIN service s ON s.id = ap.service_id JOIN practitioner p ON p.id = ap.practitioner_id "
	"WHERE ap.runner_id = ? AND ap.status <> 'cancelled' "
	"AND NOT EXISTS (SELECT 1 FROM clinical_note c WHERE c.appointment_id = ap.id) "
	"ORDER BY 3 DESC, 2 DESC LIMIT ? OFFSET ?"};

static const rc_sql q_measure_insert = {"chart_measure_insert",
	"INSERT INTO note_measure (note_id, runner_id, visit_day, field_key, side, value) VALUES (?, ?, ?, ?, ?, ?)"};
static const rc_sql q_measures = {"chart_measures",
	"SELECT visit_day, field_key, side, value, note_id FROM note_measure WHERE runner_id = ? AND visit_day >= ? "
	"ORDER BY visit_day, id LIMIT ?"};

static const rc_sql q_treatment_insert = {"chart_treatment_insert",
	"INSERT INTO treatment (note_id, runner_id, seq, kind, side, needles, minutes, hz, muscle, region, technique, topic, "
	"detail, program_key, stage, assignment_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"};
static const rc_sql q_point_insert = {"chart_point_insert",
	"INSERT INTO treatment_point (treatment_id, code, side) VALUES (?, ?, ?)"};
static const rc_sql q_treatment_counts = {"chart_treatment_counts",
	"SELECT t.kind, COUNT(*) FROM treatment t JOIN clinical_note n ON n.id = t.note_id WHERE n.episode_id = ? "
	"GROUP BY t.kind ORDER BY t.kind"};
static const rc_sql q_treatment_points = {"chart_treatment_points",
	"SELECT p.code, COUNT(*) FROM treatment_point p JOIN treatment t ON t.id = p.treatment_id "
	"JOIN clinical_note n ON n.id = t.note_id WHERE n.episode_id = ? GROUP BY p.code ORDER BY 2 DESC, 1 LIMIT ?"};

static const rc_sql q_consent_insert = {"chart_consent_insert",
	"INSERT INTO needling_consent (runner_id, consent_version, given_day, recorded_at, recorded_by) "
	"VALUES (?, ?, ?, ?, ?) RETURNING id"};
static const rc_sql q_consent_current = {"chart_consent_current",
	"SELECT c.id, c.consent_version, c.given_day, c.recorded_at, c.recorded_by, a.name FROM needling_consent c "
	"JOIN account a ON a.id = c.recorded_by WHERE c.runner_id = ? AND c.withdrawn_at IS NULL ORDER BY c.id DESC LIMIT 1"};
static const rc_sql q_consent_withdraw = {"chart_consent_withdraw",
	"UPDATE needling_consent SET withdrawn_at = ?, withdrawn_by = ? WHERE id = ? AND withdrawn_at IS NULL"};

static const rc_sql q_adverse_insert = {"chart_adverse_insert",
	"INSERT INTO adverse_event (runner_id, note_id, day, kind, severity, description, recorded_at, recorded_by) "
	"VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"};
static const rc_sql q_adverse_count = {"chart_adverse_count", "SELECT COUNT(*) FROM adverse_event WHERE runner_id = ?"};
static const rc_sql q_adverse_list = {"chart_adverse_list",
	"SELECT e.id, COALESCE(e.note_id, 0), e.day, e.kind, e.severity, e.description, e.recorded_at, e.recorded_by, "
	"a.name FROM adverse_event e JOIN account a ON a.id = e.recorded_by WHERE e.runner_id = ? "
	"ORDER BY e.day DESC, e.id DESC LIMIT ?"};

static const rc_sql q_selfcheck_latest = {"chart_selfcheck_latest",
	"SELECT id, created_at, urgency, top_condition, answers, result FROM selfcheck_result WHERE runner_id = ? "
	"ORDER BY created_at DESC, id DESC LIMIT 1"};
static const rc_sql q_diary_since = {"chart_diary_since",
	"SELECT day, pain_rest, pain_sitting, COALESCE(pain_running, -1), minutes_run, notes FROM diary_entry "
	"WHERE runner_id = ? AND day >= ? AND superseded_by IS NULL ORDER BY day, id LIMIT ?"};
static const rc_sql q_psfs_since = {"chart_psfs_since",
	"SELECT day, ratings FROM psfs_rating WHERE runner_id = ? AND day >= ? ORDER BY rated_at, id LIMIT ?"};
static const rc_sql q_appointment = {"chart_appointment",
	"SELECT runner_id, starts_at, status FROM appointment WHERE id = ?"};


/* --- helpers ----------------------------------------------------------------------------------------- */

static void copy(char *dst, size_t n, const char *src)
{
	snprintf(dst, n, "%s", src ? src : "");
}

/* Binds v, or SQL NULL when v <= 0 (an id that is not there). */
static rc_err bind_id(rc_stmt *s, int i, int64_t v)
{
	return v > 0 ? rc_stmt_bind_int(s, i, v) : rc_stmt_bind_text(s, i, NULL);
}

/* Binds v, or SQL NULL when v < 0 (a number not given). */
static rc_err bind_num(rc_stmt *s, int i, int v)
{
	return v >= 0 ? rc_stmt_bind_int(s, i, v) : rc_stmt_bind_text(s, i, NULL);
}

static rc_err count_of(rc_db *db, const rc_sql *q, int64_t id, int64_t *n)
{
	rc_stmt *s;
	bool row;
	*n = 0;
	rc_err e = rc_db_query(db, q, &s, &row, "i", id);
	if (!e && row)
		*n = rc_stmt_int(s, 0);
	return e;
}

/* Steps an INSERT ... RETURNING id that bind filled. */
static rc_err returning(rc_stmt *s, rc_err e, int64_t *id)
{
	bool row = false;
	if (!e)
		e = rc_stmt_step(s, &row);
	if (!e && !row)
		e = RC_EDB;
	if (!e) {
		*id = rc_stmt_int(s, 0);
		rc_stmt_done(s);
	}
	return e;
}

/* --- patient details -------------------------------------------------------------------------------- */

rc_err rc_profile_get(rc_db *db, int64_t runner_id, rc_profile *out, bool *found)
{
	memset(out, 0, sizeof *out);
	out->runner_id = runner_id;
	*found = false;
	rc_stmt *s;
	bool row;
	rc_err e = rc_db_query(db, &q_profile_get, &s, &row, "i", runner_id);
	if (e || !row)
		return e;
	copy(out->date_of_birth, sizeof out->date_of_birth, rc_stmt_text(s, 0));
	copy(out->phone, sizeof out->phone, rc_stmt_text(s, 1));
	copy(out->emergency_name, sizeof out->emergency_name, rc_stmt_text(s, 2));
	copy(out->emergency_phone, sizeof out->emergency_phone, rc_stmt_text(s, 3));
	copy(out->alerts, sizeof out->alerts, rc_stmt_text(s, 4));
	copy(out->alert_note, sizeof out->alert_note, rc_stmt_text(s, 5));
	out->updated_at = rc_stmt_int(s, 6);
	out->updated_by = rc_stmt_int(s, 7);
	*found = true;
	rc_stmt_done(s);
	return RC_OK;
}

rc_err rc_profile_put(rc_db *db, const rc_profile *p, const char *digits, int64_t now, int64_t by)
{
	rc_profile old;
	bool found;
	rc_err e = rc_profile_get(db, p->runner_id, &old, &found);
	if (e)
		return e;
	if (found && (e = rc_db_query(db, &q_profile_keep, NULL, NULL, "ii", now, p->runner_id)))
		return e;
	/* The same values for both; who saved them is NULL when nobody did (the demo's details). */
	rc_stmt *s = rc_db_stmt(db, found ? &q_profile_update : &q_profile_insert);
	if (!s)
		return RC_EDB;
	int i = 1;
	if (!found)
		e = rc_stmt_bind_int(s, i++, p->runner_id);
	const char *texts[] = {p->date_of_birth, p->phone, digits, p->emergency_name, p->emergency_phone, p->alerts,
	                       p->alert_note};
	for (size_t t = 0; !e && t < sizeof texts / sizeof texts[0]; t++)
		e = rc_stmt_bind_text(s, i++, texts[t]);
	e = e ? e : rc_stmt_bind_int(s, i++, now);
	e = e ? e : bind_id(s, i++, by);
	if (found)
		e = e ? e : rc_stmt_bind_int(s, i++, p->runner_id);
	bool row;
	if (e || (e = rc_stmt_step(s, &row)))
		return e;
	/* The phone and date of birth are how the front desk finds the patient. */
	return rc_patient_index(db, p->runner_id, false);
}

rc_err rc_profile_versions(rc_db *db, int64_t runner_id, int64_t *n)
{
	return count_of(db, &q_profile_versions, runner_id, n);
}

/* --- episodes ---------------------------------------------------------------------------------------- */

static void read_episode(rc_stmt *s, rc_episode *e)
{
	memset(e, 0, sizeof *e);
	e->id = rc_stmt_int(s, 0);
	e->runner_id = rc_stmt_int(s, 1);
	copy(e->complaint, sizeof e->complaint, rc_stmt_text(s, 2));
	copy(e->side, sizeof e->side, rc_stmt_text(s, 3));
	copy(e->onset_day, sizeof e->onset_day, rc_stmt_text(s, 4));
	copy(e->onset_kind, sizeof e->onset_kind, rc_stmt_text(s, 5));
	copy(e->condition_key, sizeof e->condition_key, rc_stmt_text(s, 6));
	copy(e->icd10, sizeof e->icd10, rc_stmt_text(s, 7));
	copy(e->goals, sizeof e->goals, rc_stmt_text(s, 8));
	copy(e->status, sizeof e->status, rc_stmt_text(s, 9));
	e->opened_at = rc_stmt_int(s, 10);
	e->opened_by = rc_stmt_int(s, 11);
	e->discharged_at = rc_stmt_int(s, 12);
	e->discharged_by = rc_stmt_int(s, 13);
	copy(e->outcome, sizeof e->outcome, rc_stmt_text(s, 14));
	e->notes = (int)rc_stmt_int(s, 15);
	e->signed_notes = (int)rc_stmt_int(s, 16);
}

rc_err rc_episode_insert(rc_db *db, const rc_episode *ep, int64_t *id)
{
	rc_stmt *s = rc_db_stmt(db, &q_episode_insert);
	if (!s)
		return RC_EDB;
	int i = 1;
	rc_err e = rc_stmt_bind_int(s, i++, ep->runner_id);
	e = e ? e : rc_stmt_bind_text(s, i++, ep->complaint);
	e = e ? e : rc_stmt_bind_text(s, i++, ep->side);
	e = e ? e : rc_stmt_bind_text(s, i++, ep->onset_day);
	e = e ? e : rc_stmt_bind_text(s, i++, ep->onset_kind);
	e = e ? e : rc_stmt_bind_text(s, i++, ep->condition_key);
	e = e ? e : rc_stmt_bind_text(s, i++, ep->icd10);
	e = e ? e : rc_stmt_bind_text(s, i++, ep->goals);
	e = e ? e : rc_stmt_bind_int(s, i++, ep->opened_at);
	e = e ? e : rc_stmt_bind_int(s, i++, ep->opened_by);
	return returning(s, e, id);
}

rc_err rc_episode_get(rc_db *db, int64_t id, rc_episode *out, bool *found)
{
	rc_stmt *s;
	bool row;
	*found = false;
	rc_err e = rc_db_query(db, &q_episode_get, &s, &row, "i", id);
	if (!e && row) {
		read_episode(s, out);
		*found = true;
		rc_stmt_done(s);
	}
	return e;
}

rc_err rc_episodes_of(rc_db *db, int64_t runner_id, rc_episode *out, int max, int *n)
{
	rc_stmt *s;
	bool row;
	*n = 0;
	rc_err e = rc_db_query(db, &q_episodes_of, &s, &row, "ii", runner_id, (int64_t)max);
	while (!e && row && *n < max) {
		read_episode(s, &out[(*n)++]);
		e = rc_stmt_step(s, &row);
	}
	return e;
}

rc_err rc_episodes_count(rc_db *db, int64_t runner_id, int64_t *n)
{
	return count_of(db, &q_episodes_count, runner_id, n);
}

rc_err rc_episode_discharge(rc_db *db, int64_t id, int64_t now, int64_t by, const char *outcome)
{
	rc_stmt *s;
	rc_err e = rc_db_query(db, &q_episode_discharge, &s, NULL, "iiti", now, by, outcome, id);
	if (!e && rc_stmt_changes(s) != 1)
		e = RC_ECONFLICT;
	return e;
}

/* --- notes --------------------------------------------------------------------------------------------- */

/* Reads NOTE_COLS; the body (column 17) into a when a is given. */
static rc_err read_note(rc_stmt *s, rc_arena *a, rc_note_row *n)
{
	memset(n, 0, sizeof *n);
	n->id = rc_stmt_int(s, 0);
	n->runner_id = rc_stmt_int(s, 1);
	n->episode_id = rc_stmt_int(s, 2);
	n->appointment_id = rc_stmt_int(s, 3);
	copy(n->kind, sizeof n->kind, rc_stmt_text(s, 4));
	copy(n->template_key, sizeof n->template_key, rc_stmt_text(s, 5));
	copy(n->visit_day, sizeof n->visit_day, rc_stmt_text(s, 6));
	n->visit_at = rc_stmt_int(s, 7);
	copy(n->summary, sizeof n->summary, rc_stmt_text(s, 8));
	n->version = rc_stmt_int(s, 9);
	n->author_id = rc_stmt_int(s, 10);
	n->created_at = rc_stmt_int(s, 11);
	n->updated_at = rc_stmt_int(s, 12);
	n->signed_at = rc_stmt_int(s, 13);
	n->signed_by = rc_stmt_int(s, 14);
	copy(n->author_name, sizeof n->author_name, rc_stmt_text(s, 15));
	copy(n->signer_name, sizeof n->signer_name, rc_stmt_text(s, 16));
	if (a) {
		n->body = rc_arena_strdup(a, rc_stmt_text(s, 17));
		if (!n->body)
			return RC_ENOMEM;
	}
	return RC_OK;
}

rc_err rc_note_insert(rc_db *db, const rc_note_row *n, int64_t *id)
{
	rc_stmt *s = rc_db_stmt(db, &q_note_insert);
	if (!s)
		return RC_EDB;
	int i = 1;
	rc_err e = rc_stmt_bind_int(s, i++, n->runner_id);
	e = e ? e : rc_stmt_bind_int(s, i++, n->episode_id);
	e = e ? e : bind_id(s, i++, n->appointment_id);
	e = e ? e : rc_stmt_bind_text(s, i++, n->kind);
	e = e ? e : rc_stmt_bind_text(s, i++, n->template_key);
	e = e ? e : rc_stmt_bind_text(s, i++, n->visit_day);
	e = e ? e : rc_stmt_bind_int(s, i++, n->visit_at);
	e = e ? e : rc_stmt_bind_text(s, i++, n->body);
	e = e ? e : rc_stmt_bind_text(s, i++, n->summary);
	e = e ? e : rc_stmt_bind_int(s, i++, n->author_id);
	e = e ? e : rc_stmt_bind_int(s, i++, n->created_at);
	e = e ? e : rc_stmt_bind_int(s, i++, n->updated_at);
	e = e ? e : rc_stmt_bind_int(s, i++, n->author_id);
	return returning(s, e, id);
}

rc_err rc_note_get(rc_db *db, rc_arena *a, int64_t id, rc_note_row *out, bool *found)
{
	rc_stmt *s;
	bool row;
	*found = false;
	rc_err e = rc_db_query(db, &q_note_get, &s, &row, "i", id);
	if (!e && row) {
		e = read_note(s, a, out);
		*found = !e;
		rc_stmt_done(s);
	}
	return e;
}

rc_err rc_note_update_draft(rc_db *db, const rc_note_row *n, int64_t expected, int64_t by)
{
	rc_stmt *s;
	rc_err e = rc_db_query(db, &q_note_keep, &s, NULL, "ii", n->id, expected);
	if (!e && rc_stmt_changes(s) != 1)
		return RC_ECONFLICT;
	if (e)
		return e;
	if (!(s = rc_db_stmt(db, &q_note_update)))
		return RC_EDB;
	int i = 1;
	e = bind_id(s, i++, n->appointment_id);
	e = e ? e : rc_stmt_bind_text(s, i++, n->kind);
	e = e ? e : rc_stmt_bind_text(s, i++, n->template_key);
	e = e ? e : rc_stmt_bind_text(s, i++, n->visit_day);
	e = e ? e : rc_stmt_bind_int(s, i++, n->visit_at);
	e = e ? e : rc_stmt_bind_text(s, i++, n->body);
	e = e ? e : rc_stmt_bind_text(s, i++, n->summary);
	e = e ? e : rc_stmt_bind_int(s, i++, n->updated_at);
	e = e ? e : rc_stmt_bind_int(s, i++, by);
	e = e ? e : rc_stmt_bind_int(s, i++, n->id);
	e = e ? e : rc_stmt_bind_int(s, i++, expected);
	bool row;
	e = e ? e : rc_stmt_step(s, &row);
	if (!e && rc_stmt_changes(s) != 1)
		e = RC_ECONFLICT;
	return e;
}

rc_err rc_note_sign(rc_db *db, int64_t id, int64_t now, int64_t by)
{
	rc_stmt *s;
	rc_err e = rc_db_query(db, &q_note_sign, &s, NULL, "iii", now, by, id);
	if (!e && rc_stmt_changes(s) != 1)
		e = RC_ECONFLICT;
	return e;
}

rc_err rc_note_versions(rc_db *db, int64_t note_id, int64_t *n)
{
	return count_of(db, &q_note_versions, note_id, n);
}

rc_err rc_episode_notes(rc_db *db, int64_t episode_id, int64_t *count, bool *has_initial)
{
	rc_stmt *s;
	bool row;
	*count = 0;
	*has_initial = false;
	rc_err e = rc_db_query(db, &q_episode_notes, &s, &row, "i", episode_id);
	if (!e && row) {
		*count = rc_stmt_int(s, 0);
		*has_initial = rc_stmt_int(s, 1) > 0;
		rc_stmt_done(s);
	}
	return e;
}

static rc_err notes_loop(rc_stmt *s, rc_err e, bool row, rc_arena *a, int limit, rc_note_fn fn, void *ctx, bool *more)
{
	int n = 0;
	*more = false;
	while (!e && row) {
		if (n == limit) {
			*more = true;
			break;
		}
		rc_note_row r;
		if ((e = read_note(s, a, &r)))
			break;
		fn(ctx, &r);
		n++;
		e = rc_stmt_step(s, &row);
	}
	return e;
}

rc_err rc_notes_page(rc_db *db, rc_arena *a, int64_t runner_id, bool signed_only, bool with_body, int offset, int limit,
                     rc_note_fn fn, void *ctx, bool *more)
{
	rc_stmt *s;
	bool row;
	rc_err e = rc_db_query(db, &q_notes_page, &s, &row, "iiii", runner_id, (int64_t)signed_only, (int64_t)limit + 1,
	                       (int64_t)offset);
	return notes_loop(s, e, row, with_body ? a : NULL, limit, fn, ctx, more);
}

rc_err rc_episode_signed_note(rc_db *db, rc_arena *a, int64_t episode_id, bool latest, rc_note_row *out, bool *found)
{
	rc_stmt *s;
	bool row;
	*found = false;
	rc_err e = rc_db_query(db, latest ? &q_episode_latest : &q_episode_first, &s, &row, "i", episode_id);
	if (!e && row) {
		e = read_note(s, a, out);
		*found = !e;
		rc_stmt_done(s);
	}
	return e;
}

rc_err rc_addendum_insert(rc_db *db, int64_t note_id, int64_t runner_id, int64_t author, int64_t now, const char *text,
                          int64_t *id)
{
	rc_stmt *s = rc_db_stmt(db, &q_addendum_insert);
	if (!s)
		return RC_EDB;
	rc_err e = rc_stmt_bind_int(s, 1, note_id);
	e = e ? e : rc_stmt_bind_int(s, 2, runner_id);
	e = e ? e : rc_stmt_bind_int(s, 3, author);
	e = e ? e : rc_stmt_bind_int(s, 4, now);
	e = e ? e : rc_stmt_bind_text(s, 5, text);
	return returning(s, e, id);
}

rc_err rc_addenda_count(rc_db *db, int64_t note_id, int64_t *n)
{
	return count_of(db, &q_addenda_count, note_id, n);
}

rc_err rc_addenda_each(rc_db *db, rc_arena *a, int64_t note_id, rc_addendum_fn fn, void *ctx)
{
	rc_stmt *s;
	bool row;
	rc_err e = rc_db_query(db, &q_addenda, &s, &row, "i", note_id);
	while (!e && row) {
		rc_addendum d;
		memset(&d, 0, sizeof d);
		d.id = rc_stmt_int(s, 0);
		d.note_id = note_id;
		d.author_id = rc_stmt_int(s, 1);
		d.created_at = rc_stmt_int(s, 2);
		copy(d.author_name, sizeof d.author_name, rc_stmt_text(s, 3));
		if (!(d.text = rc_arena_strdup(a, rc_stmt_text(s, 4))))
			return RC_ENOMEM;
		fn(ctx, &d);
		e = rc_stmt_step(s, &row);
	}
	return e;
}

/* --- the timeline ---------------------------------------------------------------------------------------- */

rc_err rc_timeline_page(rc_db *db, int64_t runner_id, int offset, int limit, rc_timeline_fn fn, void *ctx, bool *more)
{
	rc_stmt *s;
	bool row;
	int n = 0;
	*more = false;
	rc_err e = rc_db_query(db, &q_timeline, &s, &row, "iiii", runner_id, runner_id, (int64_t)limit + 1, (int64_t)offset);
	while (!e && row) {
		if (n == limit) {
			*more = true;
			break;
		}
		rc_timeline_item t;
		memset(&t, 0, sizeof t);
		t.is_note = rc_stmt_int(s, 0) == 1;
		t.id = rc_stmt_int(s, 1);
		t.at = rc_stmt_int(s, 2);
		t.episode_id = rc_stmt_int(s, 3);
		copy(t.what, sizeof t.what, rc_stmt_text(s, 4));
		copy(t.title, sizeof t.title, rc_stmt_text(s, 5));
		copy(t.summary, sizeof t.summary, rc_stmt_text(s, 6));
		copy(t.who, sizeof t.who, rc_stmt_text(s, 7));
		t.signed_ = rc_stmt_int(s, 8) == 1;
		fn(ctx, &t);
		n++;
		e = rc_stmt_step(s, &row);
	}
	return e;
}

/* --- what a signed note writes ------------------------------------------------------------------------------ */

rc_err rc_measure_insert(rc_db *db, int64_t note_id, int64_t runner_id, const char *day, const char *key,
                         const char *side, int64_t value)
{
	return rc_db_query(db, &q_measure_insert, NULL, NULL, "iittti", note_id, runner_id, day, key, side, value);
}

rc_err rc_measures_since(rc_db *db, int64_t runner_id, const char *from, int limit, rc_measure_fn fn, void *ctx)
{
	rc_stmt *s;
	bool row;
	int n = 0;
	rc_err e = rc_db_query(db, &q_measures, &s, &row, "iti", runner_id, from, (int64_t)limit + 1);
	while (!e && row) {
		if (n++ == limit)
			return RC_ETOOBIG;
		fn(ctx, rc_stmt_text(s, 0), rc_stmt_text(s, 1), rc_stmt_text(s, 2), rc_stmt_int(s, 3), rc_stmt_int(s, 4));
		e = rc_stmt_step(s, &row);
	}
	return e;
}

rc_err rc_treatment_insert(rc_db *db, const rc_treatment_row *t, int64_t *id)
{
	rc_stmt *s = rc_db_stmt(db, &q_treatment_insert);
	if (!s)
		return RC_EDB;
	int i = 1;
	rc_err e = rc_stmt_bind_int(s, i++, t->note_id);
	e = e ? e : rc_stmt_bind_int(s, i++, t->runner_id);
	e = e ? e : rc_stmt_bind_int(s, i++, t->seq);
	e = e ? e : rc_stmt_bind_text(s, i++, t->kind);
	e = e ? e : rc_stmt_bind_text(s, i++, t->side ? t->side : "");
	e = e ? e : bind_num(s, i++, t->needles);
	e = e ? e : bind_num(s, i++, t->minutes);
	e = e ? e : bind_num(s, i++, t->hz);
	e = e ? e : rc_stmt_bind_text(s, i++, t->muscle ? t->muscle : "");
	e = e ? e : rc_stmt_bind_text(s, i++, t->region ? t->region : "");
	e = e ? e : rc_stmt_bind_text(s, i++, t->technique ? t->technique : "");
	e = e ? e : rc_stmt_bind_text(s, i++, t->topic ? t->topic : "");
	e = e ? e : rc_stmt_bind_text(s, i++, t->detail ? t->detail : "");
	e = e ? e : rc_stmt_bind_text(s, i++, t->program_key ? t->program_key : "");
	e = e ? e : bind_num(s, i++, t->stage);
	e = e ? e : bind_id(s, i++, t->assignment_id);
	return returning(s, e, id);
}

rc_err rc_treatment_point_insert(rc_db *db, int64_t treatment_id, const char *code, const char *side)
{
	return rc_db_query(db, &q_point_insert, NULL, NULL, "itt", treatment_id, code, side);
}

static rc_err counts(rc_db *db, const rc_sql *q, int64_t id, int64_t limit, rc_count_fn fn, void *ctx)
{
	rc_stmt *s;
	bool row;
	rc_err e = limit ? rc_db_query(db, q, &s, &row, "ii", id, limit) : rc_db_query(db, q, &s, &row, "i", id);
	while (!e && row) {
		fn(ctx, rc_stmt_text(s, 0), rc_stmt_int(s, 1));
		e = rc_stmt_step(s, &row);
	}
	return e;
}

rc_err rc_treatment_counts(rc_db *db, int64_t episode_id, rc_count_fn fn, void *ctx)
{
	return counts(db, &q_treatment_counts, episode_id, 0, fn, ctx);
}

rc_err rc_treatment_points(rc_db *db, int64_t episode_id, int limit, rc_count_fn fn, void *ctx)
{
	return counts(db, &q_treatment_points, episode_id, limit, fn, ctx);
}

/* --- consent and adverse events ------------------------------------------------------------------------------ */

rc_err rc_consent_insert(rc_db *db, int64_t runner_id, int version, const char *day, int64_t now, int64_t by, int64_t *id)
{
	rc_stmt *s = rc_db_stmt(db, &q_consent_insert);
	if (!s)
		return RC_EDB;
	rc_err e = rc_stmt_bind_int(s, 1, runner_id);
	e = e ? e : rc_stmt_bind_int(s, 2, version);
	e = e ? e : rc_stmt_bind_text(s, 3, day);
	e = e ? e : rc_stmt_bind_int(s, 4, now);
	e = e ? e : rc_stmt_bind_int(s, 5, by);
	return returning(s, e, id);
}

rc_err rc_consent_current(rc_db *db, int64_t runner_id, rc_consent *out, bool *found)
{
	rc_stmt *s;
	bool row;
	memset(out, 0, sizeof *out);
	*found = false;
	rc_err e = rc_db_query(db, &q_consent_current, &s, &row, "i", runner_id);
	if (!e && row) {
		out->id = rc_stmt_int(s, 0);
		out->runner_id = runner_id;
		out->version = (int)rc_stmt_int(s, 1);
		copy(out->given_day, sizeof out->given_day, rc_stmt_text(s, 2));
		out->recorded_at = rc_stmt_int(s, 3);
		out->recorded_by = rc_stmt_int(s, 4);
		copy(out->recorded_by_name, sizeof out->recorded_by_name, rc_stmt_text(s, 5));
		*found = true;
		rc_stmt_done(s);
	}
	return e;
}

rc_err rc_consent_withdraw(rc_db *db, int64_t id, int64_t now, int64_t by)
{
	rc_stmt *s;
	rc_err e = rc_db_query(db, &q_consent_withdraw, &s, NULL, "iii", now, by, id);
	if (!e && rc_stmt_changes(s) != 1)
		e = RC_ECONFLICT;
	return e;
}

rc_err rc_adverse_insert(rc_db *db, const rc_adverse *a, int64_t *id)
{
	rc_stmt *s = rc_db_stmt(db, &q_adverse_insert);
	if (!s)
		return RC_EDB;
	int i = 1;
	rc_err e = rc_stmt_bind_int(s, i++, a->runner_id);
	e = e ? e : bind_id(s, i++, a->note_id);
	e = e ? e : rc_stmt_bind_text(s, i++, a->day);
	e = e ? e : rc_stmt_bind_text(s, i++, a->kind);
	e = e ? e : rc_stmt_bind_text(s, i++, a->severity);
	e = e ? e : rc_stmt_bind_text(s, i++, a->description);
	e = e ? e : rc_stmt_bind_int(s, i++, a->recorded_at);
	e = e ? e : rc_stmt_bind_int(s, i++, a->recorded_by);
	return returning(s, e, id);
}

rc_err rc_adverse_count(rc_db *db, int64_t runner_id, int64_t *n)
{
	return count_of(db, &q_adverse_count, runner_id, n);
}

rc_err rc_adverse_list(rc_db *db, int64_t runner_id, rc_adverse *out, int max, int *n)
{
	rc_stmt *s;
	bool row;
	*n = 0;
	rc_err e = rc_db_query(db, &q_adverse_list, &s, &row, "ii", runner_id, (int64_t)max);
	while (!e && row && *n < max) {
		rc_adverse *a = &out[(*n)++];
		memset(a, 0, sizeof *a);
		a->id = rc_stmt_int(s, 0);
		a->runner_id = runner_id;
		a->note_id = rc_stmt_int(s, 1);
		copy(a->day, sizeof a->day, rc_stmt_text(s, 2));
		copy(a->kind, sizeof a->kind, rc_stmt_text(s, 3));
		copy(a->severity, sizeof a->severity, rc_stmt_text(s, 4));
		copy(a->description, sizeof a->description, rc_stmt_text(s, 5));
		a->recorded_at = rc_stmt_int(s, 6);
		a->recorded_by = rc_stmt_int(s, 7);
		copy(a->recorded_by_name, sizeof a->recorded_by_name, rc_stmt_text(s, 8));
		e = rc_stmt_step(s, &row);
	}
	return e;
}

/* --- the runner's own records ---------------------------------------------------------------------------------- */

rc_err rc_chart_selfcheck_latest(rc_db *db, rc_arena *a, int64_t runner_id, rc_selfcheck_row *out, bool *found)
{
	rc_stmt *s;
	bool row;
	memset(out, 0, sizeof *out);
	*found = false;
	rc_err e = rc_db_query(db, &q_selfcheck_latest, &s, &row, "i", runner_id);
	if (!e && row) {
		out->id = rc_stmt_int(s, 0);
		out->at = rc_stmt_int(s, 1);
		copy(out->urgency, sizeof out->urgency, rc_stmt_text(s, 2));
		copy(out->top, sizeof out->top, rc_stmt_text(s, 3));
		out->answers = rc_arena_strdup(a, rc_stmt_text(s, 4));
		out->result = rc_arena_strdup(a, rc_stmt_text(s, 5));
		rc_stmt_done(s);
		if (!out->answers || !out->result)
			return RC_ENOMEM;
		*found = true;
	}
	return e;
}

rc_err rc_chart_diary_since(rc_db *db, rc_arena *a, int64_t runner_id, const char *from, int limit,
                            rc_diary_point_fn fn, void *ctx)
{
	rc_stmt *s;
	bool row;
	int n = 0;
	rc_err e = rc_db_query(db, &q_diary_since, &s, &row, "iti", runner_id, from, (int64_t)limit + 1);
	while (!e && row) {
		if (n++ == limit)
			return RC_ETOOBIG;
		rc_diary_point d;
		copy(d.day, sizeof d.day, rc_stmt_text(s, 0));
		d.pain_rest = (int)rc_stmt_int(s, 1);
		d.pain_sitting = (int)rc_stmt_int(s, 2);
		d.pain_running = (int)rc_stmt_int(s, 3);
		d.minutes_run = (int)rc_stmt_int(s, 4);
		const char *notes = rc_stmt_text(s, 5);
		d.notes = *notes ? rc_arena_strdup(a, notes) : "";
		if (!d.notes)
			return RC_ENOMEM;
		fn(ctx, &d);
		e = rc_stmt_step(s, &row);
	}
	return e;
}

rc_err rc_chart_psfs_since(rc_db *db, int64_t runner_id, const char *from, int limit, rc_psfs_point_fn fn, void *ctx)
{
	rc_stmt *s;
	bool row;
	int n = 0;
	rc_err e = rc_db_query(db, &q_psfs_since, &s, &row, "iti", runner_id, from, (int64_t)limit + 1);
	while (!e && row) {
		if (n++ == limit)
			return RC_ETOOBIG;
		fn(ctx, rc_stmt_text(s, 0), rc_stmt_text(s, 1));
		e = rc_stmt_step(s, &row);
	}
	return e;
}

rc_err rc_chart_appointment(rc_db *db, int64_t id, int64_t *runner_id, int64_t *starts_at, char status[16])
{
	rc_stmt *s;
	bool row;
	*runner_id = *starts_at = 0;
	status[0] = '\0';
	rc_err e = rc_db_query(db, &q_appointment, &s, &row, "i", id);
	if (!e && row) {
		*runner_id = rc_stmt_int(s, 0);
		*starts_at = rc_stmt_int(s, 1);
		copy(status, 16, rc_stmt_text(s, 2));
		rc_stmt_done(s);
	}
	return e;
}
