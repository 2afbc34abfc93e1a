/* people.c — an administrator's page for one account: its role, whether it may sign in, and its
 * invitation; and the page that shows an invitation's link once when no mail relay delivers the
 * outbox (for staff here, for patients from their record). The rules are app/people.c's and
 * app/account.c's. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/account.h"
#include "app/people.h"
#include "web/html.h"
#include "web/layout.h"
#include "web/pages/pages.h"

const char *rc_people_status(const rc_account *a)
{
	return a->deactivated_at ? "deactivated" : a->password_hash[0] ? "active" : a->email[0] ? "no password yet" : "no email";
}

/* The invitation that was just made: where it went, and its link once when nothing delivers mail. */
static void invitation_shown(rc_req *r, const char *email, const char *token)
{
	rc_buf *b = &r->out;
	if (r->app->cfg->mail_relay) {
		char *text = rc_arena_printf(&r->arena, "An invitation with a link to choose a password is on its way to %s.",
		                             email);
		rc_page_notice(r, text ? text : "An invitation is on its way.");
		return;
	}
	rc_html_lit(b, "<section aria-labelledby=\"link-once\"><h2 id=\"link-once\">The invitation link</h2>\n<p>No mail "
	               "relay is set up, so the invitation waits in the outbox. Give ");
	rc_html_text(b, email);
	rc_html_lit(b, " this link yourself: it works once, for 3 days. It is shown only now; a new invitation makes a "
	               "new link and this one stops working.</p>\n<p class=\"link-once\">");
	rc_html_text(b, r->app->cfg->public_url);
	rc_html_lit(b, "/password/set/");
	rc_html_text(b, token);
	rc_html_lit(b, "</p></section>\n");
}

void rc_people_invite(rc_req *r, int64_t id, const char *back)
{
	rc_uc uc;
	rc_req_uc(r, &uc);
	rc_site site = {r->app->cfg->public_url, r->app->content->clinic.name};
	rc_problem p = {0};
	char token[RC_TOKEN_CHARS + 1] = "";
	rc_err e = uc.db ? rc_app_invite(&uc, &site, id, token, &p) : RC_EDB;
	rc_account a;
	bool found = false;
	if (!e && rc_account_by_id(uc.db, id, &a, &found))
		found = false;
	if (e || !found) {
		rc_page_refused(r, e ? e : RC_EDB, &p, "invitation");
		return;
	}
	rc_buf *b = &r->out;
	rc_page_begin(r, "Invitation", strcmp(back, "/runners/") == 0 ? "patients" : "admin");
	rc_html_lit(b, "<h1>Invitation for ");
	rc_html_text(b, a.name);
	rc_html_lit(b, "</h1>\n");
	invitation_shown(r, a.email, token);
	rc_html_lit(b, "<p><a href=\"");
	rc_html_text(b, back);
	rc_html_printf(b, "%lld", (long long)id);
	rc_html_lit(b, "\">Back to ");
	rc_html_text(b, a.name);
	rc_html_lit(b, "</a></p>\n");
	rc_page_end(r);
}

void rc_people_staff_added(rc_req *r, const char *email, const char *token)
{
	invitation_shown(r, email, token);
}

/* --- one account -------------------------------------------------------------------------------- */

