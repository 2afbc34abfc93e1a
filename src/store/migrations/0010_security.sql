-- 0010: accounts hardened. Rate limits shared by every process (sign-ups, reset mails, password checks
-- inside a session), one live single-use link per account, mail bodies with a secret purged once
-- sent, API tokens with an expiry and a scope, and the sign-in throttle counted per (email, address).

-- One row per counted attempt; kind names the limit (app/account.h), key what it is counted by (an
-- address, an email, an account id). Rows older than the longest window are deleted as new ones come.
CREATE TABLE rate_event (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    at INTEGER NOT NULL
);
CREATE INDEX rate_event_key ON rate_event (kind, key, at);
CREATE INDEX rate_event_at ON rate_event (at);

-- A link is revoked when a newer one is made for its account, or when the password changes.
ALTER TABLE one_time_link ADD COLUMN revoked_at INTEGER;
CREATE INDEX one_time_link_account ON one_time_link (account_id);

-- 1: the body holds a secret (a set-password link); 2: it did, and was replaced by a note once sent
-- or expired.
ALTER TABLE mail_outbox ADD COLUMN secret INTEGER NOT NULL DEFAULT 0;
CREATE INDEX mail_outbox_secret ON mail_outbox (secret, created_at);

-- Tokens made before this had neither: they keep writing, and expire 90 days after they were made.
ALTER TABLE api_token ADD COLUMN scope TEXT NOT NULL DEFAULT 'write' CHECK (scope IN ('read', 'write'));
ALTER TABLE api_token ADD COLUMN expires_at INTEGER NOT NULL DEFAULT 0;
UPDATE api_token SET expires_at = created_at + 90 * 86400 WHERE expires_at = 0;

-- The throttle counts failures per (email, address) pair and per address.
CREATE INDEX signin_failure_pair ON signin_failure (email, address, at);
CREATE INDEX signin_failure_at ON signin_failure (at);

-- The audit log is read a page at a time, newest first.
CREATE INDEX audit_runner_id ON audit_log (runner_id, id);
