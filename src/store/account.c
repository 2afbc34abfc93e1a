/* account.c — statements about accounts, sessions, tokens, links, sign-in failures, rate limits, outbox,
 * audit. */
#include "store/account.h"

#include <stdio.h>
#include <string.h>

#include "store/patient_store.h"

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

static const char *const scope_names[] = {"session", "read", "write"};

const char *rc_scope_name(rc_scope s)
{
	return (unsigned)s < 3 ? scope_names[s] : "session";
}

rc_scope rc_scope_parse(const char *s)
{
	if (s && strcmp(s, "read") == 0)
		return RC_SCOPE_READ;
	if (s && strcmp(s, "write") == 0)
		return RC_SCOPE_WRITE;
	return RC_SCOPE_SESSION;
}

#define ACCOUNT_COLS                                                                                        \
	"a.id, a.email, a.name, a.role, a.password_hash, a.created_at, a.password_changed_at, a.patient, "          \
	"COALESCE(a.deactivated_at, 0)"
enum { ACCOUNT_NCOLS = 9 }; /* the columns of ACCOUNT_COLS: what a query selects after them comes next */

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
	a->patient = a->role == RC_ROLE_RUNNER || rc_stmt_int(s, first + 7) != 0;
	a->deactivated_at = rc_stmt_int(s, first + 8);
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
static const rc_sql q_rehash = {"account_rehash",
	"UPDATE account SET password_hash = ? WHERE id = ? AND deleted_at IS NULL"};
static const rc_sql q_links_revoke = {"account_links_revoke",
	"UPDATE one_time_link SET revoked_at = ? WHERE account_id = ? AND used_at IS NULL AND revoked_at IS NULL"};
/* search is matched as a LIKE pattern with % and _ escaped (by like_pattern below). */
#define ACCOUNT_PAGE_WHERE \
	"WHERE a.deleted_at IS NULL AND (? = '' OR a.role = ?) AND (? = '' OR lower(a.name) LIKE ? ESCAPE '!' " \
	"OR a.email LIKE ? ESCAPE '!') "
static const rc_sql q_page = {"account_page",
	"SELECT " ACCOUNT_COLS " FROM account a " ACCOUNT_PAGE_WHERE "ORDER BY a.role, a.name, a.id LIMIT ? OFFSET ?"};
static const rc_sql q_page_count = {"account_page_count",
	"SELECT COUNT(*) FROM account a " ACCOUNT_PAGE_WHERE};
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
		e = rc_patient_index(db, *id, true);
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
	rc_err e = rc_db_query(db, &q_set_password, NULL, NULL, "tii", password_hash, now, id);
	/* A link mailed before the change must not undo it. */
	return e ? e : rc_db_query(db, &q_links_revoke, NULL, NULL, "ii", now, id);
}

rc_err rc_account_rehash(rc_db *db, int64_t id, const char *password_hash)
{
	return rc_db_query(db, &q_rehash, NULL, NULL, "ti", password_hash, id);
}

/* "%text%" for LIKE, lower-cased (ASCII), with the pattern characters escaped by '!'. */
static void like_pattern(const char *search, char *out, size_t n)
{
	size_t k = 0;
	out[k++] = '%';
	for (const char *p = search; *p && k + 3 < n; p++) {
		char c = *p;
		if (c == '%' || c == '_' || c == '!')
			out[k++] = '!';
		out[k++] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
	}
	out[k++] = '%';
	out[k] = '\0';
}

rc_err rc_account_page(rc_db *db, rc_role role, const char *search, int64_t offset, int64_t limit, rc_account_fn fn,
                       void *ctx, int64_t *total)
{
	const char *r = role == RC_ROLE_NONE ? "" : rc_role_name(role);
	const char *q = search ? search : "";
	char pat[2 * (RC_EMAIL_MAX + 1) + 4];
	like_pattern(q, pat, sizeof pat);
	rc_stmt *s;
	bool row;
	rc_err e = rc_db_query(db, &q_page_count, &s, &row, "ttttt", r, r, q, pat, pat);
	if (e)
		return e;
	*total = row ? rc_stmt_int(s, 0) : 0;
	if (row)
		rc_stmt_done(s);
	e = rc_db_query(db, &q_page, &s, &row, "tttttii", r, r, q, pat, pat, limit, offset);
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
	if ((e = rc_db_query(db, &q_erase, NULL, NULL, "ii", now, id)))
		return e;
	return rc_patient_index(db, id, false);
}

/* --- sessions ------------------------------------------------------------------------------ */

static const rc_sql q_session_create = {"session_create",
	"INSERT INTO session (token_hash, account_id, csrf, created_at, last_seen_at) VALUES (?, ?, ?, ?, ?)"};
