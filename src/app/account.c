/* account.c (app) — the account use cases and their limits; see account.h. */
#include "app/account.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "base/text.h"
#include "domain/password.h"
#include "store/outbox.h"
#include "store/privacy.h"

bool rc_role_sees_clinical(rc_role role)
{
	/* A runner reaches only their own record (web/http.c sees to that), and sees it whole. */
	return role == RC_ROLE_PRACTITIONER || role == RC_ROLE_ADMIN || role == RC_ROLE_RUNNER;
}

bool rc_role_handles_money(rc_role role)
{
	return role == RC_ROLE_FRONT_DESK || role == RC_ROLE_ADMIN;
}

bool rc_app_email_clean(const char *in, char out[RC_EMAIL_MAX + 1])
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

/* --- limits -------------------------------------------------------------------------------- */

/* Seconds left of a wait that doubles from 1 s with each failure past the allowance. */
static int64_t backoff(int64_t failures, int64_t allowed, int64_t latest, int64_t now)
{
	int64_t over = failures - allowed;
	if (over < 0)
		return 0;
	int64_t wait = over >= 20 ? RC_SIGNIN_MAX_WAIT_S : (int64_t)1 << over;
	if (wait > RC_SIGNIN_MAX_WAIT_S)
		wait = RC_SIGNIN_MAX_WAIT_S;
	int64_t left = latest + wait - now;
	return left > 0 ? left : 0;
}

int64_t rc_app_signin_wait(const rc_signin_counts *c, int64_t now)
{
	int64_t pair = backoff(c->by_pair, RC_SIGNIN_FREE_PER_PAIR, c->pair_latest, now);
	int64_t addr = backoff(c->by_address, RC_SIGNIN_FREE_PER_ADDRESS, c->address_latest, now);
	return pair > addr ? pair : addr;
}

/* The names of the rate_event kinds: what each limit counts, and by what. */
static const char k_signup_address[] = "signup.address", k_reset_address[] = "reset.address",
		  k_link_email[] = "link.email", k_password_account[] = "password.account";

/* Whether one more attempt of kind by key stays within limit per window; when not, *retry is how long
 * until the oldest counted attempt leaves the window (at least 1 s). */
static rc_err within(rc_db *db, const char *kind, const char *key, int64_t limit, int64_t window, int64_t now,
                     int64_t *retry)
{
	int64_t n = 0, oldest = 0;
	rc_err e = rc_rate_count(db, kind, key, now - window, &n, &oldest);
	*retry = 0;
	if (!e && n >= limit) {
		*retry = oldest + window - now;
		if (*retry < 1)
			*retry = 1;
	}
	return e;
}

/* Counts one attempt; attempts older than the longest window are forgotten on the way. */
static rc_err count(rc_db *db, const char *kind, const char *key, int64_t now)
{
	return rc_rate_add(db, kind, key, now, now - RC_RATE_WINDOW_S);
}

static rc_err limited(rc_problem *p, int64_t retry, const char *what)
{
	long long m = (retry + 59) / 60;
	return rc_problem_set(p, RC_EBUSY, NULL, "%s Try again in %lld minute%s.", what, m, m == 1 ? "" : "s");
}

struct take {
	const char *kind;
	char key[RC_EMAIL_MAX + 1];
	int64_t limit, window, now, retry;
};

/* Checks and counts in one transaction, so processes racing for the last attempt cannot both get it. */
static rc_err take_tx(rc_db *db, void *arg)
{
	struct take *t = arg;
	rc_err e = within(db, t->kind, t->key, t->limit, t->window, t->now, &t->retry);
	if (e || t->retry)
		return e;
	return rc_rate_add(db, t->kind, t->key, t->now, t->now - RC_RATE_WINDOW_S);
}

/* A password check inside a session: counted per account, whether it is right or wrong. */
static rc_err take_password_check(const rc_uc *uc, int64_t *retry_after, rc_problem *p)
{
	struct take t = {k_password_account, "", RC_PASSWORD_CHECKS_PER_ACCOUNT, RC_PASSWORD_CHECK_WINDOW_S, uc->now, 0};
	snprintf(t.key, sizeof t.key, "%lld", (long long)uc->actor->id);
	rc_err e = rc_db_tx(uc->db, take_tx, &t);
	if (e)
		return e;
	*retry_after = t.retry;
	if (t.retry)
		return limited(p, t.retry, "Too many password attempts for this account.");
	return RC_OK;
}

