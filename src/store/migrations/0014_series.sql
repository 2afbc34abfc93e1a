-- 0014: recurring visits and the front desk's marks.
-- A series is the front desk's "every N weeks, M times": the visits it booked point at it, so it can be
-- shown and cancelled as a whole or one visit at a time. Whose visits they are is on the visits (an
-- erased runner's visits go, the series stays impersonal); created_by is the staff member who booked it.
CREATE TABLE appointment_series (
    id INTEGER PRIMARY KEY,
    practitioner_id INTEGER NOT NULL REFERENCES practitioner (id),
    service_id INTEGER NOT NULL REFERENCES service (id),
    every_weeks INTEGER NOT NULL CHECK (every_weeks BETWEEN 1 AND 12),
    occurrences INTEGER NOT NULL CHECK (occurrences BETWEEN 2 AND 26),
    created_by INTEGER NOT NULL REFERENCES account (id),
    created_at INTEGER NOT NULL,
    idempotency_key TEXT,
    UNIQUE (created_by, idempotency_key)
);

ALTER TABLE appointment ADD COLUMN series_id INTEGER REFERENCES appointment_series (id);
CREATE INDEX appointment_series_visits ON appointment (series_id);

-- When the visit was marked arrived or a no-show (NULL while booked or cancelled): a mark is taken back
-- only on the clinic day it was made.
ALTER TABLE appointment ADD COLUMN marked_at INTEGER;
