/* outbox.c — statements about mail delivery, reminders and calendar feeds. */
#include "store/outbox.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const rc_sql q_due = {"outbox_due",
	"SELECT id FROM mail_outbox WHERE sent_at IS NULL AND attempts < ? AND next_attempt_at <= ? "
	"AND claimed_until <= ? ORDER BY id LIMIT 1"};
static const rc_sql q_claim = {"outbox_claim",
	"UPDATE mail_outbox SET claimed_until = ? WHERE id = ? AND sent_at IS NULL AND claimed_until <= ?"};
static const rc_sql q_read = {"outbox_read",
	"SELECT to_addr, subject, body, COALESCE(attachment, ''), attempts FROM mail_outbox WHERE id = ?"};
/* A sent message keeps who, what and when, but a body that held a link becomes a note: the outbox is
 * no store of live secrets. */
static const rc_sql q_sent = {"outbox_sent",
	"UPDATE mail_outbox SET sent_at = ?, claimed_until = 0, "
	"body = CASE WHEN secret = 1 THEN '" RC_MAIL_PURGED_NOTE "' ELSE body END, "
	"secret = CASE WHEN secret = 1 THEN 2 ELSE secret END WHERE id = ?"};
static const rc_sql q_purge = {"outbox_purge_secrets",
	"UPDATE mail_outbox SET body = '" RC_MAIL_PURGED_NOTE "', secret = 2 WHERE secret = 1 AND created_at < ?"};
static const rc_sql q_failed = {"outbox_failed",
	"UPDATE mail_outbox SET attempts = attempts + 1, next_attempt_at = ?, last_error = ?, claimed_until = 0 WHERE id = ?"};
static const rc_sql q_add = {"outbox_add_ics",
	"INSERT INTO mail_outbox (to_addr, subject, body, created_at, attachment) VALUES (?, ?, ?, ?, ?)"};

rc_err rc_outbox_claim(rc_db *db, int64_t now, rc_mail *out, bool *found)
{
	memset(out, 0, sizeof *out);
	*found = false;
	for (int tries = 0; tries < 4; tries++) {
		rc_stmt *s;
		bool row;
		rc_err e = rc_db_query(db, &q_due, &s, &row, "iii", (int64_t)RC_MAIL_MAX_ATTEMPTS, now, now);
		if (e || !row)
			return e;
		int64_t id = rc_stmt_int(s, 0);
		rc_stmt_done(s);
		/* The lease: only the process whose update changed the row sends it. */
		if ((e = rc_db_query(db, &q_claim, &s, NULL, "iii", now + RC_MAIL_LEASE_S, id, now)))
			return e;
		if (rc_stmt_changes(s) == 0)
			continue; /* another process took it a moment ago */
		if ((e = rc_db_query(db, &q_read, &s, &row, "i", id)) || !row)
			return e ? e : RC_ENOTFOUND;
		out->id = id;
		snprintf(out->to, sizeof out->to, "%s", rc_stmt_text(s, 0));
		snprintf(out->subject, sizeof out->subject, "%s", rc_stmt_text(s, 1));
		out->body = strdup(rc_stmt_text(s, 2));
		out->attachment = rc_stmt_text(s, 3)[0] ? strdup(rc_stmt_text(s, 3)) : NULL;
		out->attempts = rc_stmt_int(s, 4);
		rc_stmt_done(s);
		*found = out->body != NULL;
		return out->body ? RC_OK : RC_ENOMEM;
	}
	return RC_OK;
}

rc_err rc_outbox_sent(rc_db *db, int64_t id, int64_t now)
{
	return rc_db_query(db, &q_sent, NULL, NULL, "ii", now, id);
}

rc_err rc_outbox_purge_secrets(rc_db *db, int64_t before, int64_t *n)
{
	rc_stmt *s;
	rc_err e = rc_db_query(db, &q_purge, &s, NULL, "i", before);
	if (n)
		*n = e ? 0 : rc_stmt_changes(s);
	return e;
}

rc_err rc_outbox_failed(rc_db *db, int64_t id, int64_t attempts, int64_t now, const char *error)
{
	/* 30 s, 1, 2, 4, 8 … minutes: a relay that is down for a while does not lose the mail. */
	int64_t wait = attempts < 1 ? 30 : (int64_t)60 << (attempts - 1 < 10 ? attempts - 1 : 10);
	return rc_db_query(db, &q_failed, NULL, NULL, "iti", now + wait, error, id);
}

rc_err rc_outbox_add_ics(rc_db *db, const char *to, const char *subject, const char *body, const char *ics, int64_t now)
{
	return rc_db_query(db, &q_add, NULL, NULL, "tttit", to, subject, body, now, ics);
}

static const rc_sql q_reminders = {"reminders_due",
	"SELECT id FROM appointment WHERE status = 'booked' AND reminder_queued_at IS NULL AND starts_at > ? "
	"AND starts_at <= ? ORDER BY starts_at LIMIT 100"};
static const rc_sql q_reminded = {"reminder_mark",
	"UPDATE appointment SET reminder_queued_at = ? WHERE id = ? AND reminder_queued_at IS NULL"};

rc_err rc_reminders_due(rc_db *db, int64_t now, rc_remind_fn fn, void *ctx, int *n)
{
	int64_t ids[100];
	int k = 0;
	rc_stmt *s;
	bool row;
	*n = 0;
	rc_err e = rc_db_query(db, &q_reminders, &s, &row, "ii", now, now + 24 * 3600);
	while (!e && row && k < 100) {
		ids[k++] = rc_stmt_int(s, 0);
		e = rc_stmt_step(s, &row);
	}
	for (int i = 0; !e && i < k; i++) {
		/* Marked first, in the same transaction: a second process's transaction either waits or
		 * fails and retries, and then finds it marked. */
		if ((e = rc_db_query(db, &q_reminded, &s, NULL, "ii", now, ids[i])))
			break;
		if (rc_stmt_changes(s) == 0)
			continue;
		if ((e = fn(ctx, db, ids[i])))
			break;
		(*n)++;
	}
	return e;
}

static const rc_sql q_feed_revoke = {"feed_revoke",
	"UPDATE calendar_feed SET revoked_at = ? WHERE account_id = ? AND revoked_at IS NULL"};
static const rc_sql q_feed_add = {"feed_add",
	"INSERT INTO calendar_feed (token_hash, account_id, created_at) VALUES (?, ?, ?)"};
static const rc_sql q_feed_lookup = {"feed_lookup",
	"SELECT f.account_id FROM calendar_feed f JOIN account a ON a.id = f.account_id "
	"WHERE f.token_hash = ? AND f.revoked_at IS NULL AND a.deleted_at IS NULL"};

rc_err rc_feed_create(rc_db *db, int64_t account_id, const char *token_hash, int64_t now)
{
	rc_err e = rc_db_query(db, &q_feed_revoke, NULL, NULL, "ii", now, account_id);
	return e ? e : rc_db_query(db, &q_feed_add, NULL, NULL, "tii", token_hash, account_id, now);
}

rc_err rc_feed_revoke(rc_db *db, int64_t account_id, int64_t now)
{
	return rc_db_query(db, &q_feed_revoke, NULL, NULL, "ii", now, account_id);
}

rc_err rc_feed_lookup(rc_db *db, const char *token_hash, int64_t *account_id, bool *found)
{
	rc_stmt *s;
	rc_err e = rc_db_query(db, &q_feed_lookup, &s, found, "t", token_hash);
	if (!e && *found) {
		*account_id = rc_stmt_int(s, 0);
		rc_stmt_done(s);
	}
	return e;
}
