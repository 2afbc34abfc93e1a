/* clinic_admin.c — the clinic's setup on the web: the overview, and a form each to add or edit a
 * service, a practitioner, a row of weekly hours (a break is the gap between two rows) and time off;
 * retiring and bringing back. The rules are app/setup.c's; a change that would cut across booked
 * visits comes back as a page listing them, with the choice to cancel them (with a message to each
 * patient), keep them to move one by one, or go back — nothing is written before that choice. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/setup.h"
#include "base/time.h"
#include "domain/setup.h"
#include "web/html.h"
#include "web/layout.h"
#include "web/pages/pages.h"
#include "web/pages/visit.h"
#include "web/valid.h"

enum { MAX_CHECKED = 256 }; /* values of one checkbox list read from a form */

static const rc_vchoice discipline_choices[] = {
	{"physical_therapy", "Physical therapy"},
	{"acupuncture", "Acupuncture"},
	{"sports_massage", "Sports massage"},
};
static const rc_vchoice day_choices[] = {
	{"mon", "Monday"}, {"tue", "Tuesday"}, {"wed", "Wednesday"}, {"thu", "Thursday"},
	{"fri", "Friday"}, {"sat", "Saturday"}, {"sun", "Sunday"},
};

/* --- small pieces ----------------------------------------------------------------------------------- */

static unsigned status_for(rc_err e)
{
	return e == RC_ETOOBIG ? 422 : rc_visit_status(e);
}

/* Every value the form sent under name (checkboxes), up to max. */
static size_t checked(rc_req *r, const char *name, const char **out, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < r->form.n && n < max; i++)
		if (!r->form.fields[i].filename && strcmp(r->form.fields[i].name, name) == 0)
			out[n++] = r->form.fields[i].value;
	return n;
}

static bool among(const char *const *values, size_t n, const char *v)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(values[i], v) == 0)
			return true;
	return false;
}

/* One <input type="checkbox"> with its label. */
static void checkbox(rc_buf *b, const char *name, const char *value, const char *label, bool on)
{
	rc_html_lit(b, "<label><input type=\"checkbox\" name=\"");
	rc_html_text(b, name);
	rc_html_lit(b, "\" value=\"");
	rc_html_text(b, value);
	rc_html_lit(b, "\"");
	if (on)
		rc_html_lit(b, " checked");
	rc_html_lit(b, "> ");
	rc_html_text(b, label);
	rc_html_lit(b, "</label> ");
}

/* A fieldset of checkboxes opens with its legend and the error that belongs to it. */
static void fieldset_open(rc_buf *b, const char *id, const char *legend, const char *error)
{
	rc_html_lit(b, "<fieldset id=\"f-");
	rc_html_text(b, id);
	rc_html_lit(b, "\"");
	if (error) {
		rc_html_lit(b, " aria-describedby=\"e-");
		rc_html_text(b, id);
		rc_html_lit(b, "\"");
	}
	rc_html_lit(b, "><legend>");
	rc_html_text(b, legend);
	rc_html_lit(b, "</legend>");
	if (error) {
		rc_html_lit(b, "<p class=\"field-error\" id=\"e-");
		rc_html_text(b, id);
		rc_html_lit(b, "\">");
		rc_html_text(b, error);
		rc_html_lit(b, "</p>");
	}
}

static void hidden(rc_buf *b, const char *name, const char *value)
{
	rc_html_lit(b, "<input type=\"hidden\" name=\"");
	rc_html_text(b, name);
	rc_html_lit(b, "\" value=\"");
	rc_html_text(b, value ? value : "");
	rc_html_lit(b, "\">");
}

static void hidden_id(rc_buf *b, const char *name, int64_t id)
{
	char s[24];
	snprintf(s, sizeof s, "%lld", (long long)id);
	hidden(b, name, s);
}

static void hhmm(rc_buf *b, int minute)
{
	rc_html_printf(b, "%02d:%02d", minute / 60, minute % 60);
}

/* A link whose words say where it goes, to a screen reader too: "Edit<hidden> Follow-up visit</hidden>". */
static void edit_link(rc_buf *b, const char *href, const char *words, const char *what)
{
	rc_html_lit(b, "<a href=\"");
	rc_html_text(b, href);
	rc_html_lit(b, "\">");
	rc_html_text(b, words);
	rc_html_lit(b, "<span class=\"visually-hidden\"> ");
	rc_html_text(b, what);
	rc_html_lit(b, "</span></a>");
}

/* A one-button form with hidden fields (name, value pairs; NULL ends). */
static void button_form(rc_req *r, const char *action, const char *button, ...)
{
	rc_buf *b = &r->out;
	rc_html_lit(b, "<form class=\"inline\" method=\"post\" action=\"");
	rc_html_text(b, action);
	rc_html_lit(b, "\">");
	hidden(b, "csrf", rc_req_csrf(r));
	va_list ap;
	va_start(ap, button);
	for (const char *name; (name = va_arg(ap, const char *));)
		hidden(b, name, va_arg(ap, const char *));
	va_end(ap);
	rc_html_lit(b, "<button type=\"submit\">");
	rc_html_text(b, button);
	rc_html_lit(b, "</button></form>");
}

static const char *id_text(rc_req *r, int64_t id)
{
	char *s = rc_arena_printf(&r->arena, "%lld", (long long)id);
	return s ? s : "";
}

static const rc_practitioner *practitioner_of(const rc_setup_view *v, int64_t id)
{
	for (size_t i = 0; i < v->npractitioners; i++)
		if (v->practitioners[i].id == id)
			return &v->practitioners[i];
	return NULL;
}

static bool load_view(rc_req *r, rc_setup_view *v)
{
	rc_uc uc;
	rc_req_uc(r, &uc);
	if (!uc.db || rc_app_setup_view(&uc, v)) {
		rc_page_error(r, 503, "The clinic's setup could not be read; try again in a moment.");
		return false;
	}
	return true;
}

/* --- the overview ------------------------------------------------------------------------------------- */

/* What a change did to booked visits, said once on the overview. */
typedef struct done_note {
	const char *text;
	const rc_setup_change_out *change; /* kept visits to move one by one, or NULL */
} done_note;

static void opening_table(rc_req *r)
{
	const rc_clinic *c = &r->app->content->clinic;
	rc_buf *b = &r->out;
	rc_html_lit(b, "<h2>Opening hours</h2>\n<p>The clinic's opening hours, from its content (clinic.json). A "
	               "practitioner's hours outside them need a confirmation.</p>\n<table class=\"hours\"><tbody>");
	for (int d = 0; d < 7; d++) {
		char line[160];
		rc_opening_describe(c->opening, c->nopening, d, line, sizeof line);
		const char *colon = strchr(line, ':');
		rc_html_lit(b, "<tr><th scope=\"row\">");
		rc_html_text(b, rc_weekday_labels[d]);
		rc_html_lit(b, "</th><td>");
		rc_html_text(b, colon ? colon + 2 : line);
		rc_html_lit(b, "</td></tr>");
	}
	rc_html_lit(b, "</tbody></table>\n");
}

