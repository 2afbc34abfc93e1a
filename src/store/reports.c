/* reports.c — the statements the clinic's reports read. Each returns plain rows in a stable order, so
 * the arithmetic above them is the same on SQLite and PostgreSQL. */
#include "store/reports.h"

static const rc_sql q_appointments = {"report_appointments",
	"SELECT a.id, a.runner_id, a.practitioner_id, a.service_id, a.starts_at, a.ends_at, a.created_at, "
	"COALESCE(a.cancelled_at, 0), a.status, p.name, s.name FROM appointment a "
	"JOIN practitioner p ON p.id = a.practitioner_id JOIN service s ON s.id = a.service_id "
	"WHERE a.starts_at >= ? AND a.starts_at < ? ORDER BY a.starts_at, a.id"};
static const rc_sql q_hours = {"report_hours",
	"SELECT practitioner_id, weekday, start_minute, end_minute FROM working_hours "
	"ORDER BY practitioner_id, weekday, start_minute"};
static const rc_sql q_exceptions = {"report_exceptions",
	"SELECT practitioner_id, kind, starts_at, ends_at FROM schedule_exception WHERE starts_at < ? AND ends_at > ? "
	"ORDER BY practitioner_id, starts_at, id"};
static const rc_sql q_first = {"report_first_visits",
	"SELECT MIN(starts_at) FROM appointment WHERE status IN ('booked', 'arrived') GROUP BY runner_id "
	"HAVING MIN(starts_at) >= ? AND MIN(starts_at) < ? ORDER BY 1"};
static const rc_sql q_joined = {"report_waitlist_joined",
	"SELECT created_at FROM waitlist WHERE created_at >= ? AND created_at < ? ORDER BY created_at, id"};
static const rc_sql q_served = {"report_waitlist_served",
	"SELECT w.created_at, a.created_at FROM waitlist w "
	"JOIN waitlist_offer o ON o.waitlist_id = w.id AND o.status = 'accepted' "
	"JOIN appointment a ON a.id = w.appointment_id WHERE a.created_at >= ? AND a.created_at < ? "
	"ORDER BY a.created_at, w.id"};

rc_err rc_report_appointments(rc_db *db, int64_t from, int64_t to, rc_report_row_fn fn, void *ctx)
{
	rc_stmt *s;
	bool row;
	rc_err e = rc_db_query(db, &q_appointments, &s, &row, "ii", from, to);
	while (!e && row) {
		rc_report_row a = {
			.id = rc_stmt_int(s, 0),
			.runner_id = rc_stmt_int(s, 1),
			.practitioner_id = rc_stmt_int(s, 2),
			.service_id = rc_stmt_int(s, 3),
			.starts_at = rc_stmt_int(s, 4),
			.ends_at = rc_stmt_int(s, 5),
			.created_at = rc_stmt_int(s, 6),
			.cancelled_at = rc_stmt_int(s, 7),
			.status = rc_stmt_text(s, 8),
			.practitioner = rc_stmt_text(s, 9),
			.service = rc_stmt_text(s, 10),
		};
		fn(ctx, &a);
		e = rc_stmt_step(s, &row);
	}
	return e;
}

rc_err rc_report_hours(rc_db *db, rc_report_hours_fn fn, void *ctx)
{
	rc_stmt *s;
	bool row;
	rc_err e = rc_db_query(db, &q_hours, &s, &row, "");
	while (!e && row) {
		fn(ctx, rc_stmt_int(s, 0), (int)rc_stmt_int(s, 1), (int)rc_stmt_int(s, 2), (int)rc_stmt_int(s, 3));
		e = rc_stmt_step(s, &row);
	}
	return e;
}

rc_err rc_report_exceptions(rc_db *db, int64_t from, int64_t to, rc_report_exception_fn fn, void *ctx)
{
	rc_stmt *s;
	bool row;
	rc_err e = rc_db_query(db, &q_exceptions, &s, &row, "ii", to, from);
	while (!e && row) {
		bool extra = rc_stmt_text(s, 1)[0] == 'e'; /* extra_hours; else time_off */
		fn(ctx, rc_stmt_int(s, 0), extra, rc_stmt_int(s, 2), rc_stmt_int(s, 3));
		e = rc_stmt_step(s, &row);
	}
	return e;
}

static rc_err times(rc_db *db, const rc_sql *q, int64_t from, int64_t to, rc_report_time_fn fn, void *ctx)
{
	rc_stmt *s;
	bool row;
	rc_err e = rc_db_query(db, q, &s, &row, "ii", from, to);
	while (!e && row) {
		fn(ctx, rc_stmt_int(s, 0));
		e = rc_stmt_step(s, &row);
	}
	return e;
}

rc_err rc_report_first_visits(rc_db *db, int64_t from, int64_t to, rc_report_time_fn fn, void *ctx)
{
	return times(db, &q_first, from, to, fn, ctx);
}

rc_err rc_report_waitlist_joined(rc_db *db, int64_t from, int64_t to, rc_report_time_fn fn, void *ctx)
{
	return times(db, &q_joined, from, to, fn, ctx);
}

rc_err rc_report_waitlist_served(rc_db *db, int64_t from, int64_t to, rc_report_served_fn fn, void *ctx)
{
	rc_stmt *s;
	bool row;
	rc_err e = rc_db_query(db, &q_served, &s, &row, "ii", from, to);
	while (!e && row) {
		fn(ctx, rc_stmt_int(s, 0), rc_stmt_int(s, 1));
		e = rc_stmt_step(s, &row);
	}
	return e;
}
