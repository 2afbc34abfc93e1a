/* wave.c — the wave after a marathon: record the event, see the demand expected in the two weeks
 * after it (from past events' bookings, or a stated default), open extra hours in a few clicks,
 * and watch the wave come in by condition and by practitioner. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/text.h"
#include "base/time.h"
#include "domain/setup.h"
#include "store/booking.h"
#include "store/waitlist.h"
#include "web/html.h"
#include "web/layout.h"
#include "web/pages/pages.h"

enum {
	RC_WAVE_DAYS = 14,
	RC_WAVE_MAX_EVENTS = 64,
	/* With no past event to learn from: visits a day in the first week after a marathon, then in
	 * the second. A stated assumption for a small clinic, replaced by its own figures after the first. */
	RC_WAVE_DEFAULT_WEEK1 = 10,
	RC_WAVE_DEFAULT_WEEK2 = 6,
	RC_WAVE_MAX_CONDITIONS = 33,
};

typedef struct {
	int64_t id;
	char name[121], day[11];
} event;

typedef struct {
	event ev[RC_WAVE_MAX_EVENTS];
	int n;
} events;

static void collect(void *ctx, int64_t id, const char *name, const char *day)
{
	events *e = ctx;
	if (e->n < RC_WAVE_MAX_EVENTS) {
		e->ev[e->n].id = id;
		snprintf(e->ev[e->n].name, sizeof e->ev[e->n].name, "%s", name);
		snprintf(e->ev[e->n].day, sizeof e->ev[e->n].day, "%s", day);
		e->n++;
	}
}

/* The UTC start of the local day `offset` days after y-m-d. */
static int64_t day_after(const char *day, int offset)
{
	int y, m, d;
	if (!rc_date_parse(day, &y, &m, &d))
		return 0;
	return rc_tz_day_start(y, m, d + offset);
}

typedef struct {
	int64_t base;     /* local midnight of day 1 after the event */
	int64_t bounds[RC_WAVE_DAYS + 1];
	int per_day[RC_WAVE_DAYS];
	const rc_clinic *clinic;
	int by_condition[RC_WAVE_DAYS][RC_WAVE_MAX_CONDITIONS];
	int64_t pids[16];
	char pnames[16][121];
	int npids;
	int by_practitioner[RC_WAVE_DAYS][16];
} tally;

static int day_index(const tally *t, int64_t when)
{
	for (int i = 0; i < RC_WAVE_DAYS; i++)
		if (when >= t->bounds[i] && when < t->bounds[i + 1])
			return i;
	return -1;
}

static void count(void *ctx, int64_t starts_at, const char *condition, int64_t pid, const char *pname)
{
	tally *t = ctx;
	int d = day_index(t, starts_at);
	if (d < 0)
		return;
	t->per_day[d]++;
	size_t c;
	for (c = 0; c < t->clinic->ntreats && c < RC_WAVE_MAX_CONDITIONS - 1; c++)
		if (strcmp(t->clinic->treats[c].key, condition) == 0)
			break;
	t->by_condition[d][c]++;
	int p;
	for (p = 0; p < t->npids && t->pids[p] != pid; p++)
		;
	if (p == t->npids && t->npids < 16) {
		t->pids[p] = pid;
		snprintf(t->pnames[p], sizeof t->pnames[p], "%s", pname);
		t->npids++;
	}
	if (p < 16)
		t->by_practitioner[d][p]++;
}

static rc_err tally_event(rc_db *db, const rc_clinic *clinic, const char *day, tally *t)
{
	memset(t, 0, sizeof *t);
	t->clinic = clinic;
	for (int i = 0; i <= RC_WAVE_DAYS; i++)
		t->bounds[i] = day_after(day, i + 1);
	return rc_visits_between(db, t->bounds[0], t->bounds[RC_WAVE_DAYS], count, t);
}

