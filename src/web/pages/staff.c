/* staff.c — the clinic's side: a runner's record, staff accounts, the audit log. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/log.h"
#include "base/text.h"
#include "base/time.h"
#include "app/account.h"
#include "app/patients.h"
#include "store/chart_store.h"
#include "store/patient_store.h"
#include "store/booking.h"
#include "store/selfcheck_store.h"
#include "web/auth.h"
#include "web/html.h"
#include "web/layout.h"
#include "web/pages/lists.h"
#include "web/pages/pages.h"

/* In the clinic's zone, like every other time on the site. */
static void when(rc_buf *b, int64_t t)
{
	rc_html_time(b, t, "%e %b %Y, %H:%M");
}

/* --- patients and a runner's record -------------------------------------------------------- */

struct record {
	rc_req *r;
	bool clinical;
	int64_t n, skip;
};

static void count_appointment(void *ctx, const rc_appointment *a)
{
	(void)a;
	((struct record *)ctx)->n++;
}

static void appointment_row(void *ctx, const rc_appointment *a)
{
	struct record *c = ctx;
	if (c->skip > 0) {
		c->skip--;
		return;
	}
	rc_buf *b = &c->r->out;
	rc_html_lit(b, "<tr><td><a href=\"/appointments/");
	rc_html_printf(b, "%lld", (long long)a->id);
	rc_html_lit(b, "\">");
	when(b, a->starts_at);
	rc_html_lit(b, "</a></td><td>");
	rc_html_text(b, a->service_name);
	rc_html_lit(b, "</td><td>");
	rc_html_text(b, a->practitioner_name);
	rc_html_lit(b, "</td><td>");
	rc_html_text(b, a->status);
	rc_html_lit(b, "</td>");
	/* The reason the runner gave when booking is for the whole desk (it books the right service); the
	 * self-check's assessment, notes and diary are not (app/account.h). */
	rc_html_lit(b, "<td>");
	rc_html_text(b, a->reason);
	rc_html_lit(b, "</td>");
	rc_html_lit(b, "</tr>\n");
}

/* The appointments: the latest RC_RECORD_APPOINTMENTS, saying how many earlier ones are not listed. */
static bool record_appointments(rc_req *r, int64_t runner, bool clinical)
{
	rc_buf *b = &r->out;
	rc_db *db = rc_req_db(r);
	struct record c = {r, clinical, 0, 0};
	if (rc_appointments_of_runner(db, runner, count_appointment, &c))
		return false;
	rc_html_lit(b, "<h2>Appointments</h2>\n");
	if (c.n == 0) {
		rc_html_lit(b, "<p>No appointments yet.</p>\n");
		return true;
	}
	c.skip = c.n > RC_RECORD_APPOINTMENTS ? c.n - RC_RECORD_APPOINTMENTS : 0;
	if (c.skip) {
		rc_html_lit(b, "<p>");
		rc_html_printf(b, "The latest %d of %lld appointments; %lld earlier ones are not listed here.",
		               RC_RECORD_APPOINTMENTS, (long long)c.n, (long long)c.skip);
		rc_html_lit(b, "</p>\n");
	}
	rc_html_lit(b, "<div class=\"table-scroll\" tabindex=\"0\"><table class=\"list\"><thead><tr><th scope=\"col\">When</th>"
	               "<th scope=\"col\">Service</th><th scope=\"col\">Practitioner</th><th scope=\"col\">Status</th>");
	rc_html_lit(b, "<th scope=\"col\">Reason</th>");
	rc_html_lit(b, "</tr></thead><tbody>\n");
	c.n = 0;
	if (rc_appointments_of_runner(db, runner, appointment_row, &c))
		return false;
	rc_html_lit(b, "</tbody></table></div>\n");
	return true;
}

