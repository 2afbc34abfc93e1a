/* wave.c — the wave after a marathon, for the front desk: record, edit and delete events, see the
 * demand expected in the two weeks after one (and which figure it came from, and why) beside what is
 * booked, by condition and by practitioner, and open extra hours in a few clicks. What is expected and
 * what opening hours does are app/wave.c's. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/wave.h"
#include "base/time.h"
#include "web/chart.h"
#include "web/html.h"
#include "web/layout.h"
#include "web/pages/pages.h"
#include "web/valid.h"

static rc_uc uc_of(rc_req *r)
{
	return (rc_uc){rc_req_db(r), r->now, &r->user, r->remote, &r->arena};
}

static bool is(const rc_problem *p, const char *field)
{
	return p && p->field && strcmp(p->field, field) == 0;
}

static const char *err_for(const rc_problem *p, const char *field)
{
	return is(p, field) ? p->text : NULL;
}

static void field_error(rc_buf *b, const rc_problem *p, const char *field)
{
	if (!is(p, field))
		return;
	rc_html_lit(b, "<span class=\"field-error\" id=\"e-");
	rc_html_text(b, field);
	rc_html_lit(b, "\">");
	rc_html_text(b, p->text);
	rc_html_lit(b, "</span>");
}

/* Whether the practitioner's box was ticked in the form being shown again. */
static bool ticked(rc_req *r, int64_t id)
{
	for (size_t i = 0; i < r->form.n; i++) {
		const rc_field *f = &r->form.fields[i];
		if (strcmp(f->name, "practitioner") == 0 && !f->filename && strtoll(f->value, NULL, 10) == id)
			return true;
	}
	return false;
}

/* An event's fields, the same on the form that records one and the one that edits it. */
enum { E_NAME, E_DAY, E_FINISHERS, E_N };
static const rc_vfield event_form[E_N] = {
	[E_NAME] = {"name", "Event", RC_V_TEXT, .required = true, .max = RC_WAVE_EVENT_NAME_MAX},
	[E_DAY] = {"day", "Date", RC_V_DATE, .required = true,
	           .hint = "Write the date as YYYY-MM-DD, for example 2027-06-06."},
	[E_FINISHERS] = {"finishers", "Expected finishers", RC_V_TEXT, .max = 16},
};

/* The form's values shown again: what was sent (v), else the event's own (ev), else nothing. */
static void event_fields(rc_req *r, const rc_vvalue *v, const rc_wave_event *ev)
{
	rc_vvalue own[E_N];
	if (!v && ev) {
		memset(own, 0, sizeof own);
		own[E_NAME].raw = ev->name;
		own[E_DAY].raw = ev->day;
		own[E_FINISHERS].raw = ev->finishers ? rc_arena_printf(&r->arena, "%lld", (long long)ev->finishers) : NULL;
		v = own;
	}
	for (int i = 0; i < E_N; i++)
		rc_valid_input(&r->out, &event_form[i], v ? &v[i] : NULL);
	rc_html_lit(&r->out, "<p class=\"hint\">Expected finishers: the race's field size, e.g. 12,000. The forecast's "
	                     "default is a number of visits per 1,000 of them; leave it empty if nobody knows.</p>\n");
}

/* A count as people read it: 12,000. */
static void thousands(rc_buf *b, int64_t n)
{
	char digits[24];
	int len = snprintf(digits, sizeof digits, "%lld", (long long)n);
	for (int i = 0; i < len; i++) {
		if (i && (len - i) % 3 == 0 && digits[i - 1] != '-')
			rc_html_lit(b, ",");
		rc_html_printf(b, "%c", digits[i]);
	}
}

/* An expected number of visits: whole when it is, else with one decimal. */
static void amount(rc_buf *b, double v)
{
	double whole = (double)(int64_t)(v + 0.5);
	if (v - whole < 0.05 && whole - v < 0.05)
		rc_html_printf(b, "%.0f", whole);
	else
		rc_html_printf(b, "%.1f", v);
}

static void day_label(rc_buf *b, int64_t day_start)
{
	rc_html_time(b, day_start + 12 * 3600, "%a %e %b");
}