static void wave_page(rc_req *r, const char *notice, const char *error)
{
	rc_db *db = rc_req_db(r);
	const rc_clinic *clinic = &r->app->content->clinic;
	events evs = {0};
	if (rc_events_list(db, collect, &evs)) {
		rc_page_error(r, 503, "The events could not be read; try again in a moment.");
		return;
	}
	char today[11];
	struct tm tm;
	rc_tz_local(r->now, &tm);
	strftime(today, sizeof today, "%Y-%m-%d", &tm);
	/* The event shown: the one asked for, else the next one, else the latest. */
	int64_t want = rc_req_query(r, "event") ? strtoll(rc_req_query(r, "event"), NULL, 10) : 0;
	int cur = -1;
	for (int i = 0; i < evs.n; i++)
		if ((want && evs.ev[i].id == want) || (!want && cur < 0 && strcmp(evs.ev[i].day, today) >= 0))
			cur = i;
	if (cur < 0 && evs.n && !want)
		cur = evs.n - 1;
	rc_buf *b = &r->out;
	rc_page_begin(r, "The wave", "admin");
	rc_html_lit(b, "<h1>The wave after an event</h1>\n");
	if (notice)
		rc_page_notice(r, notice);
	if (error)
		rc_page_alert(r, error);
	rc_html_lit(b, "<h2>Events</h2>\n<ul>");
	for (int i = 0; i < evs.n; i++) {
		rc_html_lit(b, "<li><a href=\"/admin/wave?event=");
		rc_html_printf(b, "%lld", (long long)evs.ev[i].id);
		rc_html_lit(b, "\">");
		rc_html_text(b, evs.ev[i].name);
		rc_html_lit(b, "</a> (");
		rc_html_text(b, evs.ev[i].day);
		rc_html_lit(b, ")</li>");
	}
	rc_html_lit(b, "</ul>\n");
	rc_form_open(r, "/admin/wave/events");
	rc_form_input(r, "name", "Event", "text", NULL, NULL, "off");
	rc_form_input(r, "day", "Date", "date", NULL, NULL, "off");
	rc_form_close(r, "Record the event");
	if (cur < 0) {
		rc_page_end(r);
		return;
	}
	const event *ev = &evs.ev[cur];
	/* Expected: the average, over earlier events, of visits on each day after them. */
	static _Thread_local tally now_t, past_t;
	double expected[RC_WAVE_DAYS] = {0};
	int learned = 0;
	for (int i = 0; i < evs.n; i++) {
		if (strcmp(evs.ev[i].day, ev->day) >= 0 || strcmp(evs.ev[i].day, today) >= 0)
			continue;
		if (tally_event(db, clinic, evs.ev[i].day, &past_t))
			continue;
		for (int d = 0; d < RC_WAVE_DAYS; d++)
			expected[d] += past_t.per_day[d];
		learned++;
	}
	for (int d = 0; d < RC_WAVE_DAYS; d++)
		expected[d] = learned ? expected[d] / learned : (d < 7 ? RC_WAVE_DEFAULT_WEEK1 : RC_WAVE_DEFAULT_WEEK2);
	if (tally_event(db, clinic, ev->day, &now_t)) {
		rc_page_error(r, 503, "The bookings could not be read; try again in a moment.");
		return;
	}
	rc_html_lit(b, "<h2>");
	rc_html_text(b, ev->name);
	rc_html_lit(b, ": the two weeks after ");
	rc_html_text(b, ev->day);
	rc_html_lit(b, "</h2>\n<p>");
	if (learned)
		rc_html_printf(b, "Expected visits are the average of the %d earlier event%s.", learned, learned == 1 ? "" : "s");
	else
		rc_html_printf(b, "No earlier event to learn from yet: expected visits are a stated default of %d a day in "
		                  "the first week and %d in the second.", RC_WAVE_DEFAULT_WEEK1, RC_WAVE_DEFAULT_WEEK2);
	rc_html_lit(b, "</p>\n<div class=\"table-scroll\"><table class=\"list wave\"><caption>Visits per day: expected, "
	               "booked, and booked by condition</caption><thead><tr><th scope=\"col\">Day</th>"
	               "<th scope=\"col\">Expected</th><th scope=\"col\">Booked</th>");
	for (size_t c = 0; c <= clinic->ntreats && c < RC_WAVE_MAX_CONDITIONS; c++) {
		rc_html_lit(b, "<th scope=\"col\">");
		rc_html_text(b, c < clinic->ntreats ? clinic->treats[c].name : "Other");
		rc_html_lit(b, "</th>");
	}
	rc_html_lit(b, "</tr></thead><tbody>\n");
	for (int d = 0; d < RC_WAVE_DAYS; d++) {
		char label[32];
		rc_tz_local(now_t.bounds[d] + 12 * 3600, &tm);
		strftime(label, sizeof label, "%a %e %b", &tm);
		rc_html_lit(b, "<tr><th scope=\"row\">");
		rc_html_text(b, label);
		rc_html_lit(b, "</th><td>");
		rc_html_printf(b, "%.1f", expected[d]);
		rc_html_lit(b, "</td><td>");
		rc_html_printf(b, "%d", now_t.per_day[d]);
		rc_html_lit(b, "</td>");
		for (size_t c = 0; c <= clinic->ntreats && c < RC_WAVE_MAX_CONDITIONS; c++) {
			rc_html_lit(b, "<td>");
			rc_html_printf(b, "%d", now_t.by_condition[d][c]);
			rc_html_lit(b, "</td>");
		}
		rc_html_lit(b, "</tr>\n");
	}
	rc_html_lit(b, "</tbody></table></div>\n");

	/* The same days by practitioner. */
	rc_practitioner ps[RC_BOOKING_MAX_PRACTITIONERS];
	size_t np = 0;
	if (rc_practitioners_list(db, 0, ps, RC_BOOKING_MAX_PRACTITIONERS, &np))
		np = 0;
	rc_html_lit(b, "<div class=\"table-scroll\"><table class=\"list wave\"><caption>Visits per day by practitioner"
	               "</caption><thead><tr><th scope=\"col\">Day</th>");
	for (size_t p = 0; p < np; p++) {
		rc_html_lit(b, "<th scope=\"col\">");
		rc_html_text(b, ps[p].name);
		rc_html_lit(b, "</th>");
	}
	rc_html_lit(b, "</tr></thead><tbody>\n");
	for (int d = 0; d < RC_WAVE_DAYS; d++) {
		char label[32];
		rc_tz_local(now_t.bounds[d] + 12 * 3600, &tm);
		strftime(label, sizeof label, "%a %e %b", &tm);
		rc_html_lit(b, "<tr><th scope=\"row\">");
		rc_html_text(b, label);
		rc_html_lit(b, "</th>");
		for (size_t p = 0; p < np; p++) {
			int n = 0;
			for (int k = 0; k < now_t.npids; k++)
				if (now_t.pids[k] == ps[p].id)
					n = now_t.by_practitioner[d][k];
			rc_html_lit(b, "<td>");
			rc_html_printf(b, "%d", n);
			rc_html_lit(b, "</td>");
		}
		rc_html_lit(b, "</tr>\n");
	}
	rc_html_lit(b, "</tbody></table></div>\n");

	/* Extra hours in a few clicks. */
	rc_html_lit(b, "<h2>Open extra hours</h2>\n<p>Adds the same hours on each of the first days after the event "
	               "for the practitioners you tick.</p>\n");
	char *action = rc_arena_printf(&r->arena, "/admin/wave/hours?event=%lld", (long long)ev->id);
	rc_form_open(r, action ? action : "/admin/wave/hours");
	rc_html_lit(b, "<input type=\"hidden\" name=\"event\" value=\"");
	rc_html_printf(b, "%lld", (long long)ev->id);
	rc_html_lit(b, "\"><fieldset><legend>Practitioners</legend>");
	for (size_t p = 0; p < np; p++) {
		rc_html_lit(b, "<label><input type=\"checkbox\" name=\"practitioner\" value=\"");
		rc_html_printf(b, "%lld", (long long)ps[p].id);
		rc_html_lit(b, "\"> ");
		rc_html_text(b, ps[p].name);
		rc_html_lit(b, "</label> ");
	}
	rc_html_lit(b, "</fieldset>\n");
	rc_form_input(r, "from", "From (HH:MM)", "time", "18:00", NULL, "off");
	rc_form_input(r, "to", "To (HH:MM)", "time", "20:00", NULL, "off");
	rc_form_input(r, "days", "On how many days after the event (1–14)", "number", "7", NULL, "off");
	rc_form_close(r, "Open these hours");
	rc_html_lit(b, "</tbody></table></div>\n");
	rc_page_end(r);
}