/* Who the patient is and how to reach them, for staff: the details the front desk took. */
static void record_contact(rc_req *r, const rc_account *a)
{
	rc_buf *b = &r->out;
	rc_profile prof;
	bool has = false;
	if (rc_profile_get(rc_req_db(r), a->id, &prof, &has))
		has = false;
	rc_html_lit(b, "<dt>Date of birth</dt><dd>");
	rc_html_text(b, has && prof.date_of_birth[0] ? prof.date_of_birth : "not recorded");
	rc_html_lit(b, "</dd><dt>Phone</dt><dd>");
	if (has && prof.phone[0]) {
		rc_html_lit(b, "<a href=\"tel:");
		rc_html_tel(b, prof.phone);
		rc_html_lit(b, "\">");
		rc_html_text(b, prof.phone);
		rc_html_lit(b, "</a>");
	} else {
		rc_html_lit(b, "not recorded");
	}
	rc_html_lit(b, "</dd><dt>Online account</dt><dd>");
	rc_html_text(b, a->deactivated_at ? "deactivated: cannot sign in"
	                : a->password_hash[0] ? "signs in online"
	                : a->email[0]         ? "not yet: no password chosen"
	                                      : "none (no email address)");
	rc_html_lit(b, "</dd>");
}

/* What the front desk and administrators can do from here. */
static void record_actions(rc_req *r, const rc_account *a)
{
	rc_buf *b = &r->out;
	char path[64];
	if (!rc_app_patients_may_manage(r->user.role))
		return;
	rc_html_lit(b, "<div class=\"actions\">");
	if (a->role == RC_ROLE_RUNNER && a->email[0] && !a->password_hash[0] && !a->deactivated_at) {
		snprintf(path, sizeof path, "/runners/%lld/invite", (long long)a->id);
		rc_form_button(r, path, "Invite to choose a password");
	}
	if (a->role == RC_ROLE_RUNNER) {
		rc_html_lit(b, "<p><a href=\"/runners/");
		rc_html_printf(b, "%lld", (long long)a->id);
		rc_html_lit(b, "/merge\">Merge this registration into another record</a></p>");
	}
	if (r->user.role == RC_ROLE_ADMIN) {
		rc_html_lit(b, "<p><a href=\"/admin/users/");
		rc_html_printf(b, "%lld", (long long)a->id);
		rc_html_lit(b, "\">Account: role, sign-in, invitation</a></p>");
	}
	rc_html_lit(b, "</div>\n");
}

