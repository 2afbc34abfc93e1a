-- 0017: billing. Money is whole cents (INTEGER, 64-bit on both engines), never floating point.
-- Invoices and credit notes are numbered without gaps: the next number is taken from billing_counter in
-- the same transaction that writes the document, so a rollback gives the number back. An issued invoice
-- is never changed: a correction is a credit note against it. Whose the money is: runner_id on each row
-- (the account stays when a runner is erased: the clinic keeps its books). appointment_id has no foreign
-- key on purpose, as clinical_note's: what a visit was billed stays after its appointment row is purged.
-- A kind's row is made by its first number (a fresh database has no rows: db copy needs an empty target).
CREATE TABLE billing_counter (
    kind TEXT NOT NULL PRIMARY KEY CHECK (kind IN ('invoice', 'credit_note')),
    last_number INTEGER NOT NULL CHECK (last_number >= 1)
);

-- A prepaid bundle of visits of one service (content/billing.json's packages), sold on an invoice of its
-- own; visits draw it down until it is used up or expires.
CREATE TABLE package (
    id INTEGER PRIMARY KEY,
    runner_id INTEGER NOT NULL REFERENCES account (id),
    plan_key TEXT NOT NULL,
    name TEXT NOT NULL,
    service_id INTEGER NOT NULL REFERENCES service (id),
    visits INTEGER NOT NULL CHECK (visits BETWEEN 1 AND 100),
    price_cents INTEGER NOT NULL CHECK (price_cents >= 0),
    sold_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    sold_by INTEGER NOT NULL REFERENCES account (id)
);
CREATE INDEX package_runner ON package (runner_id, expires_at);

CREATE TABLE invoice (
    id INTEGER PRIMARY KEY,
    number INTEGER NOT NULL UNIQUE,
    runner_id INTEGER NOT NULL REFERENCES account (id),
    kind TEXT NOT NULL CHECK (kind IN ('visit', 'no_show_fee', 'late_cancel_fee', 'package')),
    appointment_id INTEGER,                 -- the visit billed (or whose fee this is); NULL for a package
    package_id INTEGER REFERENCES package (id), -- the package sold, or the one this visit drew down
    practitioner_id INTEGER REFERENCES practitioner (id),
    service_id INTEGER REFERENCES service (id),
    service_at INTEGER,                     -- the date of service (the visit's start), UTC seconds
    icd10 TEXT NOT NULL DEFAULT '',         -- the episode's ICD-10-CM code(s) when it was issued
    total_cents INTEGER NOT NULL CHECK (total_cents >= 0),
    issued_at INTEGER NOT NULL,
    issued_by INTEGER NOT NULL REFERENCES account (id),
    price_reason TEXT NOT NULL DEFAULT ''   -- why the desk charged other than the service's price
);
CREATE INDEX invoice_runner ON invoice (runner_id, issued_at);
CREATE INDEX invoice_appointment ON invoice (appointment_id);
CREATE INDEX invoice_issued ON invoice (issued_at);

CREATE TABLE invoice_line (
    id INTEGER PRIMARY KEY,
    invoice_id INTEGER NOT NULL REFERENCES invoice (id),
    seq INTEGER NOT NULL,
    description TEXT NOT NULL,
    cpt TEXT NOT NULL DEFAULT '',
    units INTEGER NOT NULL CHECK (units BETWEEN 1 AND 99),
    amount_cents INTEGER NOT NULL CHECK (amount_cents >= 0),
    UNIQUE (invoice_id, seq)
);

CREATE TABLE credit_note (
    id INTEGER PRIMARY KEY,
    number INTEGER NOT NULL UNIQUE,
    invoice_id INTEGER NOT NULL REFERENCES invoice (id),
    runner_id INTEGER NOT NULL REFERENCES account (id),
    amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
    reason TEXT NOT NULL,
    issued_at INTEGER NOT NULL,
    issued_by INTEGER NOT NULL REFERENCES account (id)
);
CREATE INDEX credit_note_invoice ON credit_note (invoice_id);
CREATE INDEX credit_note_runner ON credit_note (runner_id);

-- Money in (kind 'payment') and back out (kind 'refund', refund_of the payment it returns). A payment
-- without an invoice is taken on account: the patient's credit. The same Idempotency-Key from the same
-- person is the same payment: a double click pays once.
CREATE TABLE payment (
    id INTEGER PRIMARY KEY,
    runner_id INTEGER NOT NULL REFERENCES account (id),
    invoice_id INTEGER REFERENCES invoice (id),
    kind TEXT NOT NULL CHECK (kind IN ('payment', 'refund')),
    method TEXT NOT NULL CHECK (method IN ('card', 'cash', 'check', 'hsa_fsa', 'other')),
    amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
    refund_of INTEGER REFERENCES payment (id),
    reference TEXT NOT NULL DEFAULT '',     -- a check number, the terminal's receipt, why a refund
    taken_at INTEGER NOT NULL,
    taken_by INTEGER NOT NULL REFERENCES account (id),
    idempotency_key TEXT,
    UNIQUE (taken_by, idempotency_key),
    CHECK ((kind = 'refund') = (refund_of IS NOT NULL))
);
CREATE INDEX payment_runner ON payment (runner_id, taken_at);
CREATE INDEX payment_invoice ON payment (invoice_id);
CREATE INDEX payment_taken ON payment (taken_at);
CREATE INDEX payment_refund_of ON payment (refund_of);

-- A visit drawn from a package: one use per visit.
CREATE TABLE package_use (
    id INTEGER PRIMARY KEY,
    package_id INTEGER NOT NULL REFERENCES package (id),
    appointment_id INTEGER NOT NULL UNIQUE,
    invoice_id INTEGER NOT NULL REFERENCES invoice (id),
    used_at INTEGER NOT NULL
);
CREATE INDEX package_use_package ON package_use (package_id);
