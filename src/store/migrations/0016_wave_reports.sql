-- 0016: the wave for the front desk. Each event may say how many finishers are expected (the field
-- the clinic's default of visits per 1,000 finishers is applied to); extra hours opened for an event
-- remember it (so deleting the event can keep them or take them away); and the clinic's stated
-- default lives in one row an administrator changes.
ALTER TABLE event ADD COLUMN finishers INTEGER;            -- NULL: not known

-- A table of its own rather than a column of schedule_exception: db copy writes tables in the order
-- they were made, and schedule_exception was made before event.
CREATE TABLE wave_hours (
    exception_id INTEGER NOT NULL PRIMARY KEY REFERENCES schedule_exception (id) ON DELETE CASCADE,
    event_id INTEGER NOT NULL REFERENCES event (id)
);
CREATE INDEX wave_hours_event ON wave_hours (event_id);

CREATE TABLE wave_setting (
    id INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),         -- one row: the clinic's
    visits_per_1000 INTEGER NOT NULL CHECK (visits_per_1000 BETWEEN 1 AND 1000),
    updated_at INTEGER NOT NULL,
    updated_by INTEGER REFERENCES account (id)
);
