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
#include "store/wave_store.h"

/* --- events ------------------------------------------------------------------------------------- */

struct events {
	rc_arena *arena;
	rc_wave_event *items;
	size_t n, cap;
	bool full;
};

static void collect_event(void *arg, int64_t id, const char *name, const char *day, int64_t finishers)
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
	e->finishers = finishers;
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

static const rc_wave_event *find_event(const rc_wave_event *evs, size_t n, int64_t id)
{
	for (size_t i = 0; i < n; i++)
		if (evs[i].id == id)
			return &evs[i];
	return NULL;
}

/* A number of finishers as people write it: "12000", "12,000" or "12 000"; empty is 0 (not known).
 * -1 when it is not a whole number in range. */
static int64_t finishers_parse(const char *s)
{
	int64_t v = 0;
	int digits = 0;
	if (!s)
		return 0;
	while (*s == ' ')
		s++;
	for (; *s; s++) {
		if (*s >= '0' && *s <= '9') {
			v = v * 10 + (*s - '0');
			if (v > RC_WAVE_FINISHERS_MAX)
				return -1;
			digits++;
		} else if (!((*s == ',' || *s == ' ' || *s == '_') && digits)) {
			return -1;
		}
	}
	return !digits ? 0 : v >= 1 ? v : -1;
}

/* The event as typed, checked: its name, its day spelt one way (so that days sort as text) and its
 * field size. */
struct event_fields {
	const char *name;
	char day[11];
	int64_t finishers;
};

static rc_err event_check(const rc_wave_event_in *in, struct event_fields *out, rc_problem *p)
{
	int y, m, d;
	const char *name = in->name;
	/* One line of text (it goes into the audit log and onto the page), counted in characters. */
	if (!name || !*name || !rc_text_is_line(name, RC_WAVE_EVENT_NAME_MAX * 4) ||
	    rc_utf8_chars(name) > RC_WAVE_EVENT_NAME_MAX)
		return rc_problem_set(p, RC_EINVAL, "name", "Name the event in one line of up to %d characters.",
		                      RC_WAVE_EVENT_NAME_MAX);
	if (!rc_date_parse(in->day, &y, &m, &d))
		return rc_problem_set(p, RC_EINVAL, "day", "'Date' must be a date, e.g. 2027-06-06.");
	int64_t f = finishers_parse(in->finishers);
	if (f < 0)
		return rc_problem_set(p, RC_EINVAL, "finishers", "'Expected finishers' must be a whole number from 1 to "
		                      "1,000,000, e.g. 12,000 — or left empty when nobody knows.");
	out->name = name;
	rc_day_name(rc_days_from_civil(y, m, d), out->day);
	out->finishers = f;
	return RC_OK;
}

struct event_write {
	const rc_uc *uc;
	bool create;
	int64_t id; /* the event changed, or the one created */
	struct event_fields f;
	bool found;
};

static rc_err event_write_tx(rc_db *db, void *arg)
{
	struct event_write *c = arg;
	rc_err e;
	if (!c->create) {
		if ((e = rc_event_update(db, c->id, c->f.name, c->f.day, c->f.finishers, &c->found)) || !c->found)
			return e;
	} else if ((e = rc_event_create(db, c->f.name, c->f.day, c->f.finishers, c->uc->now, &c->id))) {
		return e;
	}
	char detail[RC_WAVE_EVENT_NAME_MAX * 4 + 48];
	snprintf(detail, sizeof detail, "%s (%s, %lld finishers)", c->f.name, c->f.day, (long long)c->f.finishers);
	return rc_audit_add(db, c->uc->now, c->uc->actor, c->found ? "wave.event.edit" : "wave.event", 0, detail,
	                    c->uc->address);
}

rc_err rc_app_wave_event_add(const rc_uc *uc, const rc_wave_event_in *in, int64_t *id, rc_problem *p)
{
	struct event_write c = {.uc = uc, .create = true};
	*id = 0;
	rc_err e = event_check(in, &c.f, p);
	if (!e && !(e = rc_db_tx(uc->db, event_write_tx, &c)))
		*id = c.id;
	return e;
}

rc_err rc_app_wave_event_edit(const rc_uc *uc, int64_t id, const rc_wave_event_in *in, rc_problem *p)
{
	struct event_write c = {.uc = uc, .id = id};
	rc_err e = event_check(in, &c.f, p);
	if (!e && !(e = rc_db_tx(uc->db, event_write_tx, &c)) && !c.found)
		e = rc_problem_set(p, RC_ENOTFOUND, NULL, "There is no such event; it may have been deleted.");
	return e;
}

