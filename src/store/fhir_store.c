/* fhir_store.c — one patient's record as typed rows: the statements the FHIR bundle and the readable
 * download read (see fhir_store.h). Each column's type is declared beside its statement, so numbers
 * stay numbers whichever engine answers. */
#include "store/fhir_store.h"

#include "store/export.h"

/* A live patient: a runner, or staff who kept the record they had as one; never a merged duplicate. */
static const rc_sql q_patient = {"fhir_patient",
	"SELECT a.id, a.email, a.name, a.deleted_at, p.date_of_birth, p.phone, p.emergency_name, p.emergency_phone, "
	"p.alerts, p.alert_note, p.updated_at FROM account a LEFT JOIN patient_profile p ON p.runner_id = a.id "
	"WHERE a.id = ? AND (a.role = 'runner' OR a.patient = 1) AND a.merged_into IS NULL"};
static const rc_sql q_clinic = {"fhir_clinic", "SELECT id, slug, name, timezone FROM clinic ORDER BY id LIMIT 1"};
static const rc_sql q_practitioners = {"fhir_practitioners",
	"SELECT p.id, p.name, p.disciplines, p.active, p.account_id FROM practitioner p "
	"WHERE p.id IN (SELECT practitioner_id FROM appointment WHERE runner_id = ?) "
	"OR p.account_id IN (SELECT signed_by FROM clinical_note WHERE runner_id = ? AND signed_at IS NOT NULL) "
	"ORDER BY p.id"};
static const rc_sql q_staff = {"fhir_staff",
	"SELECT a.id, a.name, a.role FROM account a WHERE a.id IN (SELECT signed_by FROM clinical_note "
	"WHERE runner_id = ? AND signed_at IS NOT NULL) AND NOT EXISTS (SELECT 1 FROM practitioner p "
	"WHERE p.account_id = a.id) ORDER BY a.id"};
static const rc_sql q_appointments = {"fhir_appointments",
	"SELECT a.id, a.practitioner_id, s.key AS service_key, s.name AS service, s.discipline, a.starts_at, a.ends_at, "
	"a.status, a.reason, a.created_at, a.cancelled_at FROM appointment a JOIN service s ON s.id = a.service_id "
	"WHERE a.runner_id = ? ORDER BY a.id"};
static const rc_sql q_episodes = {"fhir_episodes",
	"SELECT id, complaint, side, onset_day, onset_kind, condition_key, icd10, goals, status, opened_at, opened_by, "
	"discharged_at, outcome FROM episode WHERE runner_id = ? ORDER BY id"};
static const rc_sql q_notes = {"fhir_notes",
	"SELECT id, episode_id, appointment_id, kind, template_key, visit_day, visit_at, body, summary, signed_at, "
	"signed_by FROM clinical_note WHERE runner_id = ? AND signed_at IS NOT NULL ORDER BY id"};
static const rc_sql q_addenda = {"fhir_addenda",
	"SELECT d.id, d.note_id, d.author_id, d.created_at, d.text FROM note_addendum d JOIN clinical_note n "
	"ON n.id = d.note_id WHERE d.runner_id = ? AND n.signed_at IS NOT NULL ORDER BY d.id"};
static const rc_sql q_measures = {"fhir_measures",
	"SELECT m.id, m.note_id, m.visit_day, m.field_key, m.side, m.value FROM note_measure m JOIN clinical_note n "
	"ON n.id = m.note_id WHERE m.runner_id = ? AND n.signed_at IS NOT NULL ORDER BY m.id"};
static const rc_sql q_treatments = {"fhir_treatments",
	"SELECT t.id, t.note_id, t.seq, t.kind, t.side, t.needles, t.minutes, t.hz, t.muscle, t.region, t.technique, "
	"t.topic, t.detail, t.program_key, t.stage FROM treatment t JOIN clinical_note n ON n.id = t.note_id "
	"WHERE t.runner_id = ? AND n.signed_at IS NOT NULL ORDER BY t.id"};
static const rc_sql q_points = {"fhir_points",
	"SELECT p.id, p.treatment_id, p.code, p.side FROM treatment_point p JOIN treatment t ON t.id = p.treatment_id "
	"WHERE t.runner_id = ? ORDER BY p.id"};
static const rc_sql q_selfchecks = {"fhir_selfchecks",
	"SELECT id, created_at, urgency, top_condition, answers FROM selfcheck_result WHERE runner_id = ? ORDER BY id"};
static const rc_sql q_diary = {"fhir_diary",
	"SELECT id, day, pain_rest, pain_sitting, pain_running, minutes_run, notes, created_at FROM diary_entry "
	"WHERE runner_id = ? AND superseded_by IS NULL ORDER BY id"};
static const rc_sql q_psfs = {"fhir_psfs",
	"SELECT id, day, rated_at, ratings FROM psfs_rating WHERE runner_id = ? ORDER BY id"};
static const rc_sql q_programs = {"fhir_programs",
	"SELECT id, program_key, stage, started_at, stage_started_at, assigned_by, note, ended_at FROM program_assignment "
	"WHERE runner_id = ? ORDER BY id"};
static const rc_sql q_activities = {"fhir_activities",
	"SELECT id, start_at, source, format, sport, distance_m, duration_s, moving_s, gain_m, loss_m, hr_avg, "
	"imported_at FROM activity WHERE runner_id = ? ORDER BY id"};

/* types: one letter a column, 'i' integer, 't' text (either may be NULL). */
typedef struct section {
	const char *name;
	const rc_sql *q;
	int params; /* how many times the id is bound */
	const char *types;
} section;

