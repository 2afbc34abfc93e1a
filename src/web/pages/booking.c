/* booking.c — the runner's booking flow: service → practitioner or first available → slot → confirm →
 * booked. The front desk uses the same pages to book for a runner named by email. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "app/booking.h"
#include "app/offered.h"
#include "base/time.h"
#include "content/billing.h"
#include "web/auth.h"
#include "web/html.h"
#include "web/layout.h"
#include "web/pages/pages.h"
#include "web/pages/visit.h"
#include "web/valid.h"

enum { RC_BOOK_DAYS = 7 /* days of slots shown at once */ };

/* --- choosing a service, then a slot ----------------------------------------------------- */

void rc_page_book(rc_req *r)
{
	rc_uc uc = rc_visit_uc(r);
	rc_service *sv = NULL;
	size_t n = 0;
	/* What runners may book: a service nobody offers is not listed (app/setup.h). */
	if (!uc.db || rc_app_services_offered(&uc, &sv, &n)) {
		rc_page_error(r, 503, "The services could not be read; try again in a moment.");
		return;
	}
	rc_buf *b = &r->out;
	rc_page_begin(r, "Book a visit", "book");
	rc_html_lit(b, "<h1>Book a visit</h1>\n<p>Not sure which? Start with an initial assessment.</p>\n<ul class=\"cards\">");
	for (size_t i = 0; i < n; i++) {
		rc_html_lit(b, "<li class=\"card\"><h2><a href=\"/book/");
		rc_html_url_arg(b, sv[i].key);
		rc_html_lit(b, "\">");
		rc_html_text(b, sv[i].name);
		rc_html_lit(b, "</a></h2><p>");
		rc_html_printf(b, "%d minutes · ", sv[i].minutes);
		rc_visit_money(b, sv[i].price_cents);
		rc_html_lit(b, "</p></li>");
	}
	rc_html_lit(b, "</ul>\n");
	rc_page_end(r);
}

enum { Q_PRACTITIONER, Q_DATE, Q_MOVE, Q_N };
static const rc_vfield list_query[Q_N] = {
	[Q_PRACTITIONER] = {"practitioner", "With", RC_V_INT, .min = 1, .max = INT64_MAX,
	                    .hint = "Choose someone from the list, or first available."},
	[Q_DATE] = {"date", "From", RC_V_DATE, .required = false,
	            .hint = "Write the first day as YYYY-MM-DD, for example 2026-12-01."},
	[Q_MOVE] = {"move", "The visit to move", RC_V_INT, .min = 1, .max = INT64_MAX},
};

static void practitioner_select(rc_buf *b, const rc_practitioner *ps, size_t np, const rc_vvalue *v)
{
	rc_html_lit(b, "<label for=\"f-practitioner\">With</label>");
	if (v->error) {
		rc_html_lit(b, "<span class=\"field-error\" id=\"e-practitioner\">");
		rc_html_text(b, v->error);
		rc_html_lit(b, "</span>");
	}
	rc_html_lit(b, "<select id=\"f-practitioner\" name=\"practitioner\"");
	if (v->error)
		rc_html_lit(b, " aria-invalid=\"true\" aria-describedby=\"e-practitioner\"");
	rc_html_lit(b, "><option value=\"\">First available</option>");
	for (size_t i = 0; i < np; i++) {
		rc_html_lit(b, "<option value=\"");
		rc_html_printf(b, "%lld", (long long)ps[i].id);
		rc_html_lit(b, "\"");
		if (v->set && ps[i].id == v->num)
			rc_html_lit(b, " selected");
		rc_html_lit(b, ">");
		rc_html_text(b, ps[i].name);
		rc_html_lit(b, "</option>");
	}
	rc_html_lit(b, "</select>");
}

