/* patient_store.c — patients' search keys, lists and merges (see patient_store.h). */
#include "store/patient_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LIVE_PATIENT "a.deleted_at IS NULL AND (a.role = 'runner' OR a.patient = 1)"
#define PATIENT_COLS                                                                                           \
	"a.id, a.name, COALESCE(a.email, ''), COALESCE(p.phone, ''), COALESCE(p.phone_digits, ''), "               \
	"COALESCE(p.date_of_birth, ''), a.role, a.created_at, COALESCE(a.deactivated_at, 0), "                      \
	"CASE WHEN a.password_hash IS NULL THEN 0 ELSE 1 END"
#define PATIENT_FROM "FROM account a LEFT JOIN patient_profile p ON p.runner_id = a.id "
#define IN16 "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"

static const rc_sql q_by_keys = {"patient_by_keys",
	"SELECT " PATIENT_COLS " " PATIENT_FROM "WHERE a.id IN (SELECT k.runner_id FROM patient_key k WHERE k.term IN "
	IN16 ") AND " LIVE_PATIENT};
static const rc_sql q_unindexed = {"patient_unindexed",
	"SELECT " PATIENT_COLS " " PATIENT_FROM "WHERE a.search_indexed = 0 AND " LIVE_PATIENT};
static const rc_sql q_page = {"patient_page",
	"SELECT " PATIENT_COLS " " PATIENT_FROM "WHERE " LIVE_PATIENT " ORDER BY a.name, a.id LIMIT ? OFFSET ?"};
static const rc_sql q_count = {"patient_count", "SELECT COUNT(*) FROM account a WHERE " LIVE_PATIENT};
static const rc_sql q_get = {"patient_get", "SELECT " PATIENT_COLS " " PATIENT_FROM "WHERE a.id = ? AND " LIVE_PATIENT};

static const rc_sql q_source = {"patient_index_source",
	"SELECT a.name, COALESCE(a.email, ''), COALESCE(p.phone_digits, ''), COALESCE(p.date_of_birth, ''), "
	"CASE WHEN " LIVE_PATIENT " THEN 1 ELSE 0 END " PATIENT_FROM "WHERE a.id = ?"};
static const rc_sql q_keys_delete = {"patient_keys_delete", "DELETE FROM patient_key WHERE runner_id = ?"};
/* Sixteen keys a statement; a short batch repeats its last key, which the conflict clause drops. */
static const rc_sql q_keys_add = {"patient_keys_add",
	"INSERT INTO patient_key (term, runner_id) VALUES (?, ?), (?, ?), (?, ?), (?, ?), (?, ?), (?, ?), (?, ?), "
	"(?, ?), (?, ?), (?, ?), (?, ?), (?, ?), (?, ?), (?, ?), (?, ?), (?, ?) ON CONFLICT DO NOTHING"};
static const rc_sql q_indexed = {"patient_indexed", "UPDATE account SET search_indexed = 1 WHERE id = ?"};

static void read_row(rc_stmt *s, rc_patient_row *p)
{
	p->id = rc_stmt_int(s, 0);
	p->name = rc_stmt_text(s, 1);
	p->email = rc_stmt_text(s, 2);
	p->phone = rc_stmt_text(s, 3);
	p->phone_digits = rc_stmt_text(s, 4);
	p->dob = rc_stmt_text(s, 5);
	p->role = rc_stmt_text(s, 6);
	p->created_at = rc_stmt_int(s, 7);
	p->deactivated_at = rc_stmt_int(s, 8);
	p->has_password = rc_stmt_int(s, 9) != 0;
}

/* Calls fn for each row of a query that has begun; at most max rows (max < 0: all). */
static rc_err each_row(rc_stmt *s, bool row, rc_err e, int64_t max, rc_patient_row_fn fn, void *ctx, int64_t *seen,
                       bool *too_many)
{
	while (!e && row) {
		if (max >= 0 && *seen >= max) {
			*too_many = true;
			rc_stmt_done(s);
			return RC_OK;
		}
		rc_patient_row p;
		read_row(s, &p);
		fn(ctx, &p);
		(*seen)++;
		e = rc_stmt_step(s, &row);
	}
	return e;
}

/* --- the search index ----------------------------------------------------------------------------- */

