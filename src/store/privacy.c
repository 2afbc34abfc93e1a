/* privacy.c — erasure and retention, across every table that holds a runner's data. */
#include "store/privacy.h"

#include "store/account.h"

static const rc_sql q_offers = {"erase_offers",
	"DELETE FROM waitlist_offer WHERE waitlist_id IN (SELECT id FROM waitlist WHERE runner_id = ?)"};
static const rc_sql q_waitlist = {"erase_waitlist", "DELETE FROM waitlist WHERE runner_id = ?"};
static const rc_sql q_units = {"erase_units",
	"DELETE FROM appointment_unit WHERE appointment_id IN (SELECT id FROM appointment WHERE runner_id = ? "
	"AND status <> 'arrived')"};
static const rc_sql q_appointments = {"erase_appointments",
	"DELETE FROM appointment WHERE runner_id = ? AND status <> 'arrived'"};
static const rc_sql q_selfcheck = {"erase_selfcheck", "DELETE FROM selfcheck_result WHERE runner_id = ?"};
static const rc_sql q_activity_files = {"erase_activity_files",
	"DELETE FROM activity_file WHERE activity_id IN (SELECT id FROM activity WHERE runner_id = ?)"};
static const rc_sql q_activities = {"erase_activities", "DELETE FROM activity WHERE runner_id = ?"};
static const rc_sql q_heart = {"erase_heart", "DELETE FROM runner_heart WHERE runner_id = ?"};
static const rc_sql q_import_parts = {"erase_import_parts",
	"DELETE FROM import_job_part WHERE file_id IN (SELECT f.id FROM import_job_file f JOIN import_job j "
	"ON j.id = f.job_id WHERE j.runner_id = ?)"};
static const rc_sql q_import_files = {"erase_import_files",
	"DELETE FROM import_job_file WHERE job_id IN (SELECT id FROM import_job WHERE runner_id = ?)"};
static const rc_sql q_import_problems = {"erase_import_problems",
	"DELETE FROM import_job_problem WHERE job_id IN (SELECT id FROM import_job WHERE runner_id = ?)"};
/* A job being read stops at its next file: its worker's writes name a job that is gone (app/jobs.c). */
static const rc_sql q_import_jobs = {"erase_import_jobs", "DELETE FROM import_job WHERE runner_id = ?"};
static const rc_sql q_logs = {"erase_logs", "DELETE FROM exercise_log WHERE runner_id = ?"};
static const rc_sql q_programs = {"erase_programs", "DELETE FROM program_assignment WHERE runner_id = ?"};
static const rc_sql q_diary = {"erase_diary", "DELETE FROM diary_entry WHERE runner_id = ?"};
static const rc_sql q_psfs = {"erase_psfs", "DELETE FROM psfs_rating WHERE runner_id = ?"};
static const rc_sql q_feeds = {"erase_feeds", "DELETE FROM calendar_feed WHERE account_id = ?"};
static const rc_sql q_mail = {"erase_mail",
	"DELETE FROM mail_outbox WHERE to_addr = (SELECT email FROM account WHERE id = ?)"};
static const rc_sql q_failures = {"erase_failures",
	"DELETE FROM signin_failure WHERE email = (SELECT email FROM account WHERE id = ?)"};
static const rc_sql q_rate_email = {"erase_rate_email",
	"DELETE FROM rate_event WHERE key = (SELECT email FROM account WHERE id = ?)"};
static const rc_sql q_rate_account = {"erase_rate_account",
	"DELETE FROM rate_event WHERE kind = 'password.account' AND key = CAST(CAST(? AS INTEGER) AS TEXT)"};

/* The chart's contact details go with the name; the clinical record stays until the retention period ends. */
static const rc_sql q_profile_versions = {"erase_profile_versions",
	"DELETE FROM patient_profile_version WHERE runner_id = ?"};
static const rc_sql q_profile = {"erase_profile", "DELETE FROM patient_profile WHERE runner_id = ?"};

rc_err rc_privacy_erase_runner(rc_db *db, int64_t id, int64_t now)
{
	const rc_sql *steps[] = {&q_offers, &q_waitlist, &q_units, &q_appointments, &q_selfcheck, &q_activity_files, &q_activities,
	                         &q_heart,
	                         &q_import_parts, &q_import_files, &q_import_problems, &q_import_jobs, &q_logs, &q_programs,
	                         &q_diary, &q_psfs, &q_feeds, &q_mail,
	                         &q_failures, &q_rate_email, &q_rate_account, &q_profile_versions, &q_profile};
	for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
		rc_err e = rc_db_query(db, steps[i], NULL, NULL, "i", id);
		if (e)
			return e;
	}
	/* Last: the queries above find the mail and failures by the email this clears. */
	return rc_account_erase(db, id, now);
}

