-- 0026: when an upload's storing last moved (issue 13's finding 3 follow-up). A job `receiving` its parts
-- whose last part is older than app/jobs.h's RC_IMPORT_STALL_S was left by a process that died while
-- storing it: its page says so at once, and the worker's sweep fails it (0: no part yet; created_at counts).
ALTER TABLE import_job ADD COLUMN stored_at INTEGER NOT NULL DEFAULT 0;
