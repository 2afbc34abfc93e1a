/* account.c — sign in and out, sign up, set and reset a password by a mailed single-use link,
 * change the password, download one's data, delete the account. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/text.h"
#include "base/time.h"
#include "app/account.h"
#include "store/export.h"
#include "web/auth.h"
#include "web/html.h"
#include "web/layout.h"
#include "web/pages/pages.h"
#include "web/pages/selfcheck_pages.h"

/* The email rule is app/account.c's; the other pages call it by this name. */
bool rc_clean_email(const char *in, char out[RC_EMAIL_MAX + 1])
{
	return rc_app_email_clean(in, out);
}

/* A path on this site to return to after signing in; anything else goes to the account page. Browsers
 * drop tabs and newlines from a URL and read '\\' as '/', so "/\t/host" or "/\\host" would leave the
 * site: only printable ASCII, no backslash, and never two slashes at the start. */
static const char *safe_next(const char *next)
{
	if (!next || next[0] != '/' || next[1] == '/' || strlen(next) > 1024)
		return "/account";
	for (const char *p = next; *p; p++)
		if (*p <= 0x20 || *p >= 0x7F || *p == '\\')
			return "/account";
	return next;
}

static bool start_session(rc_req *r, int64_t account_id)
{
	char token[RC_TOKEN_CHARS + 1], hash[RC_HEX_HASH + 1], csrf_src[RC_TOKEN_CHARS + 1], csrf[RC_HEX_HASH + 1];
	rc_auth_token(token);
	rc_auth_token_hash(token, hash);
	rc_auth_token(csrf_src);
	rc_auth_token_hash(csrf_src, csrf);
	rc_db *db = rc_req_db(r);
	if (!db || rc_session_create(db, hash, account_id, csrf, r->now)) {
		rc_error("session create failed: %s", db ? rc_db_errmsg(db) : "no database");
		return false;
	}
	rc_req_cookie(r, "rc_session", token, RC_SESSION_ABSOLUTE_S);
	snprintf(r->session_hash, sizeof r->session_hash, "%s", hash);
	snprintf(r->csrf, sizeof r->csrf, "%s", csrf);
	return true;
}

/* How links in this site's mail read. */
static rc_site site_of(rc_req *r)
{
	return (rc_site){r->app->cfg->public_url, r->app->content->clinic.name};
}

/* A use case refused with a limit (app/account.h): 429, when to come back, and the sentence. */
static void too_many(rc_req *r, int64_t retry_after)
{
	char ra[24];
	snprintf(ra, sizeof ra, "%lld", (long long)retry_after);
	r->status = 429;
	rc_req_header(r, "Retry-After", ra);
}

/* What an account use case's error means for the page: false when it has answered with an error page
 * (a database that is busy or down), true when the caller shows its form again with p's sentence. */
static bool form_status(rc_req *r, rc_err e, int64_t retry_after, const char *what)
{
	if (e == RC_EBUSY && retry_after > 0) {
		too_many(r, retry_after);
		return true;
	}
	if (e == RC_EINVAL) {
		r->status = 422;
		return true;
	}
	if (e == RC_EFORBIDDEN) {
		r->status = 403; /* a deactivated account, told once its password is right */
		return true;
	}
	rc_error("%s: %s (%s)", what, rc_err_str(e), r->db ? rc_db_errmsg(r->db) : "no database");
	rc_page_error(r, 503, "The service is busy; try again in a moment.");
	return false;
}

/* --- sign in / out ------------------------------------------------------------------------ */

static void signin_page(rc_req *r, const char *email, const char *next, const char *error)
{
	rc_page_begin(r, "Sign in", "signin");
	rc_html_lit(&r->out, "<h1>Sign in</h1>\n");
	if (error)
		rc_page_alert(r, error);
	rc_form_open(r, "/signin");
	rc_html_lit(&r->out, "<input type=\"hidden\" name=\"next\" value=\"");
	rc_html_text(&r->out, safe_next(next));
	rc_html_lit(&r->out, "\">\n");
	rc_form_input(r, "email", "Email", "email", email, NULL, "username");
	rc_form_input(r, "password", "Password", "password", NULL, NULL, "current-password");
	rc_form_close(r, "Sign in");
	rc_html_lit(&r->out, "<p><a href=\"/password/forgot\">Forgot your password?</a> · "
	                     "New here? <a href=\"/signup\">Create an account</a></p>\n");
	rc_page_end(r);
}

