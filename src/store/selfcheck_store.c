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
