/* reports.c — every figure of the clinic's reports, from plain rows (store/reports.c) and the reports'
 * arithmetic (domain/report.c), in C, so that SQLite and PostgreSQL give the same numbers. */
#include "app/reports.h"

#include <stdio.h>
#include <string.h>

#include "app/booking.h"
#include "base/time.h"
#include "domain/report.h"
#include "store/booking.h"
#include "store/reports.h"

/* --- the range and its periods ------------------------------------------------------------------ */

static void period_of(int64_t first, int64_t last, int64_t label_day, rc_report_period *out)
{
	out->first_day = first;
	out->last_day = last;
	out->start = rc_tz_day_number_start(first);
	out->end = rc_tz_day_number_start(last + 1);
	rc_day_name(label_day, out->label);
}

/* The range's days, or its weeks cut to it; in the arena. */
static rc_err periods(rc_arena *a, int64_t from, int64_t to, bool daily, rc_report_period **out, size_t *n)
{
	int64_t first_monday = rc_report_monday(from);
	*n = daily ? (size_t)(to - from + 1) : (size_t)((rc_report_monday(to) - first_monday) / 7 + 1);
	*out = rc_arena_alloc(a, *n * sizeof **out);
	if (!*out)
		return RC_ENOMEM;
	for (size_t i = 0; i < *n; i++) {
		if (daily) {
			period_of(from + (int64_t)i, from + (int64_t)i, from + (int64_t)i, &(*out)[i]);
			continue;
		}
		int64_t monday = first_monday + 7 * (int64_t)i;
		period_of(monday < from ? from : monday, monday + 6 > to ? to : monday + 6, monday, &(*out)[i]);
	}
	return RC_OK;
}

/* --- reading ------------------------------------------------------------------------------------- */

/* An appointment as the report needs it. */
typedef struct visit {
	int64_t runner, practitioner, service, starts_at, ends_at, cancelled_at;
	char status; /* b(ooked), a(rrived), n(o_show), c(ancelled) */
} visit;

struct names {
	rc_report_who *items;
	size_t n, cap;
};

struct reading {
	rc_arena *arena;
	visit *visits;
	size_t n, cap;
	struct names practitioners, services;
	bool full;
};

static size_t name_index(const struct names *w, int64_t id)
{
	for (size_t i = 0; i < w->n; i++)
		if (w->items[i].id == id)
			return i;
	return w->n;
}

/* Adds a name the lists did not have (someone no longer active, a retired service). */
static bool name_add(rc_arena *a, struct names *w, int64_t id, const char *name)
{
	if (name_index(w, id) < w->n)
		return true;
	rc_report_who *more = rc_uc_grow(a, w->items, w->n, &w->cap, sizeof *more);
	const char *copy = more ? rc_arena_strdup(a, name) : NULL;
	if (!copy)
		return false;
	w->items = more;
	w->items[w->n++] = (rc_report_who){id, copy};
	return true;
}

static void collect_visit(void *arg, const rc_report_row *a)
{
	struct reading *c = arg;
	visit *more = c->full ? NULL : rc_uc_grow(c->arena, c->visits, c->n, &c->cap, sizeof *more);
	if (!more || !name_add(c->arena, &c->practitioners, a->practitioner_id, a->practitioner) ||
	    !name_add(c->arena, &c->services, a->service_id, a->service)) {
		c->full = true;
		return;
	}
	c->visits = more;
	c->visits[c->n++] = (visit){a->runner_id, a->practitioner_id, a->service_id, a->starts_at, a->ends_at,
	                            a->cancelled_at, a->status[0]};
}

/* A list of rows of one type in the arena, read from the database; full once the arena ran out. */
struct list {
	void *items;
	size_t n, cap;
};

/* Room for one more row of `size` bytes at the end of l; NULL (and *full) when there is none. */
static void *push(rc_arena *a, struct list *l, size_t size, bool *full)
{
	void *more = *full ? NULL : rc_uc_grow(a, l->items, l->n, &l->cap, size);
	if (!more) {
		*full = true;
		return NULL;
	}
	l->items = more;
	return (char *)more + size * l->n++;
}

/* Weekly hours and exceptions of everyone, kept as rows until each practitioner's days are built. */
typedef struct hours_row {
	int64_t pid;
	rc_weekly w;
} hours_row;

typedef struct exception_row {
	int64_t pid;
	bool extra;
	rc_interval v;
} exception_row;

