-- 0008: activities imported from a runner's training files (GPX, TCX, FIT). The file itself is not
-- kept: only what runcare read from it. Whole numbers: metres, seconds, beats per minute.
CREATE TABLE activity (
    id INTEGER PRIMARY KEY,
    runner_id INTEGER NOT NULL REFERENCES account (id),
    start_at INTEGER NOT NULL,
    source TEXT NOT NULL,          -- the file's name, as uploaded
    format TEXT NOT NULL,          -- gpx, tcx or fit
    sport TEXT NOT NULL,
    distance_m INTEGER NOT NULL,
    duration_s INTEGER NOT NULL,
    moving_s INTEGER NOT NULL,
    gain_m INTEGER NOT NULL,
    loss_m INTEGER NOT NULL,
    hr_avg INTEGER,                -- NULL when the file has no heart rate
    uphill_s INTEGER NOT NULL,
    fast_s INTEGER NOT NULL,
    track_size_m INTEGER,          -- NULL unless run on a track; then 400 or 200
    track_laps_x10 INTEGER,
    track_bend_m INTEGER,
    track_radius_m INTEGER,
    track_direction TEXT,
    warnings TEXT NOT NULL,        -- JSON array of what was wrong with the file
    imported_at INTEGER NOT NULL,
    UNIQUE (runner_id, start_at)
);
CREATE INDEX activity_runner_start ON activity (runner_id, start_at);