void rc_page_book_service(rc_req *r)
{
	rc_db *db = rc_req_db(r);
	rc_service sv;
	bool found = false;
	rc_uc uc = rc_visit_uc(r);
	if (!db || rc_app_service_offered(&uc, r->params[0], &sv, &found) || !found) {
		rc_page_error(r, 404, "There is no such service, or nobody offers it at the moment.");
		return;
	}
	rc_practitioner ps[RC_BOOKING_MAX_PRACTITIONERS];
	size_t np = 0;
	if (rc_practitioners_list(db, sv.id, ps, RC_BOOKING_MAX_PRACTITIONERS, &np)) {
		rc_page_error(r, 503, "The schedule could not be read; try again in a moment.");
		return;
	}
	rc_vvalue q[Q_N];
	if (rc_valid_form(&r->arena, &r->query, list_query, Q_N, q))
		r->status = 422; /* the page comes back with the error beside the field, from today */
	int64_t move = q[Q_MOVE].set ? q[Q_MOVE].num : 0;
	int64_t first_day = q[Q_DATE].set ? q[Q_DATE].num : rc_tz_day_number(r->now);

	rc_free_slot slots[RC_BOOK_DAYS * RC_SLOTS_MAX_PER_DAY];
	rc_booking_free_out out = {slots, 0, RC_BOOK_DAYS * RC_SLOTS_MAX_PER_DAY, 0};
	rc_booking_free_in in = {.service = &sv, .practitioner = q[Q_PRACTITIONER].set ? q[Q_PRACTITIONER].num : 0,
	                         .first_day = first_day, .days = RC_BOOK_DAYS, .each_time_once = true};
	rc_problem p;
	rc_err e = rc_app_booking_free(&uc, &in, &out, &p);
	if (e) {
		rc_page_error(r, rc_visit_status(e), p.text);
		return;
	}

	rc_buf *b = &r->out;
	char *title = rc_arena_printf(&r->arena, "Book: %s", sv.name);
	rc_page_begin(r, title ? title : "Book", "book");
	rc_html_lit(b, "<h1>");
	rc_html_text(b, sv.name);
	rc_html_lit(b, "</h1>\n<p>");
	rc_html_printf(b, "%d minutes · ", sv.minutes);
	rc_visit_money(b, sv.price_cents);
	rc_html_lit(b, ". Times are the clinic's local time (");
	rc_html_text(b, r->app->content->clinic.timezone);
	rc_html_lit(b, ").</p>\n<form class=\"inline\" method=\"get\" action=\"/book/");
	rc_html_url_arg(b, sv.key);
	rc_html_lit(b, "\">");
	practitioner_select(b, ps, np, &q[Q_PRACTITIONER]);
	rc_html_lit(b, " ");
	rc_valid_control(b, &list_query[Q_DATE], &q[Q_DATE]);
	if (move)
		rc_valid_hidden(b, &list_query[Q_MOVE], &q[Q_MOVE]);
	rc_html_lit(b, " <button type=\"submit\">Show times</button></form>\n");

	size_t k = 0;
	for (int day = 0; day < RC_BOOK_DAYS; day++) {
		/* Counted in the clinic's days: late in the evening, tomorrow is still the next day listed. */
		int64_t dn = first_day + day;
		rc_html_lit(b, "<section class=\"day\"><h2>");
		char label[48];
		rc_visit_day_label(dn, "%A %e %B", label, sizeof label);
		rc_html_text(b, label);
		rc_html_lit(b, "</h2><ul class=\"slots\">");
		size_t shown = 0;
		for (; k < out.n && rc_tz_day_number(out.slots[k].start) == dn; k++, shown++) {
			rc_html_lit(b, "<li><a class=\"slot\" href=\"/book/");
			rc_html_url_arg(b, sv.key);
			rc_html_printf(b, "/confirm?start=%lld&practitioner=%lld", (long long)out.slots[k].start,
			               (long long)out.slots[k].practitioner);
			if (move)
				rc_html_printf(b, "&move=%lld", (long long)move);
			rc_html_lit(b, "\">");
			rc_visit_time(b, out.slots[k].start, false);
			rc_html_lit(b, "</a></li>");
		}
		if (!shown)
			rc_html_lit(b, "<li>No free times.</li>");
		rc_html_lit(b, "</ul></section>\n");
	}
	if (!out.n)
		rc_page_notice(r, "Nothing is free in these days. Try later dates, or ask the front desk about the waitlist.");
	rc_page_end(r);
}

/* --- confirming ---------------------------------------------------------------------------- */

enum { C_START, C_PRACTITIONER, C_MOVE, C_N };
static const rc_vfield confirm_query[C_N] = {
	[C_START] = {"start", "The time", RC_V_INT, .required = true, .min = 1, .max = INT64_MAX},
	[C_PRACTITIONER] = {"practitioner", "The practitioner", RC_V_INT, .required = true, .min = 1, .max = INT64_MAX},
	[C_MOVE] = {"move", "The visit to move", RC_V_INT, .min = 1, .max = INT64_MAX},
};

