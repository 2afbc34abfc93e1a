-- 0001: the clinic itself. One row per clinic; a single-clinic install has one.
CREATE TABLE clinic (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    timezone TEXT NOT NULL,
    created_at TEXT NOT NULL
);