static void event_link(rc_buf *b, const rc_wave_event *ev, const char *suffix)
{
	rc_html_lit(b, "<a href=\"/wave");
	if (suffix) {
		rc_html_lit(b, "/events/");
		rc_html_printf(b, "%lld", (long long)ev->id);
		rc_html_text(b, suffix);
	} else {
		rc_html_lit(b, "?event=");
		rc_html_printf(b, "%lld", (long long)ev->id);
	}
	rc_html_lit(b, "\">");
}

/* Which figure the forecast used and why, then where each figure came from. */
static void forecast_basis(rc_buf *b, const rc_wave_view *v)
{
	const rc_wave_forecast *f = &v->forecast;
	rc_html_lit(b, "<section class=\"forecast\" aria-labelledby=\"forecast-h\"><h3 id=\"forecast-h\">Where the "
	               "forecast comes from</h3>\n<p><strong>");
	amount(b, f->total);
	if (f->basis == RC_WAVE_FROM_HISTORY) {
		rc_html_lit(b, " visits expected over the two weeks, from past events</strong>: the visits really recorded "
		               "after them expect at least as many as the clinic's default (");
		amount(b, f->fallback_total);
		rc_html_lit(b, ").</p>\n");
	} else {
		rc_html_lit(b, " visits expected over the two weeks, from the clinic's default</strong>: ");
		if (f->learned) {
			rc_html_lit(b, "past events expect only ");
			amount(b, f->history_total);
			rc_html_lit(b, ", fewer than the default. Visits recorded in runcare are a floor (some of a wave may "
			               "have been booked by phone or elsewhere), so the larger figure is used.</p>\n");
		} else if (f->unrecorded) {
			rc_html_printf(b, "the %d earlier event%s had no visits recorded in runcare in the two weeks after, "
			                  "which says the clinic was not using runcare then, not that nobody came — so %s "
			                  "left out.",
			               f->unrecorded, f->unrecorded == 1 ? "" : "s", f->unrecorded == 1 ? "it is" : "they are");
			rc_html_lit(b, "</p>\n");
		} else {
			rc_html_lit(b, "no earlier event's two weeks are over yet to learn from.</p>\n");
		}
	}
	rc_html_lit(b, "<ul>\n<li>Default: ");
	if (f->per_field) {
		rc_html_printf(b, "%d visits per 1,000 finishers × ", v->visits_per_1000);
		thousands(b, v->event->finishers);
		rc_html_lit(b, " expected finishers = ");
		amount(b, f->fallback_total);
		rc_html_lit(b, " visits, most of them in the first week. ");
	} else {
		rc_html_printf(b, "this event has no expected field size, so a stated default of %d a day in the first "
		                  "week and %d in the second (",
		               RC_WAVE_DEFAULT_WEEK1, RC_WAVE_DEFAULT_WEEK2);
		amount(b, f->fallback_total);
		rc_html_lit(b, " visits). Edit the event to give its expected finishers. ");
	}
	if (v->per_1000_stated)
		rc_html_printf(b, "%d per 1,000 is the clinic's own figure.", v->visits_per_1000);
	else
		rc_html_printf(b, "%d per 1,000 is runcare's starting estimate, not a published rate: an administrator "
		                  "sets the clinic's own below.", v->visits_per_1000);
	rc_html_lit(b, "</li>\n");
	for (size_t i = 0; i < v->nlessons; i++) {
		const rc_wave_lesson *l = &v->lessons[i];
		rc_html_lit(b, "<li>Past event: ");
		rc_html_text(b, l->event->name);
		rc_html_lit(b, " (");
		rc_html_text(b, l->event->day);
		rc_html_lit(b, "): ");
		if (!l->visits) {
			rc_html_lit(b, "no visits recorded in runcare in the two weeks after — left out.</li>\n");
			continue;
		}
		rc_html_printf(b, "%lld visit%s recorded in the two weeks after", (long long)l->visits, l->visits == 1 ? "" : "s");
		if (l->event->finishers && v->event->finishers) {
			rc_html_lit(b, ", scaled from its ");
			thousands(b, l->event->finishers);
			rc_html_lit(b, " finishers to this event's ");
			thousands(b, v->event->finishers);
		}
		rc_html_lit(b, ".</li>\n");
	}
	if (f->learned) {
		rc_html_lit(b, "<li>");
		rc_html_printf(b, "Past events together: an average of the %d with visits recorded, ", f->learned);
		amount(b, f->history_total);
		rc_html_lit(b, " visits.</li>\n");
	}
	rc_html_lit(b, "</ul></section>\n");
}

