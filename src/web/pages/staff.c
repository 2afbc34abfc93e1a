/* staff.c — the clinic's side: the patient list, a runner's record, staff accounts, the audit log. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/log.h"
#include "base/text.h"
#include "base/time.h"
#include "web/auth.h"
#include "web/html.h"
#include "web/layout.h"
#include "web/pages/pages.h"

/* In the clinic's zone, like every other time on the site. */
static void when(rc_buf *b, int64_t t)
{
	rc_html_time(b, t, "%e %b %Y, %H:%M");
}

static void patient_row(void *ctx, const rc_account *a)
{
	rc_req *r = ctx;
	rc_buf *b = &r->out;
	rc_html_lit(b, "<tr><td><a href=\"/runners/");
	rc_html_printf(b, "%lld", (long long)a->id);
	rc_html_lit(b, "\">");
	rc_html_text(b, a->name);
	rc_html_lit(b, "</a>");
	if (r->user.role == RC_ROLE_PRACTITIONER || r->user.role == RC_ROLE_ADMIN) {
		rc_html_lit(b, " · <a href=\"/runners/");
		rc_html_printf(b, "%lld", (long long)a->id);
		rc_html_lit(b, "/chart\">chart</a>");
	}
	rc_html_lit(b, "</td><td>");
	rc_html_text(b, a->email);
	rc_html_lit(b, "</td><td>");
	when(b, a->created_at);
	rc_html_lit(b, "</td></tr>\n");
}

void rc_page_patients(rc_req *r)
{
	rc_buf *b = &r->out;
	rc_page_begin(r, "Patients", "patients");
	rc_html_lit(b, "<h1>Patients</h1>\n<div class=\"table-scroll\"><table class=\"list\"><thead><tr><th scope=\"col\">Name</th>"
	               "<th scope=\"col\">Email</th><th scope=\"col\">Joined</th></tr></thead><tbody>\n");
	if (rc_account_list(rc_req_db(r), RC_ROLE_RUNNER, patient_row, r)) {
		rc_page_error(r, 503, "The patient list could not be read; try again in a moment.");
		return;
	}
	rc_html_lit(b, "</tbody></table></div>\n");
	rc_page_end(r);
}

void rc_page_runner_record(rc_req *r)
{
	/* http.c has already checked that this is the runner or staff. */
	int64_t id = strtoll(r->params[0], NULL, 10);
	rc_account a;
	bool found = false;
	if (rc_account_by_id(rc_req_db(r), id, &a, &found)) {
		rc_page_error(r, 503, "The record could not be read; try again in a moment.");
		return;
	}
	if (!found || a.role != RC_ROLE_RUNNER) {
		rc_page_error(r, 404, "There is no page at this address.");
		return;
	}
	rc_req_audit(r, "record.view", id, "");
	rc_buf *b = &r->out;
	rc_page_begin(r, a.name, rc_role_is_staff(r->user.role) ? "patients" : "account");
	rc_html_lit(b, "<h1>");
	rc_html_text(b, a.name);
	rc_html_lit(b, "</h1>\n<dl class=\"facts\"><dt>Email</dt><dd>");
	rc_html_text(b, a.email);
	rc_html_lit(b, "</dd><dt>Joined</dt><dd>");
	when(b, a.created_at);
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
	rc_html_lit(b, "<tr><td>");
	rc_html_text(b, a->name);
	rc_html_lit(b, "</td><td>");
	rc_html_text(b, a->email);
	rc_html_lit(b, "</td><td>");
	rc_html_text(b, rc_role_label(a->role));
	rc_html_lit(b, "</td><td>");
	rc_html_text(b, a->password_hash[0] ? "active" : "invited");
	rc_html_lit(b, "</td></tr>\n");
}

static void users_page(rc_req *r, const char *notice, const char *name, const char *email, const char *role,
                       const char *error)
{
	rc_buf *b = &r->out;
	rc_page_begin(r, "Accounts", "admin");
	rc_html_lit(b, "<h1>Accounts</h1>\n<p><a href=\"/admin/audit\">Audit log</a> · <a href=\"/admin/clinic\">Clinic "
	               "setup</a> · <a href=\"/admin/wave\">The wave</a></p>\n");
	if (notice)
		rc_page_notice(r, notice);
	rc_html_lit(b, "<h2>Add a staff member</h2>\n");
	if (error)
		rc_page_alert(r, error);
	rc_form_open(r, "/admin/users");
	rc_form_input(r, "name", "Name", "text", name, NULL, "off");
	rc_form_input(r, "email", "Email", "email", email, NULL, "off");
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
	rc_html_lit(b, "<h2>Everyone</h2>\n<div class=\"table-scroll\"><table class=\"list\"><thead><tr><th scope=\"col\">Name</th>"
	               "<th scope=\"col\">Email</th><th scope=\"col\">Role</th><th scope=\"col\">Status</th></tr></thead>"
	               "<tbody>\n");
	if (rc_account_list(rc_req_db(r), RC_ROLE_NONE, user_row, r)) {
		rc_page_error(r, 503, "The accounts could not be read; try again in a moment.");
		return;
	}
	rc_html_lit(b, "</tbody></table></div>\n");
	rc_page_end(r);
}

