/* export.c — a runner's data, table by table: the export a person can download (GDPR art. 15/20). */
#include "store/export.h"

#include <string.h>

/* What the clinic is and how it works: no runner's data lives in these. */
const char *const rc_export_impersonal_tables[] = {
	"clinic", "schema_migrations", "practitioner", "service", "practitioner_service", "working_hours",
	"schedule_exception", "appointment_unit", "event", "wave_hours", "wave_setting", "appointment_series", "billing_counter",
	"service_billing_code", NULL,
};

/* Tables that hold credentials or the throttle's bookkeeping, never exported: a download that is
 * stolen, or made by someone who took over a session, must not hand over a way in (a live link, a
 * session) or help the next attack. And the raw bytes of uploads not yet read (up to 4 GB each, too
 * large for one JSON download, gone once read). Each with the reason the export gives. */
const rc_export_left_out rc_export_left_out_tables[] = {
	{"session", "sign-in sessions are credentials"},
	{"one_time_link", "single-use links are credentials"},
	{"signin_failure", "the sign-in throttle's records, kept 15 minutes"},
	{"rate_event", "rate-limit records, kept one hour"},
	{"import_job_part", "the bytes of uploaded training files waiting to be read, deleted once read: what they "
	                    "hold is under activity, and their names and sizes under import_job_file"},
	{"selfcheck_pending", "self-check results made before signing up, held for the browser that made them for "
	                      "7 days: no account's until that browser signs in, when they move to selfcheck_result"},
	{NULL, NULL},
};

/* Each statement selects one table's rows about the account; column names become JSON keys.
 * Secrets (password and token hashes, mail bodies that held a link) are left out on purpose. */
static const rc_sql q_account = {"export_account",
	"SELECT id, email, name, role, created_at, password_changed_at FROM account WHERE id = ?"};
static const rc_sql q_token = {"export_token",
	"SELECT id, label, scope, created_at, expires_at, revoked_at FROM api_token WHERE account_id = ? ORDER BY id"};
static const rc_sql q_outbox = {"export_outbox",
	"SELECT m.id, m.to_addr, m.subject, CASE WHEN m.secret = 0 THEN m.body ELSE '(left out: it held a single-use "
	"link)' END AS body, m.created_at, m.sent_at FROM mail_outbox m "
	"JOIN account a ON a.email = m.to_addr WHERE a.id = ? ORDER BY m.id"};
static const rc_sql q_audit = {"export_audit",
	"SELECT at, actor_role, action, detail, address FROM audit_log WHERE runner_id = ? OR actor_id = ? ORDER BY id"};

static const rc_sql q_appointment = {"export_appointment",
	"SELECT a.id, s.name AS service, p.name AS practitioner, a.starts_at, a.ends_at, a.status, a.reason, "
	"a.created_at, a.cancelled_at FROM appointment a JOIN service s ON s.id = a.service_id "
	"JOIN practitioner p ON p.id = a.practitioner_id WHERE a.runner_id = ? ORDER BY a.starts_at"};

static const rc_sql q_waitlist = {"export_waitlist",
	"SELECT w.id, s.name AS service, w.window_start, w.window_end, w.urgency, w.condition, w.status, w.created_at "
	"FROM waitlist w JOIN service s ON s.id = w.service_id WHERE w.runner_id = ? ORDER BY w.id"};
static const rc_sql q_offers = {"export_offers",
	"SELECT o.id, o.starts_at, o.created_at, o.expires_at, o.status FROM waitlist_offer o "
	"JOIN waitlist w ON w.id = o.waitlist_id WHERE w.runner_id = ? ORDER BY o.id"};

static const rc_sql q_selfcheck = {"export_selfcheck",
	"SELECT id, created_at, urgency, top_condition, answers, result FROM selfcheck_result WHERE runner_id = ? ORDER BY id"};