/* Expected against booked, day by day; the table below has the same numbers. */
static void forecast_chart(rc_req *r, const rc_wave_view *v)
{
	rc_chart_point *ex = rc_arena_alloc(&r->arena, 2 * RC_WAVE_DAYS * sizeof *ex), *bk = ex ? ex + RC_WAVE_DAYS : NULL;
	if (!ex)
		return;
	double top = 0;
	for (int d = 0; d < RC_WAVE_DAYS; d++) {
		ex[d] = (rc_chart_point){d, v->forecast.expected[d], NULL, NULL};
		bk[d] = (rc_chart_point){d, v->booked[d], NULL, NULL};
		if (v->forecast.expected[d] > top)
			top = v->forecast.expected[d];
		if (v->booked[d] > top)
			top = v->booked[d];
	}
	char first[16], last[16];
	rc_tz_format(v->days[0] + 12 * 3600, "%e %b", first, sizeof first);
	rc_tz_format(v->days[RC_WAVE_DAYS - 1] + 12 * 3600, "%e %b", last, sizeof last);
	int booked = 0;
	for (int d = 0; d < RC_WAVE_DAYS; d++)
		booked += v->booked[d];
	rc_chart c = {
		.id = "wave-chart",
		.title = "Visits expected and booked on each day after the event",
		.desc = rc_arena_printf(&r->arena, "Two lines over the %d days after the event: visits expected (%.0f in all) "
		                        "and visits booked so far (%d in all). The table below gives each day's numbers.",
		                        RC_WAVE_DAYS, v->forecast.total, booked),
		.caption = "Visits per day after the event",
		.top = rc_chart_nice_top(top, 4),
		.grid = 4,
		.x0 = 0,
		.x1 = RC_WAVE_DAYS - 1,
		.x0_label = first,
		.x1_label = last,
	};
	rc_chart_series s[2] = {{"expected", "s1", true, ex, RC_WAVE_DAYS}, {"booked", "s2", true, bk, RC_WAVE_DAYS}};
	rc_chart_lines(&r->out, &c, s, 2);
}

static void events_table(rc_buf *b, const rc_wave_view *v)
{
	rc_html_lit(b, "<h2>Events</h2>\n");
	if (!v->nevents) {
		rc_html_lit(b, "<p>No event recorded yet.</p>\n");
		return;
	}
	rc_html_lit(b, "<div class=\"table-scroll\" tabindex=\"0\"><table class=\"list\"><caption>Recorded events</caption><thead><tr>"
	               "<th scope=\"col\">Event</th><th scope=\"col\">Date</th><th scope=\"col\">Expected finishers</th>"
	               "<th scope=\"col\">Change</th></tr></thead><tbody>\n");
	for (size_t i = 0; i < v->nevents; i++) {
		const rc_wave_event *ev = &v->events[i];
		rc_html_lit(b, "<tr><th scope=\"row\">");
		event_link(b, ev, NULL);
		rc_html_text(b, ev->name);
		rc_html_lit(b, "</a>");
		if (v->event == ev)
			rc_html_lit(b, " (shown below)");
		rc_html_lit(b, "</th><td>");
		rc_html_text(b, ev->day);
		rc_html_lit(b, "</td><td>");
		if (ev->finishers)
			thousands(b, ev->finishers);
		else
			rc_html_lit(b, "not known");
		rc_html_lit(b, "</td><td>");
		/* The link's name says which event (a hidden span would stick out of the scrolled table). */
		rc_html_lit(b, "<a href=\"/wave/events/");
		rc_html_printf(b, "%lld", (long long)ev->id);
		rc_html_lit(b, "\" aria-label=\"Edit or delete ");
		rc_html_text(b, ev->name);
		rc_html_lit(b, "\">Edit or delete</a></td></tr>\n");
	}
	rc_html_lit(b, "</tbody></table></div>\n");
}

