/* wave.c — the wave after a marathon: record the event, see the demand expected in the two weeks
 * after it beside what is booked (by condition and by practitioner), and open extra hours in a few
 * clicks. What is expected and what opening hours does are app/wave.c's. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/wave.h"
#include "web/html.h"
#include "web/layout.h"
#include "web/pages/pages.h"

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

static void day_label(rc_buf *b, int64_t day_start)
{
	rc_html_time(b, day_start + 12 * 3600, "%a %e %b");
}

/* The page; `form` is the form whose values are shown again ("event" or "hours") with problem p. */
static void wave_page(rc_req *r, const char *notice, const char *form, const rc_problem *p)
{
	const rc_clinic *clinic = &r->app->content->clinic;
	rc_uc uc = uc_of(r);
	const char *want = rc_req_query(r, "event") ? rc_req_query(r, "event") : rc_req_form(r, "event");
	rc_wave_view v;
	if (!uc.db || rc_app_wave_view(&uc, clinic, want ? strtoll(want, NULL, 10) : 0, &v)) {
		rc_page_error(r, 503, "The wave could not be read; try again in a moment.");
		return;
	}
	const rc_problem *pe = form && strcmp(form, "event") == 0 ? p : NULL;
	const rc_problem *ph = form && strcmp(form, "hours") == 0 ? p : NULL;
	rc_buf *b = &r->out;
	rc_page_begin(r, "The wave", "admin");
	rc_html_lit(b, "<h1>The wave after an event</h1>\n");
	if (notice)
		rc_page_notice(r, notice);
	if (p)
		rc_page_alert(r, p->field ? "Please correct the field marked below." : p->text);
	rc_html_lit(b, "<h2>Events</h2>\n<ul>");
	for (size_t i = 0; i < v.nevents; i++) {
		rc_html_lit(b, "<li><a href=\"/admin/wave?event=");
		rc_html_printf(b, "%lld", (long long)v.events[i].id);
		rc_html_lit(b, "\">");
		rc_html_text(b, v.events[i].name);
		rc_html_lit(b, "</a> (");
		rc_html_text(b, v.events[i].day);
		rc_html_lit(b, ")</li>");
	}
	rc_html_lit(b, "</ul>\n");
	rc_form_open(r, "/admin/wave/events");
	rc_form_input(r, "name", "Event", "text", pe ? rc_req_form(r, "name") : NULL, err_for(pe, "name"), "off");
	rc_form_input(r, "day", "Date", "date", pe ? rc_req_form(r, "day") : NULL, err_for(pe, "day"), "off");
	rc_form_close(r, "Record the event");
	const rc_wave_event *ev = v.event;
	if (!ev) {
		rc_page_end(r);
		return;
	}
	rc_html_lit(b, "<h2>");
	rc_html_text(b, ev->name);
	rc_html_lit(b, ": the two weeks after ");
	rc_html_text(b, ev->day);
	rc_html_lit(b, "</h2>\n<p>");
	if (v.learned)
		rc_html_printf(b, "Expected visits are the average of the %d earlier event%s whose two weeks are over.",
		               v.learned, v.learned == 1 ? "" : "s");
	else
		rc_html_printf(b, "No earlier event to learn from yet: expected visits are a stated default of %d a day in "
		                  "the first week and %d in the second.", RC_WAVE_DEFAULT_WEEK1, RC_WAVE_DEFAULT_WEEK2);
	rc_html_lit(b, "</p>\n<div class=\"table-scroll\" tabindex=\"0\"><table class=\"list wave\"><caption>Visits per day: expected, "
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
		rc_html_printf(b, "%.1f", v.expected[d]);
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

	/* Extra hours in a few clicks. */
	rc_html_lit(b, "<h2>Open extra hours</h2>\n<p>Adds the same hours on each of the first days after the event "
	               "for the practitioners you tick.</p>\n");
	char *action = rc_arena_printf(&r->arena, "/admin/wave/hours?event=%lld", (long long)ev->id);
	rc_form_open(r, action ? action : "/admin/wave/hours");
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
	rc_page_end(r);
}

void rc_page_wave(rc_req *r)
{
	wave_page(r, NULL, NULL, NULL);
}

void rc_page_wave_event(rc_req *r)
{
	rc_uc uc = uc_of(r);
	rc_problem p = {0};
	int64_t id = 0;
	rc_err e = uc.db ? rc_app_wave_event_add(&uc, rc_req_form(r, "name"), rc_req_form(r, "day"), &id, &p) : RC_EDB;
	if (e == RC_EINVAL) {
		r->status = 422;
		wave_page(r, NULL, "event", &p);
		return;
	}
	if (e) {
		rc_page_error(r, 503, "Could not save; try again in a moment.");
		return;
	}
	wave_page(r, "Recorded.", NULL, NULL);
}

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
		wave_page(r, NULL, "hours", &p);
		return;
	}
	if (e) {
		rc_page_error(r, 503, "Could not save; nothing was added. Try again in a moment.");
		return;
	}
	char msg[160];
	snprintf(msg, sizeof msg, "Opened %02d:%02d–%02d:%02d on %d day%s for %zu practitioner%s.", o.from / 60,
	         o.from % 60, o.to / 60, o.to % 60, o.days, o.days == 1 ? "" : "s", o.practitioners,
	         o.practitioners == 1 ? "" : "s");
	wave_page(r, msg, NULL, NULL);
}
