/* account.c — statements about accounts, sessions, tokens, links, sign-in failures, outbox, audit. */
#include "store/account.h"

#include <stdio.h>
#include <string.h>

static const char *const role_names[] = {"anonymous", "runner", "practitioner", "front_desk", "admin"};
static const char *const role_labels[] = {"Visitor", "Runner", "Practitioner", "Front desk", "Administrator"};

const char *rc_role_name(rc_role r)
{
	return (unsigned)r < 5 ? role_names[r] : "anonymous";
}

const char *rc_role_label(rc_role r)
{
	return (unsigned)r < 5 ? role_labels[r] : "Visitor";
}

rc_role rc_role_parse(const char *s)
{
	for (int i = 1; i < 5; i++)
		if (s && strcmp(s, role_names[i]) == 0)
			return (rc_role)i;
	return RC_ROLE_NONE;
}

#define ACCOUNT_COLS "a.id, a.email, a.name, a.role, a.password_hash, a.created_at, a.password_changed_at"

static void read_account(rc_stmt *s, int first, rc_account *a)
{
	memset(a, 0, sizeof *a);
	a->id = rc_stmt_int(s, first);
	snprintf(a->email, sizeof a->email, "%s", rc_stmt_text(s, first + 1));
	snprintf(a->name, sizeof a->name, "%s", rc_stmt_text(s, first + 2));
	a->role = rc_role_parse(rc_stmt_text(s, first + 3));
	snprintf(a->password_hash, sizeof a->password_hash, "%s", rc_stmt_text(s, first + 4));
	a->created_at = rc_stmt_int(s, first + 5);
	a->password_changed_at = rc_stmt_int(s, first + 6);
}

static const rc_sql q_create = {"account_create",
	"INSERT INTO account (email, name, role, password_hash, created_at, password_changed_at) "
	"VALUES (?, ?, ?, ?, ?, ?) RETURNING id"};
static const rc_sql q_by_email = {"account_by_email",
	"SELECT " ACCOUNT_COLS " FROM account a WHERE a.email = ? AND a.deleted_at IS NULL"};
static const rc_sql q_by_id = {"account_by_id",
	"SELECT " ACCOUNT_COLS " FROM account a WHERE a.id = ? AND a.deleted_at IS NULL"};
static const rc_sql q_set_password = {"account_set_password",
	"UPDATE account SET password_hash = ?, password_changed_at = ? WHERE id = ? AND deleted_at IS NULL"};
static const rc_sql q_list = {"account_list",
	"SELECT " ACCOUNT_COLS " FROM account a WHERE a.deleted_at IS NULL AND (? = '' OR a.role = ?) "
	"ORDER BY a.role, a.name, a.id"};
static const rc_sql q_erase = {"account_erase",
	"UPDATE account SET email = NULL, name = 'Erased account', password_hash = NULL, deleted_at = ? WHERE id = ?"};

rc_err rc_account_create(rc_db *db, const char *email, const char *name, rc_role role, const char *password_hash,
                         int64_t now, int64_t *id)
{
	rc_stmt *s;
	bool row;
	rc_err e = rc_db_query(db, &q_create, &s, &row, "ttttii", email, name, rc_role_name(role), password_hash,
	                       now, now);
	if (!e && !row)
		e = RC_EDB;
	if (!e) {
		*id = rc_stmt_int(s, 0);
		rc_stmt_done(s);
	}
	return e;
}

rc_err rc_account_by_email(rc_db *db, const char *email, rc_account *out, bool *found)
{
	rc_stmt *s;
	rc_err e = rc_db_query(db, &q_by_email, &s, found, "t", email);
	if (!e && *found) {
		read_account(s, 0, out);
		rc_stmt_done(s);
	}
	return e;
}

rc_err rc_account_by_id(rc_db *db, int64_t id, rc_account *out, bool *found)
{
	rc_stmt *s;
	rc_err e = rc_db_query(db, &q_by_id, &s, found, "i", id);
	if (!e && *found) {
		read_account(s, 0, out);
		rc_stmt_done(s);
	}
	return e;
}

rc_err rc_account_set_password(rc_db *db, int64_t id, const char *password_hash, int64_t now)
{
	return rc_db_query(db, &q_set_password, NULL, NULL, "tii", password_hash, now, id);
}