static void hours_list(rc_buf *b, const rc_wave_view *v)
{
	rc_html_lit(b, "<h3>Extra hours opened for this event</h3>\n");
	if (!v->nhours) {
		rc_html_lit(b, "<p>None yet.</p>\n");
		return;
	}
	rc_html_lit(b, "<ul class=\"wave-hours\">");
	for (size_t i = 0; i < v->nhours; i++) {
		const rc_wave_stretch *h = &v->hours[i];
		rc_html_lit(b, "<li>");
		rc_html_time(b, h->start, "%a %e %b, %H:%M");
		rc_html_lit(b, "–");
		rc_html_time(b, h->end, "%H:%M");
		rc_html_lit(b, ": ");
		rc_html_text(b, h->practitioner);
		rc_html_lit(b, "</li>");
	}
	rc_html_lit(b, "</ul>\n");
}

/* The clinic's default per 1,000 finishers: administrators change it; everyone sees it. */
static void setting_form(rc_req *r, const rc_wave_view *v, const rc_problem *p)
{
	rc_buf *b = &r->out;
	rc_html_lit(b, "<h2>The clinic's default</h2>\n");
	if (r->user.role != RC_ROLE_ADMIN) {
		rc_html_lit(b, "<p>");
		rc_html_printf(b, "%d visits over the two weeks per 1,000 expected finishers (%s). An administrator "
		                  "can change it.",
		               v->visits_per_1000, v->per_1000_stated ? "the clinic's own figure" : "runcare's starting estimate");
		rc_html_lit(b, "</p>\n");
		return;
	}
	rc_html_lit(b, "<p>How many visits the clinic expects over the two weeks after a race, per 1,000 finishers. "
	               "runcare starts at ");
	rc_html_printf(b, "%d", RC_WAVE_DEFAULT_PER_1000);
	rc_html_lit(b, ", an estimate rather than a published rate; set the clinic's own from its experience.</p>\n");
	rc_form_open(r, "/wave/setting");
	if (v->event) {
		rc_html_lit(b, "<input type=\"hidden\" name=\"event\" value=\"");
		rc_html_printf(b, "%lld", (long long)v->event->id);
		rc_html_lit(b, "\">");
	}
	char now[16];
	snprintf(now, sizeof now, "%d", v->visits_per_1000);
	rc_form_input(r, "per_1000", "Visits per 1,000 finishers", "number", p ? rc_req_form(r, "per_1000") : now,
	              err_for(p, "per_1000"), "off");
	rc_form_close(r, "Save the default");
}

/* The page, showing event `show` (0: the one the query or form names, else the next). `form` is the form
 * whose values are shown again ("hours" or "setting") with problem p; ev_values, the event form's. */
