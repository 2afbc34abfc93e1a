-- 0011: the clinical chart. A patient's details (the front desk will share them), episodes of care,
-- visit notes in SOAP form, and what was measured and given at each signed visit; needling consent and
-- adverse events. Clinical records are append-only: a draft note is edited with each earlier version
-- kept, a signed note is never changed (corrections are addenda), and an edit of a patient's details
-- keeps the details it replaced.

-- One row per patient, the current details; patient_profile_version keeps what each edit replaced.
CREATE TABLE patient_profile (
    id INTEGER PRIMARY KEY,
    runner_id INTEGER NOT NULL UNIQUE REFERENCES account (id),
    date_of_birth TEXT NOT NULL DEFAULT '',   -- YYYY-MM-DD; '' not known
    phone TEXT NOT NULL DEFAULT '',
    phone_digits TEXT NOT NULL DEFAULT '',    -- the phone's digits alone, for search
    emergency_name TEXT NOT NULL DEFAULT '',
    emergency_phone TEXT NOT NULL DEFAULT '',
    alerts TEXT NOT NULL DEFAULT '',          -- space-separated alert keys (src/domain/chart.c)
    alert_note TEXT NOT NULL DEFAULT '',      -- what the alerts do not say (which allergy, which drug)
    updated_at INTEGER NOT NULL,
    updated_by INTEGER REFERENCES account (id)
);

CREATE TABLE patient_profile_version (
    id INTEGER PRIMARY KEY,
    runner_id INTEGER NOT NULL REFERENCES account (id),
    date_of_birth TEXT NOT NULL,
    phone TEXT NOT NULL,
    emergency_name TEXT NOT NULL,
    emergency_phone TEXT NOT NULL,
    alerts TEXT NOT NULL,
    alert_note TEXT NOT NULL,
    saved_at INTEGER NOT NULL,                -- when these details were saved
    saved_by INTEGER REFERENCES account (id),
    replaced_at INTEGER NOT NULL
);
CREATE INDEX patient_profile_version_runner ON patient_profile_version (runner_id, id);

-- An episode of care: one complaint from first visit to discharge.
CREATE TABLE episode (
    id INTEGER PRIMARY KEY,
    runner_id INTEGER NOT NULL REFERENCES account (id),
    complaint TEXT NOT NULL,
    side TEXT NOT NULL CHECK (side IN ('', 'left', 'right', 'both')),
    onset_day TEXT NOT NULL,                  -- YYYY-MM-DD, as near as the runner knows
    onset_kind TEXT NOT NULL CHECK (onset_kind IN ('gradual', 'sudden')),
    condition_key TEXT NOT NULL,              -- the working diagnosis, in the self-check's vocabulary
    icd10 TEXT NOT NULL,                      -- its ICD-10-CM code(s) on that side (content/chart/diagnoses.json)
    goals TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('active', 'discharged')),
    opened_at INTEGER NOT NULL,
    opened_by INTEGER NOT NULL REFERENCES account (id),
    discharged_at INTEGER,                    -- set once, by signing a discharge note
    discharged_by INTEGER REFERENCES account (id),
    outcome TEXT NOT NULL DEFAULT ''
);
CREATE INDEX episode_runner ON episode (runner_id, id);

