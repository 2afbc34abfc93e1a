/* outbox.h — delivering mail: claim a due message under a lease (so two processes never send the
 * same one), mark it sent, or note the failure and retry later with backoff. */
#ifndef RC_OUTBOX_H
#define RC_OUTBOX_H

#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"

enum {
	RC_MAIL_LEASE_S = 120,   /* a claimed message is another process's to retry only after this */
	RC_MAIL_MAX_ATTEMPTS = 8,
};

typedef struct rc_mail {
	int64_t id, attempts;
	char to[255], subject[256];
	char *body, *attachment; /* caller frees */
} rc_mail;

/* *found false when nothing is due. */
RC_WUR rc_err rc_outbox_claim(rc_db *db, int64_t now, rc_mail *out, bool *found);
/* Marks it sent; a body that held a secret (rc_outbox_add_secret) is replaced by RC_MAIL_PURGED_NOTE. */
RC_WUR rc_err rc_outbox_sent(rc_db *db, int64_t id, int64_t now);
/* Replaces the bodies of messages with a secret made before `before` (the secret has expired), sent
 * or not: a clinic without SMTP does not keep live links in the outbox either. *n (may be NULL)
 * counts them. */
#define RC_MAIL_PURGED_NOTE "(This message held a single-use link; it was removed once the message was sent or expired.)"
RC_WUR rc_err rc_outbox_purge_secrets(rc_db *db, int64_t before, int64_t *n);
RC_WUR rc_err rc_outbox_failed(rc_db *db, int64_t id, int64_t attempts, int64_t now, const char *error);
RC_WUR rc_err rc_outbox_add_ics(rc_db *db, const char *to, const char *subject, const char *body, const char *ics,
                                int64_t now);

/* Appointments starting within the next day without a reminder: *n found, each given to fn (which
 * queues the mail) and marked, in the caller's transaction. */
typedef rc_err (*rc_remind_fn)(void *ctx, rc_db *db, int64_t appointment_id);
RC_WUR rc_err rc_reminders_due(rc_db *db, int64_t now, rc_remind_fn fn, void *ctx, int *n);

/* Calendar feeds: one live token per runner (a new one revokes the old). */
RC_WUR rc_err rc_feed_create(rc_db *db, int64_t account_id, const char *token_hash, int64_t now);
RC_WUR rc_err rc_feed_revoke(rc_db *db, int64_t account_id, int64_t now);
RC_WUR rc_err rc_feed_lookup(rc_db *db, const char *token_hash, int64_t *account_id, bool *found);

#endif