static void wave_page(rc_req *r, int64_t show, const char *notice, const char *form, const rc_problem *p,
                      const rc_vvalue *ev_values)
{
	const rc_clinic *clinic = &r->app->content->clinic;
	rc_uc uc = uc_of(r);
	const char *want = rc_req_query(r, "event") ? rc_req_query(r, "event") : rc_req_form(r, "event");
	if (!show && want)
		show = strtoll(want, NULL, 10);
	rc_wave_view v;
	if (!uc.db || rc_app_wave_view(&uc, clinic, show, &v)) {
		rc_page_error(r, 503, "The wave could not be read; try again in a moment.");
		return;
	}
	const rc_problem *ph = form && strcmp(form, "hours") == 0 ? p : NULL;
	const rc_problem *ps = form && strcmp(form, "setting") == 0 ? p : NULL;
	rc_buf *b = &r->out;
	rc_page_begin(r, "The wave", "wave");
	rc_html_lit(b, "<h1>The wave after an event</h1>\n");
	if (notice)
		rc_page_notice(r, notice);
	if (p || (ev_values && rc_valid_first_error(ev_values, E_N) >= 0))
		rc_page_alert(r, p && !p->field ? p->text : "Nothing was saved: please correct the field marked below.");
	rc_html_lit(b, "<p>After a marathon the clinic fills up for about two weeks. Record the race, see how many "
	               "visits to expect each day against those booked, and open extra hours.</p>\n");
	events_table(b, &v);
	rc_html_lit(b, "<details");
	if (ev_values || !v.nevents)
		rc_html_lit(b, " open");
	rc_html_lit(b, "><summary>Record an event</summary>\n");
	rc_form_open(r, "/wave/events");
	event_fields(r, ev_values, NULL);
	rc_form_close(r, "Record the event");
	rc_html_lit(b, "</details>\n");
	const rc_wave_event *ev = v.event;
	if (!ev) {
		setting_form(r, &v, ps);
		rc_page_end(r);
		return;
	}
	rc_html_lit(b, "<h2>");
	rc_html_text(b, ev->name);
	rc_html_lit(b, ": the two weeks after ");
	rc_html_text(b, ev->day);
	rc_html_lit(b, "</h2>\n");
	forecast_basis(b, &v);
	forecast_chart(r, &v);
	rc_html_lit(b, "<div class=\"table-scroll\" tabindex=\"0\"><table class=\"list wave\"><caption>Visits per day: expected, "
	               "booked, and booked by condition</caption><thead><tr><th scope=\"col\">Day</th>"
	               "<th scope=\"col\">Expected</th><th scope=\"col\">Booked</th>");
	for (size_t c = 0; c < v.nconditions; c++) {
		rc_html_lit(b, "<th scope=\"col\">");
		rc_html_text(b, c < clinic->ntreats ? clinic->treats[c].name : "Other");
		rc_html_lit(b, "</th>");
	}
	rc_html_lit(b, "</tr></thead><tbody>\n");
	for (int d = 0; d < RC_WAVE_DAYS; d++) {
		rc_html_lit(b, "<tr><th scope=\"row\">");
		day_label(b, v.days[d]);
		rc_html_lit(b, "</th><td>");
		rc_html_printf(b, "%.1f", v.forecast.expected[d]);
		rc_html_lit(b, "</td><td>");
		rc_html_printf(b, "%d", v.booked[d]);
		rc_html_lit(b, "</td>");
		for (size_t c = 0; c < v.nconditions; c++) {
			rc_html_lit(b, "<td>");
			rc_html_printf(b, "%d", v.by_condition[(size_t)d * v.nconditions + c]);
			rc_html_lit(b, "</td>");
		}
		rc_html_lit(b, "</tr>\n");
	}
	rc_html_lit(b, "</tbody></table></div>\n");

	/* The same days by practitioner: every one of them. */
	rc_html_lit(b, "<div class=\"table-scroll\" tabindex=\"0\"><table class=\"list wave by-practitioner\"><caption>Visits per day by "
	               "practitioner</caption><thead><tr><th scope=\"col\">Day</th>");
	for (size_t k = 0; k < v.npractitioners; k++) {
		rc_html_lit(b, "<th scope=\"col\">");
		rc_html_text(b, v.practitioners[k].name);
		rc_html_lit(b, "</th>");
	}
	rc_html_lit(b, "</tr></thead><tbody>\n");
	for (int d = 0; d < RC_WAVE_DAYS; d++) {
		rc_html_lit(b, "<tr><th scope=\"row\">");
		day_label(b, v.days[d]);
		rc_html_lit(b, "</th>");
		for (size_t k = 0; k < v.npractitioners; k++) {
			rc_html_lit(b, "<td>");
			rc_html_printf(b, "%d", v.by_practitioner[(size_t)d * v.npractitioners + k]);
			rc_html_lit(b, "</td>");
		}
		rc_html_lit(b, "</tr>\n");
	}
	rc_html_lit(b, "</tbody></table></div>\n");
	hours_list(b, &v);

	/* Extra hours in a few clicks. */
	rc_html_lit(b, "<h3>Open extra hours</h3>\n<p>Adds the same hours on each of the first days after the event "
	               "for the practitioners you tick. A practitioner who already has extra hours overlapping them that "
	               "day gets nothing new, so sending this twice opens them once.</p>\n");
	char *action = rc_arena_printf(&r->arena, "/wave/hours?event=%lld", (long long)ev->id);
	rc_form_open(r, action ? action : "/wave/hours");
	rc_html_lit(b, "<input type=\"hidden\" name=\"event\" value=\"");
	rc_html_printf(b, "%lld", (long long)ev->id);
	rc_html_lit(b, "\"><fieldset");
	if (is(ph, "practitioner"))
		rc_html_lit(b, " aria-describedby=\"e-practitioner\"");
	rc_html_lit(b, "><legend>Practitioners</legend>");
	field_error(b, ph, "practitioner");
	for (size_t k = 0; k < v.npractitioners; k++) {
		rc_html_lit(b, "<label><input type=\"checkbox\" name=\"practitioner\" value=\"");
		rc_html_printf(b, "%lld", (long long)v.practitioners[k].id);
		rc_html_lit(b, "\"");
		if (ph && ticked(r, v.practitioners[k].id))
			rc_html_lit(b, " checked");
		rc_html_lit(b, "> ");
		rc_html_text(b, v.practitioners[k].name);
		rc_html_lit(b, "</label> ");
	}
	rc_html_lit(b, "</fieldset>\n");
	rc_form_input(r, "from", "From (HH:MM)", "time", ph ? rc_req_form(r, "from") : "18:00", err_for(ph, "from"), "off");
	rc_form_input(r, "to", "To (HH:MM)", "time", ph ? rc_req_form(r, "to") : "20:00", err_for(ph, "to"), "off");
	rc_form_input(r, "days", "On how many days after the event (1–14)", "number", ph ? rc_req_form(r, "days") : "7",
	              err_for(ph, "days"), "off");
	rc_form_close(r, "Open these hours");
	setting_form(r, &v, ps);
	rc_page_end(r);
}

