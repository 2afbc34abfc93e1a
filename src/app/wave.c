/* wave.c — the wave after an event: what is expected (domain/wave.c's arithmetic over the visits
 * after earlier events), what is booked, and extra hours opened for it. */
#include "app/wave.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/text.h"
#include "base/time.h"
#include "domain/setup.h"
#include "store/account.h"
#include "store/waitlist.h"

/* --- events ------------------------------------------------------------------------------------- */

struct events {
	rc_arena *arena;
	rc_wave_event *items;
	size_t n, cap;
	bool full;
};

static void collect_event(void *arg, int64_t id, const char *name, const char *day)
{
	struct events *c = arg;
	rc_wave_event *more = c->full ? NULL : rc_uc_grow(c->arena, c->items, c->n, &c->cap, sizeof *c->items);
	char *copy = more ? rc_arena_strdup(c->arena, name) : NULL;
	if (!copy) {
		c->full = true;
		return;
	}
	c->items = more;
	rc_wave_event *e = &c->items[c->n++];
	e->id = id;
	e->name = copy;
	snprintf(e->day, sizeof e->day, "%s", day);
}

static rc_err load_events(const rc_uc *uc, rc_wave_event **out, size_t *n)
{
	struct events c = {.arena = uc->arena};
	rc_err e = rc_events_list(uc->db, collect_event, &c);
	if (!e && c.full)
		e = RC_ENOMEM;
	*out = c.items;
	*n = c.n;
	return e;
}

static size_t utf8_chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

struct event_add {
	const rc_uc *uc;
	const char *name, *day;
	int64_t id;
};

static rc_err event_add_tx(rc_db *db, void *arg)
{
	struct event_add *c = arg;
	rc_err e = rc_event_create(db, c->name, c->day, c->uc->now, &c->id);
	return e ? e : rc_audit_add(db, c->uc->now, c->uc->actor, "wave.event", 0, c->name, c->uc->address);
}

rc_err rc_app_wave_event_add(const rc_uc *uc, const char *name, const char *day, int64_t *id, rc_problem *p)
{
	int y, m, d;
	*id = 0;
	/* One line of text (it goes into the audit log and onto the page), counted in characters. */
	if (!name || !*name || !rc_text_is_line(name, RC_WAVE_EVENT_NAME_MAX * 4) ||
	    utf8_chars(name) > RC_WAVE_EVENT_NAME_MAX)
		return rc_problem_set(p, RC_EINVAL, "name", "Name the event in one line of up to %d characters.",
		                      RC_WAVE_EVENT_NAME_MAX);
	if (!rc_date_parse(day, &y, &m, &d))
		return rc_problem_set(p, RC_EINVAL, "day", "'Date' must be a date, e.g. 2027-06-06.");
	char ymd[11];
	rc_day_name(rc_days_from_civil(y, m, d), ymd); /* one spelling, so that days sort as text */
	struct event_add c = {uc, name, ymd, 0};
	rc_err e = rc_db_tx(uc->db, event_add_tx, &c);
	if (!e)
		*id = c.id;
	return e;
}

/* --- the view ----------------------------------------------------------------------------------- */

/* The first instant of each day after the event, and of the day after the last. */
static void wave_days(int64_t event_day, int64_t bounds[RC_WAVE_DAYS + 1])
{
	for (int d = 0; d <= RC_WAVE_DAYS; d++)
		bounds[d] = rc_tz_day_number_start(event_day + 1 + d);
}

static int day_index(const int64_t bounds[RC_WAVE_DAYS + 1], int64_t t)
{
	for (int d = 0; d < RC_WAVE_DAYS; d++)
		if (t >= bounds[d] && t < bounds[d + 1])
			return d;
	return -1;
}

struct totals {
	int64_t bounds[RC_WAVE_DAYS + 1];
	int64_t per_day[RC_WAVE_DAYS];
};

static void add_total(void *arg, int64_t starts_at, const char *condition, int64_t pid, const char *pname)
{
	(void)condition, (void)pid, (void)pname;
	struct totals *t = arg;
	int d = day_index(t->bounds, starts_at);
	if (d >= 0)
		t->per_day[d]++;
}

/* The visits of the wave shown, kept until the columns are known. */
typedef struct visit {
	int64_t starts_at, pid;
	const char *condition, *pname;
} visit;

struct visits {
	rc_arena *arena;
	visit *items;
	size_t n, cap;
	bool full;
};