void rc_page_admin_users(rc_req *r)
{
	users_page(r, NULL, NULL, NULL, NULL, NULL);
}

struct invite {
	rc_req *r;
	const char *email, *name;
	rc_role role;
};

static rc_err invite_tx(rc_db *db, void *arg)
{
	struct invite *c = arg;
	int64_t id;
	rc_err e = rc_account_create(db, c->email, c->name, c->role, NULL, c->r->now, &id);
	if (!e)
		e = rc_mail_link(c->r, db, id, c->email, "set_password", "You are invited to runcare",
		                 "An administrator created a staff account for you. Choose your password with this link.");
	return e;
}

void rc_page_admin_users_post(rc_req *r)
{
	const char *name = rc_req_form(r, "name"), *email = rc_req_form(r, "email"), *role_s = rc_req_form(r, "role");
	rc_role role = rc_role_parse(role_s);
	char clean[RC_EMAIL_MAX + 1];
	const char *err = NULL;
	if (!rc_role_is_staff(role))
		err = "Choose a role: practitioner, front desk or administrator.";
	else if (!name || !*name || !rc_text_is_line(name, RC_NAME_MAX))
		err = "Enter the person's name (up to 120 characters).";
	else if (!rc_clean_email(email, clean))
		err = "Enter an email address such as name@example.org.";
	if (err) {
		r->status = 400;
		users_page(r, NULL, name, email, role_s, err);
		return;
	}
	rc_db *db = rc_req_db(r);
	struct invite ctx = {r, clean, name, role};
	rc_err e = rc_db_tx(db, invite_tx, &ctx);
	if (e) {
		r->status = e == RC_ECONFLICT ? 409 : 503;
		users_page(r, NULL, name, email, role_s,
		           e == RC_ECONFLICT ? "That email address already has an account." : "Could not save; try again.");
		return;
	}
	char detail[300];
	snprintf(detail, sizeof detail, "%s as %s", clean, rc_role_name(role));
	rc_req_audit(r, "staff.create", 0, detail);
	users_page(r, "Added. An invitation with a link to choose a password is in the outbox.", NULL, NULL, NULL, NULL);
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
	int64_t runner_id = 0;
	rc_page_begin(r, "Audit log", "admin");
	rc_html_lit(b, "<h1>Audit log</h1>\n<form class=\"inline\" method=\"get\" action=\"/admin/audit\">"
	               "<label for=\"f-runner\">Runner's email</label><input id=\"f-runner\" name=\"runner\" type=\"email\"");
	if (runner) {
		rc_html_lit(b, " value=\"");
		rc_html_text(b, runner);
		rc_html_lit(b, "\"");
	}
	rc_html_lit(b, "><button type=\"submit\">Show</button></form>\n");
	if (runner && *runner) {
		char clean[RC_EMAIL_MAX + 1];
		rc_account a;
		bool found = false;
		if (!rc_clean_email(runner, clean) || rc_account_by_email(db, clean, &a, &found) || !found) {
			rc_page_alert(r, "No runner has that email address.");
			rc_page_end(r);
			return;
		}
		runner_id = a.id;
	}
	rc_html_lit(b, "<div class=\"table-scroll\"><table class=\"list\"><thead><tr><th scope=\"col\">When</th><th scope=\"col\">Who</th>"
	               "<th scope=\"col\">Action</th><th scope=\"col\">Runner</th><th scope=\"col\">Detail</th>"
	               "<th scope=\"col\">Address</th></tr></thead><tbody>\n");
	if (rc_audit_list(db, runner_id, 0, 500, audit_row, r)) {
		rc_page_error(r, 503, "The audit log could not be read; try again in a moment.");
		return;
	}
	rc_html_lit(b, "</tbody></table></div>\n");
	rc_page_end(r);
}

/* --- the JSON API ------------------------------------------------------------------------- */

void rc_page_api_me(rc_req *r)
{
	rc_req_json(r, 200, json_pack("{s:I, s:s, s:s, s:s}", "id", (json_int_t)r->user.id, "role",
	                              rc_role_name(r->user.role), "email", r->user.email, "name", r->user.name));
}
