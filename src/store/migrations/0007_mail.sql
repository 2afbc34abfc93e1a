-- 0007: delivering the outbox (retries with a lease, so two processes never send one mail twice),
-- iCalendar attachments, one reminder per appointment, and private calendar feeds.
ALTER TABLE mail_outbox ADD COLUMN next_attempt_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE mail_outbox ADD COLUMN claimed_until INTEGER NOT NULL DEFAULT 0;
ALTER TABLE mail_outbox ADD COLUMN attachment TEXT;
ALTER TABLE appointment ADD COLUMN reminder_queued_at INTEGER;

CREATE TABLE calendar_feed (
    token_hash TEXT PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES account (id),
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
);