/* A runner served from the waitlist: when they joined, and when they took the offer. */
typedef struct served_row {
	int64_t joined, served;
} served_row;

struct collect {
	rc_arena *arena;
	struct list hours, exceptions, first_visits, joined, served; /* of hours_row … served_row, int64_t */
	bool full;
};

static void collect_hours(void *arg, int64_t pid, int weekday, int start, int end)
{
	struct collect *c = arg;
	hours_row *row = push(c->arena, &c->hours, sizeof *row, &c->full);
	if (row)
		*row = (hours_row){pid, {weekday, start, end}};
}

static void collect_exception(void *arg, int64_t pid, bool extra, int64_t start, int64_t end)
{
	struct collect *c = arg;
	exception_row *row = push(c->arena, &c->exceptions, sizeof *row, &c->full);
	if (row)
		*row = (exception_row){pid, extra, {start, end}};
}

static void collect_first_visit(void *arg, int64_t t)
{
	struct collect *c = arg;
	int64_t *row = push(c->arena, &c->first_visits, sizeof *row, &c->full);
	if (row)
		*row = t;
}

static void collect_joined(void *arg, int64_t t)
{
	struct collect *c = arg;
	int64_t *row = push(c->arena, &c->joined, sizeof *row, &c->full);
	if (row)
		*row = t;
}

static void collect_served(void *arg, int64_t joined, int64_t served)
{
	struct collect *c = arg;
	served_row *row = push(c->arena, &c->served, sizeof *row, &c->full);
	if (row)
		*row = (served_row){joined, served};
}

struct rows {
	struct reading visits;
	struct collect more;
};

/* Everything the report reads, in one snapshot so that its parts agree. */
static rc_err read_rows(const rc_uc *uc, int64_t from, int64_t to, struct rows *out)
{
	memset(out, 0, sizeof *out);
	out->visits.arena = out->more.arena = uc->arena;
	rc_practitioner *ps;
	size_t np, pcap;
	rc_service sv[RC_BOOKING_MAX_SERVICES];
	size_t ns = 0;
	rc_err e = rc_db_begin_snapshot(uc->db);
	if (e)
		return e;
	if (!(e = rc_uc_practitioners(uc, &ps, &np, &pcap))) {
		for (size_t i = 0; i < np && !out->visits.full; i++)
			out->visits.full = !name_add(uc->arena, &out->visits.practitioners, ps[i].id, ps[i].name);
		/* More services than the clinic may have is a database edited by hand: those with visits still show. */
		e = rc_services_list(uc->db, sv, RC_BOOKING_MAX_SERVICES, &ns);
		if (e == RC_ETOOBIG) {
			e = RC_OK;
			ns = 0;
		}
		for (size_t i = 0; !e && i < ns && !out->visits.full; i++)
			out->visits.full = !name_add(uc->arena, &out->visits.services, sv[i].id, sv[i].name);
	}
	if (!e)
		e = rc_report_appointments(uc->db, from, to, collect_visit, &out->visits);
	if (!e)
		e = rc_report_hours(uc->db, collect_hours, &out->more);
	if (!e)
		e = rc_report_exceptions(uc->db, from, to, collect_exception, &out->more);
	if (!e)
		e = rc_report_first_visits(uc->db, from, to, collect_first_visit, &out->more);
	if (!e)
		e = rc_report_waitlist_joined(uc->db, from, to, collect_joined, &out->more);
	if (!e)
		e = rc_report_waitlist_served(uc->db, from, to, collect_served, &out->more);
	rc_db_rollback(uc->db);
	if (!e && (out->visits.full || out->more.full))
		e = RC_ENOMEM;
	return e;
}

/* --- the figures --------------------------------------------------------------------------------- */

static int64_t *zeros(rc_arena *a, size_t n)
{
	int64_t *v = rc_arena_alloc(a, (n ? n : 1) * sizeof *v);
	if (v)
		memset(v, 0, (n ? n : 1) * sizeof *v);
	return v;
}

/* The period (day or week) of the range that t falls in; -1 outside. */
static long period_index(const rc_report *r, int64_t t, bool daily)
{
	int64_t day = rc_tz_day_number(t);
	if (day < r->from_day || day > r->to_day)
		return -1;
	return daily ? (long)(day - r->from_day) : (long)((rc_report_monday(day) - rc_report_monday(r->from_day)) / 7);
}