/* --- mail with a link ---------------------------------------------------------------------- */

/* How long a link a mail carries works, in words for the mail. */
static const char *ttl_words(int64_t ttl)
{
	return ttl == RC_INVITE_TTL_S ? "for 3 days" : "for one hour";
}

static char *link_body(const rc_uc *uc, const rc_site *site, const char *intro, const char *token, int64_t ttl)
{
	return rc_arena_printf(uc->arena,
	                       "%s\n\n%s/password/set/%s\n\nThe link works once, %s. If you did not ask for "
	                       "this, ignore this message: nothing changes.\n\n%s\n",
	                       intro, site->public_url, token, ttl_words(ttl), site->clinic);
}

/* A single-use link for the account that works for ttl seconds (any older one is revoked) and a mail
 * with it in the outbox, in the caller's transaction; shown, when not NULL, gets the link's token (to
 * show on screen where no mail relay delivers the outbox). Expired links' mails lose their bodies on
 * the way. */
static rc_err mail_link(const rc_uc *uc, rc_db *db, const rc_site *site, int64_t account_id, const char *email,
                        const char *purpose, int64_t ttl, const char *subject, const char *intro,
                        char shown[RC_TOKEN_CHARS + 1])
{
	char token[RC_TOKEN_CHARS + 1], hash[RC_HEX_HASH + 1];
	rc_crypto_token(token);
	rc_crypto_token_hash(token, hash);
	rc_err e = rc_link_create(db, hash, account_id, purpose, uc->now, uc->now + ttl);
	if (e)
		return e;
	char *body = link_body(uc, site, intro, token, ttl);
	if (!body)
		return RC_ENOMEM;
	if ((e = rc_outbox_add_secret(db, email, subject, body, uc->now)))
		return e;
	if (shown)
		memcpy(shown, token, sizeof token);
	return rc_outbox_purge_secrets(db, uc->now - RC_LINK_TTL_S, NULL);
}

/* --- sign in ------------------------------------------------------------------------------- */

rc_err rc_app_signin(const rc_uc *uc, const char *raw_email, const char *password, rc_account *out,
                     int64_t *retry_after, rc_problem *p)
{
	char email[RC_EMAIL_MAX + 1];
	*retry_after = 0;
	if (!rc_app_email_clean(raw_email, email) || !password || !*password)
		return rc_problem_set(p, RC_EINVAL, "email", "Enter your email address and your password.");
	rc_db *db = uc->db;
	rc_signin_counts c;
	rc_err e = rc_signin_failures(db, email, uc->address, uc->now - RC_SIGNIN_WINDOW_S, &c);
	if (e)
		return e;
	int64_t wait = rc_app_signin_wait(&c, uc->now);
	if (wait > 0) {
		*retry_after = wait;
		return rc_problem_set(p, RC_EBUSY, NULL, "Too many attempts. Wait %lld second%s and try again.",
		                      (long long)wait, wait == 1 ? "" : "s");
	}
	rc_account a;
	bool found = false, rehash = false;
	if ((e = rc_account_by_email(db, email, &a, &found)))
		return e;
	/* A missing account costs one hash too, so the time taken does not tell. */
	bool ok = rc_crypto_verify_password(found ? a.password_hash : NULL, password, &rehash) && found;
	if (!ok) {
		if ((e = rc_signin_failure_add(db, email, uc->address, uc->now, uc->now - RC_SIGNIN_WINDOW_S)))
			return e;
		/* One sentence for every failure, so it never tells whether an address has an account. */
		return rc_problem_set(p, RC_EINVAL, "password", "That email and password do not match an account.");
	}
	if (rehash) {
		char h[RC_HASH_MAX + 1];
		if (!rc_crypto_hash_password(password, h) && rc_account_rehash(db, a.id, h))
			return RC_EDB;
	}
	if ((e = rc_signin_failures_clear(db, email, uc->address)))
		return e;
	/* Said only to whoever knows the password. */
	if (a.deactivated_at)
		return rc_problem_set(p, RC_EFORBIDDEN, NULL, "This account has been deactivated, so it cannot sign in. Ask "
		                                              "the clinic to reactivate it.");
	*out = a;
	return RC_OK;
}

/* --- sign up and forgotten passwords -------------------------------------------------------- */

