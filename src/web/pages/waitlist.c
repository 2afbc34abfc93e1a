/* waitlist.c — the waitlist's pages: see it and join it, leave it, and answer an offer. The rules
 * (who goes first, how long an offer holds, what a freed time does) are app/waitlist.c's; offers
 * that run out are passed on by the timed job, never by a page being read. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/waitlist.h"
#include "base/log.h"
#include "web/html.h"
#include "web/layout.h"
#include "web/pages/pages.h"

static int64_t num(const char *s)
{
	char *end;
	long long v = s ? strtoll(s, &end, 10) : 0;
	return s && *s && !*end && v > 0 ? v : 0;
}

static rc_uc uc_of(rc_req *r)
{
	return (rc_uc){rc_req_db(r), r->now, &r->user, r->remote, &r->arena};
}

static void when(rc_buf *b, int64_t t)
{
	rc_html_time(b, t, "%a %e %b, %H:%M");
}

/* A <select> with its label and, when the person must change it, the sentence that says why. */
static void select_open(rc_req *r, const char *name, const char *label, const char *error)
{
	rc_buf *b = &r->out;
	rc_html_lit(b, "<p><label for=\"f-");
	rc_html_text(b, name);
	rc_html_lit(b, "\">");
	rc_html_text(b, label);
	rc_html_lit(b, "</label>");
	if (error) {
		rc_html_lit(b, "<span class=\"field-error\" id=\"e-");
		rc_html_text(b, name);
		rc_html_lit(b, "\">");
		rc_html_text(b, error);
		rc_html_lit(b, "</span>");
	}
	rc_html_lit(b, "<select id=\"f-");
	rc_html_text(b, name);
	rc_html_lit(b, "\" name=\"");
	rc_html_text(b, name);
	rc_html_lit(b, "\"");
	if (error) {
		rc_html_lit(b, " aria-invalid=\"true\" aria-describedby=\"e-");
		rc_html_text(b, name);
		rc_html_lit(b, "\"");
	}
	rc_html_lit(b, ">");
}

static void option(rc_buf *b, const char *value, const char *label, const char *selected)
{
	rc_html_lit(b, "<option value=\"");
	rc_html_text(b, value);
	rc_html_lit(b, "\"");
	if (selected && strcmp(selected, value) == 0)
		rc_html_lit(b, " selected");
	rc_html_lit(b, ">");
	rc_html_text(b, label);
	rc_html_lit(b, "</option>");
}

static void condition_select(rc_req *r, const char *selected, const char *error)
{
	const rc_clinic *c = &r->app->content->clinic;
	select_open(r, "condition", "What it is about", error);
	for (size_t i = 0; i < c->ntreats; i++)
		option(&r->out, c->treats[i].key, c->treats[i].name, selected);
	option(&r->out, "other", "Something else", selected);
	rc_html_lit(&r->out, "</select></p>\n");
}

void rc_condition_select(rc_req *r, const char *selected)
{
	condition_select(r, selected, NULL);
}

bool rc_condition_known(rc_req *r, const char *key)
{
	return rc_app_condition_known(&r->app->content->clinic, key);
}

/* --- the waitlist ------------------------------------------------------------------------------- */

static void row(rc_req *r, const rc_wait_entry *w, bool staff)
{
	rc_buf *b = &r->out;
	rc_html_lit(b, "<tr>");
	if (staff) {
		rc_html_lit(b, "<td>");
		rc_html_text(b, rc_level_label(w->urgency));
		rc_html_lit(b, "</td><td>");
		rc_html_text(b, w->runner_name);
		rc_html_lit(b, "</td>");
	}
	rc_html_lit(b, "<td>");
	rc_html_text(b, w->service_name);
	rc_html_lit(b, "</td><td>");
	rc_html_time(b, w->window_start, "%a %e %b");
	rc_html_lit(b, " – ");
	/* The window ends where the day after its last day begins. */
	rc_html_time(b, w->window_end - 1, "%a %e %b");
	rc_html_lit(b, "</td><td>");
	if (w->offer_id && !staff) {
		rc_html_lit(b, "<a href=\"/waitlist/offers/");
		rc_html_printf(b, "%lld", (long long)w->offer_id);
		rc_html_lit(b, "\">Offered: ");
		when(b, w->offer_start);
		rc_html_lit(b, "</a>");
	} else if (w->offer_id) {
		rc_html_lit(b, "offered ");
		when(b, w->offer_start);
		if (!w->runner_email[0]) { /* no mail reaches them: the desk phones */
			rc_html_lit(b, " — no email: phone ");
			rc_html_text(b, w->runner_phone[0] ? w->runner_phone : "(no phone on record)");
		}
	} else {
		rc_html_lit(b, "waiting");
	}
	rc_html_lit(b, "</td><td>");
	char action[64];
	snprintf(action, sizeof action, "/waitlist/%lld/cancel", (long long)w->id);
	rc_form_button(r, action, "Leave the waitlist");
	rc_html_lit(b, "</td></tr>\n");
}

