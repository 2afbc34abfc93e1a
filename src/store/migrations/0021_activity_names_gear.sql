-- 0021: what the platforms' exports say of an activity beside its file (issue 20): its name on the
-- platform ("Tempo Tuesday") and the shoes it was run in (Strava's Activity Gear), '' when not given.
-- A Strava manual activity (no file: a start, a time and a distance) has the format 'manual'.
ALTER TABLE activity ADD COLUMN name TEXT NOT NULL DEFAULT '';
ALTER TABLE activity ADD COLUMN gear TEXT NOT NULL DEFAULT '';
CREATE INDEX activity_runner_gear ON activity (runner_id, gear, start_at);

-- The same run from two platforms is stored once, and each file it came in is kept for the runner's
-- download: an activity may now have more than one file. The table is made again without the UNIQUE
-- (the files keep their activity; their own ids, referred to by nothing, are numbered afresh).
CREATE TABLE activity_file_v2 (
    id INTEGER PRIMARY KEY,
    activity_id INTEGER NOT NULL REFERENCES activity (id),
    name TEXT NOT NULL,                         -- the file's name as given, cleaned to text
    size INTEGER NOT NULL,                      -- bytes before base64
    data TEXT NOT NULL                          -- base64 of the file's bytes
);
INSERT INTO activity_file_v2 (activity_id, name, size, data)
    SELECT activity_id, name, size, data FROM activity_file ORDER BY id;
DROP TABLE activity_file;
ALTER TABLE activity_file_v2 RENAME TO activity_file;
CREATE INDEX activity_file_activity ON activity_file (activity_id);