void rc_page_runner_record(rc_req *r)
{
	/* http.c has already checked that this is the runner or staff. What the caller sees of the record
	 * is app/account.h's rule: the front desk gets identity, contact and appointments only. */
	int64_t id = strtoll(r->params[0], NULL, 10);
	bool clinical = rc_role_sees_clinical(r->user.role), staff = rc_role_is_staff(r->user.role);
	rc_db *db = rc_req_db(r);
	rc_account a;
	bool found = false;
	if (!db || rc_account_by_id(db, id, &a, &found)) {
		rc_page_error(r, 503, "The record could not be read; try again in a moment.");
		return;
	}
	if (!found || !a.patient) {
		/* A registration merged into another: the record kept is the one to read. */
		int64_t into = 0;
		if (staff && !found && !rc_patient_merged_into(db, id, &into) && into > 0) {
			char *to = rc_arena_printf(&r->arena, "/runners/%lld", (long long)into);
			rc_req_redirect(r, to ? to : "/patients");
			return;
		}
		rc_page_error(r, 404, "There is no page at this address.");
		return;
	}
	rc_req_audit(r, "record.view", id, clinical ? "" : "identity and appointments");
	rc_buf *b = &r->out;
	rc_page_begin(r, a.name, staff ? "patients" : "account");
	rc_html_lit(b, "<h1>");
	rc_html_text(b, a.name);
	rc_html_lit(b, "</h1>\n");
	if (staff && rc_req_query(r, "registered"))
		rc_page_notice(r, "Registered. The front desk finds this patient by name, phone or date of birth.");
	if (staff && rc_req_query(r, "merged"))
		rc_page_notice(r, "Merged: the duplicate registration's appointments and records are on this record now.");
	rc_html_lit(b, "<dl class=\"facts\"><dt>Email</dt><dd>");
	if (a.email[0]) {
		rc_html_lit(b, "<a href=\"mailto:");
		rc_html_text(b, a.email);
		rc_html_lit(b, "\">");
		rc_html_text(b, a.email);
		rc_html_lit(b, "</a>");
	} else {
		rc_html_lit(b, "none");
	}
	rc_html_lit(b, "</dd>");
	if (staff)
		record_contact(r, &a);
	rc_html_lit(b, "<dt>Joined</dt><dd>");
	when(b, a.created_at);
	rc_html_lit(b, "</dd></dl>\n");
	if (staff)
		record_actions(r, &a);
	/* Billing is for the front desk and the runner alike (app/billing.h). */
	rc_html_lit(b, "<p><a href=\"/runners/");
	rc_html_printf(b, "%lld", (long long)id);
	rc_html_lit(b, "/billing\">Invoices and payments</a></p>\n");
	if (!record_appointments(r, id, clinical)) {
		rc_page_error(r, 503, "The record could not be read; try again in a moment.");
		return;
	}
	if (!clinical) {
		rc_html_lit(b, "<p>Self-checks, the home program, the diary and training are for the runner's "
		               "practitioner.</p>\n");
		rc_page_end(r);
		return;
	}
	char urgency[32] = "", top[64] = "";
	if (rc_selfcheck_latest(db, id, urgency, sizeof urgency, top, sizeof top)) {
		rc_page_error(r, 503, "The record could not be read; try again in a moment.");
		return;
	}
	rc_html_lit(b, "<h2>Clinical</h2>\n<dl class=\"facts\"><dt>Latest self-check</dt><dd>");
	if (urgency[0]) {
		rc_html_text(b, urgency);
		if (top[0]) {
			rc_html_lit(b, "; most likely ");
			rc_html_text(b, top);
		}
	} else {
		rc_html_lit(b, "none yet");
	}
	rc_html_lit(b, "</dd></dl>\n<p><a href=\"/runners/");
	rc_html_printf(b, "%lld", (long long)id);
	rc_html_lit(b, "/training\">Training files: load, hills and track</a> · <a href=\"/runners/");
	rc_html_printf(b, "%lld", (long long)id);
	if (rc_role_is_staff(r->user.role))
		rc_html_lit(b, "/program\">Home program: progress, and assign or adjust</a>");
	else
		rc_html_lit(b, "/program\">Home program and progress</a> · <a href=\"/account/notes\">Your visit notes</a>");
	if (r->user.role == RC_ROLE_PRACTITIONER || r->user.role == RC_ROLE_ADMIN) {
		rc_html_lit(b, " · <a href=\"/runners/");
		rc_html_printf(b, "%lld", (long long)id);
		rc_html_lit(b, "/chart\">Clinical chart</a>");
	}
	rc_html_lit(b, "</p>\n");
	rc_page_end(r);
}

/* --- administration: staff accounts ------------------------------------------------------- */

static void user_row(void *ctx, const rc_account *a)
{
	rc_req *r = ctx;
	rc_buf *b = &r->out;
	rc_html_lit(b, "<tr><td><a href=\"/admin/users/");
	rc_html_printf(b, "%lld", (long long)a->id);
	rc_html_lit(b, "\">");
	rc_html_text(b, a->name);
	rc_html_lit(b, "</a></td><td>");
	rc_html_text(b, a->email);
	rc_html_lit(b, "</td><td>");
	rc_html_text(b, rc_role_label(a->role));
	rc_html_lit(b, "</td><td>");
	rc_html_text(b, rc_people_status(a));
	rc_html_lit(b, "</td></tr>\n");
}