void rc_page_signin(rc_req *r)
{
	signin_page(r, NULL, rc_req_query(r, "next"), NULL);
}

void rc_page_signin_post(rc_req *r)
{
	const char *raw = rc_req_form(r, "email"), *pw = rc_req_form(r, "password"), *next = rc_req_form(r, "next");
	rc_uc uc;
	rc_req_uc(r, &uc);
	rc_problem p = {0};
	rc_account a;
	int64_t retry = 0;
	rc_err e = uc.db ? rc_app_signin(&uc, raw, pw, &a, &retry, &p) : RC_EDB;
	if (e) {
		/* A wrong password is 401 (the page says so in the same words for every account). */
		if (form_status(r, e, retry, "sign-in")) {
			if (e == RC_EINVAL && strcmp(p.field ? p.field : "", "password") == 0)
				r->status = 401;
			signin_page(r, raw, next, p.text);
		}
		return;
	}
	if (!start_session(r, a.id)) {
		rc_page_error(r, 503, "The service is busy; try again in a moment.");
		return;
	}
	r->user = a;
	rc_selfcheck_claim_for(r);
	rc_req_audit(r, "signin", a.role == RC_ROLE_RUNNER ? a.id : 0, "");
	rc_req_redirect(r, safe_next(next));
}

void rc_page_signout(rc_req *r)
{
	rc_db *db = rc_req_db(r);
	if (r->session_hash[0] && rc_session_delete(db, r->session_hash))
		rc_error("sign-out: %s", rc_db_errmsg(db));
	rc_req_cookie(r, "rc_session", "", 0);
	rc_req_redirect(r, "/");
}

/* --- sign up, forgotten password, set password by link ------------------------------------- */

static void check_inbox(rc_req *r, const char *title)
{
	rc_page_begin(r, title, NULL);
	rc_html_lit(&r->out, "<h1>Check your inbox</h1>\n<p>If the address can be used, a message with a link is on "
	                     "its way. The link works once, for one hour.</p>\n");
	rc_page_end(r);
}

static void signup_page(rc_req *r, const char *name, const char *email, const rc_problem *p)
{
	const char *field = p ? p->field : NULL;
	rc_page_begin(r, "Create an account", "signin");
	rc_html_lit(&r->out, "<h1>Create an account</h1>\n<p>For runners: keep your self-check results, follow your "
	                     "home program and book with the clinic. We send you a link to choose a password.</p>\n");
	if (p && !field)
		rc_page_alert(r, p->text);
	rc_form_open(r, "/signup");
	rc_form_input(r, "name", "Your name", "text", name, field && strcmp(field, "name") == 0 ? p->text : NULL, "name");
	rc_form_input(r, "email", "Email", "email", email, field && strcmp(field, "email") == 0 ? p->text : NULL,
	              "email");
	rc_form_close(r, "Create account");
	rc_page_end(r);
}

void rc_page_signup(rc_req *r)
{
	signup_page(r, NULL, NULL, NULL);
}

void rc_page_signup_post(rc_req *r)
{
	const char *name = rc_req_form(r, "name"), *raw = rc_req_form(r, "email");
	rc_uc uc;
	rc_req_uc(r, &uc);
	rc_site site = site_of(r);
	rc_problem p = {0};
	int64_t retry = 0;
	rc_err e = uc.db ? rc_app_signup(&uc, &site, name, raw, &retry, &p) : RC_EDB;
	if (e) {
		if (form_status(r, e, retry, "sign-up"))
			signup_page(r, name, raw, &p);
		return;
	}
	check_inbox(r, "Create an account");
}

static void forgot_page(rc_req *r, const char *email, const rc_problem *p)
{
	rc_page_begin(r, "Forgot your password", "signin");
	rc_html_lit(&r->out, "<h1>Forgot your password?</h1>\n<p>We will mail a link to choose a new one.</p>\n");
	if (p && !p->field)
		rc_page_alert(r, p->text);
	rc_form_open(r, "/password/forgot");
	rc_form_input(r, "email", "Email", "email", email, p && p->field ? p->text : NULL, "email");
	rc_form_close(r, "Send the link");
	rc_page_end(r);
}

void rc_page_forgot(rc_req *r)
{
	forgot_page(r, NULL, NULL);
}

