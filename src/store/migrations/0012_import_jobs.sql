-- 0012: training files are imported off the request threads. An upload becomes a job: its files wait
-- here (as base64 text in parts of 1 MiB, so `db copy` and its checksums treat them like any other
-- text) until the import worker of some process claims the job under a lease, reads them, and deletes
-- them. The job keeps its counts and the first files that could not be read, with the reason, so the
-- runner's job page can show the report.
CREATE TABLE import_job (
    id INTEGER PRIMARY KEY,
    runner_id INTEGER NOT NULL REFERENCES account (id),
    state TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'running', 'done', 'failed')),
    files_seen INTEGER NOT NULL DEFAULT 0,      -- training files read so far, whatever the outcome
    files_added INTEGER NOT NULL DEFAULT 0,
    files_duplicate INTEGER NOT NULL DEFAULT 0,
    files_refused INTEGER NOT NULL DEFAULT 0,
    files_skipped INTEGER NOT NULL DEFAULT 0,   -- other files in an archive (CSV, photos), set at the end
    bytes_done INTEGER NOT NULL DEFAULT 0,      -- of the uploaded bytes
    bytes_total INTEGER NOT NULL,
    bytes_expanded INTEGER NOT NULL DEFAULT 0,  -- decompressed so far by the current attempt
    message TEXT NOT NULL DEFAULT '',           -- why a failed job failed
    created_at INTEGER NOT NULL,
    started_at INTEGER,
    finished_at INTEGER,
    lease_until INTEGER NOT NULL DEFAULT 0,     -- a running job is another process's to take after this
    attempts INTEGER NOT NULL DEFAULT 0         -- claims so far; the worker's writes name the one it holds
);
CREATE INDEX import_job_state ON import_job (state, id);
CREATE INDEX import_job_runner ON import_job (runner_id, state);

CREATE TABLE import_job_file (
    id INTEGER PRIMARY KEY,
    job_id INTEGER NOT NULL REFERENCES import_job (id),
    name TEXT NOT NULL,
    size INTEGER NOT NULL
);
CREATE INDEX import_job_file_job ON import_job_file (job_id, id);

CREATE TABLE import_job_part (
    id INTEGER PRIMARY KEY,
    file_id INTEGER NOT NULL REFERENCES import_job_file (id),
    data TEXT NOT NULL                          -- base64 of up to 1 MiB of the file, in id order
);
CREATE INDEX import_job_part_file ON import_job_part (file_id, id);

CREATE TABLE import_job_problem (
    id INTEGER PRIMARY KEY,
    job_id INTEGER NOT NULL REFERENCES import_job (id),
    name TEXT NOT NULL,
    why TEXT NOT NULL
);
CREATE INDEX import_job_problem_job ON import_job_problem (job_id, id);
