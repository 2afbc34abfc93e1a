/* clinic_admin.c — the clinic's setup on the web: services, practitioners and what they offer,
 * weekly hours and breaks (a break is the gap between two rows), time off. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/time.h"
#include "base/text.h"
#include "domain/setup.h"
#include "store/booking.h"
#include "web/html.h"
#include "web/layout.h"
#include "web/pages/pages.h"

static void hours_row(void *ctx, int wd, int a, int b)
{
	rc_req *r = ctx;
	rc_html_lit(&r->out, "<li>");
	rc_html_text(&r->out, rc_weekday_names[wd]);
	rc_html_printf(&r->out, " %02d:%02d–%02d:%02d", a / 60, a % 60, b / 60, b % 60);
	rc_html_lit(&r->out, "</li>");
}

static void exception_row(void *ctx, const char *kind, int64_t s, int64_t e, const char *note)
{
	rc_req *r = ctx;
	char a[40], b[40];
	rc_tz_rfc3339(s, a, sizeof a);
	rc_tz_rfc3339(e, b, sizeof b);
	rc_html_lit(&r->out, "<li>");
	rc_html_text(&r->out, strcmp(kind, "time_off") == 0 ? "away" : "extra hours");
	rc_html_lit(&r->out, " ");
	rc_html_text(&r->out, a);
	rc_html_lit(&r->out, " – ");
	rc_html_text(&r->out, b);
	rc_html_lit(&r->out, " ");
	rc_html_text(&r->out, note);
	rc_html_lit(&r->out, "</li>");
}

static void practitioner_select(rc_req *r, const rc_practitioner *ps, size_t np)
{
	rc_buf *b = &r->out;
	rc_html_lit(b, "<p><label for=\"f-practitioner\">Practitioner</label><select id=\"f-practitioner\" "
	               "name=\"practitioner\">");
	for (size_t i = 0; i < np; i++) {
		rc_html_lit(b, "<option value=\"");
		rc_html_printf(b, "%lld", (long long)ps[i].id);
		rc_html_lit(b, "\">");
		rc_html_text(b, ps[i].name);
		rc_html_lit(b, "</option>");
	}
	rc_html_lit(b, "</select></p>\n");
}

static void setup_page(rc_req *r, const char *notice, const char *error)
{
	rc_db *db = rc_req_db(r);
	rc_service sv[RC_BOOKING_MAX_SERVICES];
	rc_practitioner ps[RC_BOOKING_MAX_PRACTITIONERS];
	size_t ns = 0, np = 0;
	if (rc_services_list(db, sv, RC_BOOKING_MAX_SERVICES, &ns) ||
	    rc_practitioners_list(db, 0, ps, RC_BOOKING_MAX_PRACTITIONERS, &np)) {
		rc_page_error(r, 503, "The clinic's setup could not be read; try again in a moment.");
		return;
	}
	rc_buf *b = &r->out;
	rc_page_begin(r, "Clinic setup", "admin");
	rc_html_lit(b, "<h1>Clinic setup</h1>\n<p>Times are the clinic's local time (");
	rc_html_text(b, r->app->content->clinic.timezone);
	rc_html_lit(b, "). <a href=\"/admin/wave\">The wave after an event</a> · <a href=\"/admin/users\">Accounts</a></p>\n");
	if (notice)
		rc_page_notice(r, notice);
	if (error)
		rc_page_alert(r, error);
	rc_html_lit(b, "<h2>Services</h2>\n<ul>");
	for (size_t i = 0; i < ns; i++) {
		rc_html_lit(b, "<li>");
		rc_html_text(b, sv[i].name);
		rc_html_printf(b, " (%s): %d minutes, $%lld.%02lld, ", sv[i].key, sv[i].minutes,
		               (long long)sv[i].price_cents / 100, (long long)sv[i].price_cents % 100);
		rc_html_text(b, sv[i].discipline);
		rc_html_lit(b, "</li>");
	}
	rc_html_lit(b, "</ul>\n");
	rc_form_open(r, "/admin/clinic/services");
	rc_form_input(r, "key", "Key (for addresses, e.g. dry-needling)", "text", NULL, NULL, "off");
	rc_form_input(r, "name", "Name", "text", NULL, NULL, "off");
	rc_form_input(r, "minutes", "Minutes", "number", "30", NULL, "off");
	rc_form_input(r, "price", "Price in cents", "number", NULL, NULL, "off");
	rc_html_lit(b, "<p><label for=\"f-discipline\">Discipline</label><select id=\"f-discipline\" name=\"discipline\">"
	               "<option value=\"physical_therapy\">Physical therapy</option><option value=\"acupuncture\">"
	               "Acupuncture</option><option value=\"sports_massage\">Sports massage</option></select></p>\n");
	rc_form_close(r, "Add service");

	rc_html_lit(b, "<h2>Practitioners</h2>\n");
	for (size_t i = 0; i < np; i++) {
		char offers[512];
		if (rc_practitioner_services(db, ps[i].id, offers, sizeof offers))
			offers[0] = '\0';
		rc_html_lit(b, "<h3>");
		rc_html_text(b, ps[i].name);
		rc_html_lit(b, "</h3><p>");
		rc_html_text(b, ps[i].disciplines);
		rc_html_lit(b, " · offers: ");
		rc_html_text(b, offers[0] ? offers : "nothing yet");
		rc_html_lit(b, "</p><ul>");
		if (rc_hours_list(db, ps[i].id, hours_row, r) || rc_exceptions_list(db, ps[i].id, r->now, exception_row, r)) {
			rc_page_error(r, 503, "The clinic's setup could not be read; try again in a moment.");
			return;
		}
		rc_html_lit(b, "</ul>\n");
	}
	rc_html_lit(b, "<h3>Add a practitioner</h3>\n");
	rc_form_open(r, "/admin/clinic/practitioners");
	rc_form_input(r, "name", "Name", "text", NULL, NULL, "off");
	rc_form_input(r, "disciplines", "Disciplines (e.g. physical_therapy acupuncture)", "text", NULL, NULL, "off");
	rc_html_lit(b, "<fieldset><legend>Offers</legend>");
	for (size_t i = 0; i < ns; i++) {
		rc_html_lit(b, "<label><input type=\"checkbox\" name=\"offers\" value=\"");
		rc_html_text(b, sv[i].key);
		rc_html_lit(b, "\"> ");
		rc_html_text(b, sv[i].name);
		rc_html_lit(b, "</label> ");
	}
	rc_html_lit(b, "</fieldset>\n");
	rc_form_close(r, "Add practitioner");

	if (np) {
		rc_html_lit(b, "<h3>Add weekly hours</h3>\n<p>A break is the gap between two rows on the same day.</p>\n");
		rc_form_open(r, "/admin/clinic/hours");
		practitioner_select(r, ps, np);
		rc_html_lit(b, "<p><label for=\"f-day\">Day</label><select id=\"f-day\" name=\"day\">");
		for (int i = 0; i < 7; i++) {
			rc_html_lit(b, "<option>");
			rc_html_text(b, rc_weekday_names[i]);
			rc_html_lit(b, "</option>");
		}
		rc_html_lit(b, "</select></p>\n");
		rc_form_input(r, "from", "From", "time", "08:00", NULL, "off");
		rc_form_input(r, "to", "To", "time", "12:00", NULL, "off");
		rc_form_close(r, "Add hours");
		rc_html_lit(b, "<h3>Add time off</h3>\n");
		rc_form_open(r, "/admin/clinic/time-off");
		practitioner_select(r, ps, np);
		rc_form_input(r, "from", "From", "datetime-local", NULL, NULL, "off");
		rc_form_input(r, "to", "To", "datetime-local", NULL, NULL, "off");
		rc_form_input(r, "note", "Note", "text", "", NULL, "off");
		rc_form_close(r, "Add time off");
	}
	rc_page_end(r);
}

void rc_page_clinic_setup(rc_req *r)
{
	setup_page(r, NULL, NULL);
}

static void done(rc_req *r, rc_err e, const char *what)
{
	if (e == RC_ECONFLICT) {
		r->status = 409;
		setup_page(r, NULL, "That already exists.");
	} else if (e == RC_ETOOBIG) {
		r->status = 422;
		setup_page(r, NULL, "The clinic already has as many active services or practitioners as runcare shows on one "
		                    "page (64); retire one first.");
	} else if (e) {
		rc_page_error(r, 503, "Could not save; nothing changed. Try again in a moment.");
	} else {
		rc_req_audit(r, "clinic.setup", 0, what);
		setup_page(r, "Saved.", NULL);
	}
}

static void refuse(rc_req *r, const char *why)
{
	r->status = 400;
	setup_page(r, NULL, why);
}

static long long num(const char *s)
{
	char *end;
	long long v = s ? strtoll(s, &end, 10) : -1;
	return s && *s && !*end ? v : -1;
}

void rc_page_clinic_service_add(rc_req *r)
{
	const char *key = rc_req_form(r, "key"), *name = rc_req_form(r, "name"), *d = rc_req_form(r, "discipline");
	long long minutes = num(rc_req_form(r, "minutes")), price = num(rc_req_form(r, "price"));
	char why[160];
	int64_t id;
	if (rc_service_check(key, name, minutes, price, d, why, sizeof why)) {
		refuse(r, why);
		return;
	}
	done(r, rc_service_create(rc_req_db(r), key, name, (int)minutes, price, d, &id), key);
}

struct new_practitioner {
	rc_req *r;
	const char *name, *disciplines;
	const char *bad_offer;
};

static rc_err practitioner_tx(rc_db *db, void *arg)
{
	struct new_practitioner *c = arg;
	int64_t id;
	rc_err e = rc_practitioner_create(db, 0, c->name, c->disciplines, &id);
	for (size_t i = 0; !e && i < c->r->form.n; i++) {
		const rc_field *f = &c->r->form.fields[i];
		if (f->filename || strcmp(f->name, "offers") != 0)
			continue;
		rc_service sv;
		bool found = false;
		if ((e = rc_service_by_key(db, f->value, &sv, &found)))
			break;
		if (!found) {
			c->bad_offer = f->value;
			return RC_EINVAL;
		}
		e = rc_practitioner_offer(db, id, sv.id);
	}
	return e;
}

void rc_page_clinic_practitioner_add(rc_req *r)
{
	const char *name = rc_req_form(r, "name"), *ds = rc_req_form(r, "disciplines");
	if (!name || !*name || !rc_text_is_line(name, 120)) {
		refuse(r, "'Name' must be 1–120 characters on one line.");
		return;
	}
	if (!rc_disciplines_ok(ds)) {
		refuse(r, "'Disciplines' must list acupuncture, physical_therapy or sports_massage.");
		return;
	}
	struct new_practitioner c = {r, name, ds, NULL};
	rc_err e = rc_db_tx(rc_req_db(r), practitioner_tx, &c);
	if (c.bad_offer) {
		refuse(r, "'Offers' names a service that does not exist.");
		return;
	}
	done(r, e, name);
}

static bool practitioner(rc_req *r, int64_t *pid)
{
	rc_practitioner p;
	bool found = false;
	*pid = num(rc_req_form(r, "practitioner"));
	if (*pid <= 0 || rc_practitioner_by_id(rc_req_db(r), *pid, &p, &found) || !found) {
		refuse(r, "'Practitioner' must be one of the clinic's practitioners.");
		return false;
	}
	return true;
}

void rc_page_clinic_hours_add(rc_req *r)
{
	int64_t pid;
	int wd = rc_weekday_parse(rc_req_form(r, "day")), from, to;
	if (!practitioner(r, &pid))
		return;
	if (wd < 0) {
		refuse(r, "'Day' must be mon, tue, wed, thu, fri, sat or sun.");
		return;
	}
	if (!rc_clock_parse(rc_req_form(r, "from"), &from) || !rc_clock_parse(rc_req_form(r, "to"), &to) || from >= to) {
		refuse(r, "'From' and 'To' must be times on the quarter hour, 'From' before 'To'.");
		return;
	}
	done(r, rc_hours_add(rc_req_db(r), pid, wd, from, to), "weekly hours");
}

void rc_page_clinic_time_off_add(rc_req *r)
{
	int64_t pid, from, to;
	const char *note = rc_req_form(r, "note");
	if (!practitioner(r, &pid))
		return;
	if (!rc_tz_parse_local(rc_req_form(r, "from"), &from) || !rc_tz_parse_local(rc_req_form(r, "to"), &to) ||
	    from >= to) {
		refuse(r, "'From' and 'To' must be local date-times (YYYY-MM-DDTHH:MM), 'From' before 'To'.");
		return;
	}
	if (note && strlen(note) > 200) {
		refuse(r, "'Note' must be at most 200 characters.");
		return;
	}
	done(r, rc_exception_add(rc_req_db(r), pid, "time_off", from, to, note), "time off");
}