void rc_page_forgot_post(rc_req *r)
{
	const char *raw = rc_req_form(r, "email");
	rc_uc uc;
	rc_req_uc(r, &uc);
	rc_site site = site_of(r);
	rc_problem p = {0};
	int64_t retry = 0;
	rc_err e = uc.db ? rc_app_forgot(&uc, &site, raw, &retry, &p) : RC_EDB;
	if (e) {
		if (form_status(r, e, retry, "password reset"))
			forgot_page(r, raw, &p);
		return;
	}
	check_inbox(r, "Forgot your password");
}

static void set_password_page(rc_req *r, const char *error)
{
	rc_page_begin(r, "Choose a password", NULL);
	rc_html_lit(&r->out, "<h1>Choose a password</h1>\n<p>At least 10 characters. A few words together are easy to "
	                     "remember and hard to guess.</p>\n");
	char *action = rc_arena_printf(&r->arena, "/password/set/%s", r->params[0]);
	rc_form_open(r, action ? action : "/");
	rc_form_input(r, "password", "New password", "password", NULL, error, "new-password");
	rc_form_input(r, "confirm", "The same password again", "password", NULL, NULL, "new-password");
	rc_form_close(r, "Save password");
	rc_page_end(r);
}

static const char dead_link[] = "This link has expired or has already been used. Ask for a new one from the "
                                "sign-in page.";

void rc_page_set_password(rc_req *r)
{
	rc_uc uc;
	rc_req_uc(r, &uc);
	bool live = false;
	if (!uc.db || rc_app_link_live(&uc, r->params[0], &live)) {
		rc_page_error(r, 503, "The service is busy; try again in a moment.");
		return;
	}
	if (!live) {
		rc_page_error(r, 404, dead_link);
		return;
	}
	set_password_page(r, NULL);
}

void rc_page_set_password_post(rc_req *r)
{
	rc_uc uc;
	rc_req_uc(r, &uc);
	rc_problem p = {0};
	rc_account a;
	rc_err e = uc.db ? rc_app_password_by_link(&uc, r->params[0], rc_req_form(r, "password"),
	                                           rc_req_form(r, "confirm"), &a, &p)
	                 : RC_EDB;
	if (e == RC_ENOTFOUND) {
		rc_page_error(r, 404, dead_link);
		return;
	}
	if (e) {
		if (form_status(r, e, 0, "set password by link"))
			set_password_page(r, p.text);
		return;
	}
	r->user = a;
	if (!start_session(r, a.id)) {
		rc_page_error(r, 503, "The service is busy; try again in a moment.");
		return;
	}
	rc_selfcheck_claim_for(r);
	rc_req_audit(r, "password.set", a.role == RC_ROLE_RUNNER ? a.id : 0, "by mailed link");
	rc_req_redirect(r, "/account");
}

/* --- the account page, password change, export, deletion ---------------------------------- */

static void account_page(rc_req *r, const char *notice, const char *pw_error, const char *del_error)
{
	const rc_account *a = &r->user;
	rc_buf *b = &r->out;
	rc_page_begin(r, "My account", "account");
	rc_html_lit(b, "<h1>My account</h1>\n");
	if (notice)
		rc_page_notice(r, notice);
	rc_html_lit(b, "<dl class=\"facts\"><dt>Name</dt><dd>");
	rc_html_text(b, a->name);
	rc_html_lit(b, "</dd><dt>Email</dt><dd>");
	rc_html_text(b, a->email);
	rc_html_lit(b, "</dd><dt>Role</dt><dd>");
	rc_html_text(b, rc_role_label(a->role));
	rc_html_lit(b, "</dd></dl>\n");
	if (a->role == RC_ROLE_RUNNER) {
		rc_html_lit(b, "<p><a href=\"/runners/");
		rc_html_printf(b, "%lld", (long long)a->id);
		rc_html_lit(b, "\">My record</a> · <a href=\"/selfcheck/history\">My self-checks</a> · "
		               "<a href=\"/account/calendar\">My appointments in my calendar</a> · <a href=\"/runners/");
		rc_html_printf(b, "%lld", (long long)a->id);
		rc_html_lit(b, "/billing\">My invoices, receipts and superbills</a></p>\n");
	}
	rc_html_lit(b, "<h2>Change password</h2>\n");
	rc_form_open(r, "/account/password");
	rc_form_input(r, "current", "Current password", "password", NULL, NULL, "current-password");
	rc_form_input(r, "password", "New password", "password", NULL, pw_error, "new-password");
	rc_form_input(r, "confirm", "The new password again", "password", NULL, NULL, "new-password");
	rc_form_close(r, "Change password");
	rc_html_lit(b, "<h2>Your data</h2>\n");
	/* The record is a patient's: runners, and staff who kept the one they had as a runner. */
	if (a->role == RC_ROLE_RUNNER || a->patient)
		rc_html_lit(b, "<p><a href=\"/account/export.zip\" download>Download your record</a> (one .zip: a summary to "
		               "read and print, spreadsheets, the same record in HL7 FHIR for another health system, and your "
		               "training files as you gave them).</p>\n");
	rc_html_lit(b, "<p><a href=\"/account/export\" download>Everything runcare holds about you, as data</a> (one JSON "
	               "file, table by table).</p>\n");
	if (a->role == RC_ROLE_RUNNER) {
		rc_html_lit(b, "<h2>Delete your account</h2>\n<p>This erases your name, email, password and sign-ins. "
		               "Visit records the clinic must keep by law stay, without your contact details, for the "
		               "retention period.</p>\n");
		rc_form_open(r, "/account/delete");
		rc_form_input(r, "password", "Your password, to confirm", "password", NULL, del_error, "current-password");
		rc_form_close(r, "Delete my account");
	}
	rc_page_end(r);
}