rc_err rc_account_list(rc_db *db, rc_role role, rc_account_fn fn, void *ctx)
{
	const char *r = role == RC_ROLE_NONE ? "" : rc_role_name(role);
	rc_stmt *s;
	bool row;
	rc_err e = rc_db_query(db, &q_list, &s, &row, "tt", r, r);
	while (!e && row) {
		rc_account a;
		read_account(s, 0, &a);
		fn(ctx, &a);
		e = rc_stmt_step(s, &row);
	}
	return e;
}

static const rc_sql q_erase_sessions = {"account_erase_sessions", "DELETE FROM session WHERE account_id = ?"};
static const rc_sql q_erase_tokens = {"account_erase_tokens", "DELETE FROM api_token WHERE account_id = ?"};
static const rc_sql q_erase_links = {"account_erase_links", "DELETE FROM one_time_link WHERE account_id = ?"};

rc_err rc_account_erase(rc_db *db, int64_t id, int64_t now)
{
	rc_err e;
	if ((e = rc_db_query(db, &q_erase_sessions, NULL, NULL, "i", id)) ||
	    (e = rc_db_query(db, &q_erase_tokens, NULL, NULL, "i", id)) ||
	    (e = rc_db_query(db, &q_erase_links, NULL, NULL, "i", id)))
		return e;
	return rc_db_query(db, &q_erase, NULL, NULL, "ii", now, id);
}

/* --- sessions ------------------------------------------------------------------------------ */

static const rc_sql q_session_create = {"session_create",
	"INSERT INTO session (token_hash, account_id, csrf, created_at, last_seen_at) VALUES (?, ?, ?, ?, ?)"};
static const rc_sql q_session_lookup = {"session_lookup",
	"SELECT " ACCOUNT_COLS ", s.csrf, s.last_seen_at FROM session s JOIN account a ON a.id = s.account_id "
	"WHERE s.token_hash = ? AND a.deleted_at IS NULL AND s.last_seen_at > ? AND s.created_at > ?"};
static const rc_sql q_session_touch = {"session_touch",
	"UPDATE session SET last_seen_at = ? WHERE token_hash = ?"};
static const rc_sql q_session_delete = {"session_delete", "DELETE FROM session WHERE token_hash = ?"};
static const rc_sql q_session_delete_all = {"session_delete_all",
	"DELETE FROM session WHERE account_id = ? AND token_hash <> ?"};

rc_err rc_session_create(rc_db *db, const char *token_hash, int64_t account_id, const char *csrf, int64_t now)
{
	return rc_db_query(db, &q_session_create, NULL, NULL, "titii", token_hash, account_id, csrf, now, now);
}

rc_err rc_session_lookup(rc_db *db, const char *token_hash, int64_t now, int64_t idle_s, int64_t absolute_s,
                         rc_account *acct, char csrf[RC_HEX_HASH + 1], bool *found)
{
	rc_stmt *s;
	rc_err e = rc_db_query(db, &q_session_lookup, &s, found, "tii", token_hash, now - idle_s, now - absolute_s);
	if (e || !*found)
		return e;
	read_account(s, 0, acct);
	snprintf(csrf, RC_HEX_HASH + 1, "%s", rc_stmt_text(s, 7));
	int64_t seen = rc_stmt_int(s, 8);
	rc_stmt_done(s);
	/* Touch at most once a minute: a page view should not always be a write. */
	if (now - seen >= 60)
		e = rc_db_query(db, &q_session_touch, NULL, NULL, "it", now, token_hash);
	return e;
}

rc_err rc_session_delete(rc_db *db, const char *token_hash)
{
	return rc_db_query(db, &q_session_delete, NULL, NULL, "t", token_hash);
}

rc_err rc_session_delete_all(rc_db *db, int64_t account_id, const char *keep_hash)
{
	return rc_db_query(db, &q_session_delete_all, NULL, NULL, "it", account_id, keep_hash ? keep_hash : "");
}

/* --- API tokens ---------------------------------------------------------------------------- */

static const rc_sql q_token_create = {"token_create",
	"INSERT INTO api_token (token_hash, account_id, label, created_at) VALUES (?, ?, ?, ?) RETURNING id"};
