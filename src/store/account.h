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

typedef struct rc_account {
	int64_t id;
	char email[RC_EMAIL_MAX + 1];
	char name[RC_NAME_MAX + 1];
	rc_role role;
	char password_hash[RC_HASH_MAX + 1]; /* empty when no password is set */
	int64_t created_at, password_changed_at;
} rc_account;

/* RC_ECONFLICT when the email is taken. password_hash may be NULL (set later by a link). */
RC_WUR rc_err rc_account_create(rc_db *db, const char *email, const char *name, rc_role role,
                                const char *password_hash, int64_t now, int64_t *id);
RC_WUR rc_err rc_account_by_email(rc_db *db, const char *email, rc_account *out, bool *found);
RC_WUR rc_err rc_account_by_id(rc_db *db, int64_t id, rc_account *out, bool *found);
RC_WUR rc_err rc_account_set_password(rc_db *db, int64_t id, const char *password_hash, int64_t now);
/* Calls fn for each live account, by role then name; role RC_ROLE_NONE lists all. */
typedef void (*rc_account_fn)(void *ctx, const rc_account *a);
RC_WUR rc_err rc_account_list(rc_db *db, rc_role role, rc_account_fn fn, void *ctx);
/* Erases what identifies the person and every credential; the numeric id remains for records the
 * clinic must keep. */
RC_WUR rc_err rc_account_erase(rc_db *db, int64_t id, int64_t now);

/* Sessions. Lookup refuses one idle past idle_s or older than absolute_s, and touches it. */
RC_WUR rc_err rc_session_create(rc_db *db, const char *token_hash, int64_t account_id, const char *csrf,
                                int64_t now);
RC_WUR rc_err rc_session_lookup(rc_db *db, const char *token_hash, int64_t now, int64_t idle_s,
                                int64_t absolute_s, rc_account *acct, char csrf[RC_HEX_HASH + 1], bool *found);
RC_WUR rc_err rc_session_delete(rc_db *db, const char *token_hash);
/* Every session of the account but keep_hash's (NULL: all). */
RC_WUR rc_err rc_session_delete_all(rc_db *db, int64_t account_id, const char *keep_hash);

/* Bearer tokens for the JSON API. */
RC_WUR rc_err rc_token_create(rc_db *db, const char *token_hash, int64_t account_id, const char *label,
                              int64_t now, int64_t *id);
RC_WUR rc_err rc_token_lookup(rc_db *db, const char *token_hash, rc_account *acct, bool *found);
/* *found false when there is no live token with that id. */
RC_WUR rc_err rc_token_revoke(rc_db *db, int64_t id, int64_t now, bool *found);

/* Single-use links. use() marks it used and gives its account only if it is unused and unexpired. */
RC_WUR rc_err rc_link_create(rc_db *db, const char *token_hash, int64_t account_id, const char *purpose,
                             int64_t now, int64_t expires_at);
RC_WUR rc_err rc_link_peek(rc_db *db, const char *token_hash, int64_t now, bool *valid);
RC_WUR rc_err rc_link_use(rc_db *db, const char *token_hash, int64_t now, int64_t *account_id, bool *valid);

/* Failed sign-ins in the window [since, now], counted by email and by address. */
RC_WUR rc_err rc_signin_failure_add(rc_db *db, const char *email, const char *address, int64_t now);
RC_WUR rc_err rc_signin_failures(rc_db *db, const char *email, const char *address, int64_t since,
                                 int64_t *by_email, int64_t *by_address, int64_t *latest);
RC_WUR rc_err rc_signin_failures_clear(rc_db *db, const char *email);

/* The mail outbox: a row per message, delivered later (SMTP comes with booking reminders). */
RC_WUR rc_err rc_outbox_add(rc_db *db, const char *to, const char *subject, const char *body, int64_t now);

/* The audit log: append-only. runner_id 0 means none. */
RC_WUR rc_err rc_audit_add(rc_db *db, int64_t now, const rc_account *actor, const char *action, int64_t runner_id,
                           const char *detail, const char *address);
typedef struct rc_audit_entry {
	int64_t id, at, actor_id, runner_id;
	const char *actor_role, *actor_email, *action, *detail, *address, *runner_email;
} rc_audit_entry;
typedef void (*rc_audit_fn)(void *ctx, const rc_audit_entry *e);
/* Newest first; runner_id 0 lists all; at most limit rows. */
RC_WUR rc_err rc_audit_list(rc_db *db, int64_t runner_id, int64_t since, int limit, rc_audit_fn fn, void *ctx);

#endif
