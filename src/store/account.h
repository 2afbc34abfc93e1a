/* account.h — accounts and everything that proves who someone is: sessions, API tokens,
 * single-use links, sign-in failures. Hashes only: no token or password is stored. */
#ifndef RC_STORE_ACCOUNT_H
#define RC_STORE_ACCOUNT_H

#include <stdbool.h>
#include <stdint.h>

#include "base/crypto.h"
#include "store/db.h"

typedef enum { RC_ROLE_NONE, RC_ROLE_RUNNER, RC_ROLE_PRACTITIONER, RC_ROLE_FRONT_DESK, RC_ROLE_ADMIN } rc_role;

const char *rc_role_name(rc_role r); /* "runner", ...; "anonymous" for RC_ROLE_NONE */
const char *rc_role_label(rc_role r); /* "Runner", "Practitioner", "Front desk", "Administrator" */
rc_role rc_role_parse(const char *s); /* RC_ROLE_NONE when unknown */
static inline bool rc_role_is_staff(rc_role r)
{
	return r == RC_ROLE_PRACTITIONER || r == RC_ROLE_FRONT_DESK || r == RC_ROLE_ADMIN;
}

enum { RC_EMAIL_MAX = 254, RC_NAME_MAX = 120 }; /* RC_HASH_MAX, RC_HEX_HASH: base/crypto.h */

/* What a caller may do with the credential it came in with: a session may do all its account may; an
 * API token was made for reading only or for reading and writing. */
typedef enum { RC_SCOPE_SESSION, RC_SCOPE_READ, RC_SCOPE_WRITE } rc_scope;
const char *rc_scope_name(rc_scope s); /* "session", "read", "write" */
rc_scope rc_scope_parse(const char *s); /* RC_SCOPE_READ or RC_SCOPE_WRITE; RC_SCOPE_SESSION when unknown */

typedef struct rc_account {
	int64_t id;
	char email[RC_EMAIL_MAX + 1];
	char name[RC_NAME_MAX + 1];
	rc_role role;
	char password_hash[RC_HASH_MAX + 1]; /* empty when no password is set */
	int64_t created_at, password_changed_at;
	rc_scope scope; /* how this request's caller proved who they are (RC_SCOPE_SESSION unless a token) */
	bool patient;           /* has a patient record: a runner, or staff who kept theirs (migration 0013) */
	int64_t deactivated_at; /* 0: may sign in */
} rc_account;

/* RC_ECONFLICT when the email is taken. email may be NULL (a patient registered without one);
 * password_hash may be NULL (set later by a link). A runner's search keys are written with it. */
RC_WUR rc_err rc_account_create(rc_db *db, const char *email, const char *name, rc_role role,
                                const char *password_hash, int64_t now, int64_t *id);
RC_WUR rc_err rc_account_by_email(rc_db *db, const char *email, rc_account *out, bool *found);
RC_WUR rc_err rc_account_by_id(rc_db *db, int64_t id, rc_account *out, bool *found);
/* A new password: every single-use link of the account dies with the old one. */
RC_WUR rc_err rc_account_set_password(rc_db *db, int64_t id, const char *password_hash, int64_t now);
/* The same password hashed with newer parameters: not a change (links and the date stay). */
RC_WUR rc_err rc_account_rehash(rc_db *db, int64_t id, const char *password_hash);
/* Calls fn for each live account of one page, by role then name, then id; role RC_ROLE_NONE lists
 * all. search (NULL or "": everyone) keeps those whose name or email contains it, ignoring case.
 * *total is how many match on every page. */
typedef void (*rc_account_fn)(void *ctx, const rc_account *a);
RC_WUR rc_err rc_account_page(rc_db *db, rc_role role, const char *search, int64_t offset, int64_t limit,
                              rc_account_fn fn, void *ctx, int64_t *total);
/* Erases what identifies the person, every credential and their search keys; the numeric id remains
 * for records the clinic must keep. */
RC_WUR rc_err rc_account_erase(rc_db *db, int64_t id, int64_t now);

/* Sessions. Lookup refuses one idle past idle_s or older than absolute_s, and touches it. */
RC_WUR rc_err rc_session_create(rc_db *db, const char *token_hash, int64_t account_id, const char *csrf,
                                int64_t now);
RC_WUR rc_err rc_session_lookup(rc_db *db, const char *token_hash, int64_t now, int64_t idle_s,
                                int64_t absolute_s, rc_account *acct, char csrf[RC_HEX_HASH + 1], bool *found);
RC_WUR rc_err rc_session_delete(rc_db *db, const char *token_hash);
/* Every session of the account but keep_hash's (NULL: all). */
RC_WUR rc_err rc_session_delete_all(rc_db *db, int64_t account_id, const char *keep_hash);