/* Open minutes of each practitioner in each week: their weekly hours and exceptions laid on each day. */
static rc_err open_minutes(const rc_uc *uc, rc_report *r, const struct collect *sc)
{
	size_t np = r->npractitioners;
	const hours_row *hrows = sc->hours.items;
	const exception_row *xrows = sc->exceptions.items;
	rc_weekly *hours = rc_arena_alloc(uc->arena, (sc->hours.n + 1) * sizeof *hours);
	rc_interval *off = rc_arena_alloc(uc->arena, (sc->exceptions.n + 1) * sizeof *off);
	rc_interval *extra = rc_arena_alloc(uc->arena, (sc->exceptions.n + 1) * sizeof *extra);
	if (!hours || !off || !extra)
		return RC_ENOMEM;
	for (size_t p = 0; p < np; p++) {
		int64_t pid = r->practitioners[p].id;
		rc_day day = {.hours = hours, .time_off = off, .extra = extra};
		bool weekday_open[7] = {false};
		for (size_t i = 0; i < sc->hours.n; i++)
			if (hrows[i].pid == pid) {
				hours[day.nhours++] = hrows[i].w;
				if (hrows[i].w.weekday >= 0 && hrows[i].w.weekday < 7)
					weekday_open[hrows[i].w.weekday] = true;
			}
		for (size_t i = 0; i < sc->exceptions.n; i++) {
			const exception_row *x = &xrows[i];
			if (x->pid != pid)
				continue;
			if (x->extra)
				extra[day.nextra++] = x->v;
			else
				off[day.ntime_off++] = x->v;
		}
		for (int64_t d = r->from_day; d <= r->to_day; d++) {
			day.start = rc_tz_day_number_start(d);
			day.end = rc_tz_day_number_start(d + 1);
			bool any_extra = false;
			for (size_t i = 0; i < day.nextra && !any_extra; i++)
				any_extra = extra[i].start < day.end && extra[i].end > day.start;
			if (!weekday_open[rc_report_weekday(d)] && !any_extra)
				continue;
			int64_t m = rc_report_open_minutes(&day);
			long w = (long)((rc_report_monday(d) - rc_report_monday(r->from_day)) / 7);
			r->open_min[(size_t)w * np + p] += m;
			r->week_open_min[w] += m;
			r->open_min_total += m;
		}
	}
	return RC_OK;
}

/* The waitlist's weeks: who joined, who took an offer, and the median and 90th percentile of their waits. */
static rc_err waits(const rc_uc *uc, rc_report *r, const struct list *joined, const struct list *served_rows)
{
	const int64_t *joins = joined->items;
	const served_row *served = served_rows->items;
	for (size_t i = 0; i < joined->n; i++) {
		long w = period_index(r, joins[i], false);
		if (w >= 0)
			r->waitlist[w].joined++;
		r->waitlist_total.joined += w >= 0;
	}
	int64_t *all = zeros(uc->arena, served_rows->n), *one = zeros(uc->arena, served_rows->n);
	if (!all || !one)
		return RC_ENOMEM;
	size_t nall = 0;
	for (size_t w = 0; w < r->nweeks; w++) {
		size_t n = 0;
		for (size_t i = 0; i < served_rows->n; i++)
			if (period_index(r, served[i].served, false) == (long)w)
				one[n++] = served[i].served - served[i].joined;
		rc_report_wait *x = &r->waitlist[w];
		x->served = (int64_t)n;
		memcpy(all + nall, one, n * sizeof *one);
		nall += n;
		x->median_s = rc_report_median(one, n);
		x->p90_s = rc_report_percentile(one, n, 90);
	}
	r->waitlist_total.served = (int64_t)nall;
	r->waitlist_total.median_s = rc_report_median(all, nall);
	r->waitlist_total.p90_s = rc_report_percentile(all, nall, 90);
	return RC_OK;
}