static void collect_visit(void *arg, int64_t starts_at, const char *condition, int64_t pid, const char *pname)
{
	struct visits *c = arg;
	visit *more = c->full ? NULL : rc_uc_grow(c->arena, c->items, c->n, &c->cap, sizeof *c->items);
	const char *cond = more ? rc_arena_strdup(c->arena, condition) : NULL;
	const char *name = cond ? rc_arena_strdup(c->arena, pname) : NULL;
	if (!name) {
		c->full = true;
		return;
	}
	c->items = more;
	c->items[c->n++] = (visit){starts_at, pid, cond, name};
}

/* Every active practitioner, however many (the clinic's limit is kept when they are added, but a
 * list here does not depend on it): read again, twice as long, until it fits. */
static rc_err practitioners(const rc_uc *uc, rc_practitioner **out, size_t *n, size_t *cap)
{
	for (size_t want = RC_BOOKING_MAX_PRACTITIONERS;; want *= 2) {
		rc_practitioner *ps = rc_arena_alloc(uc->arena, want * sizeof *ps);
		if (!ps)
			return RC_ENOMEM;
		rc_err e = rc_practitioners_list(uc->db, 0, ps, want, n);
		if (e == RC_ETOOBIG)
			continue;
		if (e)
			return e;
		*out = ps;
		*cap = want;
		return RC_OK;
	}
}

static const rc_wave_event *choose(const rc_wave_view *v, int64_t event_id, int64_t today)
{
	if (event_id) {
		for (size_t i = 0; i < v->nevents; i++)
			if (v->events[i].id == event_id)
				return &v->events[i];
		return NULL;
	}
	for (size_t i = 0; i < v->nevents; i++)
		if (rc_day_number(v->events[i].day) >= today)
			return &v->events[i];
	return v->nevents ? &v->events[v->nevents - 1] : NULL;
}

rc_err rc_app_wave_view(const rc_uc *uc, const rc_clinic *clinic, int64_t event_id, rc_wave_view *out)
{
	memset(out, 0, sizeof *out);
	rc_err e = load_events(uc, &out->events, &out->nevents);
	if (e)
		return e;
	int64_t today = rc_tz_day_number(uc->now);
	const rc_wave_event *ev = out->event = choose(out, event_id, today);
	if (!ev)
		return RC_OK;
	int64_t planned = rc_day_number(ev->day);

	/* Expected: the average, over the earlier events whose waves are over, of visits each day after. */
	int64_t sums[RC_WAVE_DAYS] = {0};
	for (size_t i = 0; i < out->nevents; i++) {
		int64_t day = rc_day_number(out->events[i].day);
		if (!rc_wave_teaches(day, planned, today))
			continue;
		struct totals t = {0};
		wave_days(day, t.bounds);
		if ((e = rc_visits_between(uc->db, t.bounds[0], t.bounds[RC_WAVE_DAYS], add_total, &t)))
			return e;
		for (int d = 0; d < RC_WAVE_DAYS; d++)
			sums[d] += t.per_day[d];
		out->learned++;
	}
	rc_wave_expected(sums, out->learned, out->expected);

	/* Booked: this event's wave, by day, condition and practitioner. */
	int64_t bounds[RC_WAVE_DAYS + 1];
	wave_days(planned, bounds);
	memcpy(out->days, bounds, sizeof out->days);
	struct visits vs = {.arena = uc->arena};
	if ((e = rc_visits_between(uc->db, bounds[0], bounds[RC_WAVE_DAYS], collect_visit, &vs)))
		return e;
	if (vs.full)
		return RC_ENOMEM;
	size_t cap = 0;
	if ((e = practitioners(uc, &out->practitioners, &out->npractitioners, &cap)))
		return e;
	/* Someone no longer active who saw runners in this wave still gets a column. */
	for (size_t k = 0; k < vs.n; k++) {
		size_t p = 0;
		while (p < out->npractitioners && out->practitioners[p].id != vs.items[k].pid)
			p++;
		if (p < out->npractitioners)
			continue;
		rc_practitioner *more = rc_uc_grow(uc->arena, out->practitioners, out->npractitioners, &cap,
		                                   sizeof *more);
		if (!more)
			return RC_ENOMEM;
		out->practitioners = more;
		rc_practitioner *np = &more[out->npractitioners++];
		memset(np, 0, sizeof *np);
		np->id = vs.items[k].pid;
		snprintf(np->name, sizeof np->name, "%s", vs.items[k].pname);
	}
	out->nconditions = clinic->ntreats + 1;
	out->by_condition = rc_arena_alloc(uc->arena, RC_WAVE_DAYS * out->nconditions * sizeof(int));
	out->by_practitioner = rc_arena_alloc(uc->arena, RC_WAVE_DAYS * (out->npractitioners + 1) * sizeof(int));
	if (!out->by_condition || !out->by_practitioner)
		return RC_ENOMEM;
	for (size_t k = 0; k < vs.n; k++) {
		const visit *v = &vs.items[k];
		int d = day_index(bounds, v->starts_at);
		if (d < 0)
			continue;
		out->booked[d]++;
		size_t c = 0;
		while (c < clinic->ntreats && strcmp(clinic->treats[c].key, v->condition) != 0)
			c++;
		out->by_condition[(size_t)d * out->nconditions + c]++;
		size_t p = 0;
		while (out->practitioners[p].id != v->pid)
			p++;
		out->by_practitioner[(size_t)d * out->npractitioners + p]++;
	}
	return RC_OK;
}