void rc_page_wave(rc_req *r)
{
	wave_page(r, 0, NULL, NULL, NULL, NULL);
}

/* The wave used to be an administrator's page; bookmarks still find it. */
void rc_page_wave_moved(rc_req *r)
{
	const char *ev = rc_req_query(r, "event");
	char *to = ev ? rc_arena_printf(&r->arena, "/wave?event=%lld", strtoll(ev, NULL, 10)) : NULL;
	rc_req_redirect(r, to ? to : "/wave");
}

/* The event form's values, checked at the door; the use case checks what is left (its rules). */
static bool event_input(rc_req *r, rc_vvalue v[E_N], rc_wave_event_in *in)
{
	rc_valid_form(&r->arena, &r->form, event_form, E_N, v);
	*in = (rc_wave_event_in){v[E_NAME].text, v[E_DAY].text, v[E_FINISHERS].text};
	return rc_valid_first_error(v, E_N) < 0;
}

void rc_page_wave_event(rc_req *r)
{
	rc_uc uc = uc_of(r);
	rc_problem p = {0};
	rc_vvalue v[E_N];
	rc_wave_event_in in;
	int64_t id = 0;
	rc_err e = !event_input(r, v, &in) ? RC_EINVAL : uc.db ? rc_app_wave_event_add(&uc, &in, &id, &p) : RC_EDB;
	if (e == RC_EINVAL) {
		if (p.field)
			rc_valid_set_error(event_form, E_N, v, p.field, p.text);
		r->status = 422;
		wave_page(r, 0, NULL, NULL, NULL, v);
		return;
	}
	if (e) {
		rc_page_error(r, 503, "Could not save; try again in a moment.");
		return;
	}
	wave_page(r, id, "Recorded.", NULL, NULL, NULL);
}

/* --- one event: edit or delete ------------------------------------------------------------------ */

static const rc_vfield id_param = {"event", "Event", RC_V_INT, .required = true, .min = 1, .max = INT64_MAX};

/* The event the address names, from the view (so the page shows its extra hours too); NULL after a
 * 404 or 503 has been answered. */
static const rc_wave_event *named_event(rc_req *r, rc_wave_view *v)
{
	rc_vvalue id;
	rc_uc uc = uc_of(r);
	if (!rc_valid_one(&r->arena, &id_param, r->params[0], &id) || !id.set) {
		rc_page_error(r, 404, "There is no such event.");
		return NULL;
	}
	if (!uc.db || rc_app_wave_view(&uc, &r->app->content->clinic, id.num, v)) {
		rc_page_error(r, 503, "The event could not be read; try again in a moment.");
		return NULL;
	}
	if (!v->event)
		rc_page_error(r, 404, "There is no such event; it may have been deleted.");
	return v->event;
}