static rc_err figures(const rc_uc *uc, rc_report *r, const struct rows *rows)
{
	size_t np = r->npractitioners, ns = r->nservices, nw = r->nweeks, nper = r->nperiods;
	r->visits = zeros(uc->arena, nper);
	r->visits_by_practitioner = zeros(uc->arena, nper * np);
	r->visits_by_service = zeros(uc->arena, nper * ns);
	r->booked_min = zeros(uc->arena, nw * np);
	r->open_min = zeros(uc->arena, nw * np);
	r->week_booked_min = zeros(uc->arena, nw);
	r->week_open_min = zeros(uc->arena, nw);
	r->new_patients = zeros(uc->arena, nw);
	r->attendance = rc_arena_alloc(uc->arena, (nw + 1) * sizeof *r->attendance);
	r->waitlist = rc_arena_alloc(uc->arena, (nw + 1) * sizeof *r->waitlist);
	if (!r->visits || !r->visits_by_practitioner || !r->visits_by_service || !r->booked_min || !r->open_min ||
	    !r->week_booked_min || !r->week_open_min || !r->new_patients || !r->attendance || !r->waitlist)
		return RC_ENOMEM;
	memset(r->attendance, 0, (nw + 1) * sizeof *r->attendance);
	memset(r->waitlist, 0, (nw + 1) * sizeof *r->waitlist);

	for (size_t i = 0; i < rows->visits.n; i++) {
		const visit *v = &rows->visits.visits[i];
		long per = period_index(r, v->starts_at, r->daily), w = period_index(r, v->starts_at, false);
		if (per < 0 || w < 0)
			continue;
		size_t p = name_index(&rows->visits.practitioners, v->practitioner);
		size_t s = name_index(&rows->visits.services, v->service);
		if (v->status == 'b' || v->status == 'a') {
			r->visits[per]++;
			r->visits_by_practitioner[(size_t)per * np + p]++;
			r->visits_by_service[(size_t)per * ns + s]++;
			r->visits_total++;
		}
		if (v->status != 'c') {
			int64_t m = (v->ends_at - v->starts_at) / 60;
			r->booked_min[(size_t)w * np + p] += m;
			r->week_booked_min[w] += m;
			r->booked_min_total += m;
		}
		rc_report_attendance *a = &r->attendance[w];
		a->appointments++;
		if (v->status == 'n')
			a->no_shows++;
		if (v->status == 'c') {
			a->cancelled++;
			if (rc_report_late_cancel(v->starts_at, v->cancelled_at, RC_BOOKING_NOTICE_S))
				a->late_cancels++;
		}
	}
	for (size_t w = 0; w < nw; w++) {
		r->attendance_total.appointments += r->attendance[w].appointments;
		r->attendance_total.no_shows += r->attendance[w].no_shows;
		r->attendance_total.cancelled += r->attendance[w].cancelled;
		r->attendance_total.late_cancels += r->attendance[w].late_cancels;
	}
	const int64_t *firsts = rows->more.first_visits.items;
	for (size_t i = 0; i < rows->more.first_visits.n; i++) {
		long w = period_index(r, firsts[i], false);
		if (w >= 0) {
			r->new_patients[w]++;
			r->new_patients_total++;
		}
	}
	rc_err e = open_minutes(uc, r, &rows->more);
	return e ? e : waits(uc, r, &rows->more.joined, &rows->more.served);
}

rc_err rc_app_report(const rc_uc *uc, const rc_report_ask *ask, rc_report *out, rc_problem *p)
{
	memset(out, 0, sizeof *out);
	if (uc->actor->role != RC_ROLE_ADMIN)
		return rc_problem_set(p, RC_EFORBIDDEN, NULL, "Reports are for the clinic's administrators.");
	int64_t today = rc_tz_day_number(uc->now);
	int64_t to = ask->has_to ? ask->to_day : today;
	int64_t from = ask->has_from ? ask->from_day : rc_report_monday(to) - 7 * (RC_REPORT_DEFAULT_WEEKS - 1);
	if (to < from)
		return rc_problem_set(p, RC_EINVAL, "to", "'To' must be on or after 'From'.");
	if (to - from + 1 > RC_REPORT_MAX_DAYS)
		return rc_problem_set(p, RC_EINVAL, "from", "A report covers at most %d days: move 'From' later or 'To' "
		                      "earlier.", RC_REPORT_MAX_DAYS);
	out->from_day = from;
	out->to_day = to;
	out->daily = ask->daily;
	rc_day_name(from, out->from);
	rc_day_name(to, out->to);
	rc_err e = periods(uc->arena, from, to, ask->daily, &out->periods, &out->nperiods);
	if (!e)
		e = periods(uc->arena, from, to, false, &out->weeks, &out->nweeks);
	struct rows rows;
	if (!e)
		e = read_rows(uc, rc_tz_day_number_start(from), rc_tz_day_number_start(to + 1), &rows);
	if (e)
		return e;
	out->practitioners = rows.visits.practitioners.items;
	out->npractitioners = rows.visits.practitioners.n;
	out->services = rows.visits.services.items;
	out->nservices = rows.visits.services.n;
	return figures(uc, out, &rows);
}