static const rc_sql q_session_lookup = {"session_lookup",
	"SELECT " ACCOUNT_COLS ", s.csrf, s.last_seen_at FROM session s JOIN account a ON a.id = s.account_id "
	"WHERE s.token_hash = ? AND a.deleted_at IS NULL AND a.deactivated_at IS NULL AND s.last_seen_at > ? "
	"AND s.created_at > ?"};
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
	snprintf(csrf, RC_HEX_HASH + 1, "%s", rc_stmt_text(s, ACCOUNT_NCOLS));
	int64_t seen = rc_stmt_int(s, ACCOUNT_NCOLS + 1);
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
	"INSERT INTO api_token (token_hash, account_id, label, scope, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?) "
	"RETURNING id"};
static const rc_sql q_token_lookup = {"token_lookup",
	"SELECT " ACCOUNT_COLS ", t.scope FROM api_token t JOIN account a ON a.id = t.account_id "
	"WHERE t.token_hash = ? AND t.revoked_at IS NULL AND t.expires_at > ? AND a.deleted_at IS NULL "
	"AND a.deactivated_at IS NULL"};
static const rc_sql q_token_list = {"token_list",
	"SELECT t.id, t.account_id, COALESCE(a.email, ''), t.label, t.scope, t.created_at, t.expires_at, "
	"COALESCE(t.revoked_at, 0) FROM api_token t JOIN account a ON a.id = t.account_id ORDER BY t.id DESC"};
static const rc_sql q_token_revoke = {"token_revoke",
	"UPDATE api_token SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL"};

rc_err rc_token_create(rc_db *db, const char *token_hash, int64_t account_id, const char *label, rc_scope scope,
                       int64_t now, int64_t expires_at, int64_t *id)
{
	if (scope != RC_SCOPE_READ && scope != RC_SCOPE_WRITE)
		return RC_EINVAL;
	rc_stmt *s;
	bool row;
	rc_err e = rc_db_query(db, &q_token_create, &s, &row, "tittii", token_hash, account_id, label,
	                       rc_scope_name(scope), now, expires_at);
	if (!e && !row)
		e = RC_EDB;
	if (!e) {
		*id = rc_stmt_int(s, 0);
		rc_stmt_done(s);
	}
	return e;
}

rc_err rc_token_lookup(rc_db *db, const char *token_hash, int64_t now, rc_account *acct, bool *found)
{
	rc_stmt *s;
	rc_err e = rc_db_query(db, &q_token_lookup, &s, found, "ti", token_hash, now);
	if (!e && *found) {
		read_account(s, 0, acct);
		acct->scope = rc_scope_parse(rc_stmt_text(s, ACCOUNT_NCOLS));
		/* A token whose scope this build does not know reads only. */
		if (acct->scope == RC_SCOPE_SESSION)
			acct->scope = RC_SCOPE_READ;
		rc_stmt_done(s);
	}
	return e;
}