/* What POST /book receives. */
enum { F_SERVICE, F_PRACTITIONER, F_START, F_KEY, F_RUNNER, F_CONDITION, F_REASON, F_N };
static const rc_vfield book_form[F_N] = {
	[F_SERVICE] = {"service", "The service", RC_V_TEXT, .required = true, .max = 32},
	[F_PRACTITIONER] = {"practitioner", "The practitioner", RC_V_INT, .required = true, .min = 1, .max = INT64_MAX},
	[F_START] = {"start", "The time", RC_V_INT, .required = true, .min = 1, .max = INT64_MAX},
	[F_KEY] = {"key", "The form's key", RC_V_TEXT, .max = RC_IDEMPOTENCY_MAX},
	[F_RUNNER] = {"runner", "Patient (name, phone, email or date of birth)", RC_V_TEXT, .max = RC_EMAIL_MAX},
	[F_CONDITION] = {"condition", "What it is about", RC_V_ENUM, .required = false},
	[F_REASON] = {"reason", "What would you like looked at?", RC_V_TEXT, .max = RC_BOOKING_REASON_MAX},
};

/* The booking form as this caller sees it: the front desk must name the runner; the conditions are the
 * clinic's. */
static void book_fields(rc_req *r, rc_vfield f[F_N])
{
	memcpy(f, book_form, sizeof book_form);
	f[F_RUNNER].required = rc_role_is_staff(r->user.role);
	f[F_CONDITION].choices = rc_visit_conditions(r, &f[F_CONDITION].nchoices);
}

/* The confirmation: what, with whom, when, and (when booking) the runner's own fields, with what they
 * typed and any error beside its field. v NULL: a fresh form. */
static void confirm_page(rc_req *r, const rc_service *sv, const rc_practitioner *p, int64_t start, int64_t move,
                         const rc_vfield *f, const rc_vvalue *v)
{
	rc_buf *b = &r->out;
	rc_page_begin(r, move ? "Move your visit" : "Confirm your visit", "book");
	if (move)
		rc_html_lit(b, "<h1>Move your visit</h1>\n");
	else
		rc_html_lit(b, "<h1>Confirm your visit</h1>\n");
	if (v && rc_valid_first_error(v, F_N) >= 0)
		rc_page_alert(r, "Nothing is booked yet: please correct what is marked below.");
	rc_html_lit(b, "<dl class=\"facts\"><dt>What</dt><dd>");
	rc_html_text(b, sv->name);
	rc_html_lit(b, "</dd><dt>With</dt><dd>");
	rc_html_text(b, p->name);
	rc_html_lit(b, "</dd><dt>When</dt><dd>");
	rc_visit_time(b, start, true);
	rc_html_printf(b, " (%d minutes)", sv->minutes);
	rc_html_lit(b, "</dd><dt>Price</dt><dd>");
	rc_visit_money(b, sv->price_cents);
	rc_html_lit(b, "</dd></dl>\n");
	/* The clinic's cancellation policy (content/billing.json), before the visit is booked. */
	if (r->app->billing && r->app->billing->policy_text[0]) {
		rc_html_lit(b, "<p class=\"policy\">");
		rc_html_text(b, r->app->billing->policy_text);
		rc_html_lit(b, "</p>\n");
	}
	if (move) {
		char *action = rc_arena_printf(&r->arena, "/appointments/%lld/move", (long long)move);
		rc_form_open(r, action ? action : "/appointments");
	} else {
		rc_form_open(r, "/book");
	}
	rc_html_lit(b, "<input type=\"hidden\" name=\"service\" value=\"");
	rc_html_text(b, sv->key);
	rc_html_lit(b, "\"><input type=\"hidden\" name=\"practitioner\" value=\"");
	rc_html_printf(b, "%lld", (long long)p->id);
	rc_html_lit(b, "\"><input type=\"hidden\" name=\"start\" value=\"");
	rc_html_printf(b, "%lld", (long long)start);
	rc_html_lit(b, "\">");
	if (!move) {
		/* A fresh key per form, kept when the form comes back: a double click or a retry books once. */
		char key[RC_TOKEN_CHARS + 1];
		const char *k = v && v[F_KEY].set ? v[F_KEY].text : NULL;
		if (!k) {
			rc_auth_token(key);
			k = key;
		}
		rc_html_lit(b, "<input type=\"hidden\" name=\"key\" value=\"");
		rc_html_text(b, k);
		rc_html_lit(b, "\">\n");
		if (rc_role_is_staff(r->user.role))
			rc_valid_input(b, &f[F_RUNNER], v ? &v[F_RUNNER] : NULL);
		rc_valid_input(b, &f[F_CONDITION], v ? &v[F_CONDITION] : NULL);
		rc_valid_textarea(b, &f[F_REASON], v ? &v[F_REASON] : NULL, 3);
	}
	rc_form_close(r, move ? "Move to this time" : "Book");
	rc_page_end(r);
}