struct signup {
	const rc_uc *uc;
	const rc_site *site;
	const char *name, *email;
	int64_t retry;
	const char *why;
};

/* In one transaction (retried on conflict): the limits, then a new runner with a set-password link,
 * or, when the address has an account, a mail to its owner. */
static rc_err signup_tx(rc_db *db, void *arg)
{
	struct signup *c = arg;
	const rc_uc *uc = c->uc;
	rc_err e;
	c->retry = 0;
	if ((e = within(db, k_signup_address, uc->address, RC_SIGNUPS_PER_ADDRESS, RC_RATE_WINDOW_S, uc->now, &c->retry)))
		return e;
	if (c->retry) {
		c->why = "Too many accounts were created from your network in the last hour.";
		return RC_OK;
	}
	if ((e = within(db, k_link_email, c->email, RC_LINK_MAILS_PER_EMAIL, RC_RATE_WINDOW_S, uc->now, &c->retry)))
		return e;
	if (c->retry) {
		c->why = "Too many messages were asked for this email address in the last hour.";
		return RC_OK;
	}
	if ((e = count(db, k_signup_address, uc->address, uc->now)) || (e = count(db, k_link_email, c->email, uc->now)))
		return e;
	rc_account a;
	bool found = false;
	int64_t id = 0;
	if ((e = rc_account_by_email(db, c->email, &a, &found)))
		return e;
	/* The page answers the same in every case below; only the mail differs, and it goes to the
	 * address's owner. */
	if (found && a.deactivated_at)
		return RC_OK; /* an account the clinic deactivated gets no way back in by mail */
	if (found && a.patient && !a.password_hash[0])
		/* The clinic registered this address (a patient who phoned in): proving the address claims that
		 * record, with its appointments, rather than making a second one. */
		return mail_link(uc, db, c->site, a.id, c->email, "set_password", RC_LINK_TTL_S,
		                 "Choose your runcare password",
		                 "Welcome. The clinic already has your record; choose your password with this link to "
		                 "finish creating your account, and you will see your visits there.", NULL);
	if (found)
		return mail_link(uc, db, c->site, a.id, c->email, "reset_password", RC_LINK_TTL_S,
		                 "You already have a runcare account",
		                 "Someone tried to create an account with this address, which already has one. If it was "
		                 "you, choose a new password with this link.", NULL);
	if ((e = rc_account_create(db, c->email, c->name, RC_ROLE_RUNNER, NULL, uc->now, &id)))
		return e;
	return mail_link(uc, db, c->site, id, c->email, "set_password", RC_LINK_TTL_S, "Choose your runcare password",
	                 "Welcome. Choose your password with this link to finish creating your account.", NULL);
}

rc_err rc_app_signup(const rc_uc *uc, const rc_site *site, const char *name, const char *raw_email,
                     int64_t *retry_after, rc_problem *p)
{
	char email[RC_EMAIL_MAX + 1];
	*retry_after = 0;
	if (!name || !*name || !rc_text_is_line(name, RC_NAME_MAX))
		return rc_problem_set(p, RC_EINVAL, "name", "Enter your name on one line (up to %d characters).",
		                      RC_NAME_MAX);
	if (!rc_app_email_clean(raw_email, email))
		return rc_problem_set(p, RC_EINVAL, "email", "Enter an email address such as name@example.org.");
	struct signup c = {uc, site, name, email, 0, NULL};
	rc_err e = rc_db_tx(uc->db, signup_tx, &c);
	if (e)
		return e;
	*retry_after = c.retry;
	return c.retry ? limited(p, c.retry, c.why) : RC_OK;
}

struct forgot {
	const rc_uc *uc;
	const char *email, *hash, *body;
	int64_t retry;
	const char *why;
};

static rc_err forgot_tx(rc_db *db, void *arg)
{
	struct forgot *c = arg;
	const rc_uc *uc = c->uc;
	rc_err e;
	bool sent = false;
	c->retry = 0;
	if ((e = within(db, k_reset_address, uc->address, RC_RESETS_PER_ADDRESS, RC_RATE_WINDOW_S, uc->now, &c->retry)))
		return e;
	if (c->retry) {
		c->why = "Too many password resets were asked for from your network in the last hour.";
		return RC_OK;
	}
	if ((e = within(db, k_link_email, c->email, RC_LINK_MAILS_PER_EMAIL, RC_RATE_WINDOW_S, uc->now, &c->retry)))
		return e;
	if (c->retry) {
		c->why = "Too many messages were asked for this email address in the last hour.";
		return RC_OK;
	}
	if ((e = count(db, k_reset_address, uc->address, uc->now)) || (e = count(db, k_link_email, c->email, uc->now)))
		return e;
	if ((e = rc_link_mail_if_account(db, c->email, c->hash, "reset_password", uc->now, uc->now + RC_LINK_TTL_S,
	                                 "Reset your runcare password", c->body, &sent)))
		return e;
	return rc_outbox_purge_secrets(db, uc->now - RC_LINK_TTL_S, NULL);
}

