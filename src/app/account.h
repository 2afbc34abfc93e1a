/* account.h (app) — the account use cases: sign in, sign up, forgot password, set a password by a
 * mailed link, change it, delete the account, invite staff, make API tokens; the limits that keep
 * each of them from being flooded; and who may read what of a runner's record. The web pages and
 * the CLI both call these, so each rule is written once. */
#ifndef RC_APP_ACCOUNT_H
#define RC_APP_ACCOUNT_H

#include <stdbool.h>
#include <stdint.h>

#include "app/app.h"
#include "base/crypto.h"

/* Every limit, named. Counted in the database (tables signin_failure and rate_event), so all the
 * processes serving one clinic share them. Reaching one is RC_EBUSY with *retry_after set and a
 * sentence in the problem: the web answers 429 with Retry-After, never a crash or a silent drop. */
enum {
	/* Sign-in: failures count per (email, address) pair and, more loosely, per address. An account
	 * is never locked by failures from other addresses. */
	RC_SIGNIN_WINDOW_S = 15 * 60,       /* failures older than this are forgotten */
	RC_SIGNIN_FREE_PER_PAIR = 5,        /* failures of one email from one address before waits begin */
	RC_SIGNIN_FREE_PER_ADDRESS = 50,    /* failures from one address, any email (password spraying) */
	RC_SIGNIN_MAX_WAIT_S = 15 * 60,     /* the wait doubles from 1 s up to this */

	/* Sign-up and link mails, per hour. */
	RC_RATE_WINDOW_S = 60 * 60,
	RC_SIGNUPS_PER_ADDRESS = 10,        /* sign-ups from one address */
	RC_RESETS_PER_ADDRESS = 10,         /* forgotten-password requests from one address */
	RC_LINK_MAILS_PER_EMAIL = 3,        /* set/reset-password mails asked for one email address (by
	                                     * sign-up or forgotten password), whether or not it has an account */

	/* Password checks inside a session (change password, delete the account): each costs an Argon2id
	 * hash, so they are counted per account, right or wrong. */
	RC_PASSWORD_CHECK_WINDOW_S = 15 * 60,
	RC_PASSWORD_CHECKS_PER_ACCOUNT = 10,

	/* Lists that grow with the clinic are read a page at a time (?page=N on the web, --page N in the
	 * CLI); a search narrows them. */
	RC_PAGE_ROWS = 50,                  /* patients, accounts */
	RC_AUDIT_PAGE_ROWS = 100,           /* audit-log entries */
	RC_PAGE_MAX = 1000000,              /* the highest page number read */
	RC_SEARCH_MAX = 100,                /* bytes of a search */
	RC_RECORD_APPOINTMENTS = 100,       /* the latest appointments a runner's record lists */

	/* An invitation (a set-password link the clinic sends) works longer than a link a person asks for
	 * themself: it may wait in a mailbox, or be handed over from the screen. */
	RC_INVITE_TTL_S = 3 * 24 * 60 * 60,

	/* API tokens. */
	RC_TOKEN_DAYS_DEFAULT = 90,
	RC_TOKEN_DAYS_MAX = 366,
	RC_TOKEN_LABEL_MAX = 120,           /* characters of a token's label */
};

/* How a link in a mail reads: the site's public address and the clinic's name under the message. */
typedef struct rc_site {
	const char *public_url; /* "https://clinic.example" (no trailing slash) */
	const char *clinic;
} rc_site;

/* The rule of least privilege for a runner's record: practitioners and administrators see clinical
 * content (self-checks and their reasons, diary notes, pain scores, programs, training load and
 * flags, why a visit was booked); the front desk sees who the runner is, how to reach them and their
 * appointments; a runner sees their own record whole. Every page that shows a record asks this. */
bool rc_role_sees_clinical(rc_role role);

/* Who handles the clinic's money (issue 19's roles): the front desk and administrators issue invoices,
 * fees and credit notes, take payments and refunds, sell packages and close the day; a practitioner reads
 * what was billed for their own visits (app/billing.h), a runner their own account. */
bool rc_role_handles_money(rc_role role);

/* Lower-cases and checks an email address: one '@', something on each side, a dot in the domain, no
 * spaces or characters that could end a mail header, at most RC_EMAIL_MAX bytes. */
bool rc_app_email_clean(const char *in, char out[RC_EMAIL_MAX + 1]);

/* The wait (seconds, 0: go) before another sign-in of this email from this address, given the
 * failures counted (store/account.h) at now. Pure: the unit tests call it. */
int64_t rc_app_signin_wait(const rc_signin_counts *c, int64_t now);