/* added and token: a staff member just added, and their invitation's link (shown once without a relay). */
static void users_page(rc_req *r, const char *added, const char *token, const char *name, const char *email,
                       const char *role, const rc_problem *p)
{
	rc_buf *b = &r->out;
	int64_t page, total = 0;
	const char *q;
	if (!rc_list_page_arg(r, &page) || !rc_list_search_arg(r, &q))
		return;
	const char *field = p ? p->field : NULL;
	rc_page_begin(r, "Accounts", "admin");
	rc_html_lit(b, "<h1>Accounts</h1>\n<p><a href=\"/admin/audit\">Audit log</a> · <a href=\"/admin/clinic\">Clinic "
	               "setup</a> · <a href=\"/admin/import\">Move a clinic in</a> · <a href=\"/wave\">The wave</a> · "
	               "<a href=\"/reports\">Reports</a></p>\n");
	if (added) {
		rc_page_notice(r, "Added.");
		rc_people_staff_added(r, added, token);
	}
	rc_html_lit(b, "<h2>Add a staff member</h2>\n");
	if (p && (!field || strcmp(field, "role") == 0))
		rc_page_alert(r, p->text);
	rc_form_open(r, "/admin/users");
	rc_form_input(r, "name", "Name", "text", name, field && strcmp(field, "name") == 0 ? p->text : NULL, "off");
	rc_form_input(r, "email", "Email", "email", email, field && strcmp(field, "email") == 0 ? p->text : NULL, "off");
	rc_html_lit(b, "<p><label for=\"f-role\">Role</label><select id=\"f-role\" name=\"role\">");
	static const rc_role staff[] = {RC_ROLE_PRACTITIONER, RC_ROLE_FRONT_DESK, RC_ROLE_ADMIN};
	for (size_t i = 0; i < 3; i++) {
		rc_html_lit(b, "<option value=\"");
		rc_html_text(b, rc_role_name(staff[i]));
		rc_html_lit(b, "\"");
		if (role && strcmp(role, rc_role_name(staff[i])) == 0)
			rc_html_lit(b, " selected");
		rc_html_lit(b, ">");
		rc_html_text(b, rc_role_label(staff[i]));
		rc_html_lit(b, "</option>");
	}
	rc_html_lit(b, "</select></p>\n");
	rc_form_close(r, "Add and send an invitation");
	rc_html_lit(b, "<h2>Everyone</h2>\n");
	rc_list_search_form(r, "/admin/users", "Name or email", "q", "search", q, NULL);
	rc_html_lit(b, "<div class=\"table-scroll\" tabindex=\"0\"><table class=\"list\"><thead><tr><th scope=\"col\">Name</th>"
	               "<th scope=\"col\">Email</th><th scope=\"col\">Role</th><th scope=\"col\">Status</th></tr></thead>"
	               "<tbody>\n");
	if (rc_account_page(rc_req_db(r), RC_ROLE_NONE, q, (page - 1) * RC_PAGE_ROWS, RC_PAGE_ROWS, user_row, r, &total)) {
		rc_page_error(r, 503, "The accounts could not be read; try again in a moment.");
		return;
	}
	if (!rc_list_page_exists(r, page, rc_list_pages(total, RC_PAGE_ROWS)))
		return;
	rc_html_lit(b, "</tbody></table></div>\n");
	if (total == 0)
		rc_html_lit(b, "<p>No account matches.</p>\n");
	rc_list_pager(r, "/admin/users", "q", q, page, rc_list_pages(total, RC_PAGE_ROWS), total);
	rc_page_end(r);
}

void rc_page_admin_users(rc_req *r)
{
	users_page(r, NULL, NULL, NULL, NULL, NULL, NULL);
}