static const rc_sql q_token_lookup = {"token_lookup",
	"SELECT " ACCOUNT_COLS " FROM api_token t JOIN account a ON a.id = t.account_id "
	"WHERE t.token_hash = ? AND t.revoked_at IS NULL AND a.deleted_at IS NULL"};
static const rc_sql q_token_revoke = {"token_revoke",
	"UPDATE api_token SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL"};

rc_err rc_token_create(rc_db *db, const char *token_hash, int64_t account_id, const char *label, int64_t now,
                       int64_t *id)
{
	rc_stmt *s;
	bool row;
	rc_err e = rc_db_query(db, &q_token_create, &s, &row, "titi", token_hash, account_id, label, now);
	if (!e && !row)
		e = RC_EDB;
	if (!e) {
		*id = rc_stmt_int(s, 0);
		rc_stmt_done(s);
	}
	return e;
}

rc_err rc_token_lookup(rc_db *db, const char *token_hash, rc_account *acct, bool *found)
{
	rc_stmt *s;
	rc_err e = rc_db_query(db, &q_token_lookup, &s, found, "t", token_hash);
	if (!e && *found) {
		read_account(s, 0, acct);
		rc_stmt_done(s);
	}
	return e;
}

rc_err rc_token_revoke(rc_db *db, int64_t id, int64_t now, bool *found)
{
	rc_stmt *s;
	rc_err e = rc_db_query(db, &q_token_revoke, &s, NULL, "ii", now, id);
	*found = !e && rc_stmt_changes(s) > 0;
	return e;
}

/* --- single-use links ---------------------------------------------------------------------- */

static const rc_sql q_link_create = {"link_create",
	"INSERT INTO one_time_link (token_hash, account_id, purpose, created_at, expires_at) VALUES (?, ?, ?, ?, ?)"};
static const rc_sql q_link_peek = {"link_peek",
	"SELECT 1 FROM one_time_link WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?"};
/* One statement marks it used, so two clicks at once cannot both succeed. */
static const rc_sql q_link_use = {"link_use",
	"UPDATE one_time_link SET used_at = ? WHERE token_hash = ? AND used_at IS NULL AND expires_at > ? "
	"RETURNING account_id"};

rc_err rc_link_create(rc_db *db, const char *token_hash, int64_t account_id, const char *purpose, int64_t now,
                      int64_t expires_at)
{
	return rc_db_query(db, &q_link_create, NULL, NULL, "titii", token_hash, account_id, purpose, now, expires_at);
}

rc_err rc_link_peek(rc_db *db, const char *token_hash, int64_t now, bool *valid)
{
	rc_stmt *s;
	rc_err e = rc_db_query(db, &q_link_peek, &s, valid, "ti", token_hash, now);
	if (!e && *valid)
		rc_stmt_done(s);
	return e;
}

rc_err rc_link_use(rc_db *db, const char *token_hash, int64_t now, int64_t *account_id, bool *valid)
{
	rc_stmt *s;
	rc_err e = rc_db_query(db, &q_link_use, &s, valid, "iti", now, token_hash, now);
	if (!e && *valid) {
		*account_id = rc_stmt_int(s, 0);
		rc_stmt_done(s);
	}
	return e;
}

/* --- sign-in failures ---------------------------------------------------------------------- */

static const rc_sql q_fail_add = {"signin_failure_add",
	"INSERT INTO signin_failure (email, address, at) VALUES (?, ?, ?)"};
static const rc_sql q_fail_count = {"signin_failure_count",
	"SELECT (SELECT COUNT(*) FROM signin_failure WHERE email = ? AND at >= ?), "
	"(SELECT COUNT(*) FROM signin_failure WHERE address = ? AND at >= ?), "
	"(SELECT COALESCE(MAX(at), 0) FROM signin_failure WHERE (email = ? OR address = ?) AND at >= ?)"};
static const rc_sql q_fail_clear = {"signin_failure_clear", "DELETE FROM signin_failure WHERE email = ?"};

rc_err rc_signin_failure_add(rc_db *db, const char *email, const char *address, int64_t now)
{
	return rc_db_query(db, &q_fail_add, NULL, NULL, "tti", email, address, now);
}