static const rc_sql q_purge_units = {"purge_units",
	"DELETE FROM appointment_unit WHERE appointment_id IN (SELECT a.id FROM appointment a JOIN account r "
	"ON r.id = a.runner_id WHERE r.deleted_at IS NOT NULL AND a.starts_at < ?)"};
static const rc_sql q_purge = {"purge_visits",
	"DELETE FROM appointment WHERE starts_at < ? AND runner_id IN (SELECT id FROM account WHERE deleted_at IS NOT NULL)"};

/* Erased runners' clinical records from visits before the cutoff: what each note wrote, then the notes,
 * then episodes left without notes, and consents given before it. */
#define ERASED "SELECT id FROM account WHERE deleted_at IS NOT NULL"
#define OLD_NOTES "SELECT n.id FROM clinical_note n WHERE n.visit_at < ? AND n.runner_id IN (" ERASED ")"
static const rc_sql q_purge_points = {"purge_chart_points",
	"DELETE FROM treatment_point WHERE treatment_id IN (SELECT t.id FROM treatment t WHERE t.note_id IN (" OLD_NOTES "))"};
static const rc_sql q_purge_treatments = {"purge_chart_treatments",
	"DELETE FROM treatment WHERE note_id IN (" OLD_NOTES ")"};
static const rc_sql q_purge_measures = {"purge_chart_measures", "DELETE FROM note_measure WHERE note_id IN (" OLD_NOTES ")"};
static const rc_sql q_purge_addenda = {"purge_chart_addenda", "DELETE FROM note_addendum WHERE note_id IN (" OLD_NOTES ")"};
static const rc_sql q_purge_versions = {"purge_chart_versions",
	"DELETE FROM clinical_note_version WHERE note_id IN (" OLD_NOTES ")"};
static const rc_sql q_purge_adverse = {"purge_chart_adverse",
	"DELETE FROM adverse_event WHERE runner_id IN (" ERASED ") AND (recorded_at < ? OR note_id IN (" OLD_NOTES "))"};
static const rc_sql q_purge_notes = {"purge_chart_notes", "DELETE FROM clinical_note WHERE id IN (" OLD_NOTES ")"};
static const rc_sql q_purge_episodes = {"purge_chart_episodes",
	"DELETE FROM episode WHERE opened_at < ? AND runner_id IN (" ERASED ") AND NOT EXISTS "
	"(SELECT 1 FROM clinical_note n WHERE n.episode_id = episode.id)"};
static const rc_sql q_purge_consent = {"purge_chart_consent",
	"DELETE FROM needling_consent WHERE recorded_at < ? AND runner_id IN (" ERASED ")"};

static rc_err purge_chart(rc_db *db, int64_t cutoff)
{
	const rc_sql *one[] = {&q_purge_points, &q_purge_treatments, &q_purge_measures, &q_purge_addenda, &q_purge_versions};
	rc_err e = RC_OK;
	for (size_t i = 0; !e && i < sizeof one / sizeof one[0]; i++)
		e = rc_db_query(db, one[i], NULL, NULL, "i", cutoff);
	if (!e)
		e = rc_db_query(db, &q_purge_adverse, NULL, NULL, "ii", cutoff, cutoff);
	if (!e)
		e = rc_db_query(db, &q_purge_notes, NULL, NULL, "i", cutoff);
	if (!e)
		e = rc_db_query(db, &q_purge_episodes, NULL, NULL, "i", cutoff);
	if (!e)
		e = rc_db_query(db, &q_purge_consent, NULL, NULL, "i", cutoff);
	return e;
}

rc_err rc_privacy_purge(rc_db *db, int64_t cutoff, int64_t *n)
{
	rc_stmt *s;
	rc_err e = purge_chart(db, cutoff);
	if (!e)
		e = rc_db_query(db, &q_purge_units, NULL, NULL, "i", cutoff);
	if (!e)
		e = rc_db_query(db, &q_purge, &s, NULL, "i", cutoff);
	*n = e ? 0 : rc_stmt_changes(s);
	return e;
}