/* The page, with what was typed kept and the problem (if any) next to its field. */
static void waitlist_page(rc_req *r, const char *notice, const rc_problem *p)
{
	rc_uc uc = uc_of(r);
	rc_wait_view v;
	bool staff = rc_role_is_staff(r->user.role);
	if (!uc.db || rc_app_waitlist_view(&uc, &v)) {
		rc_page_error(r, 503, "The waitlist could not be read; try again in a moment.");
		return;
	}
	const char *field = p ? p->field : NULL;
#define ERR(name) (field && strcmp(field, (name)) == 0 ? p->text : NULL)
	rc_buf *b = &r->out;
	rc_page_begin(r, "Waitlist", staff ? "schedule" : "book");
	rc_html_lit(b, "<h1>Waitlist</h1>\n");
	if (notice)
		rc_page_notice(r, notice);
	if (p)
		rc_page_alert(r, field ? "Please correct the field marked below." : p->text);
	rc_html_lit(b, "<p>When nothing fits, wait for a time: when one comes free it is offered first to the most "
	               "urgent, then to whoever has waited longest, and held for you for two hours.</p>\n");
	rc_html_lit(b, "<div class=\"table-scroll\" tabindex=\"0\"><table class=\"list\"><thead><tr>");
	if (staff)
		rc_html_lit(b, "<th scope=\"col\">Urgency</th><th scope=\"col\">Patient</th>");
	rc_html_lit(b, "<th scope=\"col\">Service</th><th scope=\"col\">Between</th><th scope=\"col\">Status</th>"
	               "<th scope=\"col\"></th></tr></thead><tbody>\n");
	for (size_t i = 0; i < v.nentries; i++)
		row(r, &v.entries[i], staff);
	rc_html_lit(b, "</tbody></table></div>\n");
	if (!v.nentries)
		rc_html_lit(b, "<p>Nobody is waiting.</p>\n");
	rc_html_lit(b, "<h2>Join the waitlist</h2>\n");
	rc_form_open(r, "/waitlist");
	select_open(r, "service", "Service", ERR("service"));
	for (size_t i = 0; i < v.nservices; i++)
		option(b, v.services[i].key, v.services[i].name, rc_req_form(r, "service"));
	rc_html_lit(b, "</select></p>\n");
	rc_form_input(r, "from", "From (date)", "date", rc_req_form(r, "from"), ERR("from"), "off");
	rc_form_input(r, "to", "To (date)", "date", rc_req_form(r, "to"), ERR("to"), "off");
	condition_select(r, rc_req_form(r, "condition"), ERR("condition"));
	if (staff) {
		rc_form_input(r, "runner", "Patient (name, phone, email or date of birth)", "text", rc_req_form(r, "runner"),
		              ERR("runner"), "off");
		select_open(r, "urgency", "Urgency (from the self-check)", ERR("urgency"));
		/* A fresh form starts at "see a clinician soon": the front desk chooses a level on purpose. */
		const char *urgency = rc_req_form(r, "urgency");
		for (size_t i = 0; i < 4; i++)
			option(b, rc_wait_urgencies[i], rc_level_label(rc_wait_urgencies[i]), urgency ? urgency : "soon");
		rc_html_lit(b, "</select></p>\n");
	}
#undef ERR
	rc_form_close(r, "Join");
	rc_page_end(r);
}

void rc_page_waitlist(rc_req *r)
{
	waitlist_page(r, NULL, NULL);
}

void rc_page_waitlist_join(rc_req *r)
{
	rc_uc uc = uc_of(r);
	rc_problem p = {0};
	rc_wait_join in = {
		.clinic = &r->app->content->clinic,
		.service = rc_req_form(r, "service"),
		.from = rc_req_form(r, "from"),
		.to = rc_req_form(r, "to"),
		.condition = rc_req_form(r, "condition"),
		.patient = rc_req_form(r, "runner"),
		.urgency = rc_req_form(r, "urgency"),
	};
	rc_wait_joined joined;
	rc_err e = uc.db ? rc_app_waitlist_join(&uc, &in, &joined, &p) : RC_EDB;
	if (e == RC_EINVAL || e == RC_ENOTFOUND) {
		r->status = 422;
		waitlist_page(r, NULL, &p);
		return;
	}
	if (e) {
		rc_page_error(r, 503, "Could not join the waitlist; try again in a moment.");
		return;
	}
	if (rc_role_is_staff(r->user.role)) {
		char *msg = rc_arena_printf(&r->arena, "%s is on the waitlist%s.", joined.name,
		                            joined.has_email ? "; they are mailed when a time comes free"
		                                             : " (no email address: phone them when a time is offered)");
		waitlist_page(r, msg ? msg : "Added to the waitlist.", NULL);
		return;
	}
	waitlist_page(r, "You are on the waitlist. We will mail you when a time comes free.", NULL);
}