/* Bearer tokens for the JSON API, each with a scope (RC_SCOPE_READ or RC_SCOPE_WRITE) and an expiry. */
RC_WUR rc_err rc_token_create(rc_db *db, const char *token_hash, int64_t account_id, const char *label,
                              rc_scope scope, int64_t now, int64_t expires_at, int64_t *id);
/* *found only for a token that is not revoked and not past its expiry; acct->scope is its scope. */
RC_WUR rc_err rc_token_lookup(rc_db *db, const char *token_hash, int64_t now, rc_account *acct, bool *found);
typedef struct rc_token_info {
	int64_t id, account_id, created_at, expires_at, revoked_at; /* revoked_at 0: live */
	const char *email, *label;
	rc_scope scope;
} rc_token_info;
typedef void (*rc_token_fn)(void *ctx, const rc_token_info *t);
/* Every token, newest first (revoked and expired ones too, so an operator sees what there was). */
RC_WUR rc_err rc_token_list(rc_db *db, rc_token_fn fn, void *ctx);
/* *found false when there is no live token with that id. */
RC_WUR rc_err rc_token_revoke(rc_db *db, int64_t id, int64_t now, bool *found);

/* Single-use links: one live link per account, so creating one revokes every older one. use() marks
 * it used and gives its account only if it is unused, unrevoked and unexpired. */
RC_WUR rc_err rc_link_create(rc_db *db, const char *token_hash, int64_t account_id, const char *purpose,
                             int64_t now, int64_t expires_at);
RC_WUR rc_err rc_link_peek(rc_db *db, const char *token_hash, int64_t now, bool *valid);
RC_WUR rc_err rc_link_use(rc_db *db, const char *token_hash, int64_t now, int64_t *account_id, bool *valid);

/* Failed sign-ins since `since`, counted for the (email, address) pair and for the address alone, each
 * with its latest. Adding one also deletes failures older than `forget_before`. */
typedef struct rc_signin_counts {
	int64_t by_pair, pair_latest, by_address, address_latest;
} rc_signin_counts;
RC_WUR rc_err rc_signin_failure_add(rc_db *db, const char *email, const char *address, int64_t now,
                                    int64_t forget_before);
RC_WUR rc_err rc_signin_failures(rc_db *db, const char *email, const char *address, int64_t since,
                                 rc_signin_counts *out);
/* After a sign-in that worked: the failures of that email from that address (not from others). */
RC_WUR rc_err rc_signin_failures_clear(rc_db *db, const char *email, const char *address);

/* Rate limits shared by every process: an attempt of a kind ("signup.address", ...) counted by a key.
 * count() gives how many since `since` and the oldest of them (0 when none); add() records one and
 * deletes every attempt of any kind older than forget_before. */
RC_WUR rc_err rc_rate_count(rc_db *db, const char *kind, const char *key, int64_t since, int64_t *n,
                            int64_t *oldest);
RC_WUR rc_err rc_rate_add(rc_db *db, const char *kind, const char *key, int64_t now, int64_t forget_before);

/* The mail outbox: a row per message, delivered later by the mail thread. */
RC_WUR rc_err rc_outbox_add(rc_db *db, const char *to, const char *subject, const char *body, int64_t now);
/* A message whose body holds a secret (a set-password link): the body is replaced by a note once
 * it is sent (store/outbox.h). */
RC_WUR rc_err rc_outbox_add_secret(rc_db *db, const char *to, const char *subject, const char *body, int64_t now);
/* The reset-password link and its mail, kept only when email is a live account's: the same statements
 * run and the same rows are written (and, without an account, deleted again in the caller's
 * transaction), so the time taken does not tell. *sent says whether it was kept. */
RC_WUR rc_err rc_link_mail_if_account(rc_db *db, const char *email, const char *token_hash, const char *purpose,
                                      int64_t now, int64_t expires_at, const char *subject, const char *body,
                                      bool *sent);

/* The audit log: append-only. runner_id 0 means none. */
RC_WUR rc_err rc_audit_add(rc_db *db, int64_t now, const rc_account *actor, const char *action, int64_t runner_id,
                           const char *detail, const char *address);
typedef struct rc_audit_entry {
	int64_t id, at, actor_id, runner_id;
	const char *actor_role, *actor_email, *action, *detail, *address;
	const char *runner_email; /* or the name of a patient without one, or of a merged registration
	                           * ("Name (merged)"); "" for an erased runner or none */
} rc_audit_entry;
typedef void (*rc_audit_fn)(void *ctx, const rc_audit_entry *e);
/* Newest first; runner_id 0 lists all; one page of at most limit rows after skipping offset. *total
 * (may be NULL) is how many there are on every page. */
RC_WUR rc_err rc_audit_page(rc_db *db, int64_t runner_id, int64_t since, int64_t offset, int64_t limit,
                            rc_audit_fn fn, void *ctx, int64_t *total);

#endif