static void person_page(rc_req *r, const rc_account *a, const char *notice, const rc_problem *p)
{
	rc_buf *b = &r->out;
	char path[80];
	rc_page_begin(r, a->name, "admin");
	rc_html_lit(b, "<p><a href=\"/admin/users\">Accounts</a></p>\n<h1>");
	rc_html_text(b, a->name);
	rc_html_lit(b, "</h1>\n");
	if (notice)
		rc_page_notice(r, notice);
	if (p && p->text[0] && (!p->field || strcmp(p->field, "role") != 0))
		rc_page_alert(r, p->text);
	rc_html_lit(b, "<dl class=\"facts\"><dt>Email</dt><dd>");
	rc_html_text(b, a->email[0] ? a->email : "none");
	rc_html_lit(b, "</dd><dt>Role</dt><dd>");
	rc_html_text(b, rc_role_label(a->role));
	rc_html_lit(b, "</dd><dt>Status</dt><dd>");
	rc_html_text(b, a->deactivated_at ? "deactivated: cannot sign in"
	                : a->password_hash[0] ? "active: signs in"
	                : a->email[0]         ? "invited: no password chosen yet"
	                                      : "no email address: cannot sign in");
	rc_html_lit(b, "</dd>");
	if (a->patient) {
		rc_html_lit(b, "<dt>Patient record</dt><dd><a href=\"/runners/");
		rc_html_printf(b, "%lld", (long long)a->id);
		rc_html_lit(b, "\">appointments and records</a></dd>");
	}
	rc_html_lit(b, "</dl>\n<h2>Role</h2>\n");
	snprintf(path, sizeof path, "/admin/users/%lld/role", (long long)a->id);
	rc_form_open(r, path);
	bool role_error = p && p->field && strcmp(p->field, "role") == 0;
	rc_html_lit(b, "<p><label for=\"f-role\">Role</label>");
	if (role_error) {
		rc_html_lit(b, "<span class=\"field-error\" id=\"e-role\">");
		rc_html_text(b, p->text);
		rc_html_lit(b, "</span>");
	}
	rc_html_lit(b, "<select id=\"f-role\" name=\"role\"");
	if (role_error)
		rc_html_lit(b, " aria-invalid=\"true\" aria-describedby=\"e-role\"");
	rc_html_lit(b, ">");
	static const rc_role roles[] = {RC_ROLE_RUNNER, RC_ROLE_PRACTITIONER, RC_ROLE_FRONT_DESK, RC_ROLE_ADMIN};
	for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++) {
		rc_html_lit(b, "<option value=\"");
		rc_html_text(b, rc_role_name(roles[i]));
		rc_html_lit(b, "\"");
		if (a->role == roles[i])
			rc_html_lit(b, " selected");
		rc_html_lit(b, ">");
		rc_html_text(b, rc_role_label(roles[i]));
		rc_html_lit(b, "</option>");
	}
	rc_html_lit(b, "</select></p>\n");
	if (a->role == RC_ROLE_RUNNER)
		rc_html_lit(b, "<p>A runner who becomes staff keeps their patient record: their appointments, chart and "
		               "programs stay theirs.</p>\n");
	rc_form_close(r, "Change the role");
	rc_html_lit(b, "<h2>Signing in</h2>\n");
	if (a->deactivated_at) {
		rc_html_lit(b, "<p>Deactivated ");
		rc_html_time(b, a->deactivated_at, "%e %b %Y, %H:%M");
		rc_html_lit(b, ". Reactivated, the account signs in with its password again; its old API tokens stay "
		               "revoked.</p>\n");
		snprintf(path, sizeof path, "/admin/users/%lld/reactivate", (long long)a->id);
		rc_form_button(r, path, "Reactivate");
	} else {
		rc_html_lit(b, "<p>Deactivating ends every session and API token of the account at once; it can no longer "
		               "sign in until it is reactivated. Its records stay.</p>\n");
		snprintf(path, sizeof path, "/admin/users/%lld/deactivate", (long long)a->id);
		rc_form_button(r, path, "Deactivate");
	}
	if (!a->password_hash[0] && a->email[0] && !a->deactivated_at) {
		rc_html_lit(b, "<h2>Invitation</h2>\n<p>");
		rc_html_text(b, r->app->cfg->mail_relay ? "A new invitation is mailed, and any earlier link stops working."
		                                        : "No mail relay is set up: a new invitation's link is shown here "
		                                          "once, for you to give to the person. Any earlier link stops "
		                                          "working.");
		rc_html_lit(b, "</p>\n");
		snprintf(path, sizeof path, "/admin/users/%lld/invite", (long long)a->id);
		rc_form_button(r, path, "Send a new invitation");
	}
	rc_page_end(r);
}

static const char *done_notice(const char *done)
{
	if (!done)
		return NULL;
	if (strcmp(done, "role") == 0)
		return "The role is changed.";
	if (strcmp(done, "deactivated") == 0)
		return "Deactivated: its sessions and API tokens have ended, and it cannot sign in.";
	if (strcmp(done, "reactivated") == 0)
		return "Reactivated: it can sign in with its password again.";
	return NULL;
}

void rc_page_person(rc_req *r)
{
	rc_uc uc;
	rc_req_uc(r, &uc);
	rc_account a;
	rc_problem p = {0};
	rc_err e = uc.db ? rc_app_people_get(&uc, rc_page_param_id(r), &a, &p) : RC_EDB;
	if (e) {
		rc_page_refused(r, e, &p, "account");
		return;
	}
	person_page(r, &a, done_notice(rc_req_query(r, "done")), NULL);
}

/* After a change: back to the account's page with what was done, or the page again with why not. */
static void after(rc_req *r, int64_t id, rc_err e, const rc_problem *p, const char *done)
{
	rc_uc uc;
	rc_req_uc(r, &uc);
	if (!e) {
		char *to = rc_arena_printf(&r->arena, "/admin/users/%lld?done=%s", (long long)id, done);
		rc_req_redirect(r, to ? to : "/admin/users");
		return;
	}
	rc_account a;
	rc_problem p2 = {0};
	if (rc_page_status_of(e) == 503 || e == RC_ENOTFOUND || e == RC_EFORBIDDEN || rc_app_people_get(&uc, id, &a, &p2)) {
		rc_page_refused(r, e, p, done);
		return;
	}
	r->status = rc_page_status_of(e);
	person_page(r, &a, NULL, p);
}

/* One of the three changes, by the use case that makes it. */
static void change(rc_req *r, int what)
{
	rc_uc uc;
	rc_req_uc(r, &uc);
	int64_t id = rc_page_param_id(r);
	rc_problem p = {0};
	rc_err e = !uc.db     ? RC_EDB
	           : what == 0 ? rc_app_people_role(&uc, id, rc_role_parse(rc_req_form(r, "role")), &p)
	           : what == 1 ? rc_app_people_deactivate(&uc, id, &p)
	                       : rc_app_people_reactivate(&uc, id, &p);
	after(r, id, e, &p, what == 0 ? "role" : what == 1 ? "deactivated" : "reactivated");
}

void rc_page_person_role(rc_req *r)
{
	change(r, 0);
}

void rc_page_person_deactivate(rc_req *r)
{
	change(r, 1);
}

void rc_page_person_reactivate(rc_req *r)
{
	change(r, 2);
}

void rc_page_person_invite(rc_req *r)
{
	rc_people_invite(r, rc_page_param_id(r), "/admin/users/");
}
