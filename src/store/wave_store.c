/* wave_store.c — statements about events, the extra hours opened for them and the wave's setting. */
#include "store/wave_store.h"

#include <string.h>

static const rc_sql q_event_add = {"event_create",
	"INSERT INTO event (name, day, finishers, created_at) VALUES (?, ?, ?, ?) RETURNING id"};
static const rc_sql q_event_update = {"event_update",
	"UPDATE event SET name = ?, day = ?, finishers = ? WHERE id = ?"};
static const rc_sql q_event_unlink = {"event_unlink_hours", "DELETE FROM wave_hours WHERE event_id = ?"};
static const rc_sql q_event_delete = {"event_delete", "DELETE FROM event WHERE id = ?"};
static const rc_sql q_events = {"events_list",
	"SELECT id, name, day, COALESCE(finishers, 0) FROM event ORDER BY day, id"};
static const rc_sql q_overlap = {"wave_hours_overlap",
	"SELECT 1 FROM schedule_exception WHERE practitioner_id = ? AND kind = 'extra_hours' AND starts_at < ? "
	"AND ends_at > ?"};
static const rc_sql q_hours_add = {"wave_hours_add",
	"INSERT INTO schedule_exception (practitioner_id, kind, starts_at, ends_at, note) "
	"VALUES (?, 'extra_hours', ?, ?, 'wave') RETURNING id"};
static const rc_sql q_hours_tie = {"wave_hours_tie", "INSERT INTO wave_hours (exception_id, event_id) VALUES (?, ?)"};
static const rc_sql q_hours_of = {"wave_hours_of_event",
	"SELECT x.id, x.practitioner_id, p.name, x.starts_at, x.ends_at FROM wave_hours h "
	"JOIN schedule_exception x ON x.id = h.exception_id JOIN practitioner p ON p.id = x.practitioner_id "
	"WHERE h.event_id = ? ORDER BY x.starts_at, p.name, x.id"};
static const rc_sql q_hours_untie = {"wave_hours_untie", "DELETE FROM wave_hours WHERE exception_id = ?"};
static const rc_sql q_hours_remove = {"wave_hours_remove",
	"DELETE FROM schedule_exception WHERE id = ? AND kind = 'extra_hours'"};
static const rc_sql q_setting = {"wave_setting_get", "SELECT visits_per_1000 FROM wave_setting WHERE id = 1"};
static const rc_sql q_setting_put = {"wave_setting_put",
	"INSERT INTO wave_setting (id, visits_per_1000, updated_at, updated_by) VALUES (1, ?, ?, ?) "
	"ON CONFLICT (id) DO UPDATE SET visits_per_1000 = excluded.visits_per_1000, "
	"updated_at = excluded.updated_at, updated_by = excluded.updated_by"};

/* name, day, then the number of finishers or NULL when it is not known, from parameter i. */
static rc_err bind_event(rc_stmt *s, int i, const char *name, const char *day, int64_t finishers)
{
	rc_err e;
	if ((e = rc_stmt_bind_text(s, i, name)) || (e = rc_stmt_bind_text(s, i + 1, day)))
		return e;
	return finishers > 0 ? rc_stmt_bind_int(s, i + 2, finishers) : rc_stmt_bind_text(s, i + 2, NULL);
}

rc_err rc_event_create(rc_db *db, const char *name, const char *day, int64_t finishers, int64_t now, int64_t *id)
{
	rc_stmt *s = rc_db_stmt(db, &q_event_add);
	bool row = false;
	rc_err e = s ? RC_OK : RC_EDB;
	*id = 0;
	if (!e && !(e = bind_event(s, 1, name, day, finishers)) && !(e = rc_stmt_bind_int(s, 4, now)))
		e = rc_stmt_step(s, &row);
	if (!e && !row)
		e = RC_EDB;
	if (!e) {
		*id = rc_stmt_int(s, 0);
		rc_stmt_done(s);
	}
	return e;
}