void rc_page_book_confirm(rc_req *r)
{
	rc_db *db = rc_req_db(r);
	rc_service sv;
	rc_practitioner p;
	bool found = false, pf = false;
	rc_vvalue q[C_N];
	if (rc_service_by_key(db, r->params[0], &sv, &found) || !found) {
		rc_page_error(r, 404, "There is no such service.");
		return;
	}
	if (rc_valid_form(&r->arena, &r->query, confirm_query, C_N, q) ||
	    rc_practitioner_by_id(db, q[C_PRACTITIONER].num, &p, &pf) || !pf) {
		rc_page_error(r, 422, "Choose a time from the list of free times.");
		return;
	}
	rc_vfield f[F_N];
	book_fields(r, f);
	confirm_page(r, &sv, &p, q[C_START].num, q[C_MOVE].set ? q[C_MOVE].num : 0, f, NULL);
}

/* --- booking ------------------------------------------------------------------------------- */

void rc_page_book_post(rc_req *r)
{
	rc_vfield f[F_N];
	rc_vvalue v[F_N];
	book_fields(r, f);
	rc_valid_form(&r->arena, &r->form, f, F_N, v);
	/* The hidden fields name the time: without them there is no form to show again. */
	for (int i = F_SERVICE; i <= F_KEY; i++)
		if (v[i].error) {
			char *msg = rc_arena_printf(&r->arena, "%s Choose a time from the list of free times.", v[i].error);
			rc_page_error(r, 422, msg ? msg : v[i].error);
			return;
		}
	rc_uc uc = rc_visit_uc(r);
	rc_booking_in in = {.service = v[F_SERVICE].text, .practitioner = v[F_PRACTITIONER].num, .start = v[F_START].num,
	                    .patient = v[F_RUNNER].text, .key = v[F_KEY].text, .reason = v[F_REASON].text,
	                    .condition = v[F_CONDITION].text, .triage = r->app->triage};
	rc_booking_out out;
	rc_problem p = {0};
	rc_visit_ctx vc = rc_visit_ctx_of(r);
	rc_err e = rc_valid_first_error(v, F_N) >= 0 ? RC_EINVAL : rc_app_visit_book(&uc, &vc, &in, &out, &p);
	if (!e) {
		char *loc = rc_arena_printf(&r->arena, "/appointments/%lld", (long long)out.appointment.id);
		rc_req_redirect(r, loc ? loc : "/appointments");
		return;
	}
	r->status = rc_visit_status(e);
	if (p.field && (strcmp(p.field, "start") == 0 || strcmp(p.field, "practitioner") == 0)) {
		rc_visit_unavailable(r, &out.service, v[F_START].num, 0, p.text);
		return;
	}
	/* A field the runner typed: the form again, with what they typed and the error beside it. */
	rc_practitioner pr;
	bool found = false, pf = false;
	rc_service sv;
	if (e == RC_EINVAL && (!p.field || rc_valid_set_error(f, F_N, v, p.field, p.text)) &&
	    !rc_service_by_key(rc_req_db(r), v[F_SERVICE].text, &sv, &found) && found &&
	    !rc_practitioner_by_id(rc_req_db(r), v[F_PRACTITIONER].num, &pr, &pf) && pf &&
	    rc_valid_first_error(v, F_N) >= 0) {
		confirm_page(r, &sv, &pr, v[F_START].num, 0, f, v);
		return;
	}
	rc_page_error(r, r->status, p.text[0] ? p.text : "The booking could not be saved; nothing was booked.");
}