static void edit_page(rc_req *r, const rc_wave_view *v, const rc_vvalue *ev_values, const rc_problem *delete_problem)
{
	const rc_wave_event *ev = v->event;
	rc_buf *b = &r->out;
	char *base = rc_arena_printf(&r->arena, "/wave/events/%lld", (long long)ev->id);
	char *del = rc_arena_printf(&r->arena, "/wave/events/%lld/delete", (long long)ev->id);
	if (!base || !del) {
		rc_page_error(r, 503, "The page could not be drawn; try again in a moment.");
		return;
	}
	rc_page_begin(r, "Edit an event", "wave");
	rc_html_lit(b, "<h1>Edit ");
	rc_html_text(b, ev->name);
	rc_html_lit(b, "</h1>\n<p>");
	event_link(b, ev, NULL);
	rc_html_lit(b, "Back to the wave</a></p>\n");
	if ((ev_values && rc_valid_first_error(ev_values, E_N) >= 0) || delete_problem)
		rc_page_alert(r, "Nothing was changed: please correct the field marked below.");
	rc_form_open(r, base);
	event_fields(r, ev_values, ev);
	rc_form_close(r, "Save changes");

	rc_html_lit(b, "<h2>Delete this event</h2>\n<p>It leaves the list and no longer teaches the forecast of later "
	               "events. ");
	if (v->nhours)
		rc_html_printf(b, "The %zu stretch%s of extra hours opened for it stay open unless you tick the box; any "
		                  "with a visit booked in it stays open in any case (cancel or move the visit first).",
		               v->nhours, v->nhours == 1 ? "" : "es");
	else
		rc_html_lit(b, "No extra hours were opened for it.");
	rc_html_lit(b, "</p>\n");
	rc_form_open(r, del);
	if (v->nhours) {
		rc_html_lit(b, "<p><label><input type=\"checkbox\" name=\"remove_hours\" value=\"yes\"");
		if (delete_problem && rc_req_form(r, "remove_hours"))
			rc_html_lit(b, " checked");
		rc_html_lit(b, "> Also close the extra hours opened for it</label></p>\n");
	}
	rc_html_lit(b, "<p><label><input type=\"checkbox\" id=\"f-confirm\" name=\"confirm\" value=\"yes\" required");
	if (delete_problem)
		rc_html_lit(b, " aria-invalid=\"true\" aria-describedby=\"e-confirm\"");
	rc_html_lit(b, "> Yes, delete ");
	rc_html_text(b, ev->name);
	rc_html_lit(b, "</label>");
	if (delete_problem) {
		rc_html_lit(b, " <span class=\"field-error\" id=\"e-confirm\">");
		rc_html_text(b, delete_problem->text);
		rc_html_lit(b, "</span>");
	}
	rc_html_lit(b, "</p>\n");
	rc_form_close(r, "Delete the event");
	rc_page_end(r);
}

void rc_page_wave_event_edit(rc_req *r)
{
	rc_wave_view v;
	if (named_event(r, &v))
		edit_page(r, &v, NULL, NULL);
}

void rc_page_wave_event_save(rc_req *r)
{
	rc_wave_view v;
	const rc_wave_event *ev = named_event(r, &v);
	if (!ev)
		return;
	rc_uc uc = uc_of(r);
	rc_problem p = {0};
	rc_vvalue vals[E_N];
	rc_wave_event_in in;
	rc_err e = !event_input(r, vals, &in) ? RC_EINVAL : rc_app_wave_event_edit(&uc, ev->id, &in, &p);
	if (e == RC_EINVAL) {
		if (p.field)
			rc_valid_set_error(event_form, E_N, vals, p.field, p.text);
		r->status = 422;
		edit_page(r, &v, vals, NULL);
		return;
	}
	if (e == RC_ENOTFOUND) {
		rc_page_error(r, 404, p.text);
		return;
	}
	if (e) {
		rc_page_error(r, 503, "Could not save; nothing was changed. Try again in a moment.");
		return;
	}
	wave_page(r, ev->id, "Saved.", NULL, NULL, NULL);
}