rc_err rc_app_forgot(const rc_uc *uc, const rc_site *site, const char *raw_email, int64_t *retry_after, rc_problem *p)
{
	char email[RC_EMAIL_MAX + 1], token[RC_TOKEN_CHARS + 1], hash[RC_HEX_HASH + 1];
	*retry_after = 0;
	if (!rc_app_email_clean(raw_email, email))
		return rc_problem_set(p, RC_EINVAL, "email", "Enter an email address such as name@example.org.");
	/* The token, its hash and the message are made whether or not the address has an account. */
	rc_crypto_token(token);
	rc_crypto_token_hash(token, hash);
	char *body = link_body(uc, site, "Choose a new password with this link.", token, RC_LINK_TTL_S);
	if (!body)
		return RC_ENOMEM;
	struct forgot c = {uc, email, hash, body, 0, NULL};
	rc_err e = rc_db_tx(uc->db, forgot_tx, &c);
	if (e)
		return e;
	*retry_after = c.retry;
	return c.retry ? limited(p, c.retry, c.why) : RC_OK;
}

/* --- set a password by link, change it, delete the account ------------------------------------ */

static bool token_hash(const char *token, char hash[RC_HEX_HASH + 1])
{
	if (!token || strlen(token) != RC_TOKEN_CHARS)
		return false;
	rc_crypto_token_hash(token, hash);
	return true;
}

rc_err rc_app_link_live(const rc_uc *uc, const char *token, bool *live)
{
	char hash[RC_HEX_HASH + 1];
	*live = false;
	return token_hash(token, hash) ? rc_link_peek(uc->db, hash, uc->now, live) : RC_OK;
}

struct use_link {
	const char *hash, *pwhash;
	int64_t id, now;
	bool valid;
};

/* Use the link, set the password (which revokes every other link) and end every session in one
 * transaction: a link is never spent without the password changing. */
static rc_err use_link_tx(rc_db *db, void *arg)
{
	struct use_link *c = arg;
	rc_err e = rc_link_use(db, c->hash, c->now, &c->id, &c->valid);
	if (e || !c->valid)
		return e;
	if ((e = rc_account_set_password(db, c->id, c->pwhash, c->now)))
		return e;
	return rc_session_delete_all(db, c->id, NULL);
}

/* The new password and its confirmation: the policy's sentence, or RC_OK. */
static rc_err new_password_ok(const char *pw, const char *confirm, const char *email, rc_problem *p)
{
	char why[200];
	if (!pw || !confirm || strcmp(pw, confirm) != 0)
		return rc_problem_set(p, RC_EINVAL, "password", "The two new passwords are not the same.");
	if (rc_password_check(pw, email, why, sizeof why))
		return rc_problem_set(p, RC_EINVAL, "password", "%s", why);
	return RC_OK;
}