/* Signs in: RC_OK with *out the account; RC_EINVAL with one sentence for every failure (it never
 * tells whether the address has an account); RC_EBUSY with *retry_after when this email from
 * uc->address, or uc->address itself, must wait; RC_EFORBIDDEN, once the password is right, when an
 * administrator has deactivated the account. */
RC_WUR rc_err rc_app_signin(const rc_uc *uc, const char *email, const char *password, rc_account *out,
                            int64_t *retry_after, rc_problem *p);

/* A new runner with a set-password link mailed, or, when the address has an account, a mail to its
 * owner: the same answer either way. When the clinic registered the address (a patient without a
 * password yet), the link sets the password on that record: the runner claims it by proving the
 * address, and no second account is made. RC_EINVAL naming "name" or "email"; RC_EBUSY with
 * *retry_after past RC_SIGNUPS_PER_ADDRESS or RC_LINK_MAILS_PER_EMAIL. */
RC_WUR rc_err rc_app_signup(const rc_uc *uc, const rc_site *site, const char *name, const char *email,
                            int64_t *retry_after, rc_problem *p);

/* A reset link mailed if the address has an account; the same statements run, and the same rows are
 * counted, whether or not it has one. RC_EINVAL ("email"); RC_EBUSY with *retry_after past
 * RC_RESETS_PER_ADDRESS or RC_LINK_MAILS_PER_EMAIL. */
RC_WUR rc_err rc_app_forgot(const rc_uc *uc, const rc_site *site, const char *email, int64_t *retry_after,
                            rc_problem *p);

/* Whether a mailed link (the token from its address) is live: unused, unrevoked, unexpired. */
RC_WUR rc_err rc_app_link_live(const rc_uc *uc, const char *token, bool *live);

/* Uses the link: the new password is set, the link spent, every other link revoked and every session
 * ended, in one transaction. RC_ENOTFOUND when the link is not live; RC_EINVAL ("password"). *out is
 * the account, for the caller to start a session. */
RC_WUR rc_err rc_app_password_by_link(const rc_uc *uc, const char *token, const char *password, const char *confirm,
                                      rc_account *out, rc_problem *p);

/* uc->actor changes their password: every session and every link ends (the caller starts a new
 * session for this device). RC_EINVAL ("current" or "password"); RC_EBUSY past
 * RC_PASSWORD_CHECKS_PER_ACCOUNT. */
RC_WUR rc_err rc_app_password_change(const rc_uc *uc, const char *current, const char *password, const char *confirm,
                                     int64_t *retry_after, rc_problem *p);

/* uc->actor, a runner, deletes their account after giving their password (privacy.h says what goes).
 * RC_EINVAL ("password"); RC_EBUSY past RC_PASSWORD_CHECKS_PER_ACCOUNT. */
RC_WUR rc_err rc_app_account_delete(const rc_uc *uc, const char *password, int64_t *retry_after, rc_problem *p);

/* An administrator adds a staff member, who gets a set-password link (RC_INVITE_TTL_S) in the outbox;
 * token (may be NULL) gets it too, for the page to show once where no mail relay delivers the outbox.
 * RC_EINVAL ("role", "name", "email"); RC_ECONFLICT when the email has an account. */
RC_WUR rc_err rc_app_staff_invite(const rc_uc *uc, const rc_site *site, const char *name, const char *email,
                                  rc_role role, char token[RC_TOKEN_CHARS + 1], rc_problem *p);

/* Whether actor may invite who: administrators anyone, the front desk patients. */
bool rc_app_invite_allowed(rc_role actor, const rc_account *who);

/* A new invitation for account id, who has an email and no password yet: a set-password link for
 * RC_INVITE_TTL_S (older links revoked) in the outbox, its token in token for the page to show once
 * when no mail relay is configured, and an audit line. RC_EFORBIDDEN (the front desk inviting staff),
 * RC_ENOTFOUND, RC_ECONFLICT when the account is deactivated, has no email or has a password. */
RC_WUR rc_err rc_app_invite(const rc_uc *uc, const rc_site *site, int64_t id, char token[RC_TOKEN_CHARS + 1],
                            rc_problem *p);

/* A new API token for the account with that email: read or write scope, for days (1 ..
 * RC_TOKEN_DAYS_MAX). token gets the secret, shown once; only its hash is kept. RC_EINVAL with the
 * option to correct ("user", "scope", "days", "label"). */
RC_WUR rc_err rc_app_token_create(const rc_uc *uc, const char *email, const char *label, const char *scope, int days,
                                  int64_t *id, int64_t *expires_at, char token[RC_TOKEN_CHARS + 1], rc_problem *p);

#endif