static rc_err keys_add(rc_db *db, int64_t id, char (*keys)[RC_SEARCH_KEY_MAX + 1], size_t n)
{
	for (size_t at = 0; at < n; at += 16) {
		rc_stmt *s = rc_db_stmt(db, &q_keys_add);
		if (!s)
			return RC_EDB;
		rc_err e = RC_OK;
		for (int i = 0; !e && i < 16; i++) {
			size_t k = at + (size_t)i < n ? at + (size_t)i : n - 1;
			e = rc_stmt_bind_text(s, 2 * i + 1, keys[k]);
			if (!e)
				e = rc_stmt_bind_int(s, 2 * i + 2, id);
		}
		bool row;
		if (e || (e = rc_stmt_step(s, &row)))
			return e;
	}
	return RC_OK;
}

rc_err rc_patient_index(rc_db *db, int64_t id, bool fresh)
{
	rc_stmt *s;
	bool row;
	rc_err e;
	if (!fresh && (e = rc_db_query(db, &q_keys_delete, NULL, NULL, "i", id)))
		return e;
	if ((e = rc_db_query(db, &q_source, &s, &row, "i", id)))
		return e;
	if (row && rc_stmt_int(s, 4)) {
		char name[256], email[256], digits[32], dob[16];
		snprintf(name, sizeof name, "%s", rc_stmt_text(s, 0));
		snprintf(email, sizeof email, "%s", rc_stmt_text(s, 1));
		snprintf(digits, sizeof digits, "%s", rc_stmt_text(s, 2));
		snprintf(dob, sizeof dob, "%s", rc_stmt_text(s, 3));
		rc_stmt_done(s);
		rc_search_patient p = {name, email, digits, dob};
		char keys[RC_SEARCH_PATIENT_KEYS_MAX][RC_SEARCH_KEY_MAX + 1];
		size_t n = rc_search_patient_keys(&p, keys, RC_SEARCH_PATIENT_KEYS_MAX);
		if (n && (e = keys_add(db, id, keys, n)))
			return e;
	} else if (row) {
		rc_stmt_done(s);
	}
	return rc_db_query(db, &q_indexed, NULL, NULL, "i", id);
}

/* One patient's key for the batch writer: sorted by term, so the index's pages are written in order. */
typedef struct {
	char term[RC_SEARCH_KEY_MAX + 1];
	int64_t id;
} batch_key;

static int by_term(const void *a, const void *b)
{
	const batch_key *x = a, *y = b;
	int c = strcmp(x->term, y->term);
	return c ? c : (x->id > y->id) - (x->id < y->id);
}

static const rc_sql q_pending_rows = {"patient_pending_rows",
	"SELECT a.id, a.name, COALESCE(a.email, ''), COALESCE(p.phone_digits, ''), COALESCE(p.date_of_birth, ''), "
	"CASE WHEN " LIVE_PATIENT " THEN 1 ELSE 0 END " PATIENT_FROM "WHERE a.search_indexed = 0 ORDER BY a.id LIMIT ?"};
static const rc_sql q_pending_clear = {"patient_pending_clear",
	"DELETE FROM patient_key WHERE runner_id IN (SELECT id FROM account WHERE search_indexed = 0 AND id BETWEEN ? AND ?)"};
#define V8 "(?, ?), (?, ?), (?, ?), (?, ?), (?, ?), (?, ?), (?, ?), (?, ?)"
#define I8 "?, ?, ?, ?, ?, ?, ?, ?"
/* 64 parameters a statement: the PostgreSQL driver's most (store/pg.c). */
static const rc_sql q_keys_add32 = {"patient_keys_add32",
	"INSERT INTO patient_key (term, runner_id) VALUES " V8 ", " V8 ", " V8 ", " V8 " ON CONFLICT DO NOTHING"};
static const rc_sql q_indexed64 = {"patient_indexed64",
	"UPDATE account SET search_indexed = 1 WHERE id IN (" I8 ", " I8 ", " I8 ", " I8 ", " I8 ", " I8 ", " I8 ", " I8 ")"};

/* Runs a statement of rows rows over v[0..n) in chunks, the last chunk padded with its last row (the
 * statements ignore a repeat). bind fills the placeholders of the statement's row i from v[k]. */