static const rc_sql q_activities = {"export_activities",
	"SELECT id, start_at, source, format, sport, distance_m, duration_s, moving_s, gain_m, loss_m, hr_avg, uphill_s, "
	"fast_s, track_size_m, track_laps_x10, track_bend_m, track_radius_m, track_direction, warnings, imported_at, "
	"sport_kind, track_bend_s, track_lane, effort, hr_zones, detail, name, gear, energy_kcal FROM activity WHERE runner_id = ? "
	"ORDER BY start_at"};
static const rc_sql q_heart = {"export_heart",
	"SELECT rest_bpm, max_bpm, updated_at FROM runner_heart WHERE runner_id = ?"};

/* The files themselves are in the readable download (/account/export.zip); here their names and sizes. */
static const rc_sql q_activity_files = {"export_activity_files",
	"SELECT f.activity_id, f.name, f.size FROM activity_file f JOIN activity a ON a.id = f.activity_id "
	"WHERE a.runner_id = ? ORDER BY f.id"};
static const rc_sql q_import_jobs = {"export_import_jobs",
	"SELECT id, state, files_seen, files_added, files_duplicate, files_refused, files_skipped, bytes_total, message, "
	"created_at, started_at, finished_at FROM import_job WHERE runner_id = ? ORDER BY id"};
static const rc_sql q_import_files = {"export_import_files",
	"SELECT f.job_id, f.name, f.size FROM import_job_file f JOIN import_job j ON j.id = f.job_id "
	"WHERE j.runner_id = ? ORDER BY f.id"};
static const rc_sql q_import_problems = {"export_import_problems",
	"SELECT p.job_id, p.name, p.why FROM import_job_problem p JOIN import_job j ON j.id = p.job_id "
	"WHERE j.runner_id = ? ORDER BY p.id"};

static const rc_sql q_programs = {"export_programs",
	"SELECT id, program_key, stage, started_at, stage_started_at, assigned_by, note, ended_at FROM program_assignment "
	"WHERE runner_id = ? ORDER BY id"};
static const rc_sql q_logs = {"export_logs",
	"SELECT id, assignment_id, day, stage, done, prescribed, pain_during, logged_at, superseded_by FROM exercise_log "
	"WHERE runner_id = ? ORDER BY id"};
static const rc_sql q_diary = {"export_diary",
	"SELECT id, day, pain_rest, pain_sitting, pain_running, minutes_run, notes, created_at, superseded_by "
	"FROM diary_entry WHERE runner_id = ? ORDER BY id"};
static const rc_sql q_psfs = {"export_psfs",
	"SELECT day, rated_at, ratings FROM psfs_rating WHERE runner_id = ? ORDER BY id"};

/* The clinical chart: details, episodes, and the notes once signed (a draft is the practitioner's work in
 * progress until then), with what they recorded. */
static const rc_sql q_profile = {"export_profile",
	"SELECT date_of_birth, phone, emergency_name, emergency_phone, alerts, alert_note, updated_at FROM patient_profile "
	"WHERE runner_id = ?"};
static const rc_sql q_profile_versions = {"export_profile_versions",
	"SELECT date_of_birth, phone, emergency_name, emergency_phone, alerts, alert_note, saved_at, replaced_at "
	"FROM patient_profile_version WHERE runner_id = ? ORDER BY id"};
static const rc_sql q_episodes = {"export_episodes",
	"SELECT id, complaint, side, onset_day, onset_kind, condition_key, icd10, goals, status, opened_at, discharged_at, "
	"outcome FROM episode WHERE runner_id = ? ORDER BY id"};
static const rc_sql q_notes = {"export_notes",
	"SELECT id, episode_id, kind, template_key, visit_day, body, signed_at FROM clinical_note "
	"WHERE runner_id = ? AND signed_at IS NOT NULL ORDER BY visit_at, id"};
static const rc_sql q_note_versions = {"export_note_versions",
	"SELECT v.note_id, v.version, v.body, v.saved_at FROM clinical_note_version v JOIN clinical_note n "
	"ON n.id = v.note_id WHERE n.runner_id = ? AND n.signed_at IS NOT NULL ORDER BY v.id"};
