/* appointments.c — a runner's appointments and one appointment: cancel, move, and the front desk's
 * marks (arrived, no-show, and taking a mark back). Each action parses, calls one use case in
 * app/booking.c and shows the appointment with what happened. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "app/account.h"
#include "app/booking.h"
#include "base/time.h"
#include "web/html.h"
#include "web/layout.h"
#include "web/pages/pages.h"
#include "web/pages/visit.h"
#include "web/valid.h"

/* --- the runner's list --------------------------------------------------------------------- */

struct list_ctx {
	rc_req *r;
	size_t n;
};

static void appointment_row(void *arg, const rc_appointment *a)
{
	struct list_ctx *c = arg;
	rc_buf *b = &c->r->out;
	c->n++;
	rc_html_lit(b, "<tr><td>");
	rc_visit_time(b, a->starts_at, true);
	rc_html_lit(b, "</td><td><a href=\"/appointments/");
	rc_html_printf(b, "%lld", (long long)a->id);
	rc_html_lit(b, "\">");
	rc_html_text(b, a->service_name);
	rc_html_lit(b, "</a></td><td>");
	rc_html_text(b, a->practitioner_name);
	rc_html_lit(b, "</td><td>");
	rc_html_text(b, rc_visit_status_label(a->status));
	rc_html_lit(b, "</td></tr>\n");
}

void rc_page_appointments(rc_req *r)
{
	if (rc_role_is_staff(r->user.role)) {
		rc_req_redirect(r, "/schedule");
		return;
	}
	rc_buf *b = &r->out;
	rc_page_begin(r, "My appointments", "book");
	rc_html_lit(b, "<h1>My appointments</h1>\n<p class=\"actions\"><a class=\"button\" href=\"/book\">Book a visit</a> "
	               "<a href=\"/waitlist\">Nothing fits? Join the waitlist</a></p>\n"
	               "<div class=\"table-scroll\" tabindex=\"0\"><table class=\"list\"><thead><tr><th scope=\"col\">When</th>"
	               "<th scope=\"col\">What</th><th scope=\"col\">With</th><th scope=\"col\">Status</th></tr></thead><tbody>\n");
	struct list_ctx c = {r, 0};
	if (rc_appointments_of_runner(rc_req_db(r), r->user.id, appointment_row, &c)) {
		rc_page_error(r, 503, "Your appointments could not be read; try again in a moment.");
		return;
	}
	rc_html_lit(b, "</tbody></table></div>\n");
	if (!c.n)
		rc_html_lit(b, "<p>No appointments yet.</p>\n");
	rc_page_end(r);
}

/* --- one appointment ------------------------------------------------------------------------ */

static const rc_vfield id_param = {"appointment", "The appointment", RC_V_INT, .required = true, .min = 1,
                                   .max = INT64_MAX};

/* The appointment named in the address; 0 (with the page answered) when it is no number. The route's
 * owner check has already answered 404 for an appointment that is not this runner's. */
static int64_t appointment_id(rc_req *r)
{
	rc_vvalue v;
	if (!rc_valid_one(&r->arena, &id_param, r->params[0], &v)) {
		rc_page_error(r, 404, "There is no page at this address.");
		return 0;
	}
	return v.num;
}

static void mark_button(rc_req *r, const rc_appointment *a, const char *verb, const char *label)
{
	char action[96];
	snprintf(action, sizeof action, "/appointments/%lld/%s", (long long)a->id, verb);
	rc_html_lit(&r->out, " ");
	rc_form_button(r, action, label);
}