static rc_err in_chunks(rc_db *db, const rc_sql *q, int rows, size_t n,
                        rc_err (*bind)(rc_stmt *s, int i, size_t k, void *v), void *v)
{
	for (size_t at = 0; at < n; at += (size_t)rows) {
		rc_stmt *s = rc_db_stmt(db, q);
		if (!s)
			return RC_EDB;
		rc_err e = RC_OK;
		for (int i = 0; !e && i < rows; i++)
			e = bind(s, i, at + (size_t)i < n ? at + (size_t)i : n - 1, v);
		bool row;
		if (e || (e = rc_stmt_step(s, &row)))
			return e;
	}
	return RC_OK;
}

static rc_err bind_key(rc_stmt *s, int i, size_t k, void *v)
{
	const batch_key *key = &((const batch_key *)v)[k];
	rc_err e = rc_stmt_bind_text(s, 2 * i + 1, key->term);
	return e ? e : rc_stmt_bind_int(s, 2 * i + 2, key->id);
}

static rc_err bind_one_id(rc_stmt *s, int i, size_t k, void *v)
{
	return rc_stmt_bind_int(s, i + 1, ((const int64_t *)v)[k]);
}

rc_err rc_patient_index_pending(rc_db *db, int max, int *done)
{
	/* A batch at a time, and a few statements for all of it: the first start after migration 0013 on
	 * a clinic's database (or a database another program filled) writes every patient's keys. */
	*done = 0;
	if (max > RC_PATIENT_INDEX_BATCH)
		max = RC_PATIENT_INDEX_BATCH;
	int64_t *ids = malloc(sizeof *ids * (size_t)max);
	size_t cap = (size_t)max * 40, nk = 0;
	batch_key *keys = malloc(sizeof *keys * cap);
	rc_stmt *s;
	bool row;
	int n = 0;
	rc_err e = ids && keys ? rc_db_query(db, &q_pending_rows, &s, &row, "i", (int64_t)max) : RC_ENOMEM;
	while (!e && row && n < max) {
		int64_t id = rc_stmt_int(s, 0);
		ids[n++] = id;
		if (rc_stmt_int(s, 5)) {
			rc_search_patient p = {rc_stmt_text(s, 1), rc_stmt_text(s, 2), rc_stmt_text(s, 3), rc_stmt_text(s, 4)};
			char k[RC_SEARCH_PATIENT_KEYS_MAX][RC_SEARCH_KEY_MAX + 1];
			size_t m = rc_search_patient_keys(&p, k, RC_SEARCH_PATIENT_KEYS_MAX);
			if (nk + m > cap) {
				batch_key *more = realloc(keys, sizeof *keys * (cap = (nk + m) * 2));
				if (!more) {
					e = RC_ENOMEM;
					break;
				}
				keys = more;
			}
			for (size_t i = 0; i < m; i++, nk++) {
				memcpy(keys[nk].term, k[i], sizeof keys[nk].term);
				keys[nk].id = id;
			}
		}
		e = rc_stmt_step(s, &row);
	}
	if (!e && n) {
		if (row)
			rc_stmt_done(s);
		qsort(keys, nk, sizeof *keys, by_term);
		e = rc_db_query(db, &q_pending_clear, NULL, NULL, "ii", ids[0], ids[n - 1]);
		if (!e && nk)
			e = in_chunks(db, &q_keys_add32, 32, nk, bind_key, keys);
		if (!e)
			e = in_chunks(db, &q_indexed64, 64, (size_t)n, bind_one_id, ids);
		if (!e)
			*done = n;
	}
	free(ids);
	free(keys);
	return e;
}

rc_err rc_patient_candidates(rc_db *db, const char (*keys)[RC_SEARCH_KEY_MAX + 1], size_t n, int64_t max,
                             rc_patient_row_fn fn, void *ctx, bool *too_many)
{
	*too_many = false;
	if (n == 0 || n > RC_PATIENT_LOOKUP_KEYS)
		return RC_EINVAL;
	rc_stmt *s = rc_db_stmt(db, &q_by_keys);
	if (!s)
		return RC_EDB;
	rc_err e = RC_OK;
	for (int i = 0; !e && i < RC_PATIENT_LOOKUP_KEYS; i++)
		e = rc_stmt_bind_text(s, i + 1, keys[(size_t)i < n ? (size_t)i : n - 1]);
	bool row = false;
	int64_t seen = 0;
	if (!e)
		e = rc_stmt_step(s, &row);
	if ((e = each_row(s, row, e, max, fn, ctx, &seen, too_many)) || *too_many)
		return e;
	e = rc_db_query(db, &q_unindexed, &s, &row, "");
	return each_row(s, row, e, max, fn, ctx, &seen, too_many);
}

