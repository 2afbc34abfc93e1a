-- 0013: patients and people. The front desk registers a patient who phones in (an account with role
-- runner, an email or none, and no password until the patient chooses one), finds anyone fast, and
-- merges a duplicate registration into the record kept; an administrator changes roles and
-- deactivates accounts.

-- A patient is an account whose role is runner, or whose patient is 1: a runner who became staff keeps
-- their record (appointments, chart, programs) and stays on the patient list.
ALTER TABLE account ADD COLUMN patient INTEGER NOT NULL DEFAULT 0;
-- Set: the account cannot sign in (its sessions and API tokens ended then). NULL: active.
ALTER TABLE account ADD COLUMN deactivated_at INTEGER;
-- A registration merged into another: merged_into names the record kept, and deleted_at is set too so
-- that nothing treats it as live. Its name stays, so that the audit log still reads. (An erased account
-- has deleted_at and no merged_into.) No foreign key: a row may name a record made after it, and
-- `db copy` copies rows in id order.
ALTER TABLE account ADD COLUMN merged_into INTEGER;

-- Patient search (domain/search.h): each patient is stored under short keys made from their name,
-- email, phone and date of birth; a search looks a few keys up and checks the patients found.
CREATE TABLE patient_key (
    term TEXT NOT NULL,
    runner_id INTEGER NOT NULL REFERENCES account (id),
    PRIMARY KEY (term, runner_id)
);
CREATE INDEX patient_key_runner ON patient_key (runner_id);

-- 1 once runcare has written the account's keys. Accounts from before this migration, or written by
-- another program, are 0: a search reads those one by one (through this small index) until runcare
-- writes their keys, which it does for all of them whenever it starts.
ALTER TABLE account ADD COLUMN search_indexed INTEGER NOT NULL DEFAULT 0;
CREATE INDEX account_unindexed ON account (id) WHERE search_indexed = 0;