void rc_page_waitlist_cancel(rc_req *r)
{
	rc_uc uc = uc_of(r);
	rc_problem p = {0};
	rc_err e = uc.db ? rc_app_waitlist_leave(&uc, num(r->params[0]), r->app->cfg->public_url, &p) : RC_EDB;
	if (e && e != RC_ENOTFOUND) {
		rc_page_error(r, 503, "Could not save; try again in a moment.");
		return;
	}
	waitlist_page(r, e ? p.text : "You have left the waitlist.", NULL);
}

/* --- an offer ----------------------------------------------------------------------------------- */

static void offer_page(rc_req *r, const rc_offer *o, bool open, const char *notice, const char *error)
{
	rc_buf *b = &r->out;
	rc_page_begin(r, "A time came free", "book");
	rc_html_lit(b, "<h1>A time came free</h1>\n");
	if (notice)
		rc_page_notice(r, notice);
	if (error)
		rc_page_alert(r, error);
	rc_html_lit(b, "<dl class=\"facts\"><dt>What</dt><dd>");
	rc_html_text(b, o->service_name);
	rc_html_lit(b, "</dd><dt>With</dt><dd>");
	rc_html_text(b, o->practitioner_name);
	rc_html_lit(b, "</dd><dt>When</dt><dd>");
	when(b, o->starts_at);
	rc_html_lit(b, "</dd><dt>Held for you until</dt><dd>");
	when(b, o->expires_at);
	rc_html_lit(b, "</dd></dl>\n");
	if (open) {
		char action[64];
		snprintf(action, sizeof action, "/waitlist/offers/%lld/accept", (long long)o->id);
		rc_form_button(r, action, "Book this time");
		rc_html_lit(b, " ");
		snprintf(action, sizeof action, "/waitlist/offers/%lld/decline", (long long)o->id);
		rc_form_button(r, action, "No, thank you");
	} else if (!notice && !error) {
		rc_html_lit(b, "<p>This offer is no longer open.</p>\n");
	}
	rc_html_lit(b, "<p><a href=\"/waitlist\">Waitlist</a></p>\n");
	rc_page_end(r);
}

/* Shows the offer as it now stands, with a notice or an error; 404 when there is none to show. */
static void show_offer(rc_req *r, unsigned status, const char *notice, const char *error)
{
	rc_uc uc = uc_of(r);
	rc_offer o;
	bool open = false;
	rc_problem p = {0};
	rc_err e = uc.db ? rc_app_waitlist_offer(&uc, num(r->params[0]), &o, &open, &p) : RC_EDB;
	if (e == RC_ENOTFOUND) {
		rc_page_error(r, 404, "There is no page at this address.");
		return;
	}
	if (e) {
		rc_page_error(r, 503, "The offer could not be read; try again in a moment.");
		return;
	}
	r->status = status;
	offer_page(r, &o, open, notice, error);
}

void rc_page_offer(rc_req *r)
{
	show_offer(r, 200, NULL, NULL);
}

void rc_page_offer_accept(rc_req *r)
{
	rc_uc uc = uc_of(r);
	rc_problem p = {0};
	int64_t appointment = 0;
	rc_err e = uc.db ? rc_app_waitlist_accept(&uc, num(r->params[0]), &appointment, &p) : RC_EDB;
	if (e == RC_ECONFLICT) {
		show_offer(r, 409, NULL, p.text);
		return;
	}
	if (e == RC_ENOTFOUND) {
		rc_page_error(r, 404, "There is no page at this address.");
		return;
	}
	if (e) {
		rc_page_error(r, 503, "Could not book; try again in a moment.");
		return;
	}
	char *loc = rc_arena_printf(&r->arena, "/appointments/%lld", (long long)appointment);
	rc_req_redirect(r, loc ? loc : "/appointments");
}

void rc_page_offer_decline(rc_req *r)
{
	rc_uc uc = uc_of(r);
	rc_problem p = {0};
	rc_err e = uc.db ? rc_app_waitlist_decline(&uc, num(r->params[0]), r->app->cfg->public_url, &p) : RC_EDB;
	if (e == RC_ECONFLICT) {
		show_offer(r, 409, NULL, p.text);
		return;
	}
	if (e == RC_ENOTFOUND) {
		rc_page_error(r, 404, "There is no page at this address.");
		return;
	}
	if (e) {
		rc_page_error(r, 503, "Could not save; try again in a moment.");
		return;
	}
	show_offer(r, 200, "Declined. You stay on the waitlist for another time.", NULL);
}
