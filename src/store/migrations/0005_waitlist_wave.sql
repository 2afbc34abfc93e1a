-- 0005: the waitlist, offers made from it, what a visit is about, and the events that bring a wave.
ALTER TABLE appointment ADD COLUMN condition TEXT NOT NULL DEFAULT 'other';

CREATE TABLE waitlist (
    id INTEGER PRIMARY KEY,
    runner_id INTEGER NOT NULL REFERENCES account (id),
    service_id INTEGER NOT NULL REFERENCES service (id),
    practitioner_id INTEGER REFERENCES practitioner (id),   -- NULL: anyone who offers the service
    window_start INTEGER NOT NULL,
    window_end INTEGER NOT NULL,
    urgency TEXT NOT NULL CHECK (urgency IN ('emergency', 'urgent', 'soon', 'self_care')),
    condition TEXT NOT NULL DEFAULT 'other',
    status TEXT NOT NULL CHECK (status IN ('waiting', 'booked', 'cancelled')),
    created_at INTEGER NOT NULL,
    appointment_id INTEGER REFERENCES appointment (id),
    CHECK (window_start < window_end)
);
CREATE INDEX waitlist_status ON waitlist (status, service_id);

-- A freed time offered to one waiting runner at a time, in order of urgency, then of waiting time.
CREATE TABLE waitlist_offer (
    id INTEGER PRIMARY KEY,
    waitlist_id INTEGER NOT NULL REFERENCES waitlist (id),
    practitioner_id INTEGER NOT NULL REFERENCES practitioner (id),
    starts_at INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'accepted', 'expired', 'declined', 'gone'))
);
CREATE INDEX waitlist_offer_open ON waitlist_offer (status, expires_at);

CREATE TABLE event (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    day TEXT NOT NULL,              -- YYYY-MM-DD, the clinic's local date
    created_at INTEGER NOT NULL
);
