-- 0009: home exercise programs (from content/programs.json), the sessions a runner logs, the recovery
-- diary and the Patient-Specific Functional Scale. Logs and diary entries are never overwritten: an
-- edit adds a row and points the old one at it (superseded_by), so the earlier version stays.
CREATE TABLE program_assignment (
    id INTEGER PRIMARY KEY,
    runner_id INTEGER NOT NULL REFERENCES account (id),
    program_key TEXT NOT NULL,
    stage INTEGER NOT NULL,
    started_at INTEGER NOT NULL,
    stage_started_at INTEGER NOT NULL,
    assigned_by INTEGER REFERENCES account (id),   -- NULL: the runner started it
    note TEXT NOT NULL DEFAULT '',                 -- the practitioner's adjustment, shown to the runner
    ended_at INTEGER                               -- NULL while it is the runner's program
);
CREATE INDEX program_assignment_runner ON program_assignment (runner_id, ended_at);

CREATE TABLE exercise_log (
    id INTEGER PRIMARY KEY,
    assignment_id INTEGER NOT NULL REFERENCES program_assignment (id),
    runner_id INTEGER NOT NULL REFERENCES account (id),
    day TEXT NOT NULL,              -- YYYY-MM-DD in the clinic's time zone
    stage INTEGER NOT NULL,
    done INTEGER NOT NULL,          -- reps or holds done in the session
    prescribed INTEGER NOT NULL,    -- reps or holds the stage asks for in one session
    pain_during INTEGER NOT NULL,   -- 0-10
    logged_at INTEGER NOT NULL,
    superseded_by INTEGER
);
CREATE INDEX exercise_log_runner_day ON exercise_log (runner_id, day);

CREATE TABLE diary_entry (
    id INTEGER PRIMARY KEY,
    runner_id INTEGER NOT NULL REFERENCES account (id),
    day TEXT NOT NULL,
    pain_rest INTEGER NOT NULL,     -- 0-10, at rest on waking: the pain-monitoring model's next morning
    pain_sitting INTEGER NOT NULL,
    pain_running INTEGER,           -- NULL: did not run
    minutes_run INTEGER NOT NULL,
    notes TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    superseded_by INTEGER
);
CREATE INDEX diary_entry_runner_day ON diary_entry (runner_id, day);

CREATE TABLE psfs_rating (
    id INTEGER PRIMARY KEY,
    runner_id INTEGER NOT NULL REFERENCES account (id),
    rated_at INTEGER NOT NULL,
    day TEXT NOT NULL,
    ratings TEXT NOT NULL           -- JSON: [{"activity": "...", "score": 0-10}], up to 5
);
CREATE INDEX psfs_rating_runner ON psfs_rating (runner_id, rated_at);