static const rc_sql q_addenda = {"export_addenda",
	"SELECT note_id, created_at, text FROM note_addendum WHERE runner_id = ? ORDER BY id"};
static const rc_sql q_measures = {"export_measures",
	"SELECT note_id, visit_day, field_key, side, value FROM note_measure WHERE runner_id = ? ORDER BY id"};
static const rc_sql q_treatments = {"export_treatments",
	"SELECT id, note_id, kind, side, needles, minutes, hz, muscle, region, technique, topic, detail, program_key, stage "
	"FROM treatment WHERE runner_id = ? ORDER BY id"};
static const rc_sql q_points = {"export_points",
	"SELECT p.treatment_id, p.code, p.side FROM treatment_point p JOIN treatment t ON t.id = p.treatment_id "
	"WHERE t.runner_id = ? ORDER BY p.id"};
static const rc_sql q_consents = {"export_consents",
	"SELECT consent_version, given_day, recorded_at, withdrawn_at FROM needling_consent WHERE runner_id = ? ORDER BY id"};
static const rc_sql q_adverse = {"export_adverse",
	"SELECT day, kind, severity, description, recorded_at FROM adverse_event WHERE runner_id = ? ORDER BY id"};

/* The short keys patient search finds the person by: pieces of their name, email, phone and date of
 * birth (store/patient_store.h). */
static const rc_sql q_search_keys = {"export_search_keys",
	"SELECT term FROM patient_key WHERE runner_id = ? ORDER BY term"};

/* Billing: what the runner was invoiced, credited, paid and refunded, and their prepaid packages. */
static const rc_sql q_invoices = {"export_invoices",
	"SELECT number, kind, appointment_id, package_id, service_at, icd10, total_cents, issued_at, price_reason "
	"FROM invoice WHERE runner_id = ? ORDER BY number"};
static const rc_sql q_invoice_lines = {"export_invoice_lines",
	"SELECT i.number AS invoice_number, l.seq, l.description, l.cpt, l.units, l.amount_cents FROM invoice_line l "
	"JOIN invoice i ON i.id = l.invoice_id WHERE i.runner_id = ? ORDER BY i.number, l.seq"};
static const rc_sql q_credit_notes = {"export_credit_notes",
	"SELECT c.number, i.number AS invoice_number, c.amount_cents, c.reason, c.issued_at FROM credit_note c "
	"JOIN invoice i ON i.id = c.invoice_id WHERE c.runner_id = ? ORDER BY c.number"};
static const rc_sql q_payments = {"export_payments",
	"SELECT p.id, i.number AS invoice_number, p.kind, p.method, p.amount_cents, p.refund_of, p.reference, p.taken_at "
	"FROM payment p LEFT JOIN invoice i ON i.id = p.invoice_id WHERE p.runner_id = ? ORDER BY p.id"};
static const rc_sql q_packages = {"export_packages",
	"SELECT id, plan_key, name, visits, price_cents, sold_at, expires_at FROM package WHERE runner_id = ? ORDER BY id"};
static const rc_sql q_package_uses = {"export_package_uses",
	"SELECT u.package_id, u.appointment_id, u.used_at FROM package_use u JOIN package k ON k.id = u.package_id "
	"WHERE k.runner_id = ? ORDER BY u.id"};

static const rc_sql q_feeds = {"export_feeds",
	"SELECT created_at, revoked_at FROM calendar_feed WHERE account_id = ? ORDER BY created_at"};

