-- 0003: the clinic's schedule and its bookings. Times are Unix seconds (UTC); weekly hours are
-- minutes after local midnight in the clinic's time zone, so slots follow daylight saving.
CREATE TABLE practitioner (
    id INTEGER PRIMARY KEY,
    account_id INTEGER UNIQUE REFERENCES account (id),
    name TEXT NOT NULL,
    disciplines TEXT NOT NULL,       -- space-separated: acupuncture physical_therapy sports_massage
    active INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE service (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    minutes INTEGER NOT NULL CHECK (minutes > 0 AND minutes <= 480 AND minutes % 15 = 0),
    price_cents INTEGER NOT NULL CHECK (price_cents >= 0),
    discipline TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE practitioner_service (
    practitioner_id INTEGER NOT NULL REFERENCES practitioner (id),
    service_id INTEGER NOT NULL REFERENCES service (id),
    PRIMARY KEY (practitioner_id, service_id)
);

CREATE TABLE working_hours (
    id INTEGER PRIMARY KEY,
    practitioner_id INTEGER NOT NULL REFERENCES practitioner (id),
    weekday INTEGER NOT NULL CHECK (weekday BETWEEN 0 AND 6),   -- 0 Monday … 6 Sunday
    start_minute INTEGER NOT NULL CHECK (start_minute BETWEEN 0 AND 1440),
    end_minute INTEGER NOT NULL CHECK (end_minute BETWEEN 0 AND 1440),
    CHECK (start_minute < end_minute)
);

-- Away (time off) or extra opening (an evening during the wave), as UTC intervals.
CREATE TABLE schedule_exception (
    id INTEGER PRIMARY KEY,
    practitioner_id INTEGER NOT NULL REFERENCES practitioner (id),
    kind TEXT NOT NULL CHECK (kind IN ('time_off', 'extra_hours')),
    starts_at INTEGER NOT NULL,
    ends_at INTEGER NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    CHECK (starts_at < ends_at)
);

CREATE TABLE appointment (
    id INTEGER PRIMARY KEY,
    runner_id INTEGER NOT NULL REFERENCES account (id),
    practitioner_id INTEGER NOT NULL REFERENCES practitioner (id),
    service_id INTEGER NOT NULL REFERENCES service (id),
    starts_at INTEGER NOT NULL,
    ends_at INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('booked', 'cancelled', 'arrived', 'no_show')),
    booked_by INTEGER REFERENCES account (id),
    idempotency_key TEXT,
    reason TEXT NOT NULL DEFAULT '',   -- what the runner wants seen (condition, self-check urgency)
    created_at INTEGER NOT NULL,
    cancelled_at INTEGER,
    UNIQUE (runner_id, idempotency_key)
);
CREATE INDEX appointment_practitioner_time ON appointment (practitioner_id, starts_at);
CREATE INDEX appointment_runner ON appointment (runner_id, starts_at);

-- No double booking, enforced by the database on both engines: a booked appointment owns one row
-- per 15-minute unit it covers, and a unit can have one owner. Cancelling frees the units.
CREATE TABLE appointment_unit (
    practitioner_id INTEGER NOT NULL REFERENCES practitioner (id),
    unit_start INTEGER NOT NULL,
    appointment_id INTEGER NOT NULL REFERENCES appointment (id),
    PRIMARY KEY (practitioner_id, unit_start)
);
CREATE INDEX appointment_unit_appointment ON appointment_unit (appointment_id);