static const section sections[] = {
	{"patient", &q_patient, 1, "ittitttttti"},
	{"clinic", &q_clinic, 0, "ittt"},
	{"practitioners", &q_practitioners, 2, "ittii"},
	{"staff", &q_staff, 1, "itt"},
	{"appointments", &q_appointments, 1, "iitttiittii"},
	{"episodes", &q_episodes, 1, "itttttttiiiit"},
	{"notes", &q_notes, 1, "iiitttittii"},
	{"addenda", &q_addenda, 1, "iiiit"},
	{"measures", &q_measures, 1, "iittti"},
	{"treatments", &q_treatments, 1, "iiittiiitttttti"},
	{"points", &q_points, 1, "iitt"},
	{"selfchecks", &q_selfchecks, 1, "iittt"},
	{"diary", &q_diary, 1, "itiiiiti"},
	{"psfs", &q_psfs, 1, "itit"},
	{"programs", &q_programs, 1, "itiiiiti"},
	{"activities", &q_activities, 1, "iitttiiiiiii"},
};

/* A JSON object of the sections' rows (caller json_decref's it), each statement given id. */
static rc_err read_sections(rc_db *db, const section *secs, size_t n, int64_t id, json_t **out)
{
	json_t *root = json_object();
	rc_err e = root ? RC_OK : RC_ENOMEM;
	for (size_t i = 0; !e && i < n; i++) {
		json_t *rows = json_array();
		json_object_set_new(root, secs[i].name, rows);
		e = rc_export_rows(db, secs[i].q, secs[i].params, id, secs[i].types, rows);
	}
	if (e) {
		json_decref(root);
		return e;
	}
	*out = root;
	return RC_OK;
}

rc_err rc_fhir_rows(rc_db *db, int64_t patient_id, json_t **out)
{
	return read_sections(db, sections, sizeof sections / sizeof sections[0], patient_id, out);
}

/* --- one resource's owner ------------------------------------------------------------------------ */

static const rc_sql q_own_appointment = {"fhir_own_appointment", "SELECT runner_id FROM appointment WHERE id = ?"};
static const rc_sql q_own_note = {"fhir_own_note",
	"SELECT runner_id FROM clinical_note WHERE id = ? AND signed_at IS NOT NULL"};
static const rc_sql q_own_episode = {"fhir_own_episode", "SELECT runner_id FROM episode WHERE id = ?"};
static const rc_sql q_own_measure = {"fhir_own_measure", "SELECT runner_id FROM note_measure WHERE id = ?"};
static const rc_sql q_own_diary = {"fhir_own_diary", "SELECT runner_id FROM diary_entry WHERE id = ?"};
static const rc_sql q_own_psfs = {"fhir_own_psfs", "SELECT runner_id FROM psfs_rating WHERE id = ?"};
static const rc_sql q_own_selfcheck = {"fhir_own_selfcheck", "SELECT runner_id FROM selfcheck_result WHERE id = ?"};
static const rc_sql q_own_program = {"fhir_own_program", "SELECT runner_id FROM program_assignment WHERE id = ?"};
static const rc_sql q_own_treatment = {"fhir_own_treatment", "SELECT runner_id FROM treatment WHERE id = ?"};
static const rc_sql q_own_activity = {"fhir_own_activity", "SELECT runner_id FROM activity WHERE id = ?"};

rc_err rc_fhir_owner(rc_db *db, int src, int64_t n, int64_t *patient)
{
	const rc_sql *q = src == RC_FHIR_OWN_APPOINTMENT ? &q_own_appointment
	                  : src == RC_FHIR_OWN_NOTE       ? &q_own_note
	                  : src == RC_FHIR_OWN_EPISODE    ? &q_own_episode
	                  : src == RC_FHIR_OWN_MEASURE    ? &q_own_measure
	                  : src == RC_FHIR_OWN_DIARY      ? &q_own_diary
	                  : src == RC_FHIR_OWN_PSFS       ? &q_own_psfs
	                  : src == RC_FHIR_OWN_SELFCHECK  ? &q_own_selfcheck
	                  : src == RC_FHIR_OWN_PROGRAM    ? &q_own_program
	                  : src == RC_FHIR_OWN_TREATMENT  ? &q_own_treatment
	                  : src == RC_FHIR_OWN_ACTIVITY   ? &q_own_activity
	                                                  : NULL;
	*patient = src == RC_FHIR_OWN_SELF ? n : 0;
	if (!q)
		return RC_OK;
	rc_stmt *s;
	bool row = false;
	rc_err e = rc_db_query(db, q, &s, &row, "i", n);
	if (!e && row) {
		*patient = rc_stmt_int(s, 0);
		rc_stmt_done(s);
	}
	return e;
}

static const rc_sql q_one_practitioner = {"fhir_one_practitioner",
	"SELECT id, name, disciplines, active, account_id FROM practitioner WHERE id = ?"};
static const rc_sql q_one_staff = {"fhir_one_staff",
	"SELECT a.id, a.name, a.role FROM account a WHERE a.id = ? AND a.role <> 'runner' AND EXISTS (SELECT 1 FROM "
	"clinical_note n WHERE n.signed_by = a.id) AND NOT EXISTS (SELECT 1 FROM practitioner p WHERE p.account_id = a.id)"};

rc_err rc_fhir_shared_rows(rc_db *db, int64_t n, json_t **out)
{
	static const section parts[] = {{"clinic", &q_clinic, 0, "ittt"}, {"practitioners", &q_one_practitioner, 1, "ittii"},
	                                {"staff", &q_one_staff, 1, "itt"}};
	return read_sections(db, parts, sizeof parts / sizeof parts[0], n, out);
}