/* The extra hours of an event, kept until the transaction decides about each. */
struct stretches {
	rc_arena *arena;
	rc_wave_stretch *items;
	int64_t *ids;
	size_t n, cap, idcap;
	bool full;
};

static void collect_stretch(void *arg, int64_t exception_id, int64_t pid, const char *pname, int64_t start,
                            int64_t end)
{
	struct stretches *c = arg;
	size_t cap = c->cap;
	rc_wave_stretch *more = c->full ? NULL : rc_uc_grow(c->arena, c->items, c->n, &c->cap, sizeof *c->items);
	int64_t *ids = more ? rc_uc_grow(c->arena, c->ids, c->n, &cap, sizeof *c->ids) : NULL;
	const char *name = ids ? rc_arena_strdup(c->arena, pname) : NULL;
	if (!name) {
		c->full = true;
		return;
	}
	c->items = more;
	c->ids = ids;
	c->ids[c->n] = exception_id;
	c->items[c->n++] = (rc_wave_stretch){pid, name, start, end};
}

static rc_err load_stretches(rc_db *db, rc_arena *a, int64_t event_id, struct stretches *out)
{
	*out = (struct stretches){.arena = a};
	rc_err e = rc_wave_hours_of_event(db, event_id, collect_stretch, out);
	return !e && out->full ? RC_ENOMEM : e;
}

struct event_delete {
	const rc_uc *uc;
	int64_t id;
	bool remove_hours, found;
	rc_wave_deleted *out;
};

static rc_err event_delete_tx(rc_db *db, void *arg)
{
	struct event_delete *c = arg;
	rc_wave_event *evs;
	size_t nev;
	rc_err e = load_events(c->uc, &evs, &nev);
	const rc_wave_event *ev = e ? NULL : find_event(evs, nev, c->id);
	struct stretches hs;
	c->found = ev != NULL;
	if (!ev || (e = load_stretches(db, c->uc->arena, c->id, &hs)))
		return e;
	rc_wave_deleted *o = c->out;
	memset(o, 0, sizeof *o);
	snprintf(o->name, sizeof o->name, "%s", ev->name);
	snprintf(o->day, sizeof o->day, "%s", ev->day);
	for (size_t i = 0; i < hs.n; i++) {
		bool taken = false;
		if (!c->remove_hours) {
			o->kept++;
			continue;
		}
		if ((e = rc_slot_taken(db, hs.items[i].practitioner_id, hs.items[i].start, hs.items[i].end, &taken)))
			return e;
		if (taken) {
			o->kept_booked++;
			continue;
		}
		if ((e = rc_wave_hours_remove(db, hs.ids[i])))
			return e;
		o->removed++;
	}
	bool found;
	if ((e = rc_event_delete(db, c->id, &found)))
		return e;
	char detail[RC_WAVE_EVENT_NAME_MAX * 4 + 96];
	snprintf(detail, sizeof detail, "%s (%s): %d extra hours removed, %d kept", o->name, o->day, o->removed,
	         o->kept + o->kept_booked);
	return rc_audit_add(db, c->uc->now, c->uc->actor, "wave.event.delete", 0, detail, c->uc->address);
}

rc_err rc_app_wave_event_delete(const rc_uc *uc, int64_t id, bool remove_hours, rc_wave_deleted *out, rc_problem *p)
{
	struct event_delete c = {uc, id, remove_hours, false, out};
	memset(out, 0, sizeof *out);
	rc_err e = rc_db_tx(uc->db, event_delete_tx, &c);
	if (!e && !c.found)
		e = rc_problem_set(p, RC_ENOTFOUND, NULL, "There is no such event; it may have been deleted already.");
	return e;
}

struct setting {
	const rc_uc *uc;
	int per_1000;
};

static rc_err setting_tx(rc_db *db, void *arg)
{
	struct setting *c = arg;
	char detail[48];
	snprintf(detail, sizeof detail, "%d visits per 1,000 finishers", c->per_1000);
	rc_err e = rc_wave_setting_put(db, c->per_1000, c->uc->now, c->uc->actor->id);
	return e ? e : rc_audit_add(db, c->uc->now, c->uc->actor, "wave.setting", 0, detail, c->uc->address);
}

