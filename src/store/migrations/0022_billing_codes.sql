-- 0022: the billing codes an administrator sets on the Billing codes page (issue 19): per service, the
-- CPT codes and units its visits are billed with, in order (the first line carries the visit's price).
-- A service with rows here is billed with them; one without, with content/billing.json's codes for it.
-- The treatments' codes stay in that file (they follow the clinical note's treatment kinds).
CREATE TABLE service_billing_code (
    service_id INTEGER NOT NULL REFERENCES service (id),
    seq INTEGER NOT NULL CHECK (seq BETWEEN 1 AND 20),
    cpt TEXT NOT NULL,
    units INTEGER NOT NULL CHECK (units BETWEEN 1 AND 99),
    description TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    updated_by INTEGER NOT NULL REFERENCES account (id),
    PRIMARY KEY (service_id, seq)
);