void rc_page_admin_users_post(rc_req *r)
{
	const char *name = rc_req_form(r, "name"), *email = rc_req_form(r, "email"), *role_s = rc_req_form(r, "role");
	rc_uc uc;
	rc_req_uc(r, &uc);
	rc_site site = {r->app->cfg->public_url, r->app->content->clinic.name};
	rc_problem p = {0};
	char token[RC_TOKEN_CHARS + 1] = "";
	rc_err e = uc.db ? rc_app_staff_invite(&uc, &site, name, email, rc_role_parse(role_s), token, &p) : RC_EDB;
	if (e == RC_EINVAL || e == RC_ECONFLICT) {
		r->status = e == RC_ECONFLICT ? 409 : 422;
		users_page(r, NULL, NULL, name, email, role_s, &p);
		return;
	}
	if (e) {
		rc_error("staff invite: %s", rc_err_str(e));
		rc_page_error(r, 503, "Could not save; try again in a moment.");
		return;
	}
	char clean[RC_EMAIL_MAX + 1], detail[300];
	if (!rc_app_email_clean(email, clean))
		clean[0] = '\0';
	snprintf(detail, sizeof detail, "%s as %s", clean, role_s);
	rc_req_audit(r, "staff.create", 0, detail);
	users_page(r, clean, token, NULL, NULL, NULL, NULL);
}

/* --- the audit log ------------------------------------------------------------------------ */

static void audit_row(void *ctx, const rc_audit_entry *e)
{
	rc_req *r = ctx;
	rc_buf *b = &r->out;
	rc_html_lit(b, "<tr><td>");
	when(b, e->at);
	rc_html_lit(b, "</td><td>");
	rc_html_text(b, e->actor_email[0] ? e->actor_email : e->actor_role);
	rc_html_lit(b, "</td><td>");
	rc_html_text(b, e->action);
	rc_html_lit(b, "</td><td>");
	rc_html_text(b, e->runner_email);
	rc_html_lit(b, "</td><td>");
	rc_html_text(b, e->detail);
	rc_html_lit(b, "</td><td>");
	rc_html_text(b, e->address);
	rc_html_lit(b, "</td></tr>\n");
}

void rc_page_admin_audit(rc_req *r)
{
	rc_buf *b = &r->out;
	rc_db *db = rc_req_db(r);
	const char *runner = rc_req_query(r, "runner");
	int64_t runner_id = 0, page, total = 0;
	if (!rc_list_page_arg(r, &page))
		return;
	rc_page_begin(r, "Audit log", "admin");
	rc_html_lit(b, "<h1>Audit log</h1>\n");
	rc_list_search_form(r, "/admin/audit", "Runner's email", "runner", "email", runner, NULL);
	if (runner && *runner) {
		char clean[RC_EMAIL_MAX + 1];
		rc_account a;
		bool found = false;
		if (!rc_app_email_clean(runner, clean) || rc_account_by_email(db, clean, &a, &found) || !found) {
			rc_page_alert(r, "No runner has that email address.");
			rc_page_end(r);
			return;
		}
		runner_id = a.id;
	}
	rc_html_lit(b, "<div class=\"table-scroll\" tabindex=\"0\"><table class=\"list\"><thead><tr><th scope=\"col\">When</th><th scope=\"col\">Who</th>"
	               "<th scope=\"col\">Action</th><th scope=\"col\">Runner</th><th scope=\"col\">Detail</th>"
	               "<th scope=\"col\">Address</th></tr></thead><tbody>\n");
	if (rc_audit_page(db, runner_id, 0, (page - 1) * RC_AUDIT_PAGE_ROWS, RC_AUDIT_PAGE_ROWS, audit_row, r, &total)) {
		rc_page_error(r, 503, "The audit log could not be read; try again in a moment.");
		return;
	}
	if (!rc_list_page_exists(r, page, rc_list_pages(total, RC_AUDIT_PAGE_ROWS)))
		return;
	rc_html_lit(b, "</tbody></table></div>\n");
	rc_list_pager(r, "/admin/audit", "runner", runner, page, rc_list_pages(total, RC_AUDIT_PAGE_ROWS), total);
	rc_page_end(r);
}

/* --- the JSON API ------------------------------------------------------------------------- */

void rc_page_api_me(rc_req *r)
{
	rc_req_json(r, 200, json_pack("{s:I, s:s, s:s, s:s}", "id", (json_int_t)r->user.id, "role",
	                              rc_role_name(r->user.role), "email", r->user.email, "name", r->user.name));
}
