/* account.c — sign in and out, sign up, set and reset a password by a mailed single-use link,
 * change the password, download one's data, delete the account. */
#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/text.h"
#include "base/time.h"
#include "domain/password.h"
#include "store/export.h"
#include "store/privacy.h"
#include "web/auth.h"
#include "web/html.h"
#include "web/layout.h"
#include "web/pages/pages.h"

/* Lower-cases and checks an email address: one '@', something on each side, a dot in the domain,
 * no spaces, at most RC_EMAIL_MAX bytes. */
bool rc_clean_email(const char *in, char out[RC_EMAIL_MAX + 1])
{
	if (!in)
		return false;
	while (*in == ' ' || *in == '\t')
		in++;
	size_t n = strlen(in);
	while (n && (in[n - 1] == ' ' || in[n - 1] == '\t'))
		n--;
	if (n < 3 || n > RC_EMAIL_MAX)
		return false;
	int ats = 0;
	size_t at = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)in[i];
		if (c <= ' ' || c == 0x7f || c == '<' || c == '>' || c == '"' || c == ',' || c == ';')
			return false;
		if (c == '@')
			ats++, at = i;
		out[i] = (char)tolower(c);
	}
	out[n] = '\0';
	return ats == 1 && at > 0 && at < n - 1 && strchr(out + at + 1, '.') && out[n - 1] != '.';
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

static char *link_url(rc_req *r, const char *path, const char *token)
{
	return rc_arena_printf(&r->arena, "%s%s%s", r->app->cfg->public_url, path, token);
}