rc_err rc_app_wave_setting(const rc_uc *uc, const char *per_1000, rc_problem *p)
{
	if (uc->actor->role != RC_ROLE_ADMIN)
		return rc_problem_set(p, RC_EFORBIDDEN, NULL, "Only an administrator changes the clinic's default.");
	char *end;
	long v = per_1000 && *per_1000 ? strtol(per_1000, &end, 10) : 0;
	if (!per_1000 || !*per_1000 || *end || v < 1 || v > RC_WAVE_PER_1000_MAX)
		return rc_problem_set(p, RC_EINVAL, "per_1000", "'Visits per 1,000 finishers' must be a whole number "
		                      "from 1 to %d.", RC_WAVE_PER_1000_MAX);
	struct setting c = {uc, (int)v};
	return rc_db_tx(uc->db, setting_tx, &c);
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
	int per_1000 = 0;
	if ((e = rc_wave_setting_get(uc->db, &per_1000, &out->per_1000_stated)))
		return e;
	out->visits_per_1000 = out->per_1000_stated ? per_1000 : RC_WAVE_DEFAULT_PER_1000;
	int64_t today = rc_tz_day_number(uc->now);
	const rc_wave_event *ev = out->event = choose(out, event_id, today);
	if (!ev)
		return RC_OK;
	int64_t planned = rc_day_number(ev->day);

	/* What earlier events whose waves are over really brought, each day after them. */
	rc_wave_past *past = rc_arena_alloc(uc->arena, (out->nevents + 1) * sizeof *past);
	out->lessons = rc_arena_alloc(uc->arena, (out->nevents + 1) * sizeof *out->lessons);
	if (!past || !out->lessons)
		return RC_ENOMEM;
	for (size_t i = 0; i < out->nevents; i++) {
		int64_t day = rc_day_number(out->events[i].day);
		if (!rc_wave_teaches(day, planned, today))
			continue;
		struct totals t = {0};
		wave_days(day, t.bounds);
		if ((e = rc_visits_between(uc->db, t.bounds[0], t.bounds[RC_WAVE_DAYS], add_total, &t)))
			return e;
		rc_wave_past *p = &past[out->nlessons];
		memcpy(p->per_day, t.per_day, sizeof p->per_day);
		p->finishers = out->events[i].finishers;
		rc_wave_lesson *l = &out->lessons[out->nlessons++];
		l->event = &out->events[i];
		for (int d = 0; d < RC_WAVE_DAYS; d++)
			l->visits += t.per_day[d];
	}
	rc_wave_forecast_make(past, out->nlessons, ev->finishers, out->visits_per_1000, &out->forecast);

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
	if ((e = rc_uc_practitioners(uc, &out->practitioners, &out->npractitioners, &cap)))
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
	struct stretches hs;
	if ((e = load_stretches(uc->db, uc->arena, ev->id, &hs)))
		return e;
	out->hours = hs.items;
	out->nhours = hs.n;
	return RC_OK;
}

/* --- extra hours -------------------------------------------------------------------------------- */

struct hours {
	const rc_uc *uc;
	int64_t event_id, event_day;
	const int64_t *pids;
	size_t np;
	int from, to, days;
	const char *day;
	int opened, already;
};

/* Checked and written in one transaction (SQLite's write lock, PostgreSQL's serializable isolation), so
 * the same form sent twice at once still opens the hours once. */
static rc_err hours_tx(rc_db *db, void *arg)
{
	struct hours *c = arg;
	c->opened = c->already = 0;
	for (int d = 1; d <= c->days; d++) {
		int64_t midnight = rc_tz_day_number_start(c->event_day + d);
		/* Local clock times on that day: midnight plus minutes holds except across a clock
		 * change at night, which extra daytime or evening hours never straddle. */
		int64_t start = midnight + (int64_t)c->from * 60, end = midnight + (int64_t)c->to * 60;
		for (size_t p = 0; p < c->np; p++) {
			bool overlap;
			rc_err e = rc_wave_hours_overlap(db, c->pids[p], start, end, &overlap);
			if (!e && !overlap)
				e = rc_wave_hours_add(db, c->pids[p], start, end, c->event_id);
			if (e)
				return e;
			if (overlap)
				c->already++;
			else
				c->opened++;
		}
	}
	if (!c->opened)
		return RC_OK;
	char detail[80];
	snprintf(detail, sizeof detail, "%s: %d opened, %d already open", c->day, c->opened, c->already);
	return rc_audit_add(db, c->uc->now, c->uc->actor, "wave.extra_hours", 0, detail, c->uc->address);
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
	const rc_wave_event *ev = find_event(evs, nev, id);
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
	struct hours c = {uc, ev->id, rc_day_number(ev->day), pids, in->npractitioners, from, to, (int)days, ev->day,
	                  0, 0};
	if ((e = rc_db_tx(uc->db, hours_tx, &c)))
		return e;
	*out = (rc_wave_opened){from, to, (int)days, in->npractitioners, c.opened, c.already, ""};
	snprintf(out->day, sizeof out->day, "%s", ev->day);
	return RC_OK;
}
