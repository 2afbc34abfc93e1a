-- 0002: accounts, sessions, API tokens, single-use links, the mail outbox, sign-in failures, audit log.
-- Times here are Unix seconds (UTC): expiry arithmetic stays in integers on both backends.
CREATE TABLE account (
    id INTEGER PRIMARY KEY,
    email TEXT UNIQUE,               -- lower case; NULL once the account is erased
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('runner', 'practitioner', 'front_desk', 'admin')),
    password_hash TEXT,              -- Argon2id string; NULL until the owner sets one
    created_at INTEGER NOT NULL,
    password_changed_at INTEGER NOT NULL,
    deleted_at INTEGER
);

CREATE TABLE session (
    token_hash TEXT PRIMARY KEY,     -- hex BLAKE2b of the 256-bit cookie token; the token is never stored
    account_id INTEGER NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    csrf TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL
);
CREATE INDEX session_account ON session (account_id);

CREATE TABLE api_token (
    id INTEGER PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    account_id INTEGER NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    label TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
);

-- Single-use, expiring links sent by mail: set a first password, reset a forgotten one.
CREATE TABLE one_time_link (
    token_hash TEXT PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    purpose TEXT NOT NULL CHECK (purpose IN ('set_password', 'reset_password')),
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at INTEGER
);

CREATE TABLE mail_outbox (
    id INTEGER PRIMARY KEY,
    to_addr TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    sent_at INTEGER,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT
);

CREATE TABLE signin_failure (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL,
    address TEXT NOT NULL,
    at INTEGER NOT NULL
);
CREATE INDEX signin_failure_email ON signin_failure (email, at);
CREATE INDEX signin_failure_address ON signin_failure (address, at);

-- Append-only: runcare has no statement that updates or deletes a row here.
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    actor_id INTEGER,                -- NULL for an anonymous or system action
    actor_role TEXT NOT NULL,
    action TEXT NOT NULL,
    runner_id INTEGER,               -- whose record, when it is a runner's
    detail TEXT NOT NULL,
    address TEXT NOT NULL
);
CREATE INDEX audit_runner ON audit_log (runner_id, at);