rc_err rc_patient_page(rc_db *db, int64_t offset, int64_t limit, rc_patient_row_fn fn, void *ctx, int64_t *total)
{
	rc_stmt *s;
	bool row, many = false;
	int64_t seen = 0;
	rc_err e = rc_db_query(db, &q_count, &s, &row, "");
	if (e)
		return e;
	*total = row ? rc_stmt_int(s, 0) : 0;
	if (row)
		rc_stmt_done(s);
	e = rc_db_query(db, &q_page, &s, &row, "ii", limit, offset);
	return each_row(s, row, e, -1, fn, ctx, &seen, &many);
}

rc_err rc_patient_get(rc_db *db, int64_t id, rc_patient_row_fn fn, void *ctx, bool *found)
{
	rc_stmt *s;
	bool many = false;
	int64_t seen = 0;
	rc_err e = rc_db_query(db, &q_get, &s, found, "i", id);
	return each_row(s, *found, e, -1, fn, ctx, &seen, &many);
}

/* --- merging ---------------------------------------------------------------------------------------- */

/* Counted for the duplicate (?1), except ACTIVITIES_SAME, its runs that the kept record (?2) has too. */
static const rc_sql q_merge_counts = {"patient_merge_counts",
	"SELECT (SELECT COUNT(*) FROM appointment WHERE runner_id = ?), (SELECT COUNT(*) FROM waitlist WHERE runner_id = ?), "
	"(SELECT COUNT(*) FROM selfcheck_result WHERE runner_id = ?), (SELECT COUNT(*) FROM activity WHERE runner_id = ?), "
	"(SELECT COUNT(*) FROM activity d WHERE d.runner_id = ? AND EXISTS (SELECT 1 FROM activity k WHERE k.runner_id = ? "
	"AND k.start_at = d.start_at)), (SELECT COUNT(*) FROM import_job WHERE runner_id = ?), "
	"(SELECT COUNT(*) FROM program_assignment WHERE runner_id = ?), (SELECT COUNT(*) FROM exercise_log WHERE runner_id = ?), "
	"(SELECT COUNT(*) FROM diary_entry WHERE runner_id = ?), (SELECT COUNT(*) FROM psfs_rating WHERE runner_id = ?), "
	"(SELECT COUNT(*) FROM patient_profile WHERE runner_id = ?), "
	"(SELECT COUNT(*) FROM patient_profile_version WHERE runner_id = ?), (SELECT COUNT(*) FROM episode WHERE runner_id = ?), "
	"(SELECT COUNT(*) FROM clinical_note WHERE runner_id = ?), (SELECT COUNT(*) FROM note_addendum WHERE runner_id = ?), "
	"(SELECT COUNT(*) FROM note_measure WHERE runner_id = ?), (SELECT COUNT(*) FROM treatment WHERE runner_id = ?), "
	"(SELECT COUNT(*) FROM needling_consent WHERE runner_id = ?), (SELECT COUNT(*) FROM adverse_event WHERE runner_id = ?), "
	"(SELECT COUNT(*) FROM calendar_feed WHERE account_id = ?)"};

rc_err rc_patient_merge_counts(rc_db *db, int64_t dup, int64_t keep, rc_merge_counts *out)
{
	memset(out, 0, sizeof *out);
	rc_stmt *s = rc_db_stmt(db, &q_merge_counts);
	if (!s)
		return RC_EDB;
	rc_err e = RC_OK;
	for (int i = 1; !e && i <= RC_MERGE_KINDS + 1; i++)
		e = rc_stmt_bind_int(s, i, i == RC_MERGE_ACTIVITIES_SAME + 2 ? keep : dup);
	bool row = false;
	if (!e)
		e = rc_stmt_step(s, &row);
	if (!e && !row)
		e = RC_EDB;
	if (e)
		return e;
	for (int k = 0; k < RC_MERGE_KINDS; k++)
		out->n[k] = rc_stmt_int(s, k);
	rc_stmt_done(s);
	return RC_OK;
}

/* ?1 the record kept, ?2 the duplicate, in every statement below but those that say otherwise. */
#define MOVE(table, column) "UPDATE " table " SET " column " = ? WHERE " column " = ?"
static const rc_sql q_move_run_files_same = {"merge_run_files_same",
	"DELETE FROM activity_file WHERE activity_id IN (SELECT d.id FROM activity d WHERE d.runner_id = ? AND d.start_at IN "
	"(SELECT k.start_at FROM activity k WHERE k.runner_id = ?))"};