static void appointment_page(rc_req *r, const rc_appointment *a, const char *notice, const char *alert)
{
	rc_buf *b = &r->out;
	rc_uc uc = rc_visit_uc(r);
	bool staff = rc_role_is_staff(r->user.role);
	rc_page_begin(r, "Appointment", staff ? "schedule" : "book");
	rc_html_lit(b, "<h1>");
	if (staff) { /* the desk and practitioners read whose visit it is */
		rc_html_text(b, a->runner_name);
		rc_html_lit(b, "'s visit");
	} else {
		rc_html_text(b, strcmp(a->status, "booked") == 0 ? "Your visit is booked" : "Appointment");
	}
	rc_html_lit(b, "</h1>\n");
	if (notice)
		rc_page_notice(r, notice);
	if (alert)
		rc_page_alert(r, alert);
	rc_html_lit(b, "<dl class=\"facts\"><dt>What</dt><dd>");
	rc_html_text(b, a->service_name);
	rc_html_lit(b, "</dd><dt>With</dt><dd>");
	rc_html_text(b, a->practitioner_name);
	rc_html_lit(b, "</dd><dt>When</dt><dd>");
	rc_visit_time(b, a->starts_at, true);
	rc_html_lit(b, "–");
	rc_visit_time(b, a->ends_at, false);
	rc_html_lit(b, "</dd><dt>Status</dt><dd>");
	rc_html_text(b, rc_visit_status_label(a->status));
	rc_html_lit(b, "</dd>");
	if (staff) {
		rc_html_lit(b, "<dt>Runner</dt><dd><a href=\"/runners/");
		rc_html_printf(b, "%lld", (long long)a->runner_id);
		rc_html_lit(b, "\">");
		rc_html_text(b, a->runner_name);
		rc_html_lit(b, "</a>");
		/* Clinicians go from the visit to the chart, and to this visit's note. */
		if (rc_role_sees_clinical(r->user.role)) {
			rc_html_lit(b, " · <a href=\"/runners/");
			rc_html_printf(b, "%lld", (long long)a->runner_id);
			rc_html_lit(b, "/chart\">Chart</a> · <a href=\"/runners/");
			rc_html_printf(b, "%lld/chart/notes/new?appointment=%lld", (long long)a->runner_id, (long long)a->id);
			rc_html_lit(b, "\">Write the visit's note</a>");
		}
		rc_html_lit(b, "</dd>");
	}
	if (a->reason[0]) {
		rc_html_lit(b, "<dt>To look at</dt><dd>");
		rc_html_text(b, a->reason);
		rc_html_lit(b, "</dd>");
	}
	const char *sc = staff && rc_role_sees_clinical(r->user.role) ? rc_app_booking_selfcheck_note(&uc, r->app->triage, a->runner_id) : NULL;
	if (sc) {
		rc_html_lit(b, "<dt>Latest self-check</dt><dd>");
		rc_html_text(b, sc);
		rc_html_lit(b, "</dd>");
	}
	rc_html_lit(b, "</dl>\n");
	/* What may be done now, by the rules in app/booking.c: a button only where the action would succeed. */
	rc_problem why = {0};
	if (!rc_booking_may_change(&uc, a, &why)) {
		char action[96];
		if (staff) { /* the desk moves it to any time or practitioner, by form or on the grid */
			char iso[11];
			rc_tz_date(a->starts_at, iso);
			rc_html_lit(b, "<p><a href=\"/schedule/move/");
			rc_html_printf(b, "%lld", (long long)a->id);
			rc_html_lit(b, "\">Move to another time or practitioner</a> · <a href=\"/schedule?date=");
			rc_html_url_arg(b, iso);
			rc_html_printf(b, "&move=%lld", (long long)a->id);
			rc_html_lit(b, "\">Choose a free time on the schedule</a></p>\n");
		} else {
			rc_html_lit(b, "<p><a href=\"/book/");
			rc_html_url_arg(b, a->service_key);
			rc_html_printf(b, "?move=%lld", (long long)a->id);
			rc_html_lit(b, "\">Move to another time</a></p>\n");
		}
		snprintf(action, sizeof action, "/appointments/%lld/cancel", (long long)a->id);
		rc_form_button(r, action, "Cancel this appointment");
	} else if (strcmp(a->status, "booked") == 0 && !alert) {
		rc_html_lit(b, "<p>");
		rc_html_text(b, why.text);
		rc_html_lit(b, "</p>\n");
	}
	if (staff) {
		rc_problem ignored, early = {0};
		rc_html_lit(b, "<p>");
		bool arrivable = !rc_booking_may_mark_arrived(&uc, a, &early);
		if (arrivable)
			mark_button(r, a, "arrived", "Mark arrived");
		if (!rc_booking_may_mark_no_show(&uc, a, &ignored))
			mark_button(r, a, "no-show", "Mark no-show");
		rc_problem late = {0};
		bool undoable = !rc_booking_may_undo_mark(&uc, a, &late);
		if (undoable)
			mark_button(r, a, "undo", strcmp(a->status, "arrived") == 0 ? "Undo arrived" : "Undo no-show");
		rc_html_lit(b, "</p>\n");
		/* Why a mark can no longer be taken back. */
		if (!undoable && (strcmp(a->status, "arrived") == 0 || strcmp(a->status, "no_show") == 0) && late.text[0]) {
			rc_html_lit(b, "<p class=\"hint\">");
			rc_html_text(b, late.text);
			rc_html_lit(b, "</p>\n");
		}
		/* Why there is no arrival button yet: the desk reads when it will be there. */
		if (!arrivable && strcmp(a->status, "booked") == 0 && a->starts_at > r->now && early.text[0]) {
			rc_html_lit(b, "<p class=\"hint\">");
			rc_html_text(b, early.text);
			rc_html_lit(b, "</p>\n");
		}
	}
	if (staff && a->series_id) {
		rc_html_lit(b, "<p>Part of a recurring series: <a href=\"/schedule/series/");
		rc_html_printf(b, "%lld", (long long)a->series_id);
		rc_html_lit(b, "\">all its visits</a>.</p>\n");
	}
	if (staff) {
		char iso[11];
		rc_tz_date(a->starts_at, iso);
		rc_html_lit(b, "<p class=\"back\"><a href=\"/schedule?date=");
		rc_html_url_arg(b, iso);
		rc_html_lit(b, "\">Back to the schedule</a></p>\n");
	} else {
		rc_html_lit(b, "<p><a href=\"/appointments\">All appointments</a></p>\n");
	}
	rc_page_end(r);
}

