-- 0023: one upload, any size (issue 20). An upload of up to a few GB is written into import_job_part in
-- many short transactions instead of one, so the job is not the worker's until its last part is in:
-- `receiving` is 1 while the parts arrive, 0 once the job may be claimed (a job left at 1 by a process
-- that stopped mid-upload is deleted by the worker's sweep). Finished jobs are deleted by the same sweep
-- a while after they end (app/jobs.h, RC_IMPORT_KEEP_DAYS): their activities and original files stay
-- under activity and activity_file.
ALTER TABLE import_job ADD COLUMN receiving INTEGER NOT NULL DEFAULT 0;
CREATE INDEX import_job_finished ON import_job (finished_at);