rc_err rc_token_list(rc_db *db, rc_token_fn fn, void *ctx)
{
	rc_stmt *s;
	bool row;
	rc_err e = rc_db_query(db, &q_token_list, &s, &row, "");
	while (!e && row) {
		rc_token_info t = {
			.id = rc_stmt_int(s, 0),
			.account_id = rc_stmt_int(s, 1),
			.email = rc_stmt_text(s, 2),
			.label = rc_stmt_text(s, 3),
			.scope = rc_scope_parse(rc_stmt_text(s, 4)),
			.created_at = rc_stmt_int(s, 5),
			.expires_at = rc_stmt_int(s, 6),
			.revoked_at = rc_stmt_int(s, 7),
		};
		fn(ctx, &t);
		e = rc_stmt_step(s, &row);
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
	"SELECT 1 FROM one_time_link WHERE token_hash = ? AND used_at IS NULL AND revoked_at IS NULL AND expires_at > ?"};
/* One statement marks it used, so two clicks at once cannot both succeed. */
static const rc_sql q_link_use = {"link_use",
	"UPDATE one_time_link SET used_at = ? WHERE token_hash = ? AND used_at IS NULL AND revoked_at IS NULL "
	"AND expires_at > ? RETURNING account_id"};

rc_err rc_link_create(rc_db *db, const char *token_hash, int64_t account_id, const char *purpose, int64_t now,
                      int64_t expires_at)
{
	rc_err e = rc_db_query(db, &q_links_revoke, NULL, NULL, "ii", now, account_id);
	return e ? e : rc_db_query(db, &q_link_create, NULL, NULL, "titii", token_hash, account_id, purpose, now,
	                           expires_at);
}

/* The same statements run, and write the same rows, whether or not the address has an account, so
 * the time taken does not tell: without one, the link is written for a decoy account (the first)
 * and the mail to the address, and both are deleted again before the transaction ends. */
#define LIVE_ACCOUNT_BY_EMAIL \
	"FROM account WHERE email = CAST(? AS TEXT) AND deleted_at IS NULL AND deactivated_at IS NULL"
static const rc_sql q_if_revoke = {"link_if_account_revoke",
	"UPDATE one_time_link SET revoked_at = ? WHERE used_at IS NULL AND revoked_at IS NULL AND account_id IN "
	"(SELECT id " LIVE_ACCOUNT_BY_EMAIL ")"};
static const rc_sql q_if_link = {"link_if_account_create",
	"INSERT INTO one_time_link (token_hash, account_id, purpose, created_at, expires_at) "
	"SELECT CAST(? AS TEXT), id, CAST(? AS TEXT), CAST(? AS INTEGER), CAST(? AS INTEGER) FROM account "
	"WHERE id = COALESCE((SELECT id " LIVE_ACCOUNT_BY_EMAIL "), (SELECT MIN(id) FROM account))"};
static const rc_sql q_if_mail = {"link_if_account_mail",
	"INSERT INTO mail_outbox (to_addr, subject, body, created_at, secret) VALUES (?, ?, ?, ?, 1) RETURNING id"};
static const rc_sql q_if_undo_link = {"link_if_account_undo_link",
	"DELETE FROM one_time_link WHERE token_hash = ? AND NOT EXISTS (SELECT 1 " LIVE_ACCOUNT_BY_EMAIL ")"};
static const rc_sql q_if_undo_mail = {"link_if_account_undo_mail",
	"DELETE FROM mail_outbox WHERE id = ? AND NOT EXISTS (SELECT 1 " LIVE_ACCOUNT_BY_EMAIL ")"};

rc_err rc_link_mail_if_account(rc_db *db, const char *email, const char *token_hash, const char *purpose, int64_t now,
                               int64_t expires_at, const char *subject, const char *body, bool *sent)
{
	rc_stmt *s;
	bool row = false;
	rc_err e;
	*sent = false;
	if ((e = rc_db_query(db, &q_if_revoke, NULL, NULL, "it", now, email)) ||
	    (e = rc_db_query(db, &q_if_link, NULL, NULL, "ttiit", token_hash, purpose, now, expires_at, email)) ||
	    (e = rc_db_query(db, &q_if_mail, &s, &row, "ttti", email, subject, body, now)))
		return e;
	if (!row)
		return RC_EDB;
	int64_t mail_id = rc_stmt_int(s, 0);
	rc_stmt_done(s);
	if ((e = rc_db_query(db, &q_if_undo_link, NULL, NULL, "tt", token_hash, email)) ||
	    (e = rc_db_query(db, &q_if_undo_mail, &s, NULL, "it", mail_id, email)))
		return e;
	*sent = rc_stmt_changes(s) == 0;
	return RC_OK;
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
static const rc_sql q_fail_forget = {"signin_failure_forget", "DELETE FROM signin_failure WHERE at < ?"};
static const rc_sql q_fail_count = {"signin_failure_count",
	"SELECT (SELECT COUNT(*) FROM signin_failure WHERE email = ? AND address = ? AND at >= ?), "
	"(SELECT COALESCE(MAX(at), 0) FROM signin_failure WHERE email = ? AND address = ? AND at >= ?), "
	"(SELECT COUNT(*) FROM signin_failure WHERE address = ? AND at >= ?), "
	"(SELECT COALESCE(MAX(at), 0) FROM signin_failure WHERE address = ? AND at >= ?)"};
static const rc_sql q_fail_clear = {"signin_failure_clear",
	"DELETE FROM signin_failure WHERE email = ? AND address = ?"};

rc_err rc_signin_failure_add(rc_db *db, const char *email, const char *address, int64_t now, int64_t forget_before)
{
	rc_err e = rc_db_query(db, &q_fail_add, NULL, NULL, "tti", email, address, now);
	return e ? e : rc_db_query(db, &q_fail_forget, NULL, NULL, "i", forget_before);
}

rc_err rc_signin_failures(rc_db *db, const char *email, const char *address, int64_t since, rc_signin_counts *out)
{
	rc_stmt *s;
	bool row;
	memset(out, 0, sizeof *out);
	rc_err e = rc_db_query(db, &q_fail_count, &s, &row, "ttittititi", email, address, since, email, address, since,
	                       address, since, address, since);
	if (!e && row) {
		out->by_pair = rc_stmt_int(s, 0);
		out->pair_latest = rc_stmt_int(s, 1);
		out->by_address = rc_stmt_int(s, 2);
		out->address_latest = rc_stmt_int(s, 3);
		rc_stmt_done(s);
	}
	return e;
}

rc_err rc_signin_failures_clear(rc_db *db, const char *email, const char *address)
{
	return rc_db_query(db, &q_fail_clear, NULL, NULL, "tt", email, address);
}

/* --- rate limits --------------------------------------------------------------------------- */

static const rc_sql q_rate_count = {"rate_count",
	"SELECT COUNT(*), COALESCE(MIN(at), 0) FROM rate_event WHERE kind = ? AND key = ? AND at >= ?"};
static const rc_sql q_rate_add = {"rate_add", "INSERT INTO rate_event (kind, key, at) VALUES (?, ?, ?)"};
static const rc_sql q_rate_forget = {"rate_forget", "DELETE FROM rate_event WHERE at < ?"};

rc_err rc_rate_count(rc_db *db, const char *kind, const char *key, int64_t since, int64_t *n, int64_t *oldest)
{
	rc_stmt *s;
	bool row;
	*n = *oldest = 0;
	rc_err e = rc_db_query(db, &q_rate_count, &s, &row, "tti", kind, key, since);
	if (!e && row) {
		*n = rc_stmt_int(s, 0);
		*oldest = rc_stmt_int(s, 1);
		rc_stmt_done(s);
	}
	return e;
}

rc_err rc_rate_add(rc_db *db, const char *kind, const char *key, int64_t now, int64_t forget_before)
{
	rc_err e = rc_db_query(db, &q_rate_add, NULL, NULL, "tti", kind, key, now);
	return e ? e : rc_db_query(db, &q_rate_forget, NULL, NULL, "i", forget_before);
}

/* --- outbox and audit ---------------------------------------------------------------------- */

static const rc_sql q_outbox_add = {"outbox_add",
	"INSERT INTO mail_outbox (to_addr, subject, body, created_at) VALUES (?, ?, ?, ?)"};

static const rc_sql q_outbox_add_secret = {"outbox_add_secret",
	"INSERT INTO mail_outbox (to_addr, subject, body, created_at, secret) VALUES (?, ?, ?, ?, 1)"};

rc_err rc_outbox_add(rc_db *db, const char *to, const char *subject, const char *body, int64_t now)
{
	return rc_db_query(db, &q_outbox_add, NULL, NULL, "ttti", to, subject, body, now);
}

rc_err rc_outbox_add_secret(rc_db *db, const char *to, const char *subject, const char *body, int64_t now)
{
	return rc_db_query(db, &q_outbox_add_secret, NULL, NULL, "ttti", to, subject, body, now);
}

static const rc_sql q_audit_add = {"audit_add",
	"INSERT INTO audit_log (at, actor_id, actor_role, action, runner_id, detail, address) "
	"VALUES (?, ?, ?, ?, ?, ?, ?)"};
/* Whom a line is about, as a person reads it: the email; a patient without one by name; a registration
 * merged into another by name too; an erased runner as nothing (the caller says so). */
#define RUNNER_LABEL                                                                                        \
	"CASE WHEN r.email IS NOT NULL THEN r.email WHEN r.merged_into IS NOT NULL THEN r.name || ' (merged)' " \
	"WHEN r.deleted_at IS NULL THEN COALESCE(r.name, '') ELSE '' END"
static const rc_sql q_audit_list = {"audit_list",
	"SELECT l.id, l.at, l.actor_id, l.actor_role, COALESCE(a.email, ''), l.action, l.runner_id, l.detail, "
	"l.address, " RUNNER_LABEL " FROM audit_log l LEFT JOIN account a ON a.id = l.actor_id "
	"LEFT JOIN account r ON r.id = l.runner_id "
	"WHERE (? = 0 OR l.runner_id = ?) AND l.at >= ? ORDER BY l.id DESC LIMIT ? OFFSET ?"};
static const rc_sql q_audit_count = {"audit_count",
	"SELECT COUNT(*) FROM audit_log l WHERE (? = 0 OR l.runner_id = ?) AND l.at >= ?"};

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

rc_err rc_audit_page(rc_db *db, int64_t runner_id, int64_t since, int64_t offset, int64_t limit, rc_audit_fn fn,
                     void *ctx, int64_t *total)
{
	rc_stmt *s;
	bool row;
	rc_err e;
	if (total) {
		if ((e = rc_db_query(db, &q_audit_count, &s, &row, "iii", runner_id, runner_id, since)))
			return e;
		*total = row ? rc_stmt_int(s, 0) : 0;
		if (row)
			rc_stmt_done(s);
	}
	e = rc_db_query(db, &q_audit_list, &s, &row, "iiiii", runner_id, runner_id, since, limit, offset);
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
