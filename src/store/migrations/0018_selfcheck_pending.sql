-- 0018: a self-check result made before signing up, held for the browser that made it until its new
-- account claims it (issue 16). Keyed by the hash of a random token kept in that browser's cookie: the
-- token itself is never stored, and no id a person could guess reaches it. A claim moves the row into
-- selfcheck_result and deletes it (single use); rows older than RC_SELFCHECK_PENDING_S are deleted.
CREATE TABLE selfcheck_pending (
    token_hash TEXT PRIMARY KEY,
    created_at INTEGER NOT NULL,
    urgency TEXT NOT NULL,
    top_condition TEXT NOT NULL,
    answers TEXT NOT NULL,   -- JSON, keyed by finding
    result TEXT NOT NULL     -- JSON, as the API returns it
);
CREATE INDEX selfcheck_pending_created ON selfcheck_pending (created_at);