void rc_page_account(rc_req *r)
{
	account_page(r, NULL, NULL, NULL);
}

void rc_page_account_password(rc_req *r)
{
	rc_uc uc;
	rc_req_uc(r, &uc);
	rc_problem p = {0};
	int64_t retry = 0;
	rc_err e = uc.db ? rc_app_password_change(&uc, rc_req_form(r, "current"), rc_req_form(r, "password"),
	                                          rc_req_form(r, "confirm"), &retry, &p)
	                 : RC_EDB;
	if (e) {
		if (form_status(r, e, retry, "password change"))
			account_page(r, NULL, p.text, NULL);
		return;
	}
	/* Every session ended, this one too: a fresh one for the person who just proved who they are. */
	if (!start_session(r, r->user.id)) {
		rc_page_error(r, 503, "The service is busy; try again in a moment.");
		return;
	}
	rc_req_audit(r, "password.change", r->user.role == RC_ROLE_RUNNER ? r->user.id : 0, "");
	account_page(r, "Your password is changed. Other devices are signed out.", NULL, NULL);
}

void rc_page_account_export(rc_req *r)
{
	json_t *doc = NULL;
	rc_db *db = rc_req_db(r);
	if (rc_export_runner(db, r->user.id, &doc)) {
		rc_page_error(r, 503, "The service is busy; try again in a moment.");
		return;
	}
	char at[32];
	rc_time_iso(r->now, at, sizeof at);
	json_object_set_new(doc, "exported_at", json_string(at));
	json_object_set_new(doc, "format", json_string("runcare export, version 1"));
	char *text = json_dumps(doc, JSON_INDENT(2) | JSON_SORT_KEYS);
	json_decref(doc);
	if (!text) {
		rc_page_error(r, 500, "The export could not be written.");
		return;
	}
	rc_buf_puts(&r->out, text);
	free(text);
	r->content_type = "application/json; charset=utf-8";
	rc_req_header(r, "Content-Disposition", "attachment; filename=\"runcare-export.json\"");
	rc_req_audit(r, "account.export", r->user.role == RC_ROLE_RUNNER ? r->user.id : 0, "");
}

void rc_page_account_delete(rc_req *r)
{
	rc_uc uc;
	rc_req_uc(r, &uc);
	rc_problem p = {0};
	int64_t retry = 0, id = r->user.id;
	rc_err e = uc.db ? rc_app_account_delete(&uc, rc_req_form(r, "password"), &retry, &p) : RC_EDB;
	if (e) {
		if (form_status(r, e, retry, "account deletion"))
			account_page(r, NULL, NULL, p.text);
		return;
	}
	/* After the erasure, in its own statement: the audit line keeps the runner's number only. */
	rc_req_audit(r, "account.delete", id, "erased at the runner's request");
	rc_req_cookie(r, "rc_session", "", 0);
	memset(&r->user, 0, sizeof r->user);
	rc_page_begin(r, "Account deleted", NULL);
	rc_html_lit(&r->out, "<h1>Your account is deleted</h1>\n<p>Your name, email address, password and sessions are "
	                     "erased.</p>\n");
	rc_page_end(r);
}