static const rc_sql q_move_runs_same = {"merge_runs_same",
	"DELETE FROM activity WHERE runner_id = ? AND start_at IN (SELECT k.start_at FROM activity k WHERE k.runner_id = ?)"};
static const rc_sql q_move_keys_same = {"merge_idempotency_same",
	"UPDATE appointment SET idempotency_key = NULL WHERE runner_id = ? AND idempotency_key IN "
	"(SELECT k.idempotency_key FROM appointment k WHERE k.runner_id = ? AND k.idempotency_key IS NOT NULL)"};
static const rc_sql q_move_program_end = {"merge_program_end",
	"UPDATE program_assignment SET ended_at = ? WHERE runner_id = ? AND ended_at IS NULL AND EXISTS "
	"(SELECT 1 FROM program_assignment k WHERE k.runner_id = ? AND k.ended_at IS NULL)"};
static const rc_sql q_move_diary_same = {"merge_diary_same",
	"UPDATE diary_entry SET superseded_by = (SELECT MAX(k.id) FROM diary_entry k WHERE k.runner_id = ? "
	"AND k.day = diary_entry.day AND k.superseded_by IS NULL) WHERE runner_id = ? AND superseded_by IS NULL AND "
	"EXISTS (SELECT 1 FROM diary_entry k WHERE k.runner_id = ? AND k.day = diary_entry.day AND k.superseded_by IS NULL)"};
/* The duplicate's current details become an earlier version of the kept record's, then go. */
static const rc_sql q_move_details_keep = {"merge_details_keep",
	"INSERT INTO patient_profile_version (runner_id, date_of_birth, phone, emergency_name, emergency_phone, alerts, "
	"alert_note, saved_at, saved_by, replaced_at) SELECT CAST(? AS BIGINT), date_of_birth, phone, emergency_name, "
	"emergency_phone, alerts, alert_note, updated_at, updated_by, CAST(? AS BIGINT) FROM patient_profile "
	"WHERE runner_id = ?"};
static const rc_sql q_move_details_drop = {"merge_details_drop", "DELETE FROM patient_profile WHERE runner_id = ?"};
/* Resting and maximum heart rate: the kept record's own if it has them, else the duplicate's. */
static const rc_sql q_move_heart = {"merge_heart",
	"UPDATE runner_heart SET runner_id = ? WHERE runner_id = ? AND NOT EXISTS "
	"(SELECT 1 FROM runner_heart k WHERE k.runner_id = ?)"};
static const rc_sql q_move_heart_drop = {"merge_heart_drop", "DELETE FROM runner_heart WHERE runner_id = ?"};
static const rc_sql q_move_sessions = {"merge_sessions", "DELETE FROM session WHERE account_id = ?"};
static const rc_sql q_move_tokens = {"merge_tokens",
	"UPDATE api_token SET revoked_at = ? WHERE account_id = ? AND revoked_at IS NULL"};
static const rc_sql q_move_links = {"merge_links",
	"UPDATE one_time_link SET revoked_at = ? WHERE account_id = ? AND used_at IS NULL AND revoked_at IS NULL"};
static const rc_sql q_move_keys = {"merge_keys", "DELETE FROM patient_key WHERE runner_id = ?"};

/* Every table whose rows are the patient's, moved as they are. tests/integration/patients.py checks the
 * schema for a table that names an account and is not here (or handled above), so one added later
 * is not left behind. */