-- A visit's note. body is the whole note as JSON (SOAP, findings, body chart marks, treatments given);
-- while signed_at is NULL it may be edited, each earlier body going to clinical_note_version. Once
-- signed, nothing here changes. appointment_id has no foreign key on purpose: the visit a note records
-- stays a clinical record after its appointment row is erased or purged.
CREATE TABLE clinical_note (
    id INTEGER PRIMARY KEY,
    runner_id INTEGER NOT NULL REFERENCES account (id),
    episode_id INTEGER NOT NULL REFERENCES episode (id),
    appointment_id INTEGER,
    kind TEXT NOT NULL CHECK (kind IN ('initial', 'follow_up', 'discharge')),
    template_key TEXT NOT NULL,
    visit_day TEXT NOT NULL,                  -- YYYY-MM-DD in the clinic's zone
    visit_at INTEGER NOT NULL,                -- the visit's instant, for the timeline's order
    body TEXT NOT NULL,
    summary TEXT NOT NULL,                    -- the assessment's first line, for lists
    version INTEGER NOT NULL,                 -- 1, and one more for each edit of the draft
    author_id INTEGER NOT NULL REFERENCES account (id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    updated_by INTEGER NOT NULL REFERENCES account (id),
    signed_at INTEGER,
    signed_by INTEGER REFERENCES account (id)
);
CREATE INDEX clinical_note_runner ON clinical_note (runner_id, visit_at);
CREATE INDEX clinical_note_episode ON clinical_note (episode_id, visit_at);
CREATE INDEX clinical_note_appointment ON clinical_note (appointment_id);

CREATE TABLE clinical_note_version (
    id INTEGER PRIMARY KEY,
    note_id INTEGER NOT NULL REFERENCES clinical_note (id),
    version INTEGER NOT NULL,
    body TEXT NOT NULL,
    saved_at INTEGER NOT NULL,                -- when this version was saved, and by whom
    saved_by INTEGER NOT NULL REFERENCES account (id),
    UNIQUE (note_id, version)
);

-- A dated, signed correction of a signed note; the note itself stays as it was.
CREATE TABLE note_addendum (
    id INTEGER PRIMARY KEY,
    note_id INTEGER NOT NULL REFERENCES clinical_note (id),
    runner_id INTEGER NOT NULL REFERENCES account (id),
    author_id INTEGER NOT NULL REFERENCES account (id),
    created_at INTEGER NOT NULL,
    text TEXT NOT NULL
);
CREATE INDEX note_addendum_note ON note_addendum (note_id, id);

-- Written once, when a note is signed: each structured measure, by field and side, so measures can be
-- charted across visits without reading every note.
CREATE TABLE note_measure (
    id INTEGER PRIMARY KEY,
    note_id INTEGER NOT NULL REFERENCES clinical_note (id),
    runner_id INTEGER NOT NULL REFERENCES account (id),
    visit_day TEXT NOT NULL,
    field_key TEXT NOT NULL,
    side TEXT NOT NULL,                       -- '', 'left' or 'right'
    value INTEGER NOT NULL                    -- in the field's unit; tenths when it has a decimal
);
CREATE INDEX note_measure_runner ON note_measure (runner_id, visit_day);

-- Treatments given, as rows, written once when the note is signed. A home program row names the
-- assignment it started or adjusted in the program module (no foreign key: erasing a runner removes
-- the program, the clinic keeps its record of what was prescribed).
CREATE TABLE treatment (
    id INTEGER PRIMARY KEY,
    note_id INTEGER NOT NULL REFERENCES clinical_note (id),
    runner_id INTEGER NOT NULL REFERENCES account (id),
    seq INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('acupuncture', 'electro_acupuncture', 'dry_needling', 'soft_tissue',
                                       'manual_therapy', 'taping', 'education', 'home_program')),
    side TEXT NOT NULL DEFAULT '',
    needles INTEGER,
    minutes INTEGER,
    hz INTEGER,
    muscle TEXT NOT NULL DEFAULT '',
    region TEXT NOT NULL DEFAULT '',
    technique TEXT NOT NULL DEFAULT '',
    topic TEXT NOT NULL DEFAULT '',
    detail TEXT NOT NULL DEFAULT '',
    program_key TEXT NOT NULL DEFAULT '',
    stage INTEGER,
    assignment_id INTEGER
);
CREATE INDEX treatment_note ON treatment (note_id, seq);
CREATE INDEX treatment_runner ON treatment (runner_id, kind);

CREATE TABLE treatment_point (
    id INTEGER PRIMARY KEY,
    treatment_id INTEGER NOT NULL REFERENCES treatment (id),
    code TEXT NOT NULL,                       -- WHO code, e.g. BL40
    side TEXT NOT NULL                        -- 'left', 'right', 'both' or 'midline'
);
CREATE INDEX treatment_point_treatment ON treatment_point (treatment_id);

-- Consent to needling, to one version of the text in content/chart/consent.json. Withdrawing it
-- sets withdrawn_at once; a new consent is a new row.
CREATE TABLE needling_consent (
    id INTEGER PRIMARY KEY,
    runner_id INTEGER NOT NULL REFERENCES account (id),
    consent_version INTEGER NOT NULL,
    given_day TEXT NOT NULL,
    recorded_at INTEGER NOT NULL,
    recorded_by INTEGER NOT NULL REFERENCES account (id),
    withdrawn_at INTEGER,
    withdrawn_by INTEGER REFERENCES account (id)
);
CREATE INDEX needling_consent_runner ON needling_consent (runner_id, id);

CREATE TABLE adverse_event (
    id INTEGER PRIMARY KEY,
    runner_id INTEGER NOT NULL REFERENCES account (id),
    note_id INTEGER REFERENCES clinical_note (id),
    day TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('bruising', 'bleeding', 'fainting', 'increased_pain', 'other')),
    severity TEXT NOT NULL CHECK (severity IN ('mild', 'moderate', 'severe')),
    description TEXT NOT NULL,
    recorded_at INTEGER NOT NULL,
    recorded_by INTEGER NOT NULL REFERENCES account (id)
);
CREATE INDEX adverse_event_runner ON adverse_event (runner_id, day);