void rc_page_wave_event_delete(rc_req *r)
{
	rc_wave_view v;
	const rc_wave_event *ev = named_event(r, &v);
	if (!ev)
		return;
	const char *confirm = rc_req_form(r, "confirm");
	if (!confirm || strcmp(confirm, "yes") != 0) {
		rc_problem p = {.field = "confirm"};
		snprintf(p.text, sizeof p.text, "Tick 'Yes, delete' to delete the event; nothing was deleted.");
		r->status = 422;
		edit_page(r, &v, NULL, &p);
		return;
	}
	const char *remove = rc_req_form(r, "remove_hours");
	rc_uc uc = uc_of(r);
	rc_problem p = {0};
	rc_wave_deleted d;
	rc_err e = rc_app_wave_event_delete(&uc, ev->id, remove && strcmp(remove, "yes") == 0, &d, &p);
	if (e == RC_ENOTFOUND) {
		rc_page_error(r, 404, p.text);
		return;
	}
	if (e) {
		rc_page_error(r, 503, "Could not delete; nothing was changed. Try again in a moment.");
		return;
	}
	char *msg;
	if (d.kept_booked)
		msg = rc_arena_printf(&r->arena, "Deleted %s. Closed %d stretch%s of extra hours; %d stay open because a visit "
		                      "is booked in them.", d.name, d.removed, d.removed == 1 ? "" : "es", d.kept_booked);
	else if (d.removed)
		msg = rc_arena_printf(&r->arena, "Deleted %s and closed the %d stretch%s of extra hours opened for it.", d.name,
		                      d.removed, d.removed == 1 ? "" : "es");
	else if (d.kept)
		msg = rc_arena_printf(&r->arena, "Deleted %s. The %d stretch%s of extra hours opened for it stay open.", d.name,
		                      d.kept, d.kept == 1 ? "" : "es");
	else
		msg = rc_arena_printf(&r->arena, "Deleted %s.", d.name);
	wave_page(r, 0, msg ? msg : "Deleted.", NULL, NULL, NULL);
}

/* --- extra hours and the default ---------------------------------------------------------------- */

void rc_page_wave_hours(rc_req *r)
{
	rc_uc uc = uc_of(r);
	rc_problem p = {0};
	/* Every ticked box, however many. */
	const char **pids = rc_arena_alloc(&r->arena, (r->form.n + 1) * sizeof *pids);
	size_t np = 0;
	for (size_t i = 0; pids && i < r->form.n; i++)
		if (strcmp(r->form.fields[i].name, "practitioner") == 0 && !r->form.fields[i].filename)
			pids[np++] = r->form.fields[i].value;
	rc_wave_hours in = {rc_req_form(r, "event"), pids, np, rc_req_form(r, "from"), rc_req_form(r, "to"),
	                    rc_req_form(r, "days")};
	rc_wave_opened o;
	rc_err e = !uc.db || !pids ? RC_EDB : rc_app_wave_open_hours(&uc, &in, &o, &p);
	if (e == RC_EINVAL) {
		r->status = 422;
		wave_page(r, 0, NULL, "hours", &p, NULL);
		return;
	}
	if (e) {
		rc_page_error(r, 503, "Could not save; nothing was added. Try again in a moment.");
		return;
	}
	char when[64];
	snprintf(when, sizeof when, "%02d:%02d–%02d:%02d", o.from / 60, o.from % 60, o.to / 60, o.to % 60);
	char *msg;
	if (!o.opened)
		msg = rc_arena_printf(&r->arena, "Nothing new: %s was already open (or overlapped extra hours already open) on "
		                      "every day asked for, for everyone ticked.", when);
	else if (o.already)
		msg = rc_arena_printf(&r->arena, "Opened %s on %d day%s for %zu practitioner%s: %d new, %d left as they were "
		                      "(extra hours already open then).", when, o.days, o.days == 1 ? "" : "s",
		                      o.practitioners, o.practitioners == 1 ? "" : "s", o.opened, o.already);
	else
		msg = rc_arena_printf(&r->arena, "Opened %s on %d day%s for %zu practitioner%s.", when, o.days,
		                      o.days == 1 ? "" : "s", o.practitioners, o.practitioners == 1 ? "" : "s");
	wave_page(r, 0, msg ? msg : "Opened.", NULL, NULL, NULL);
}

void rc_page_wave_setting(rc_req *r)
{
	rc_uc uc = uc_of(r);
	rc_problem p = {0};
	rc_err e = uc.db ? rc_app_wave_setting(&uc, rc_req_form(r, "per_1000"), &p) : RC_EDB;
	if (e == RC_EINVAL) {
		r->status = 422;
		wave_page(r, 0, NULL, "setting", &p, NULL);
		return;
	}
	if (e == RC_EFORBIDDEN) {
		rc_page_error(r, 403, p.text);
		return;
	}
	if (e) {
		rc_page_error(r, 503, "Could not save; nothing was changed. Try again in a moment.");
		return;
	}
	wave_page(r, 0, "Saved the clinic's default.", NULL, NULL, NULL);
}