/* --- extra hours -------------------------------------------------------------------------------- */

struct hours {
	const rc_uc *uc;
	int64_t event_day;
	const int64_t *pids;
	size_t np;
	int from, to, days;
	const char *day;
};

static rc_err hours_tx(rc_db *db, void *arg)
{
	struct hours *c = arg;
	for (int d = 1; d <= c->days; d++) {
		int64_t midnight = rc_tz_day_number_start(c->event_day + d);
		/* Local clock times on that day: midnight plus minutes holds except across a clock
		 * change at night, which extra daytime or evening hours never straddle. */
		for (size_t p = 0; p < c->np; p++) {
			rc_err e = rc_exception_add(db, c->pids[p], "extra_hours", midnight + (int64_t)c->from * 60,
			                            midnight + (int64_t)c->to * 60, "wave");
			if (e)
				return e;
		}
	}
	return rc_audit_add(db, c->uc->now, c->uc->actor, "wave.extra_hours", 0, c->day, c->uc->address);
}

static int64_t positive(const char *s)
{
	char *end;
	long long v = s && *s ? strtoll(s, &end, 10) : 0;
	return s && *s && !*end && v > 0 ? v : 0;
}

rc_err rc_app_wave_open_hours(const rc_uc *uc, const rc_wave_hours *in, rc_wave_opened *out, rc_problem *p)
{
	memset(out, 0, sizeof *out);
	rc_wave_event *evs;
	size_t nev;
	rc_err e = load_events(uc, &evs, &nev);
	if (e)
		return e;
	int64_t id = positive(in->event);
	const rc_wave_event *ev = NULL;
	for (size_t i = 0; i < nev; i++)
		if (evs[i].id == id)
			ev = &evs[i];
	if (!ev)
		return rc_problem_set(p, RC_EINVAL, "event", "Choose a recorded event.");
	if (!in->npractitioners)
		return rc_problem_set(p, RC_EINVAL, "practitioner", "Tick at least one practitioner.");
	int64_t *pids = rc_arena_alloc(uc->arena, in->npractitioners * sizeof *pids);
	if (!pids)
		return RC_ENOMEM;
	for (size_t i = 0; i < in->npractitioners; i++) {
		rc_practitioner pr;
		bool found = false;
		pids[i] = positive(in->practitioners[i]);
		if (pids[i] && (e = rc_practitioner_by_id(uc->db, pids[i], &pr, &found)))
			return e;
		if (!found)
			return rc_problem_set(p, RC_EINVAL, "practitioner", "'Practitioners' names one who does not exist.");
	}
	int from, to;
	if (!rc_clock_parse(in->from, &from))
		return rc_problem_set(p, RC_EINVAL, "from", "'From' must be a time on the quarter hour, e.g. 18:00.");
	if (!rc_clock_parse(in->to, &to))
		return rc_problem_set(p, RC_EINVAL, "to", "'To' must be a time on the quarter hour, e.g. 20:00.");
	if (from >= to)
		return rc_problem_set(p, RC_EINVAL, "to", "'To' must be after 'From'.");
	int64_t days = positive(in->days);
	if (days < 1 || days > RC_WAVE_DAYS)
		return rc_problem_set(p, RC_EINVAL, "days", "'On how many days' must be a number from 1 to %d.",
		                      RC_WAVE_DAYS);
	struct hours c = {uc, rc_day_number(ev->day), pids, in->npractitioners, from, to, (int)days, ev->day};
	if ((e = rc_db_tx(uc->db, hours_tx, &c)))
		return e;
	*out = (rc_wave_opened){from, to, (int)days, in->npractitioners, ""};
	snprintf(out->day, sizeof out->day, "%s", ev->day);
	return RC_OK;
}