static void visits_table(rc_req *r, const rc_appointment *a, size_t n, bool links)
{
	rc_buf *b = &r->out;
	rc_html_lit(b, "<div class=\"table-scroll\"><table class=\"list\"><thead><tr><th scope=\"col\">Patient</th>"
	               "<th scope=\"col\">When</th><th scope=\"col\">Service</th><th scope=\"col\">With</th>");
	if (links)
		rc_html_lit(b, "<th scope=\"col\">Visit</th>");
	rc_html_lit(b, "</tr></thead><tbody>\n");
	for (size_t i = 0; i < n; i++) {
		rc_html_lit(b, "<tr><td>");
		rc_html_text(b, a[i].runner_name[0] ? a[i].runner_name : "(no name)");
		if (!a[i].runner_email[0])
			rc_html_lit(b, " <small>(no email address: call them)</small>");
		rc_html_lit(b, "</td><td>");
		rc_visit_time(b, a[i].starts_at, true);
		rc_html_lit(b, "</td><td>");
		rc_html_text(b, a[i].service_name);
		rc_html_lit(b, "</td><td>");
		rc_html_text(b, a[i].practitioner_name);
		rc_html_lit(b, "</td>");
		if (links) {
			rc_html_lit(b, "<td><a href=\"/appointments/");
			rc_html_printf(b, "%lld", (long long)a[i].id);
			rc_html_lit(b, "\">Open to move<span class=\"visually-hidden\"> ");
			rc_html_text(b, a[i].runner_name);
			rc_html_lit(b, "'s visit</span></a></td>");
		}
		rc_html_lit(b, "</tr>\n");
	}
	rc_html_lit(b, "</tbody></table></div>\n");
}

static void services_section(rc_req *r, const rc_setup_view *v)
{
	rc_buf *b = &r->out;
	rc_html_lit(b, "<h2 id=\"services\">Services</h2>\n<p><a class=\"button\" href=\"/admin/clinic/services/edit\">Add a "
	               "service</a></p>\n<div class=\"table-scroll\"><table class=\"list\"><thead><tr>"
	               "<th scope=\"col\">Service</th><th scope=\"col\">Minutes</th><th scope=\"col\">Price</th>"
	               "<th scope=\"col\">Discipline</th><th scope=\"col\">Offered by</th><th scope=\"col\"></th>"
	               "</tr></thead><tbody>\n");
	size_t retired = 0;
	for (size_t s = 0; s < v->nservices; s++) {
		if (!v->service_active[s]) {
			retired++;
			continue;
		}
		const rc_service *sv = &v->services[s];
		rc_html_lit(b, "<tr><td>");
		rc_html_text(b, sv->name);
		rc_html_lit(b, "</td><td>");
		rc_html_printf(b, "%d", sv->minutes);
		rc_html_lit(b, "</td><td>");
		rc_visit_money(b, sv->price_cents);
		rc_html_lit(b, "</td><td>");
		rc_html_text(b, rc_discipline_label(sv->discipline));
		rc_html_lit(b, "</td><td>");
		size_t k = 0;
		for (size_t p = 0; p < v->npractitioners; p++)
			if (v->practitioner_active[p] && v->offers[p * v->nservices + s]) {
				if (k++)
					rc_html_lit(b, ", ");
				rc_html_text(b, v->practitioners[p].name);
			}
		if (!k)
			rc_html_lit(b, "<strong>Nobody</strong>: runners do not see it");
		rc_html_lit(b, "</td><td>");
		edit_link(b, rc_arena_printf(&r->arena, "/admin/clinic/services/edit?id=%lld", (long long)sv->id), "Edit",
		          sv->name);
		rc_html_lit(b, "</td></tr>\n");
	}
	rc_html_lit(b, "</tbody></table></div>\n");
	if (!retired)
		return;
	rc_html_lit(b, "<h3>Retired services</h3>\n<p>Nobody books these; visits booked before keep their name.</p>\n<ul>");
	for (size_t s = 0; s < v->nservices; s++) {
		if (v->service_active[s])
			continue;
		rc_html_lit(b, "<li>");
		rc_html_text(b, v->services[s].name);
		rc_html_lit(b, " ");
		button_form(r, "/admin/clinic/services/retire", rc_arena_printf(&r->arena, "Bring back %s", v->services[s].name),
		            "id", id_text(r, v->services[s].id), "action", "restore", (const char *)NULL);
		rc_html_lit(b, "</li>");
	}
	rc_html_lit(b, "</ul>\n");
}

