/* selfcheck_store.c — statements about self-check results. */
#include "store/selfcheck_store.h"

#include <stdio.h>

static const rc_sql q_save = {"selfcheck_save",
	"INSERT INTO selfcheck_result (runner_id, created_at, urgency, top_condition, answers, result) "
	"VALUES (?, ?, ?, ?, ?, ?) RETURNING id"};
static const rc_sql q_history = {"selfcheck_history",
	"SELECT id, created_at, urgency, top_condition FROM selfcheck_result WHERE runner_id = ? ORDER BY created_at DESC, id DESC"};

rc_err rc_selfcheck_save(rc_db *db, int64_t runner_id, int64_t now, const char *urgency, const char *top,
                         const char *answers_json, const char *result_json, int64_t *id)
{
	rc_stmt *s;
	bool row;
	rc_err e = rc_db_query(db, &q_save, &s, &row, "iitttt", runner_id, now, urgency, top, answers_json, result_json);
	if (!e && row) {
		*id = rc_stmt_int(s, 0);
		rc_stmt_done(s);
	}
	return e ? e : (row ? RC_OK : RC_EDB);
}

rc_err rc_selfcheck_history(rc_db *db, int64_t runner_id, rc_selfcheck_fn fn, void *ctx)
{
	rc_stmt *s;
	bool row;
	rc_err e = rc_db_query(db, &q_history, &s, &row, "i", runner_id);
	while (!e && row) {
		fn(ctx, rc_stmt_int(s, 0), rc_stmt_int(s, 1), rc_stmt_text(s, 2), rc_stmt_text(s, 3));
		e = rc_stmt_step(s, &row);
	}
	return e;
}

rc_err rc_selfcheck_latest(rc_db *db, int64_t runner_id, char *urgency, size_t n, char *top, size_t tn)
{
	rc_stmt *s;
	bool row;
	urgency[0] = top[0] = '\0';
	rc_err e = rc_db_query(db, &q_history, &s, &row, "i", runner_id);
	if (!e && row) {
		snprintf(urgency, n, "%s", rc_stmt_text(s, 2));
		snprintf(top, tn, "%s", rc_stmt_text(s, 3));
		rc_stmt_done(s);
	}
	return e;
}

static const rc_sql q_pending_expire = {"selfcheck_pending_expire",
	"DELETE FROM selfcheck_pending WHERE created_at < ?"};
static const rc_sql q_pending_put = {"selfcheck_pending_put",
	"INSERT INTO selfcheck_pending (token_hash, created_at, urgency, top_condition, answers, result) "
	"VALUES (?, ?, ?, ?, ?, ?)"};
static const rc_sql q_pending_claim = {"selfcheck_pending_claim",
	"INSERT INTO selfcheck_result (runner_id, created_at, urgency, top_condition, answers, result) "
	"SELECT ?, created_at, urgency, top_condition, answers, result FROM selfcheck_pending "
	"WHERE token_hash = ? AND created_at >= ?"};
static const rc_sql q_pending_delete = {"selfcheck_pending_delete",
	"DELETE FROM selfcheck_pending WHERE token_hash = ?"};

rc_err rc_selfcheck_pending_put(rc_db *db, const char *token_hash, int64_t now, int64_t expired, const char *urgency,
                                const char *top, const char *answers_json, const char *result_json)
{
	rc_err e = rc_db_query(db, &q_pending_expire, NULL, NULL, "i", expired);
	if (!e)
		e = rc_db_query(db, &q_pending_put, NULL, NULL, "titttt", token_hash, now, urgency, top, answers_json,
		                result_json);
	return e;
}

rc_err rc_selfcheck_pending_claim(rc_db *db, const char *token_hash, int64_t expired, int64_t runner_id, bool *claimed)
{
	rc_stmt *s;
	*claimed = false;
	rc_err e = rc_db_query(db, &q_pending_claim, &s, NULL, "iti", runner_id, token_hash, expired);
	if (!e)
		*claimed = rc_stmt_changes(s) > 0;
	if (!e)
		e = rc_db_query(db, &q_pending_delete, NULL, NULL, "t", token_hash);
	return e;
}