void rc_page_appointment(rc_req *r)
{
	int64_t id = appointment_id(r);
	rc_appointment a;
	bool found = false;
	if (!id)
		return;
	if (rc_appointment_get(rc_req_db(r), id, &a, &found)) {
		rc_page_error(r, 503, "The appointment could not be read; try again in a moment.");
		return;
	}
	if (!found) {
		rc_page_error(r, 404, "There is no page at this address.");
		return;
	}
	if (rc_role_is_staff(r->user.role))
		rc_req_audit(r, "appointment.view", a.runner_id, "");
	appointment_page(r, &a, NULL, NULL);
}

/* A refusal: the appointment as it is, with why; or an error page when there is none to show. */
static void refused(rc_req *r, int64_t id, rc_err e, const rc_problem *p)
{
	rc_appointment a;
	bool found = false;
	r->status = rc_visit_status(e);
	if ((e == RC_ECONFLICT || e == RC_EINVAL) && !rc_appointment_get(rc_req_db(r), id, &a, &found) && found) {
		appointment_page(r, &a, NULL, p->text);
		return;
	}
	rc_page_error(r, r->status, p->text[0] ? p->text : "The appointment could not be changed; try again in a moment.");
}

void rc_page_appointment_cancel(rc_req *r)
{
	int64_t id = appointment_id(r);
	if (!id)
		return;
	rc_uc uc = rc_visit_uc(r);
	rc_appointment a;
	rc_problem p = {0};
	rc_visit_ctx vc = rc_visit_ctx_of(r);
	rc_visit_freed freed;
	rc_err e = rc_app_visit_cancel(&uc, &vc, id, &a, &freed, &p);
	if (e) {
		refused(r, id, e, &p);
		return;
	}
	char *notice = NULL;
	if (freed.offered_to[0] && rc_role_is_staff(r->user.role))
		notice = rc_arena_printf(&r->arena, "Cancelled. The time is offered to %s from the waitlist.", freed.offered_to);
	appointment_page(r, &a, notice ? notice : "Cancelled. The time is free for someone else.", NULL);
}

enum { M_PRACTITIONER, M_START, M_N };
static const rc_vfield move_form[M_N] = {
	[M_PRACTITIONER] = {"practitioner", "The practitioner", RC_V_INT, .required = true, .min = 1, .max = INT64_MAX},
	[M_START] = {"start", "The new time", RC_V_INT, .required = true, .min = 1, .max = INT64_MAX},
};

void rc_page_appointment_move(rc_req *r)
{
	int64_t id = appointment_id(r);
	if (!id)
		return;
	rc_vvalue v[M_N];
	rc_problem p = {0};
	if (rc_valid_form(&r->arena, &r->form, move_form, M_N, v)) {
		/* Hidden fields only: the person chose a time from a list, so send them back to it. */
		rc_problem_set(&p, RC_EINVAL, NULL, "%s Choose a new time from the list of free times.",
		               v[rc_valid_first_error(v, M_N)].error);
		refused(r, id, RC_EINVAL, &p);
		return;
	}
	rc_uc uc = rc_visit_uc(r);
	rc_booking_move_in in = {.appointment = id, .practitioner = v[M_PRACTITIONER].num, .start = v[M_START].num};
	rc_booking_move_out out;
	rc_visit_ctx vc = rc_visit_ctx_of(r);
	rc_err e = rc_app_visit_move(&uc, &vc, &in, &out, NULL, &p);
	if (e && p.field && out.service.id) {
		r->status = rc_visit_status(e);
		rc_visit_unavailable(r, &out.service, in.start, id, p.text);
		return;
	}
	if (e) {
		refused(r, id, e, &p);
		return;
	}
	appointment_page(r, &out.after, "Moved to the new time.", NULL);
}

typedef rc_err (*mark_fn)(const rc_uc *uc, int64_t id, rc_appointment *out, rc_problem *p);

static void mark(rc_req *r, mark_fn fn, const char *done)
{
	int64_t id = appointment_id(r);
	if (!id)
		return;
	rc_uc uc = rc_visit_uc(r);
	rc_appointment a;
	rc_problem p = {0};
	rc_err e = fn(&uc, id, &a, &p);
	if (e) {
		refused(r, id, e, &p);
		return;
	}
	appointment_page(r, &a, done, NULL);
}

void rc_page_appointment_arrived(rc_req *r)
{
	mark(r, rc_app_booking_arrived, "Marked as arrived.");
}

void rc_page_appointment_no_show(rc_req *r)
{
	mark(r, rc_app_booking_no_show, "Marked as no-show.");
}

void rc_page_appointment_undo(rc_req *r)
{
	mark(r, rc_app_booking_undo_mark, "The mark is taken back: the visit is booked again.");
}
