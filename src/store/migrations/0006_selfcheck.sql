-- 0006: self-check results a signed-in runner keeps (anonymous self-checks are never stored).
CREATE TABLE selfcheck_result (
    id INTEGER PRIMARY KEY,
    runner_id INTEGER NOT NULL REFERENCES account (id),
    created_at INTEGER NOT NULL,
    urgency TEXT NOT NULL,
    top_condition TEXT NOT NULL,
    answers TEXT NOT NULL,   -- JSON, keyed by finding
    result TEXT NOT NULL     -- JSON, as the API returns it
);
CREATE INDEX selfcheck_result_runner ON selfcheck_result (runner_id, created_at);