rc_err rc_event_update(rc_db *db, int64_t id, const char *name, const char *day, int64_t finishers, bool *found)
{
	rc_stmt *s = rc_db_stmt(db, &q_event_update);
	bool row;
	rc_err e = s ? RC_OK : RC_EDB;
	*found = false;
	if (!e && !(e = bind_event(s, 1, name, day, finishers)) && !(e = rc_stmt_bind_int(s, 4, id)))
		e = rc_stmt_step(s, &row);
	*found = !e && rc_stmt_changes(s) > 0;
	return e;
}

rc_err rc_event_delete(rc_db *db, int64_t id, bool *found)
{
	rc_stmt *s;
	*found = false;
	rc_err e = rc_db_query(db, &q_event_unlink, NULL, NULL, "i", id);
	if (!e)
		e = rc_db_query(db, &q_event_delete, &s, NULL, "i", id);
	*found = !e && rc_stmt_changes(s) > 0;
	return e;
}

rc_err rc_events_list(rc_db *db, rc_event_fn fn, void *ctx)
{
	rc_stmt *s;
	bool row;
	rc_err e = rc_db_query(db, &q_events, &s, &row, "");
	while (!e && row) {
		fn(ctx, rc_stmt_int(s, 0), rc_stmt_text(s, 1), rc_stmt_text(s, 2), rc_stmt_int(s, 3));
		e = rc_stmt_step(s, &row);
	}
	return e;
}

rc_err rc_wave_hours_overlap(rc_db *db, int64_t pid, int64_t start, int64_t end, bool *overlap)
{
	rc_stmt *s;
	*overlap = false;
	rc_err e = rc_db_query(db, &q_overlap, &s, overlap, "iii", pid, end, start);
	if (!e && *overlap)
		rc_stmt_done(s);
	return e;
}

rc_err rc_wave_hours_add(rc_db *db, int64_t pid, int64_t start, int64_t end, int64_t event_id)
{
	rc_stmt *s;
	bool row = false;
	rc_err e = rc_db_query(db, &q_hours_add, &s, &row, "iii", pid, start, end);
	if (!e && !row)
		e = RC_EDB;
	if (e)
		return e;
	int64_t id = rc_stmt_int(s, 0);
	rc_stmt_done(s);
	return rc_db_query(db, &q_hours_tie, NULL, NULL, "ii", id, event_id);
}

rc_err rc_wave_hours_of_event(rc_db *db, int64_t event_id, rc_wave_hours_fn fn, void *ctx)
{
	rc_stmt *s;
	bool row;
	rc_err e = rc_db_query(db, &q_hours_of, &s, &row, "i", event_id);
	while (!e && row) {
		fn(ctx, rc_stmt_int(s, 0), rc_stmt_int(s, 1), rc_stmt_text(s, 2), rc_stmt_int(s, 3), rc_stmt_int(s, 4));
		e = rc_stmt_step(s, &row);
	}
	return e;
}

rc_err rc_wave_hours_remove(rc_db *db, int64_t exception_id)
{
	rc_err e = rc_db_query(db, &q_hours_untie, NULL, NULL, "i", exception_id);
	return e ? e : rc_db_query(db, &q_hours_remove, NULL, NULL, "i", exception_id);
}

rc_err rc_wave_setting_get(rc_db *db, int *visits_per_1000, bool *found)
{
	rc_stmt *s;
	*found = false;
	rc_err e = rc_db_query(db, &q_setting, &s, found, "");
	if (!e && *found) {
		*visits_per_1000 = (int)rc_stmt_int(s, 0);
		rc_stmt_done(s);
	}
	return e;
}

rc_err rc_wave_setting_put(rc_db *db, int visits_per_1000, int64_t now, int64_t actor_id)
{
	rc_stmt *s = rc_db_stmt(db, &q_setting_put);
	bool row;
	rc_err e = s ? RC_OK : RC_EDB;
	if (!e && !(e = rc_stmt_bind_int(s, 1, visits_per_1000)) && !(e = rc_stmt_bind_int(s, 2, now)) &&
	    !(e = actor_id ? rc_stmt_bind_int(s, 3, actor_id) : rc_stmt_bind_text(s, 3, NULL)))
		e = rc_stmt_step(s, &row);
	return e;
}