/* Creates a single-use link for the account and puts a mail with it in the outbox. */
rc_err rc_mail_link(rc_req *r, rc_db *db, int64_t account_id, const char *email, const char *purpose,
                        const char *subject, const char *intro)
{
	char token[RC_TOKEN_CHARS + 1], hash[RC_HEX_HASH + 1];
	rc_auth_token(token);
	rc_auth_token_hash(token, hash);
	int64_t now = r->now;
	rc_err e = rc_link_create(db, hash, account_id, purpose, now, now + RC_LINK_TTL_S);
	if (e)
		return e;
	char *body = rc_arena_printf(&r->arena,
	                             "%s\n\n%s\n\nThe link works once, for one hour. If you did not ask for this, "
	                             "ignore this message: nothing changes.\n\n%s\n",
	                             intro, link_url(r, "/password/set/", token), r->app->content->clinic.name);
	return body ? rc_outbox_add(db, email, subject, body, now) : RC_ENOMEM;
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
	char email[RC_EMAIL_MAX + 1];
	/* One message for every failure, so it never tells whether an address has an account. */
	static const char generic[] = "That email and password do not match an account.";
	if (!rc_clean_email(raw, email) || !pw || !*pw) {
		r->status = 400;
		signin_page(r, raw, next, "Enter your email address and your password.");
		return;
	}
	rc_db *db = rc_req_db(r);
	int64_t now = r->now, by_email = 0, by_addr = 0, latest = 0;
	if (rc_signin_failures(db, email, r->remote, now - RC_THROTTLE_WINDOW_S, &by_email, &by_addr, &latest)) {
		rc_page_error(r, 503, "The service is busy; try again in a moment.");
		return;
	}
	int64_t wait = rc_auth_throttle_wait(by_email, by_addr, latest, now);
	if (wait > 0) {
		char msg[160];
		snprintf(msg, sizeof msg, "Too many attempts. Wait %lld second%s and try again.", (long long)wait,
		         wait == 1 ? "" : "s");
		r->status = 429;
		char ra[24];
		snprintf(ra, sizeof ra, "%lld", (long long)wait);
		rc_req_header(r, "Retry-After", ra);
		signin_page(r, raw, next, msg);
		return;
	}
	rc_account a;
	bool found = false, rehash = false;
	if (rc_account_by_email(db, email, &a, &found)) {
		rc_page_error(r, 503, "The service is busy; try again in a moment.");
		return;
	}
	bool ok = rc_auth_verify_password(found ? a.password_hash : NULL, pw, &rehash) && found;
	if (!ok) {
		if (rc_signin_failure_add(db, email, r->remote, now))
			rc_error("could not record a failed sign-in: %s", rc_db_errmsg(db));
		r->status = 401;
		signin_page(r, raw, next, generic);
		return;
	}
	if (rehash) {
		char h[RC_HASH_MAX + 1];
		if (!rc_auth_hash_password(pw, h) && rc_account_set_password(db, a.id, h, a.password_changed_at))
			rc_warn("could not store a rehashed password");
	}
	if (rc_signin_failures_clear(db, email) || !start_session(r, a.id)) {
		rc_page_error(r, 503, "The service is busy; try again in a moment.");
		return;
	}
	r->user = a;
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

static void signup_page(rc_req *r, const char *name, const char *email, const char *name_err, const char *email_err)
{
	rc_page_begin(r, "Create an account", "signin");
	rc_html_lit(&r->out, "<h1>Create an account</h1>\n<p>For runners: keep your self-check results, follow your "
	                     "home program and book with the clinic. We send you a link to choose a password.</p>\n");
	rc_form_open(r, "/signup");
	rc_form_input(r, "name", "Your name", "text", name, name_err, "name");
	rc_form_input(r, "email", "Email", "email", email, email_err, "email");
	rc_form_close(r, "Create account");
	rc_page_end(r);
}

void rc_page_signup(rc_req *r)
{
	signup_page(r, NULL, NULL, NULL, NULL);
}

struct signup {
	rc_req *r;
	const char *email, *name;
};

/* In one transaction (retried on conflict): a new runner with a set-password link, or, when the
 * address has an account, a mail to its owner. Either way the page says the same. */
static rc_err signup_tx(rc_db *db, void *arg)
{
	struct signup *c = arg;
	rc_account a;
	bool found = false;
	int64_t id = 0;
	rc_err e = rc_account_by_email(db, c->email, &a, &found);
	if (e)
		return e;
	if (found)
		return rc_mail_link(c->r, db, a.id, c->email, "reset_password", "You already have a runcare account",
		                    "Someone tried to create an account with this address, which already has one. "
		                    "If it was you, choose a new password with this link.");
	if ((e = rc_account_create(db, c->email, c->name, RC_ROLE_RUNNER, NULL, c->r->now, &id)))
		return e;
	return rc_mail_link(c->r, db, id, c->email, "set_password", "Choose your runcare password",
	                    "Welcome. Choose your password with this link to finish creating your account.");
}

void rc_page_signup_post(rc_req *r)
{
	const char *name = rc_req_form(r, "name"), *raw = rc_req_form(r, "email");
	char email[RC_EMAIL_MAX + 1];
	const char *name_err = NULL, *email_err = NULL;
	if (!name || !*name || !rc_text_is_line(name, RC_NAME_MAX))
		name_err = "Enter your name on one line (up to 120 characters).";
	if (!rc_clean_email(raw, email))
		email_err = "Enter an email address such as name@example.org.";
	if (name_err || email_err) {
		r->status = 400;
		signup_page(r, name, raw, name_err, email_err);
		return;
	}
	struct signup ctx = {r, email, name};
	rc_db *db = rc_req_db(r);
	if (rc_db_tx(db, signup_tx, &ctx)) {
		rc_error("signup: %s", rc_db_errmsg(db));
		rc_page_error(r, 503, "The service is busy; try again in a moment.");
		return;
	}
	check_inbox(r, "Create an account");
}

void rc_page_forgot(rc_req *r)
{
	rc_page_begin(r, "Forgot your password", "signin");
	rc_html_lit(&r->out, "<h1>Forgot your password?</h1>\n<p>We will mail a link to choose a new one.</p>\n");
	rc_form_open(r, "/password/forgot");
	rc_form_input(r, "email", "Email", "email", NULL, NULL, "email");
	rc_form_close(r, "Send the link");
	rc_page_end(r);
}

void rc_page_forgot_post(rc_req *r)
{
	char email[RC_EMAIL_MAX + 1];
	if (rc_clean_email(rc_req_form(r, "email"), email)) {
		rc_db *db = rc_req_db(r);
		rc_account a;
		bool found = false;
		rc_err e = rc_account_by_email(db, email, &a, &found);
		if (!e && found)
			e = rc_mail_link(r, db, a.id, email, "reset_password", "Reset your runcare password",
			              "Choose a new password with this link.");
		if (e)
			rc_error("password reset: %s", rc_db_errmsg(db));
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

static bool link_token_ok(rc_req *r, char hash[RC_HEX_HASH + 1])
{
	const char *t = r->params[0];
	bool valid = false;
	if (t && strlen(t) == RC_TOKEN_CHARS) {
		rc_auth_token_hash(t, hash);
		if (rc_link_peek(rc_req_db(r), hash, r->now, &valid))
			valid = false;
	}
	if (!valid)
		rc_page_error(r, 404, "This link has expired or has already been used. Ask for a new one from the "
		                      "sign-in page.");
	return valid;
}

void rc_page_set_password(rc_req *r)
{
	char hash[RC_HEX_HASH + 1];
	if (link_token_ok(r, hash))
		set_password_page(r, NULL);
}

struct use_link {
	const char *hash, *pwhash;
	int64_t id, now;
	bool valid;
};

/* Use the link, set the password and end every old session in one transaction: a link is never
 * spent without the password changing. */
static rc_err use_link_tx(rc_db *db, void *arg)
{
	struct use_link *c = arg;
	int64_t now = c->now;
	rc_err e = rc_link_use(db, c->hash, now, &c->id, &c->valid);
	if (e || !c->valid)
		return e;
	if ((e = rc_account_set_password(db, c->id, c->pwhash, now)))
		return e;
	return rc_session_delete_all(db, c->id, NULL);
}

void rc_page_set_password_post(rc_req *r)
{
	char hash[RC_HEX_HASH + 1], why[200], pwhash[RC_HASH_MAX + 1];
	if (!link_token_ok(r, hash))
		return;
	const char *pw = rc_req_form(r, "password"), *confirm = rc_req_form(r, "confirm");
	if (!pw || !confirm || strcmp(pw, confirm) != 0) {
		r->status = 400;
		set_password_page(r, "The two passwords are not the same.");
		return;
	}
	if (rc_password_check(pw, NULL, why, sizeof why)) {
		r->status = 400;
		set_password_page(r, why);
		return;
	}
	if (rc_auth_hash_password(pw, pwhash)) {
		rc_page_error(r, 503, "The service is busy; try again in a moment.");
		return;
	}
	rc_db *db = rc_req_db(r);
	struct use_link ctx = {hash, pwhash, 0, r->now, false};
	rc_err e = rc_db_tx(db, use_link_tx, &ctx);
	if (e || !ctx.valid) {
		if (e)
			rc_page_error(r, 503, "The service is busy; try again in a moment.");
		else
			rc_page_error(r, 404, "This link has expired or has already been used.");
		return;
	}
	int64_t id = ctx.id;
	bool found = false;
	if (rc_account_by_id(db, id, &r->user, &found) || !found || !start_session(r, id)) {
		rc_page_error(r, 503, "The service is busy; try again in a moment.");
		return;
	}
	rc_req_audit(r, "password.set", r->user.role == RC_ROLE_RUNNER ? id : 0, "by mailed link");
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
		               "<a href=\"/account/calendar\">My appointments in my calendar</a></p>\n");
	}
	rc_html_lit(b, "<h2>Change password</h2>\n");
	rc_form_open(r, "/account/password");
	rc_form_input(r, "current", "Current password", "password", NULL, NULL, "current-password");
	rc_form_input(r, "password", "New password", "password", NULL, pw_error, "new-password");
	rc_form_input(r, "confirm", "The new password again", "password", NULL, NULL, "new-password");
	rc_form_close(r, "Change password");
	rc_html_lit(b, "<h2>Your data</h2>\n<p><a href=\"/account/export\" download>Download everything runcare holds "
	               "about you</a> (one JSON file).</p>\n");
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

struct new_password {
	int64_t id, now;
	const char *hash;
};

static rc_err new_password_tx(rc_db *db, void *arg)
{
	struct new_password *c = arg;
	rc_err e = rc_account_set_password(db, c->id, c->hash, c->now);
	return e ? e : rc_session_delete_all(db, c->id, NULL);
}

void rc_page_account_password(rc_req *r)
{
	const char *cur = rc_req_form(r, "current"), *pw = rc_req_form(r, "password"), *confirm = rc_req_form(r, "confirm");
	char why[200], h[RC_HASH_MAX + 1];
	bool rehash;
	if (!cur || !rc_auth_verify_password(r->user.password_hash, cur, &rehash)) {
		r->status = 400;
		account_page(r, NULL, "Your current password is not right.", NULL);
		return;
	}
	if (!pw || !confirm || strcmp(pw, confirm) != 0) {
		r->status = 400;
		account_page(r, NULL, "The two new passwords are not the same.", NULL);
		return;
	}
	if (rc_password_check(pw, r->user.email, why, sizeof why)) {
		r->status = 400;
		account_page(r, NULL, why, NULL);
		return;
	}
	rc_db *db = rc_req_db(r);
	int64_t id = r->user.id;
	struct new_password ctx = {id, r->now, h};
	if (rc_auth_hash_password(pw, h) || rc_db_tx(db, new_password_tx, &ctx)) {
		rc_page_error(r, 503, "The service is busy; try again in a moment.");
		return;
	}
	/* Every session ended, this one too: a fresh one for the person who just proved who they are. */
	if (!start_session(r, id)) {
		rc_page_error(r, 503, "The service is busy; try again in a moment.");
		return;
	}
	rc_req_audit(r, "password.change", r->user.role == RC_ROLE_RUNNER ? id : 0, "");
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

/* arg: {runner id, now} */
static rc_err erase_tx(rc_db *db, void *arg)
{
	const int64_t *v = arg;
	return rc_privacy_erase_runner(db, v[0], v[1]);
}

void rc_page_account_delete(rc_req *r)
{
	bool rehash;
	if (!rc_auth_verify_password(r->user.password_hash, rc_req_form(r, "password") ? rc_req_form(r, "password") : "",
	                             &rehash)) {
		r->status = 400;
		account_page(r, NULL, NULL, "Your password is not right; the account is not deleted.");
		return;
	}
	rc_db *db = rc_req_db(r);
	int64_t id = r->user.id, erase[2] = {id, r->now};
	rc_req_audit(r, "account.delete", id, "erased at the runner's request");
	if (rc_db_tx(db, erase_tx, erase)) {
		rc_page_error(r, 503, "The service is busy; the account is not deleted. Try again in a moment.");
		return;
	}
	rc_req_cookie(r, "rc_session", "", 0);
	memset(&r->user, 0, sizeof r->user);
	rc_page_begin(r, "Account deleted", NULL);
	rc_html_lit(&r->out, "<h1>Your account is deleted</h1>\n<p>Your name, email address, password and sessions are "
	                     "erased.</p>\n");
	rc_page_end(r);
}