static const struct {
	const char *table;
	const rc_sql *q;
	int params; /* how many times the account id is bound */
} sections[] = {
	{"account", &q_account, 1},      {"api_token", &q_token, 1},        {"mail_outbox", &q_outbox, 1},
	{"audit_log", &q_audit, 2},      {"appointment", &q_appointment, 1}, {"waitlist", &q_waitlist, 1},
	{"waitlist_offer", &q_offers, 1},    {"selfcheck_result", &q_selfcheck, 1},
	{"calendar_feed", &q_feeds, 1},      {"activity", &q_activities, 1},
	{"activity_file", &q_activity_files, 1},
	{"runner_heart", &q_heart, 1},
	{"import_job", &q_import_jobs, 1},   {"import_job_file", &q_import_files, 1},
	{"import_job_problem", &q_import_problems, 1},
	{"program_assignment", &q_programs, 1}, {"exercise_log", &q_logs, 1},
	{"diary_entry", &q_diary, 1},        {"psfs_rating", &q_psfs, 1},
	{"patient_profile", &q_profile, 1},  {"patient_profile_version", &q_profile_versions, 1},
	{"episode", &q_episodes, 1},         {"clinical_note", &q_notes, 1},
	{"clinical_note_version", &q_note_versions, 1}, {"note_addendum", &q_addenda, 1},
	{"note_measure", &q_measures, 1},    {"treatment", &q_treatments, 1},
	{"treatment_point", &q_points, 1},   {"needling_consent", &q_consents, 1},
	{"adverse_event", &q_adverse, 1},   {"patient_key", &q_search_keys, 1},
	{"invoice", &q_invoices, 1},        {"invoice_line", &q_invoice_lines, 1},
	{"credit_note", &q_credit_notes, 1}, {"payment", &q_payments, 1},
	{"package", &q_packages, 1},        {"package_use", &q_package_uses, 1},
};

rc_err rc_export_rows(rc_db *db, const rc_sql *q, int params, int64_t id, const char *types, json_t *rows)
{
	rc_stmt *s = rc_db_stmt(db, q);
	if (!s)
		return RC_EDB;
	rc_err e = RC_OK;
	bool row;
	for (int p = 1; !e && p <= params; p++)
		e = rc_stmt_bind_int(s, p, id);
	size_t ntypes = types ? strlen(types) : 0;
	while (!e && !(e = rc_stmt_step(s, &row)) && row) {
		/* A type for every column, or the declaration beside the statement is wrong. */
		if (types && ntypes != (size_t)rc_stmt_ncols(s))
			rc_panic("%s: %zu column types declared for %d columns", q->name, ntypes, rc_stmt_ncols(s));
		json_t *o = json_object();
		for (int c = 0; c < rc_stmt_ncols(s); c++) {
			json_t *v = rc_stmt_is_null(s, c)                     ? json_null()
			            : (size_t)c < ntypes && types[c] == 'i' ? json_integer(rc_stmt_int(s, c))
			                                                    : json_string(rc_stmt_text(s, c));
			json_object_set_new(o, rc_stmt_col_name(s, c), v ? v : json_null());
		}
		json_array_append_new(rows, o);
	}
	return e;
}

rc_err rc_export_runner(rc_db *db, int64_t account_id, json_t **out)
{
	json_t *root = json_object();
	rc_err e = root ? RC_OK : RC_ENOMEM;
	for (size_t i = 0; !e && i < sizeof sections / sizeof sections[0]; i++) {
		json_t *rows = json_array();
		json_object_set_new(root, sections[i].table, rows);
		e = rc_export_rows(db, sections[i].q, sections[i].params, account_id, NULL, rows);
	}
	if (e) {
		json_decref(root);
		return e;
	}
	json_t *none = json_array();
	for (size_t i = 0; rc_export_impersonal_tables[i]; i++)
		json_array_append_new(none, json_string(rc_export_impersonal_tables[i]));
	json_object_set_new(root, "tables_without_personal_data", none);
	json_t *left = json_object();
	for (size_t i = 0; rc_export_left_out_tables[i].table; i++)
		json_object_set_new(left, rc_export_left_out_tables[i].table, json_string(rc_export_left_out_tables[i].why));
	json_object_set_new(root, "tables_left_out", left);
	*out = root;
	return RC_OK;
}