static const rc_sql moves[] = {
	{"merge_appointments", MOVE("appointment", "runner_id")},
	{"merge_waitlist", MOVE("waitlist", "runner_id")},
	{"merge_selfchecks", MOVE("selfcheck_result", "runner_id")},
	{"merge_activities", MOVE("activity", "runner_id")},
	{"merge_imports", MOVE("import_job", "runner_id")},
	{"merge_programs", MOVE("program_assignment", "runner_id")},
	{"merge_exercise_logs", MOVE("exercise_log", "runner_id")},
	{"merge_diary", MOVE("diary_entry", "runner_id")},
	{"merge_psfs", MOVE("psfs_rating", "runner_id")},
	{"merge_detail_versions", MOVE("patient_profile_version", "runner_id")},
	{"merge_episodes", MOVE("episode", "runner_id")},
	{"merge_notes", MOVE("clinical_note", "runner_id")},
	{"merge_addenda", MOVE("note_addendum", "runner_id")},
	{"merge_measures", MOVE("note_measure", "runner_id")},
	{"merge_treatments", MOVE("treatment", "runner_id")},
	{"merge_consents", MOVE("needling_consent", "runner_id")},
	{"merge_adverse", MOVE("adverse_event", "runner_id")},
	{"merge_feeds", MOVE("calendar_feed", "account_id")},
	/* Billing: the invoices keep their numbers, the payments their keys (unique per person taking them). */
	{"merge_invoices", MOVE("invoice", "runner_id")},
	{"merge_credit_notes", MOVE("credit_note", "runner_id")},
	{"merge_payments", MOVE("payment", "runner_id")},
	{"merge_packages", MOVE("package", "runner_id")},
};

rc_err rc_patient_merge_move(rc_db *db, int64_t dup, int64_t keep, int64_t now)
{
	rc_err e;
	if ((e = rc_db_query(db, &q_move_run_files_same, NULL, NULL, "ii", dup, keep)) ||
	    (e = rc_db_query(db, &q_move_runs_same, NULL, NULL, "ii", dup, keep)) ||
	    (e = rc_db_query(db, &q_move_keys_same, NULL, NULL, "ii", dup, keep)) ||
	    (e = rc_db_query(db, &q_move_program_end, NULL, NULL, "iii", now, dup, keep)) ||
	    (e = rc_db_query(db, &q_move_diary_same, NULL, NULL, "iii", keep, dup, keep)) ||
	    (e = rc_db_query(db, &q_move_details_keep, NULL, NULL, "iii", keep, now, dup)) ||
	    (e = rc_db_query(db, &q_move_details_drop, NULL, NULL, "i", dup)) ||
	    (e = rc_db_query(db, &q_move_heart, NULL, NULL, "iii", keep, dup, keep)) ||
	    (e = rc_db_query(db, &q_move_heart_drop, NULL, NULL, "i", dup)))
		return e;
	for (size_t i = 0; i < sizeof moves / sizeof moves[0]; i++)
		if ((e = rc_db_query(db, &moves[i], NULL, NULL, "ii", keep, dup)))
			return e;
	if ((e = rc_db_query(db, &q_move_sessions, NULL, NULL, "i", dup)) ||
	    (e = rc_db_query(db, &q_move_tokens, NULL, NULL, "ii", now, dup)) ||
	    (e = rc_db_query(db, &q_move_links, NULL, NULL, "ii", now, dup)) ||
	    (e = rc_db_query(db, &q_move_keys, NULL, NULL, "i", dup)))
		return e;
	return RC_OK;
}

static const rc_sql q_retire = {"patient_retire",
	"UPDATE account SET email = NULL, password_hash = NULL, deleted_at = ?, merged_into = ?, search_indexed = 1 "
	"WHERE id = ? AND deleted_at IS NULL"};
static const rc_sql q_take_login = {"patient_take_login",
	"UPDATE account SET email = ?, password_hash = ?, password_changed_at = ? WHERE id = ? AND deleted_at IS NULL"};
static const rc_sql q_merged_into = {"patient_merged_into",
	"SELECT COALESCE(merged_into, 0) FROM account WHERE id = ?"};

rc_err rc_patient_retire(rc_db *db, int64_t dup, int64_t keep, int64_t now)
{
	rc_stmt *s;
	rc_err e = rc_db_query(db, &q_retire, &s, NULL, "iii", now, keep, dup);
	return e ? e : rc_stmt_changes(s) == 1 ? RC_OK : RC_ECONFLICT;
}

rc_err rc_patient_take_login(rc_db *db, int64_t keep, const char *email, const char *password_hash, int64_t changed_at)
{
	return rc_db_query(db, &q_take_login, NULL, NULL, "ttii", email, password_hash, changed_at, keep);
}

rc_err rc_patient_merged_into(rc_db *db, int64_t id, int64_t *into)
{
	rc_stmt *s;
	bool row;
	*into = 0;
	rc_err e = rc_db_query(db, &q_merged_into, &s, &row, "i", id);
	if (!e && row) {
		*into = rc_stmt_int(s, 0);
		rc_stmt_done(s);
	}
	return e;
}