void rc_page_wave(rc_req *r)
{
	wave_page(r, NULL, NULL);
}

void rc_page_wave_event(rc_req *r)
{
	const char *name = rc_req_form(r, "name"), *day = rc_req_form(r, "day");
	int y, m, d;
	if (!name || !*name || !rc_text_is_line(name, 120)) {
		r->status = 400;
		wave_page(r, NULL, "Name the event (up to 120 characters).");
		return;
	}
	if (!rc_date_parse(day, &y, &m, &d)) {
		r->status = 400;
		wave_page(r, NULL, "'Date' must be a date, e.g. 2027-06-06.");
		return;
	}
	int64_t id;
	if (rc_event_create(rc_req_db(r), name, day, r->now, &id)) {
		rc_page_error(r, 503, "Could not save; try again in a moment.");
		return;
	}
	rc_req_audit(r, "wave.event", 0, name);
	wave_page(r, "Recorded.", NULL);
}

struct hours_tx {
	const char *day;
	int64_t pids[RC_BOOKING_MAX_PRACTITIONERS];
	size_t np;
	int from, to, days;
};

static rc_err hours_tx(rc_db *db, void *arg)
{
	struct hours_tx *c = arg;
	for (int d = 1; d <= c->days; d++) {
		int64_t midnight = day_after(c->day, d);
		/* Local clock times on that day: midnight plus minutes holds except across a clock
		 * change at night, which extra daytime or evening hours never straddle. */
		for (size_t p = 0; p < c->np; p++) {
			rc_err e = rc_exception_add(db, c->pids[p], "extra_hours", midnight + (int64_t)c->from * 60,
			                            midnight + (int64_t)c->to * 60, "wave");
			if (e)
				return e;
		}
	}
	return RC_OK;
}