rc_err rc_app_password_by_link(const rc_uc *uc, const char *token, const char *password, const char *confirm,
                               rc_account *out, rc_problem *p)
{
	char hash[RC_HEX_HASH + 1], pwhash[RC_HASH_MAX + 1];
	bool live = false, found = false;
	rc_err e;
	if (token_hash(token, hash) && (e = rc_link_peek(uc->db, hash, uc->now, &live)))
		return e;
	if (!live)
		return rc_problem_set(p, RC_ENOTFOUND, NULL, "This link has expired or has already been used.");
	if ((e = new_password_ok(password, confirm, NULL, p)) || (e = rc_crypto_hash_password(password, pwhash)))
		return e;
	struct use_link c = {hash, pwhash, 0, uc->now, false};
	if ((e = rc_db_tx(uc->db, use_link_tx, &c)))
		return e;
	if (!c.valid)
		return rc_problem_set(p, RC_ENOTFOUND, NULL, "This link has expired or has already been used.");
	if ((e = rc_account_by_id(uc->db, c.id, out, &found)))
		return e;
	return found ? RC_OK : RC_ENOTFOUND;
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

rc_err rc_app_password_change(const rc_uc *uc, const char *current, const char *password, const char *confirm,
                              int64_t *retry_after, rc_problem *p)
{
	char h[RC_HASH_MAX + 1];
	bool rehash;
	*retry_after = 0;
	rc_err e = take_password_check(uc, retry_after, p);
	if (e)
		return e;
	if (!current || !rc_crypto_verify_password(uc->actor->password_hash, current, &rehash))
		return rc_problem_set(p, RC_EINVAL, "current", "Your current password is not right.");
	if ((e = new_password_ok(password, confirm, uc->actor->email, p)) || (e = rc_crypto_hash_password(password, h)))
		return e;
	struct new_password c = {uc->actor->id, uc->now, h};
	return rc_db_tx(uc->db, new_password_tx, &c);
}

struct erase {
	int64_t id, now;
};

static rc_err erase_tx(rc_db *db, void *arg)
{
	struct erase *c = arg;
	return rc_privacy_erase_runner(db, c->id, c->now);
}

rc_err rc_app_account_delete(const rc_uc *uc, const char *password, int64_t *retry_after, rc_problem *p)
{
	bool rehash;
	*retry_after = 0;
	if (uc->actor->role != RC_ROLE_RUNNER)
		return rc_problem_set(p, RC_EINVAL, NULL, "Only a runner's own account can be deleted here.");
	rc_err e = take_password_check(uc, retry_after, p);
	if (e)
		return e;
	if (!rc_crypto_verify_password(uc->actor->password_hash, password ? password : "", &rehash))
		return rc_problem_set(p, RC_EINVAL, "password", "Your password is not right; the account is not deleted.");
	struct erase c = {uc->actor->id, uc->now};
	return rc_db_tx(uc->db, erase_tx, &c);
}

/* --- staff and tokens ---------------------------------------------------------------------- */

struct invite {
	const rc_uc *uc;
	const rc_site *site;
	const char *email, *name;
	rc_role role;
	char *token;
};

static rc_err invite_tx(rc_db *db, void *arg)
{
	struct invite *c = arg;
	int64_t id;
	rc_err e = rc_account_create(db, c->email, c->name, c->role, NULL, c->uc->now, &id);
	if (!e)
		e = mail_link(c->uc, db, c->site, id, c->email, "set_password", RC_INVITE_TTL_S, "You are invited to runcare",
		              "An administrator created a staff account for you. Choose your password with this link.",
		              c->token);
	return e;
}

rc_err rc_app_staff_invite(const rc_uc *uc, const rc_site *site, const char *name, const char *raw_email, rc_role role,
                           char token[RC_TOKEN_CHARS + 1], rc_problem *p)
{
	char email[RC_EMAIL_MAX + 1];
	if (!rc_role_is_staff(role))
		return rc_problem_set(p, RC_EINVAL, "role", "Choose a role: practitioner, front desk or administrator.");
	if (!name || !*name || !rc_text_is_line(name, RC_NAME_MAX))
		return rc_problem_set(p, RC_EINVAL, "name", "Enter the person's name on one line (up to %d characters).",
		                      RC_NAME_MAX);
	if (!rc_app_email_clean(raw_email, email))
		return rc_problem_set(p, RC_EINVAL, "email", "Enter an email address such as name@example.org.");
	struct invite c = {uc, site, email, name, role, token};
	rc_err e = rc_db_tx(uc->db, invite_tx, &c);
	if (e == RC_ECONFLICT)
		return rc_problem_set(p, RC_ECONFLICT, "email", "That email address already has an account.");
	return e;
}

bool rc_app_invite_allowed(rc_role actor, const rc_account *who)
{
	return actor == RC_ROLE_ADMIN || (actor == RC_ROLE_FRONT_DESK && who->patient && who->role == RC_ROLE_RUNNER);
}

struct reinvite {
	const rc_uc *uc;
	const rc_site *site;
	int64_t id;
	char *token;
	rc_problem *p;
};

static rc_err reinvite_tx(rc_db *db, void *arg)
{
	struct reinvite *c = arg;
	const rc_uc *uc = c->uc;
	rc_account a;
	bool found = false;
	rc_err e = rc_account_by_id(db, c->id, &a, &found);
	if (e)
		return e;
	if (!found || (!a.patient && uc->actor->role != RC_ROLE_ADMIN))
		return rc_problem_set(c->p, RC_ENOTFOUND, NULL, "There is no such account.");
	if (!rc_app_invite_allowed(uc->actor->role, &a))
		return rc_problem_set(c->p, RC_EFORBIDDEN, NULL, "Only administrators invite staff; the front desk invites "
		                                                 "patients.");
	if (a.deactivated_at)
		return rc_problem_set(c->p, RC_ECONFLICT, NULL, "%s's account is deactivated: reactivate it first.", a.name);
	if (!a.email[0])
		return rc_problem_set(c->p, RC_ECONFLICT, NULL, "%s has no email address on their record: an invitation needs "
		                                                "one.", a.name);
	if (a.password_hash[0])
		return rc_problem_set(c->p, RC_ECONFLICT, NULL, "%s has already chosen a password; if it is forgotten, "
		                                                "'Forgot your password?' on the sign-in page sends a new link.",
		                      a.name);
	const char *intro = a.role == RC_ROLE_RUNNER
	                        ? "The clinic has your record on runcare. Choose your password with this link to see "
	                          "your visits, book online and follow your home program."
	                        : "An administrator created a staff account for you. Choose your password with this link.";
	if ((e = mail_link(uc, db, c->site, a.id, a.email, "set_password", RC_INVITE_TTL_S, "You are invited to runcare",
	                   intro, c->token)))
		return e;
	char detail[300];
	snprintf(detail, sizeof detail, "invitation to choose a password for %s", a.email);
	return rc_audit_add(db, uc->now, uc->actor, "account.invite", a.patient ? a.id : 0, detail,
	                    uc->address ? uc->address : "-");
}


rc_err rc_app_invite(const rc_uc *uc, const rc_site *site, int64_t id, char token[RC_TOKEN_CHARS + 1], rc_problem *p)
{
	if (uc->actor->role != RC_ROLE_ADMIN && uc->actor->role != RC_ROLE_FRONT_DESK)
		return rc_problem_set(p, RC_EFORBIDDEN, NULL, "Only the front desk and administrators send invitations.");
	p->text[0] = '\0';
	struct reinvite c = {uc, site, id, token, p};
	return rc_db_tx(uc->db, reinvite_tx, &c);
}

rc_err rc_app_token_create(const rc_uc *uc, const char *raw_email, const char *label, const char *scope_name, int days,
                           int64_t *id, int64_t *expires_at, char token[RC_TOKEN_CHARS + 1], rc_problem *p)
{
	char email[RC_EMAIL_MAX + 1], hash[RC_HEX_HASH + 1];
	rc_scope scope = rc_scope_parse(scope_name);
	if (scope == RC_SCOPE_SESSION)
		return rc_problem_set(p, RC_EINVAL, "scope", "--scope must be read or write");
	if (days < 1 || days > RC_TOKEN_DAYS_MAX)
		return rc_problem_set(p, RC_EINVAL, "days", "--days must be a whole number from 1 to %d", RC_TOKEN_DAYS_MAX);
	if (!label)
		label = "";
	if (!rc_text_is_line(label, RC_TOKEN_LABEL_MAX))
		return rc_problem_set(p, RC_EINVAL, "label", "--label must be one line of at most %d characters",
		                      RC_TOKEN_LABEL_MAX);
	rc_account a;
	bool found = false;
	rc_err e;
	if (!rc_app_email_clean(raw_email, email) || (e = rc_account_by_email(uc->db, email, &a, &found)) || !found)
		return rc_problem_set(p, RC_EINVAL, "user", "no account has the email '%s'", raw_email ? raw_email : "");
	rc_crypto_token(token);
	rc_crypto_token_hash(token, hash);
	*expires_at = uc->now + (int64_t)days * 86400;
	if ((e = rc_token_create(uc->db, hash, a.id, label, scope, uc->now, *expires_at, id)))
		return e;
	char detail[300];
	snprintf(detail, sizeof detail, "token %lld for %s: %s, %d days", (long long)*id, email, rc_scope_name(scope), days);
	if ((e = rc_audit_add(uc->db, uc->now, uc->actor, "token.create", a.role == RC_ROLE_RUNNER ? a.id : 0, detail,
	                      uc->address)))
		return e;
	return RC_OK;
}
