-- Each training file as the runner gave it (a .gz read uncompressed, each file of a zip on its own),
-- kept beside the activity read from it, so that the runner's download hands it back. Base64 text like
-- import_job_part, so both engines store and copy it alike. A file over 16 MiB is not kept (its activity
-- is); an activity from before this migration, or one made by the demo, has none.
CREATE TABLE activity_file (
    id INTEGER PRIMARY KEY,
    activity_id INTEGER NOT NULL UNIQUE REFERENCES activity (id),
    name TEXT NOT NULL,                         -- the file's name as given, cleaned to text
    size INTEGER NOT NULL,                      -- bytes before base64
    data TEXT NOT NULL                          -- base64 of the file's bytes
);