void rc_page_wave_hours(rc_req *r)
{
	rc_db *db = rc_req_db(r);
	events evs = {0};
	int64_t id = rc_req_form(r, "event") ? strtoll(rc_req_form(r, "event"), NULL, 10) : 0;
	struct hours_tx c = {0};
	if (rc_events_list(db, collect, &evs)) {
		rc_page_error(r, 503, "The events could not be read; try again in a moment.");
		return;
	}
	for (int i = 0; i < evs.n; i++)
		if (evs.ev[i].id == id)
			c.day = evs.ev[i].day;
	const char *err = NULL;
	char *end;
	long days = rc_req_form(r, "days") ? strtol(rc_req_form(r, "days"), &end, 10) : 0;
	for (size_t i = 0; i < r->form.n; i++) {
		const rc_field *f = &r->form.fields[i];
		if (strcmp(f->name, "practitioner") != 0 || f->filename)
			continue;
		rc_practitioner p;
		bool found = false;
		int64_t pid = strtoll(f->value, NULL, 10);
		if (c.np == RC_BOOKING_MAX_PRACTITIONERS || rc_practitioner_by_id(db, pid, &p, &found) || !found) {
			err = "'Practitioners' names one who does not exist.";
			break;
		}
		c.pids[c.np++] = pid;
	}
	if (!c.day)
		err = "Choose a recorded event.";
	else if (!err && !c.np)
		err = "Tick at least one practitioner.";
	else if (!err && (!rc_clock_parse(rc_req_form(r, "from"), &c.from) || !rc_clock_parse(rc_req_form(r, "to"), &c.to) || c.from >= c.to))
		err = "'From' and 'To' must be times on the quarter hour, 'From' before 'To'.";
	else if (!err && (*end || days < 1 || days > RC_WAVE_DAYS))
		err = "'On how many days' must be a number from 1 to 14.";
	if (err) {
		r->status = 400;
		wave_page(r, NULL, err);
		return;
	}
	c.days = (int)days;
	if (rc_db_tx(db, hours_tx, &c)) {
		rc_page_error(r, 503, "Could not save; nothing was added. Try again in a moment.");
		return;
	}
	rc_req_audit(r, "wave.extra_hours", 0, c.day);
	char msg[160];
	snprintf(msg, sizeof msg, "Opened %02d:%02d–%02d:%02d on %d day%s for %zu practitioner%s.", c.from / 60, c.from % 60,
	         c.to / 60, c.to % 60, c.days, c.days == 1 ? "" : "s", c.np, c.np == 1 ? "" : "s");
	wave_page(r, msg, NULL);
}