static void practitioner_section(rc_req *r, const rc_setup_view *v, size_t p)
{
	rc_buf *b = &r->out;
	const rc_practitioner *x = &v->practitioners[p];
	rc_html_lit(b, "<section class=\"practitioner\"><h3>");
	rc_html_text(b, x->name);
	rc_html_lit(b, "</h3>\n<dl class=\"facts\"><dt>Disciplines</dt><dd>");
	char buf[sizeof x->disciplines];
	snprintf(buf, sizeof buf, "%s", x->disciplines);
	int k = 0;
	for (char *save = NULL, *t = strtok_r(buf, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
		if (k++)
			rc_html_lit(b, ", ");
		rc_html_text(b, rc_discipline_label(t));
	}
	rc_html_lit(b, "</dd><dt>Offers</dt><dd>");
	k = 0;
	for (size_t s = 0; s < v->nservices; s++)
		if (v->service_active[s] && v->offers[p * v->nservices + s]) {
			if (k++)
				rc_html_lit(b, ", ");
			rc_html_text(b, v->services[s].name);
		}
	if (!k)
		rc_html_lit(b, "nothing yet");
	rc_html_lit(b, "</dd><dt>Signs in as</dt><dd>");
	const rc_account *acct = rc_setup_view_account(v, x->account_id);
	rc_html_text(b, acct ? acct->email : x->account_id ? "a staff account" : "no linked account");
	rc_html_lit(b, "</dd></dl>\n<p>");
	edit_link(b, rc_arena_printf(&r->arena, "/admin/clinic/practitioners/edit?id=%lld", (long long)x->id), "Edit",
	          x->name);
	rc_html_lit(b, "</p>\n<h4>Weekly hours</h4>\n<ul>");
	int rows = 0;
	for (size_t i = 0; i < v->nhours; i++) {
		const rc_setup_hours *h = &v->hours[i];
		if (h->practitioner_id != x->id)
			continue;
		rows++;
		rc_html_lit(b, "<li>");
		rc_html_text(b, rc_weekday_labels[h->w.weekday]);
		rc_html_lit(b, " ");
		hhmm(b, h->w.start_minute);
		rc_html_lit(b, "–");
		hhmm(b, h->w.end_minute);
		rc_html_lit(b, " · ");
		edit_link(b, rc_arena_printf(&r->arena, "/admin/clinic/hours/edit?id=%lld", (long long)h->id), "Change",
		          rc_arena_printf(&r->arena, "%s's %s hours", x->name, rc_weekday_labels[h->w.weekday]));
		rc_html_lit(b, "</li>");
	}
	if (!rows)
		rc_html_lit(b, "<li>No weekly hours: nobody can book them.</li>");
	rc_html_lit(b, "</ul>\n<p>");
	edit_link(b, rc_arena_printf(&r->arena, "/admin/clinic/hours/edit?practitioner=%lld", (long long)x->id),
	          "Add weekly hours", rc_arena_printf(&r->arena, "for %s", x->name));
	rc_html_lit(b, "</p>\n<h4>Time off and extra hours ahead</h4>\n<ul>");
	rows = 0;
	for (size_t i = 0; i < v->nexceptions; i++) {
		const rc_setup_exception *e = &v->exceptions[i];
		if (e->practitioner_id != x->id)
			continue;
		bool off = strcmp(e->kind, "time_off") == 0;
		rows++;
		rc_html_lit(b, "<li>");
		rc_html_text(b, off ? "Away " : "Extra hours ");
		rc_visit_time(b, e->start, true);
		rc_html_lit(b, " – ");
		rc_visit_time(b, e->end, true);
		if (e->note[0]) {
			rc_html_lit(b, ": ");
			rc_html_text(b, e->note);
		}
		if (off) {
			rc_html_lit(b, " · ");
			edit_link(b, rc_arena_printf(&r->arena, "/admin/clinic/time-off/edit?id=%lld", (long long)e->id), "Change",
			          rc_arena_printf(&r->arena, "this time off of %s", x->name));
		}
		rc_html_lit(b, "</li>");
	}
	if (!rows)
		rc_html_lit(b, "<li>None.</li>");
	rc_html_lit(b, "</ul>\n<p>");
	edit_link(b, rc_arena_printf(&r->arena, "/admin/clinic/time-off/edit?practitioner=%lld", (long long)x->id),
	          "Add time off", rc_arena_printf(&r->arena, "for %s", x->name));
	rc_html_lit(b, "</p></section>\n");
}

static void setup_page(rc_req *r, const done_note *done, const char *error)
{
	rc_setup_view v;
	if (!load_view(r, &v))
		return;
	rc_buf *b = &r->out;
	rc_page_begin(r, "Clinic setup", "admin");
	rc_html_lit(b, "<h1>Clinic setup</h1>\n<p>Times are the clinic's local time (");
	rc_html_text(b, r->app->content->clinic.timezone);
	rc_html_lit(b, "). <a href=\"/admin/wave\">The wave after an event</a> · <a href=\"/admin/users\">Accounts</a></p>\n");
	if (done && done->text)
		rc_page_notice(r, done->text);
	if (error)
		rc_page_alert(r, error);
	if (done && done->change && done->change->nvisits && !done->change->cancelled) {
		rc_html_lit(b, "<h2>Visits to move one by one</h2>\n<p>These stay booked at a time their practitioner is no "
		               "longer there: open each to move it.</p>\n");
		visits_table(r, done->change->visits, done->change->nvisits, true);
	}
	services_section(r, &v);
	rc_html_lit(b, "<h2 id=\"practitioners\">Practitioners</h2>\n<p><a class=\"button\" "
	               "href=\"/admin/clinic/practitioners/edit\">Add a practitioner</a></p>\n");
	size_t retired = 0;
	for (size_t p = 0; p < v.npractitioners; p++)
		if (v.practitioner_active[p])
			practitioner_section(r, &v, p);
		else
			retired++;
	if (retired) {
		rc_html_lit(b, "<h3>Retired practitioners</h3>\n<p>Nobody books them; their past visits keep their name.</p>\n<ul>");
		for (size_t p = 0; p < v.npractitioners; p++) {
			if (v.practitioner_active[p])
				continue;
			rc_html_lit(b, "<li>");
			rc_html_text(b, v.practitioners[p].name);
			rc_html_lit(b, " ");
			button_form(r, "/admin/clinic/practitioners/retire",
			            rc_arena_printf(&r->arena, "Bring back %s", v.practitioners[p].name), "id",
			            id_text(r, v.practitioners[p].id), "action", "restore", (const char *)NULL);
			rc_html_lit(b, "</li>");
		}
		rc_html_lit(b, "</ul>\n");
	}
	opening_table(r);
	rc_page_end(r);
}

void rc_page_clinic_setup(rc_req *r)
{
	setup_page(r, NULL, NULL);
}

/* A save answered when it is done (the overview says so) or failed beyond the form (an error page);
 * false when the form is to be shown again. */
static bool saved(rc_req *r, rc_err e, const rc_problem *p, const char *what)
{
	if (!e) {
		done_note d = {rc_arena_printf(&r->arena, "Saved: %s.", what), NULL};
		setup_page(r, &d, NULL);
		return true;
	}
	if (e == RC_ENOTFOUND || status_for(e) == 503) {
		rc_page_error(r, status_for(e), p->text);
		return true;
	}
	return false;
}

/* --- services ------------------------------------------------------------------------------------------ */

enum { SV_ID, SV_KEY, SV_NAME, SV_MINUTES, SV_PRICE, SV_DISCIPLINE, SV_N };
static const rc_vfield service_form[SV_N] = {
	[SV_ID] = {"id", "Service", RC_V_INT, .min = 1, .max = INT64_MAX},
	[SV_KEY] = {"key", "Key, as it appears in addresses (e.g. dry-needling)", RC_V_TEXT, .max = 32},
	[SV_NAME] = {"name", "Name", RC_V_TEXT, .required = true, .max = 80},
	[SV_MINUTES] = {"minutes", "Minutes (a multiple of 15)", RC_V_INT, .required = true},
	[SV_PRICE] = {"price", "Price in dollars (e.g. 85 or $85.50)", RC_V_TEXT, .required = true,
	              .max = RC_PRICE_TEXT_MAX},
	[SV_DISCIPLINE] = {"discipline", "Discipline", RC_V_ENUM, .required = true, .choices = discipline_choices,
	                   .nchoices = 3},
};

/* The form, with v's values (what was typed, or what is stored) and each error beside its field;
 * offered_by: the practitioners ticked, or NULL for "as stored". */
static void service_page(rc_req *r, const rc_setup_view *view, const rc_vvalue *v, const char *const *offered_by,
                         size_t noffered, const char *offered_error, const char *alert)
{
	int64_t id = v[SV_ID].set ? v[SV_ID].num : 0;
	size_t si = id ? rc_setup_view_service(view, id, NULL) : SIZE_MAX;
	if (id && si == SIZE_MAX) {
		rc_page_error(r, 404, "There is no such service.");
		return;
	}
	rc_buf *b = &r->out;
	const char *title = id ? rc_arena_printf(&r->arena, "Edit %s", view->services[si].name) : "Add a service";
	rc_page_begin(r, title ? title : "Service", "admin");
	rc_html_lit(b, "<p><a href=\"/admin/clinic#services\">Clinic setup</a></p>\n<h1>");
	rc_html_text(b, title);
	rc_html_lit(b, "</h1>\n");
	if (alert)
		rc_page_alert(r, alert);
	rc_form_open(r, "/admin/clinic/services");
	if (id) {
		rc_valid_hidden(b, &service_form[SV_ID], &v[SV_ID]);
		rc_html_lit(b, "<p>Key (in addresses): <code>");
		rc_html_text(b, view->services[si].key);
		rc_html_lit(b, "</code></p>\n");
	} else {
		rc_valid_input(b, &service_form[SV_KEY], &v[SV_KEY]);
	}
	for (int f = SV_NAME; f < SV_N; f++)
		rc_valid_input(b, &service_form[f], &v[f]);
	fieldset_open(b, "offered_by", "Offered by", offered_error);
	hidden(b, "offered_by_given", "1");
	size_t shown = 0;
	for (size_t p = 0; p < view->npractitioners; p++) {
		if (!view->practitioner_active[p])
			continue;
		const rc_practitioner *x = &view->practitioners[p];
		const char *value = id_text(r, x->id);
		bool on = offered_by ? among(offered_by, noffered, value) : si != SIZE_MAX && view->offers[p * view->nservices + si];
		checkbox(b, "offered_by", value, x->name, on);
		shown++;
	}
	if (!shown)
		rc_html_lit(b, "<p>No practitioners yet.</p>");
	rc_html_lit(b, "<p class=\"hint\">A service nobody offers is not shown to runners.</p></fieldset>\n");
	rc_form_close(r, id ? "Save the service" : "Add the service");
	if (id && view->service_active[si]) {
		rc_html_lit(b, "<h2>Retire</h2>\n<p>Nobody can book a retired service; visits booked already keep it.</p>\n");
		button_form(r, "/admin/clinic/services/retire", rc_arena_printf(&r->arena, "Retire %s", view->services[si].name),
		            "id", id_text(r, id), "action", "retire", (const char *)NULL);
	} else if (id) {
		rc_html_lit(b, "<h2>Retired</h2>\n<p>Nobody can book this service now.</p>\n");
		button_form(r, "/admin/clinic/services/retire",
		            rc_arena_printf(&r->arena, "Bring back %s", view->services[si].name), "id", id_text(r, id), "action",
		            "restore", (const char *)NULL);
	}
	rc_page_end(r);
}

static void service_values(rc_req *r, const rc_service *sv, rc_vvalue *v)
{
	memset(v, 0, sizeof *v * SV_N);
	if (!sv) {
		v[SV_MINUTES].raw = "30";
		v[SV_DISCIPLINE].raw = "physical_therapy";
		return;
	}
	char price[40];
	rc_price_format(sv->price_cents, price, sizeof price);
	v[SV_ID] = (rc_vvalue){.raw = id_text(r, sv->id), .set = true, .num = sv->id};
	v[SV_KEY].raw = sv->key;
	v[SV_NAME].raw = rc_arena_strdup(&r->arena, sv->name);
	v[SV_MINUTES].raw = rc_arena_printf(&r->arena, "%d", sv->minutes);
	v[SV_PRICE].raw = rc_arena_strdup(&r->arena, price + 1); /* without the "$" */
	v[SV_DISCIPLINE].raw = rc_arena_strdup(&r->arena, sv->discipline);
}

void rc_page_clinic_service_edit(rc_req *r)
{
	rc_vfield q = {"id", "Service", RC_V_INT, .min = 1, .max = INT64_MAX};
	rc_vvalue id, v[SV_N];
	rc_setup_view view;
	if (!load_view(r, &view))
		return;
	rc_valid_one(&r->arena, &q, rc_req_query(r, "id"), &id);
	size_t si = id.set ? rc_setup_view_service(&view, id.num, NULL) : SIZE_MAX;
	if (id.set && si == SIZE_MAX) {
		rc_page_error(r, 404, "There is no such service.");
		return;
	}
	service_values(r, id.set ? &view.services[si] : NULL, v);
	service_page(r, &view, v, NULL, 0, NULL, NULL);
}

void rc_page_clinic_service_save(rc_req *r)
{
	rc_vvalue v[SV_N];
	size_t bad = rc_valid_form(&r->arena, &r->form, service_form, SV_N, v);
	const char *ticked[MAX_CHECKED];
	size_t nticked = checked(r, "offered_by", ticked, MAX_CHECKED);
	int64_t ids[MAX_CHECKED];
	for (size_t i = 0; i < nticked; i++)
		ids[i] = strtoll(ticked[i], NULL, 10);
	rc_problem p = {0};
	rc_err e = RC_EINVAL;
	rc_service out;
	if (!bad) {
		rc_uc uc;
		rc_req_uc(r, &uc);
		rc_setup_service_in in = {
			.id = v[SV_ID].set ? v[SV_ID].num : 0, .key = v[SV_KEY].raw, .name = v[SV_NAME].raw,
			.minutes = v[SV_MINUTES].raw, .price = v[SV_PRICE].raw, .discipline = v[SV_DISCIPLINE].raw,
			/* The old add form had no such list: a form without it leaves who offers it as it is. */
			.set_offered_by = rc_req_form(r, "offered_by_given") != NULL, .offered_by = ids, .noffered_by = nticked};
		e = rc_app_setup_service_save(&uc, &in, &out, &p);
		if (saved(r, e, &p, out.name))
			return;
		if (p.field && strcmp(p.field, "offered_by") != 0)
			rc_valid_set_error(service_form, SV_N, v, p.field, p.text);
	}
	rc_setup_view view;
	if (!load_view(r, &view))
		return;
	r->status = status_for(e);
	bool on_offered = p.field && strcmp(p.field, "offered_by") == 0;
	service_page(r, &view, v, rc_req_form(r, "offered_by_given") ? ticked : NULL, nticked, on_offered ? p.text : NULL,
	             p.text[0] && !p.field ? p.text : "Please correct the field marked below.");
}

void rc_page_clinic_service_retire(rc_req *r)
{
	rc_vfield q = {"id", "Service", RC_V_INT, .required = true, .min = 1, .max = INT64_MAX};
	rc_vvalue id;
	const char *action = rc_req_form(r, "action");
	if (!rc_valid_one(&r->arena, &q, rc_req_form(r, "id"), &id) || !action ||
	    (strcmp(action, "retire") != 0 && strcmp(action, "restore") != 0)) {
		r->status = 422;
		setup_page(r, NULL, "Choose a service to retire or bring back from the list.");
		return;
	}
	rc_uc uc;
	rc_req_uc(r, &uc);
	rc_service sv;
	rc_problem p = {0};
	int64_t booked = 0;
	bool retire = strcmp(action, "retire") == 0;
	rc_err e = rc_app_setup_service_retire(&uc, id.num, retire, &sv, &booked, &p);
	if (e) {
		r->status = status_for(e);
		if (r->status == 503 || e == RC_ENOTFOUND)
			rc_page_error(r, r->status, p.text);
		else
			setup_page(r, NULL, p.text);
		return;
	}
	done_note d = {retire ? rc_arena_printf(&r->arena,
	                                        "%s is retired: nobody can book it now.%s",
	                                        sv.name,
	                                        booked ? rc_arena_printf(&r->arena, " The %lld visit%s booked ahead keep it.",
	                                                                 (long long)booked, booked == 1 ? "" : "s")
	                                               : "")
	                      : rc_arena_printf(&r->arena, "%s is back.", sv.name),
	               NULL};
	setup_page(r, &d, NULL);
}

/* --- practitioners --------------------------------------------------------------------------------------- */

enum { PR_ID, PR_NAME, PR_ACCOUNT, PR_N };
static const rc_vfield practitioner_form[PR_N] = {
	[PR_ID] = {"id", "Practitioner", RC_V_INT, .min = 1, .max = INT64_MAX},
	[PR_NAME] = {"name", "Name", RC_V_TEXT, .required = true, .max = RC_NAME_MAX},
	[PR_ACCOUNT] = {"account", "Signs in as (their staff account)", RC_V_TEXT, .max = RC_EMAIL_MAX},
};

typedef struct practitioner_typed {
	const char *disciplines[8], *offers[MAX_CHECKED];
	size_t ndisciplines, noffers;
	char joined[130]; /* the disciplines ticked (or typed as one list of words), space-separated */
	bool given;       /* what was posted, not what is stored */
} practitioner_typed;

static void practitioner_page(rc_req *r, const rc_setup_view *view, rc_vvalue *v, const practitioner_typed *t,
                              const rc_problem *p)
{
	int64_t id = v[PR_ID].set ? v[PR_ID].num : 0;
	size_t pi = id ? rc_setup_view_practitioner(view, id) : SIZE_MAX;
	if (id && pi == SIZE_MAX) {
		rc_page_error(r, 404, "There is no such practitioner.");
		return;
	}
	const rc_practitioner *x = id ? &view->practitioners[pi] : NULL;
	const char *field = p ? p->field : NULL;
#define ERR(name) (field && strcmp(field, (name)) == 0 ? p->text : NULL)
	rc_buf *b = &r->out;
	const char *title = x ? rc_arena_printf(&r->arena, "Edit %s", x->name) : "Add a practitioner";
	rc_page_begin(r, title ? title : "Practitioner", "admin");
	rc_html_lit(b, "<p><a href=\"/admin/clinic#practitioners\">Clinic setup</a></p>\n<h1>");
	rc_html_text(b, title);
	rc_html_lit(b, "</h1>\n");
	if (field)
		rc_valid_set_error(practitioner_form, PR_N, v, field, p->text);
	if (p && p->text[0])
		rc_page_alert(r, field ? "Please correct the field marked below." : p->text);
	rc_form_open(r, "/admin/clinic/practitioners");
	if (id)
		rc_valid_hidden(b, &practitioner_form[PR_ID], &v[PR_ID]);
	rc_valid_input(b, &practitioner_form[PR_NAME], &v[PR_NAME]);
	fieldset_open(b, "disciplines", "Disciplines", ERR("disciplines"));
	for (size_t i = 0; i < 3; i++) {
		bool on = rc_disciplines_have(t->given ? t->joined : x ? x->disciplines : "", discipline_choices[i].value);
		checkbox(b, "disciplines", discipline_choices[i].value, discipline_choices[i].label, on);
	}
	rc_html_lit(b, "</fieldset>\n");
	fieldset_open(b, "offers", "Offers", ERR("offers"));
	hidden(b, "offers_given", "1");
	for (size_t s = 0; s < view->nservices; s++) {
		if (!view->service_active[s])
			continue;
		bool on = t->given ? among(t->offers, t->noffers, view->services[s].key)
		                   : x && view->offers[pi * view->nservices + s];
		char *label = rc_arena_printf(&r->arena, "%s (%s)", view->services[s].name,
		                              rc_discipline_label(view->services[s].discipline));
		checkbox(b, "offers", view->services[s].key, label ? label : view->services[s].name, on);
	}
	rc_html_lit(b, "</fieldset>\n");
	/* The staff account they sign in with: one practitioner entry per account. */
	const char *acct = v[PR_ACCOUNT].raw ? v[PR_ACCOUNT].raw : "";
	const char *aerr = ERR("account");
	rc_html_lit(b, "<p><label for=\"f-account\">Signs in as (their staff account)</label>");
	if (aerr) {
		rc_html_lit(b, "<span class=\"field-error\" id=\"e-account\">");
		rc_html_text(b, aerr);
		rc_html_lit(b, "</span>");
	}
	rc_html_lit(b, "<select id=\"f-account\" name=\"account\"");
	if (aerr)
		rc_html_lit(b, " aria-invalid=\"true\" aria-describedby=\"e-account\"");
	rc_html_lit(b, "><option value=\"\">No account: they do not sign in</option>");
	for (size_t i = 0; i < view->nstaff; i++) {
		rc_html_lit(b, "<option value=\"");
		rc_html_text(b, view->staff[i].email);
		rc_html_lit(b, "\"");
		if (strcmp(acct, view->staff[i].email) == 0)
			rc_html_lit(b, " selected");
		rc_html_lit(b, ">");
		rc_html_text(b, view->staff[i].name[0] ? view->staff[i].name : view->staff[i].email);
		rc_html_lit(b, " — ");
		rc_html_text(b, view->staff[i].email);
		rc_html_lit(b, " (");
		rc_html_text(b, rc_role_label(view->staff[i].role));
		rc_html_lit(b, ")");
		/* One practitioner per account: say whose it is already. */
		for (size_t k = 0; k < view->npractitioners; k++)
			if (view->practitioners[k].account_id == view->staff[i].id && view->practitioners[k].id != id) {
				rc_html_lit(b, " — linked to ");
				rc_html_text(b, view->practitioners[k].name);
			}
		rc_html_lit(b, "</option>");
	}
	rc_html_lit(b, "</select></p>\n");
#undef ERR
	rc_form_close(r, x ? "Save" : "Add the practitioner");
	if (x) {
		rc_html_lit(b, "<h2>Retire</h2>\n<p>A retired practitioner is not booked any more; their past visits keep "
		               "their name. Visits booked ahead with them are listed first, to cancel or move.</p>\n");
		button_form(r, "/admin/clinic/practitioners/retire", rc_arena_printf(&r->arena, "Retire %s", x->name), "id",
		            id_text(r, x->id), "action", "retire", (const char *)NULL);
	}
	rc_page_end(r);
}

void rc_page_clinic_practitioner_edit(rc_req *r)
{
	rc_vfield q = {"id", "Practitioner", RC_V_INT, .min = 1, .max = INT64_MAX};
	rc_vvalue id, v[PR_N] = {0};
	practitioner_typed t = {0};
	rc_setup_view view;
	if (!load_view(r, &view))
		return;
	rc_valid_one(&r->arena, &q, rc_req_query(r, "id"), &id);
	if (id.set) {
		size_t pi = rc_setup_view_practitioner(&view, id.num);
		if (pi == SIZE_MAX) {
			rc_page_error(r, 404, "There is no such practitioner.");
			return;
		}
		const rc_account *a = rc_setup_view_account(&view, view.practitioners[pi].account_id);
		v[PR_ID] = id;
		v[PR_NAME].raw = view.practitioners[pi].name;
		v[PR_ACCOUNT].raw = a ? a->email : NULL;
	}
	practitioner_page(r, &view, v, &t, NULL);
}

void rc_page_clinic_practitioner_save(rc_req *r)
{
	rc_vvalue v[PR_N];
	size_t bad = rc_valid_form(&r->arena, &r->form, practitioner_form, PR_N, v);
	practitioner_typed t = {.given = true};
	t.ndisciplines = checked(r, "disciplines", t.disciplines, 8);
	t.noffers = checked(r, "offers", t.offers, MAX_CHECKED);
	/* Disciplines come as ticked boxes, or as one list of words (the old form, scripts). */
	for (size_t i = 0; i < t.ndisciplines; i++) {
		size_t used = strlen(t.joined);
		snprintf(t.joined + used, sizeof t.joined - used, "%s%s", used ? " " : "", t.disciplines[i]);
	}
	rc_problem p = {0};
	rc_err e = RC_EINVAL;
	if (!bad) {
		rc_uc uc;
		rc_req_uc(r, &uc);
		rc_practitioner out;
		rc_setup_practitioner_in in = {
			.id = v[PR_ID].set ? v[PR_ID].num : 0, .name = v[PR_NAME].raw, .disciplines = t.joined,
			.account = v[PR_ACCOUNT].raw ? v[PR_ACCOUNT].raw : (v[PR_ID].set ? NULL : ""),
			.set_offers = rc_req_form(r, "offers_given") != NULL || t.noffers, .offers = t.offers, .noffers = t.noffers};
		e = rc_app_setup_practitioner_save(&uc, &in, &out, &p);
		if (saved(r, e, &p, out.name))
			return;
	} else {
		int i = rc_valid_first_error(v, PR_N);
		rc_problem_set(&p, RC_EINVAL, practitioner_form[i].name, "%s", v[i].error);
	}
	rc_setup_view view;
	if (!load_view(r, &view))
		return;
	r->status = status_for(e);
	practitioner_page(r, &view, v, &t, &p);
}

/* --- booked visits in the way ------------------------------------------------------------------------------ */

/* The visits a change would cut across, with the three choices; the form carries what was typed (the
 * fields of `keep`) back to `action`. */
static void visits_page(rc_req *r, const char *action, const char *const *keep, size_t nkeep,
                        const rc_setup_change_out *out, const rc_problem *p)
{
	rc_buf *b = &r->out;
	rc_page_begin(r, "Booked visits in the way", "admin");
	rc_html_lit(b, "<p><a href=\"/admin/clinic#practitioners\">Clinic setup</a></p>\n<h1>Booked visits in the way</h1>\n");
	rc_page_alert(r, p->text);
	visits_table(r, out->visits, out->nvisits, true);
	rc_html_lit(b, "<form class=\"stack\" method=\"post\" action=\"");
	rc_html_text(b, action);
	rc_html_lit(b, "\">");
	hidden(b, "csrf", rc_req_csrf(r));
	for (size_t i = 0; i < nkeep; i++) {
		const char *values[MAX_CHECKED];
		size_t n = checked(r, keep[i], values, MAX_CHECKED);
		for (size_t k = 0; k < n; k++)
			hidden(b, keep[i], values[k]);
	}
	for (size_t i = 0; i < out->nvisits; i++)
		hidden_id(b, "seen", out->visits[i].id);
	const char *msg = rc_req_form(r, "message");
	bool bad_message = p->field && strcmp(p->field, "message") == 0;
	rc_html_lit(b, "<p><label for=\"f-message\">Message to the patients, if you cancel (optional; it is put at the top "
	               "of each cancellation mail)</label>");
	if (bad_message) {
		rc_html_lit(b, "<span class=\"field-error\" id=\"e-message\">");
		rc_html_text(b, p->text);
		rc_html_lit(b, "</span>");
	}
	rc_html_lit(b, "<textarea id=\"f-message\" name=\"message\" rows=\"4\" maxlength=\"");
	rc_html_printf(b, "%d", RC_SETUP_MESSAGE_MAX);
	rc_html_lit(b, "\"");
	if (bad_message)
		rc_html_lit(b, " aria-invalid=\"true\" aria-describedby=\"e-message\"");
	rc_html_lit(b, ">");
	rc_html_text(b, msg ? msg : "");
	rc_html_lit(b, "</textarea></p>\n<p class=\"choices\">");
	rc_html_lit(b, "<button type=\"submit\" name=\"visits\" value=\"cancel\">");
	rc_html_printf(b, "Cancel %s and mail each patient", out->nvisits == 1 ? "this visit" : "these visits");
	rc_html_lit(b, "</button> <button type=\"submit\" name=\"visits\" value=\"keep\">");
	rc_html_printf(b, "Keep %s booked; I will move %s one by one", out->nvisits == 1 ? "it" : "them",
	               out->nvisits == 1 ? "it" : "them");
	rc_html_lit(b, "</button> <button type=\"submit\" name=\"visits\" value=\"back\">Go back; change nothing</button>"
	               "</p></form>\n");
	rc_page_end(r);
}

/* The choice posted with a change, and the visits the admin saw. */
static void visits_in(rc_req *r, rc_setup_visits *v, int64_t *seen, size_t max)
{
	const char *c = rc_req_form(r, "visits");
	v->choice = c && strcmp(c, "cancel") == 0 ? RC_VISITS_CANCEL : c && strcmp(c, "keep") == 0 ? RC_VISITS_KEEP
	                                                                                          : RC_VISITS_ASK;
	v->message = rc_req_form(r, "message");
	const char *ids[MAX_CHECKED];
	v->nseen = checked(r, "seen", ids, max < MAX_CHECKED ? max : MAX_CHECKED);
	for (size_t i = 0; i < v->nseen; i++)
		seen[i] = strtoll(ids[i], NULL, 10);
	v->seen = seen;
	v->clinic = &r->app->content->clinic;
	v->public_url = r->app->cfg->public_url;
}

static bool going_back(rc_req *r)
{
	const char *c = rc_req_form(r, "visits");
	return c && strcmp(c, "back") == 0;
}

/* After a change: the overview saying what happened to the visits. */
static void changed(rc_req *r, const char *what, const rc_setup_change_out *out)
{
	const char *text;
	if (out->cancelled)
		text = rc_arena_printf(&r->arena,
		                       "Saved: %s. %d visit%s cancelled and each patient with an email address mailed; %d freed "
		                       "time%s offered to the waitlist.",
		                       what, out->cancelled, out->cancelled == 1 ? "" : "s", out->offered,
		                       out->offered == 1 ? "" : "s");
	else if (out->nvisits)
		text = rc_arena_printf(&r->arena, "Saved: %s. %zu booked visit%s kept: move %s below.", what, out->nvisits,
		                       out->nvisits == 1 ? "" : "s", out->nvisits == 1 ? "it" : "them");
	else
		text = rc_arena_printf(&r->arena, "Saved: %s.", what);
	done_note d = {text, out};
	setup_page(r, &d, NULL);
}

/* --- weekly hours and time off: a form each, one flow -------------------------------------------------------- */

/* A form that changes someone's time: its fields (the row's id and the practitioner first), where it
 * posts, its words, and the use case behind it. */
typedef struct sched_form {
	const rc_vfield *fields;
	size_t n;
	const char *action, *edit; /* "/admin/clinic/hours", "/admin/clinic/hours/edit" */
	const char *add_title, *change_title, *intro, *add_button, *save_button, *delete_button, *delete_intro;
	const char *const *carried; /* what the page about visits in the way carries back */
	size_t ncarried;
	/* Runs the use case; *what says what was saved, for the notice. */
	rc_err (*save)(rc_req *r, const rc_vvalue *v, bool remove, const rc_setup_visits *visits,
	               rc_setup_change_out *out, rc_problem *p, const char **what);
	/* What the form shows after its fields (may be NULL). */
	void (*more)(rc_req *r, const rc_problem *p);
} sched_form;

enum { SF_ID, SF_PRACTITIONER }; /* every such form's first two fields */

/* The practitioner a new row is for. */
static void practitioner_choice(rc_req *r, const rc_setup_view *view, const rc_vvalue *v, const char *error)
{
	rc_buf *b = &r->out;
	rc_html_lit(b, "<p><label for=\"f-practitioner\">Practitioner</label>");
	if (error) {
		rc_html_lit(b, "<span class=\"field-error\" id=\"e-practitioner\">");
		rc_html_text(b, error);
		rc_html_lit(b, "</span>");
	}
	rc_html_lit(b, "<select id=\"f-practitioner\" name=\"practitioner\"");
	if (error)
		rc_html_lit(b, " aria-invalid=\"true\" aria-describedby=\"e-practitioner\"");
	rc_html_lit(b, ">");
	for (size_t i = 0; i < view->npractitioners; i++) {
		if (!view->practitioner_active[i])
			continue;
		rc_html_lit(b, "<option value=\"");
		rc_html_printf(b, "%lld", (long long)view->practitioners[i].id);
		rc_html_lit(b, "\"");
		if (v->set && v->num == view->practitioners[i].id)
			rc_html_lit(b, " selected");
		rc_html_lit(b, ">");
		rc_html_text(b, view->practitioners[i].name);
		rc_html_lit(b, "</option>");
	}
	rc_html_lit(b, "</select></p>\n");
}

static void sched_page(rc_req *r, const rc_setup_view *view, const sched_form *f, rc_vvalue *v, const rc_problem *p)
{
	int64_t id = v[SF_ID].set ? v[SF_ID].num : 0;
	const char *field = p ? p->field : NULL;
	/* An error shows beside its field; one the form does not show (the practitioner of a row being
	 * changed, hours outside the opening hours) is said at the top. */
	bool beside = field && !(id && strcmp(field, "practitioner") == 0) &&
	              rc_valid_set_error(f->fields, f->n, v, field, p->text);
	const rc_practitioner *who = v[SF_PRACTITIONER].set ? practitioner_of(view, v[SF_PRACTITIONER].num) : NULL;
	rc_buf *b = &r->out;
	const char *title = id ? f->change_title : f->add_title;
	rc_page_begin(r, title, "admin");
	rc_html_lit(b, "<p><a href=\"/admin/clinic#practitioners\">Clinic setup</a></p>\n<h1>");
	rc_html_text(b, title);
	if (who) {
		rc_html_lit(b, ": ");
		rc_html_text(b, who->name);
	}
	rc_html_lit(b, "</h1>\n<p>");
	rc_html_text(b, f->intro);
	rc_html_lit(b, " Times are the clinic's (");
	rc_html_text(b, r->app->content->clinic.timezone);
	rc_html_lit(b, ").</p>\n");
	if (p && p->text[0])
		rc_page_alert(r, beside ? "Please correct the field marked below." : p->text);
	rc_form_open(r, f->action);
	if (id) {
		rc_valid_hidden(b, &f->fields[SF_ID], &v[SF_ID]);
		rc_valid_hidden(b, &f->fields[SF_PRACTITIONER], &v[SF_PRACTITIONER]);
	} else {
		practitioner_choice(r, view, &v[SF_PRACTITIONER], v[SF_PRACTITIONER].error);
	}
	for (size_t i = SF_PRACTITIONER + 1; i < f->n; i++)
		rc_valid_input(b, &f->fields[i], &v[i]);
	if (f->more)
		f->more(r, p);
	rc_form_close(r, id ? f->save_button : f->add_button);
	if (id) {
		rc_html_lit(b, "<h2>Delete</h2>\n<p>");
		rc_html_text(b, f->delete_intro);
		rc_html_lit(b, "</p>\n");
		button_form(r, f->action, f->delete_button, "id", id_text(r, id), "remove", "yes", (const char *)NULL);
	}
	rc_page_end(r);
}

/* The answer to a change that may cut across visits, when it is one of these: done (the overview
 * says what happened), visits in the way (the page that asks), or an error page. False otherwise:
 * the caller shows its form again. */
static bool change_answered(rc_req *r, rc_err e, const rc_setup_change_out *out, const rc_problem *p,
                            const char *what, const char *action, const char *const *carried, size_t ncarried)
{
	if (!e) {
		changed(r, what, out);
		return true;
	}
	r->status = status_for(e);
	if (out->ask)
		visits_page(r, action, carried, ncarried, out, p);
	else if (e == RC_ENOTFOUND || r->status == 503)
		rc_page_error(r, r->status, p->text);
	else
		return false;
	return true;
}

static void sched_save(rc_req *r, const sched_form *f)
{
	rc_vvalue *v = rc_arena_alloc(&r->arena, sizeof *v * f->n);
	if (!v) {
		rc_page_error(r, 503, "The form could not be read; try again in a moment.");
		return;
	}
	bool remove = rc_req_form(r, "remove") != NULL;
	rc_problem p = {0};
	size_t bad = rc_valid_form(&r->arena, &r->form, f->fields, f->n, v);
	if (remove && v[SF_ID].set)
		bad = 0; /* deleting needs the row only */
	if (remove && going_back(r)) {
		rc_req_redirect(r, rc_arena_printf(&r->arena, "%s?id=%lld", f->edit, (long long)v[SF_ID].num));
		return;
	}
	rc_setup_view view;
	if (bad || going_back(r)) {
		if (bad) {
			int i = rc_valid_first_error(v, f->n);
			rc_problem_set(&p, RC_EINVAL, f->fields[i].name, "%s", v[i].error);
			r->status = 422;
		}
		if (load_view(r, &view))
			sched_page(r, &view, f, v, bad ? &p : NULL);
		return;
	}
	int64_t seen[MAX_CHECKED];
	rc_setup_visits visits;
	visits_in(r, &visits, seen, MAX_CHECKED);
	rc_setup_change_out out;
	const char *what = "";
	rc_err e = f->save(r, v, remove, &visits, &out, &p, &what);
	if (change_answered(r, e, &out, &p, what, f->action, f->carried, f->ncarried))
		return;
	if (remove)
		setup_page(r, NULL, p.text);
	else if (load_view(r, &view))
		sched_page(r, &view, f, v, &p);
}

/* The schedule form's values for a new row of a practitioner named in the query (may be none). */
static void sched_new(rc_req *r, const sched_form *f, rc_vvalue *v)
{
	rc_valid_one(&r->arena, &f->fields[SF_PRACTITIONER], rc_req_query(r, "practitioner"), &v[SF_PRACTITIONER]);
}

/* The row's id from the query: true when there is one. */
static bool sched_id(rc_req *r, const sched_form *f, rc_vvalue *id)
{
	return rc_valid_one(&r->arena, &f->fields[SF_ID], rc_req_query(r, "id"), id) && id->set;
}

static void set_id(rc_req *r, rc_vvalue *v, int64_t id)
{
	v[0] = (rc_vvalue){.raw = id_text(r, id), .set = true, .num = id};
}

/* --- weekly hours -------------------------------------------------------------------------------------------- */

enum { HR_ID = SF_ID, HR_PRACTITIONER = SF_PRACTITIONER, HR_DAY, HR_FROM, HR_TO, HR_N };
static const rc_vfield hours_fields[HR_N] = {
	[HR_ID] = {"id", "Hours", RC_V_INT, .min = 1, .max = INT64_MAX},
	[HR_PRACTITIONER] = {"practitioner", "Practitioner", RC_V_INT, .min = 1, .max = INT64_MAX},
	[HR_DAY] = {"day", "Day", RC_V_ENUM, .required = true, .choices = day_choices, .nchoices = 7},
	[HR_FROM] = {"from", "From (HH:MM, on the quarter hour)", RC_V_TEXT, .required = true, .max = 5},
	[HR_TO] = {"to", "To (HH:MM)", RC_V_TEXT, .required = true, .max = 5},
};
static const char *const hours_carried[] = {"id", "practitioner", "day", "from", "to", "outside", "remove"};

/* Hours outside the clinic's opening hours are allowed, on purpose: a box to tick says so. */
static void hours_outside(rc_req *r, const rc_problem *p)
{
	rc_buf *b = &r->out;
	bool asked = p && p->field && strcmp(p->field, "outside") == 0;
	if (!asked && !rc_req_form(r, "outside"))
		return;
	rc_html_lit(b, "<p><label><input type=\"checkbox\" id=\"f-outside\" name=\"outside\" value=\"yes\"");
	if (rc_req_form(r, "outside"))
		rc_html_lit(b, " checked");
	if (asked)
		rc_html_lit(b, " aria-invalid=\"true\" aria-describedby=\"e-outside\"");
	rc_html_lit(b, "> Yes, these hours are outside the clinic's opening hours on purpose</label>");
	if (asked) {
		rc_html_lit(b, "<span class=\"field-error\" id=\"e-outside\">");
		rc_html_text(b, p->text);
		rc_html_lit(b, "</span>");
	}
	rc_html_lit(b, "</p>\n");
}

static rc_err hours_save(rc_req *r, const rc_vvalue *v, bool remove, const rc_setup_visits *visits,
                         rc_setup_change_out *out, rc_problem *p, const char **what)
{
	rc_uc uc;
	rc_req_uc(r, &uc);
	rc_setup_hours_in in = {.id = v[HR_ID].set ? v[HR_ID].num : 0,
	                        .practitioner = v[HR_PRACTITIONER].set ? v[HR_PRACTITIONER].num : 0,
	                        .remove = remove, .day = v[HR_DAY].raw, .from = v[HR_FROM].raw, .to = v[HR_TO].raw,
	                        .outside_opening = rc_req_form(r, "outside") != NULL, .visits = *visits};
	*what = remove ? "the hours are deleted" : "weekly hours";
	return rc_app_setup_hours_save(&uc, &in, out, p);
}

static const sched_form hours_form = {
	hours_fields, HR_N, "/admin/clinic/hours", "/admin/clinic/hours/edit", "Add weekly hours", "Change weekly hours",
	"A break is the gap between two rows on the same day.", "Add the hours", "Save the hours", "Delete these hours",
	"Visits booked in these hours are listed first, to cancel or move.", hours_carried,
	sizeof hours_carried / sizeof *hours_carried, hours_save, hours_outside,
};

void rc_page_clinic_hours_edit(rc_req *r)
{
	rc_vvalue v[HR_N] = {0}, id;
	rc_setup_view view;
	if (!load_view(r, &view))
		return;
	if (sched_id(r, &hours_form, &id)) {
		const rc_setup_hours *h = rc_setup_view_hours(&view, id.num);
		if (!h) {
			rc_page_error(r, 404, "Those hours are not in the schedule.");
			return;
		}
		set_id(r, &v[HR_ID], h->id);
		set_id(r, &v[HR_PRACTITIONER], h->practitioner_id);
		v[HR_DAY].raw = rc_weekday_names[h->w.weekday];
		v[HR_FROM].raw = rc_arena_printf(&r->arena, "%02d:%02d", h->w.start_minute / 60, h->w.start_minute % 60);
		v[HR_TO].raw = rc_arena_printf(&r->arena, "%02d:%02d", h->w.end_minute / 60, h->w.end_minute % 60);
	} else {
		sched_new(r, &hours_form, v);
		v[HR_DAY].raw = "mon";
		v[HR_FROM].raw = "08:00";
		v[HR_TO].raw = "12:00";
	}
	sched_page(r, &view, &hours_form, v, NULL);
}

void rc_page_clinic_hours_save(rc_req *r)
{
	sched_save(r, &hours_form);
}

/* --- time off --------------------------------------------------------------------------------------------------- */

enum { TO_ID = SF_ID, TO_PRACTITIONER = SF_PRACTITIONER, TO_FROM, TO_TO, TO_NOTE, TO_N };
static const rc_vfield time_off_fields[TO_N] = {
	[TO_ID] = {"id", "Time off", RC_V_INT, .min = 1, .max = INT64_MAX},
	[TO_PRACTITIONER] = {"practitioner", "Practitioner", RC_V_INT, .min = 1, .max = INT64_MAX},
	[TO_FROM] = {"from", "Away from", RC_V_DATETIME_LOCAL, .required = true},
	[TO_TO] = {"to", "Back at", RC_V_DATETIME_LOCAL, .required = true},
	[TO_NOTE] = {"note", "Note (e.g. conference)", RC_V_TEXT, .max = RC_SETUP_NOTE_MAX},
};
static const char *const time_off_carried[] = {"id", "practitioner", "from", "to", "note", "remove"};

static rc_err time_off_save(rc_req *r, const rc_vvalue *v, bool remove, const rc_setup_visits *visits,
                            rc_setup_change_out *out, rc_problem *p, const char **what)
{
	rc_uc uc;
	rc_req_uc(r, &uc);
	rc_setup_time_off_in in = {.id = v[TO_ID].set ? v[TO_ID].num : 0,
	                           .practitioner = v[TO_PRACTITIONER].set ? v[TO_PRACTITIONER].num : 0, .remove = remove,
	                           .from = v[TO_FROM].raw, .to = v[TO_TO].raw, .note = v[TO_NOTE].raw, .visits = *visits};
	const char *note = v[TO_NOTE].raw && *v[TO_NOTE].raw ? rc_arena_printf(&r->arena, "time off (%s)", v[TO_NOTE].raw)
	                                                      : NULL;
	*what = remove ? "the time off is deleted" : note ? note : "time off";
	return rc_app_setup_time_off_save(&uc, &in, out, p);
}

static const sched_form time_off_form = {
	time_off_fields, TO_N, "/admin/clinic/time-off", "/admin/clinic/time-off/edit", "Add time off", "Change time off",
	"Visits booked in that time are listed before anything changes.", "Add the time off", "Save the time off",
	"Delete this time off", "The practitioner can be booked in that time again.", time_off_carried,
	sizeof time_off_carried / sizeof *time_off_carried, time_off_save, NULL,
};

static const char *local(rc_req *r, int64_t t)
{
	char s[32];
	rc_tz_format(t, "%Y-%m-%dT%H:%M", s, sizeof s);
	return rc_arena_strdup(&r->arena, s);
}

void rc_page_clinic_time_off_edit(rc_req *r)
{
	rc_vvalue v[TO_N] = {0}, id;
	rc_setup_view view;
	if (!load_view(r, &view))
		return;
	if (sched_id(r, &time_off_form, &id)) {
		const rc_setup_exception *x = rc_setup_view_time_off(&view, id.num);
		if (!x) {
			rc_page_error(r, 404, "That time off is not in the schedule, or is over.");
			return;
		}
		set_id(r, &v[TO_ID], x->id);
		set_id(r, &v[TO_PRACTITIONER], x->practitioner_id);
		v[TO_FROM].raw = local(r, x->start);
		v[TO_TO].raw = local(r, x->end);
		v[TO_NOTE].raw = x->note;
	} else {
		sched_new(r, &time_off_form, v);
	}
	sched_page(r, &view, &time_off_form, v, NULL);
}

void rc_page_clinic_time_off_save(rc_req *r)
{
	sched_save(r, &time_off_form);
}

/* --- retiring a practitioner ---------------------------------------------------------------------------------------- */

void rc_page_clinic_practitioner_retire(rc_req *r)
{
	static const char *const carried[] = {"id", "action"};
	rc_vfield q = {"id", "Practitioner", RC_V_INT, .required = true, .min = 1, .max = INT64_MAX};
	rc_vvalue id;
	const char *action = rc_req_form(r, "action");
	if (!rc_valid_one(&r->arena, &q, rc_req_form(r, "id"), &id) || !action ||
	    (strcmp(action, "retire") != 0 && strcmp(action, "restore") != 0)) {
		r->status = 422;
		setup_page(r, NULL, "Choose a practitioner to retire or bring back from the list.");
		return;
	}
	if (going_back(r)) {
		rc_req_redirect(r, rc_arena_printf(&r->arena, "/admin/clinic/practitioners/edit?id=%lld", (long long)id.num));
		return;
	}
	rc_uc uc;
	rc_req_uc(r, &uc);
	int64_t seen[MAX_CHECKED];
	rc_setup_visits visits;
	visits_in(r, &visits, seen, MAX_CHECKED);
	rc_setup_change_out out;
	rc_problem p = {0};
	bool retire = strcmp(action, "retire") == 0;
	rc_err e = rc_app_setup_practitioner_retire(&uc, id.num, retire, &visits, &out, &p);
	if (!change_answered(r, e, &out, &p,
	                     retire ? "the practitioner is retired; nobody can book them now" : "the practitioner is back",
	                     "/admin/clinic/practitioners/retire", carried, 2))
		setup_page(r, NULL, p.text);
}