rc_err rc_signin_failures(rc_db *db, const char *email, const char *address, int64_t since, int64_t *by_email,
                          int64_t *by_address, int64_t *latest)
{
	rc_stmt *s;
	bool row;
	rc_err e = rc_db_query(db, &q_fail_count, &s, &row, "tititti", email, since, address, since, email, address,
	                       since);
	if (!e && row) {
		*by_email = rc_stmt_int(s, 0);
		*by_address = rc_stmt_int(s, 1);
		*latest = rc_stmt_int(s, 2);
		rc_stmt_done(s);
	}
	return e;
}

rc_err rc_signin_failures_clear(rc_db *db, const char *email)
{
	return rc_db_query(db, &q_fail_clear, NULL, NULL, "t", email);
}

/* --- outbox and audit ---------------------------------------------------------------------- */

static const rc_sql q_outbox_add = {"outbox_add",
	"INSERT INTO mail_outbox (to_addr, subject, body, created_at) VALUES (?, ?, ?, ?)"};

rc_err rc_outbox_add(rc_db *db, const char *to, const char *subject, const char *body, int64_t now)
{
	return rc_db_query(db, &q_outbox_add, NULL, NULL, "ttti", to, subject, body, now);
}

static const rc_sql q_audit_add = {"audit_add",
	"INSERT INTO audit_log (at, actor_id, actor_role, action, runner_id, detail, address) "
	"VALUES (?, ?, ?, ?, ?, ?, ?)"};
static const rc_sql q_audit_list = {"audit_list",
	"SELECT l.id, l.at, l.actor_id, l.actor_role, COALESCE(a.email, ''), l.action, l.runner_id, l.detail, "
	"l.address, COALESCE(r.email, '') FROM audit_log l LEFT JOIN account a ON a.id = l.actor_id "
	"LEFT JOIN account r ON r.id = l.runner_id "
	"WHERE (? = 0 OR l.runner_id = ?) AND l.at >= ? ORDER BY l.id DESC LIMIT ?"};

rc_err rc_audit_add(rc_db *db, int64_t now, const rc_account *actor, const char *action, int64_t runner_id,
                    const char *detail, const char *address)
{
	rc_stmt *s = rc_db_stmt(db, &q_audit_add);
	rc_err e;
	bool row;
	if (!s)
		return RC_EDB;
	if ((e = rc_stmt_bind_int(s, 1, now)))
		return e;
	e = actor && actor->id ? rc_stmt_bind_int(s, 2, actor->id) : rc_stmt_bind_text(s, 2, NULL);
	if (!e)
		e = rc_stmt_bind_text(s, 3, rc_role_name(actor ? actor->role : RC_ROLE_NONE));
	if (!e)
		e = rc_stmt_bind_text(s, 4, action);
	if (!e)
		e = runner_id ? rc_stmt_bind_int(s, 5, runner_id) : rc_stmt_bind_text(s, 5, NULL);
	if (!e)
		e = rc_stmt_bind_text(s, 6, detail ? detail : "");
	if (!e)
		e = rc_stmt_bind_text(s, 7, address ? address : "-");
	if (!e)
		e = rc_stmt_step(s, &row);
	return e;
}

rc_err rc_audit_list(rc_db *db, int64_t runner_id, int64_t since, int limit, rc_audit_fn fn, void *ctx)
{
	rc_stmt *s;
	bool row;
	rc_err e = rc_db_query(db, &q_audit_list, &s, &row, "iiii", runner_id, runner_id, since, (int64_t)limit);
	while (!e && row) {
		rc_audit_entry a = {
			.id = rc_stmt_int(s, 0),
			.at = rc_stmt_int(s, 1),
			.actor_id = rc_stmt_int(s, 2),
			.actor_role = rc_stmt_text(s, 3),
			.actor_email = rc_stmt_text(s, 4),
			.action = rc_stmt_text(s, 5),
			.runner_id = rc_stmt_int(s, 6),
			.detail = rc_stmt_text(s, 7),
			.address = rc_stmt_text(s, 8),
			.runner_email = rc_stmt_text(s, 9),
		};
		fn(ctx, &a);
		e = rc_stmt_step(s, &row);
	}
	return e;
}
