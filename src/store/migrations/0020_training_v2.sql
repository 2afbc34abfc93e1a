-- 0020: training files v2 (issue 18). What kind of sport an activity is (running counts toward the
-- running load; cycling, swimming, walking and the rest are cross-training), what the whole-track fit
-- adds (time on bends, the lane), time at each heart rate, the runner's own effort rating ("how hard was it", 0-10), and the
-- activity's detail for its page: a few hundred points of its route and its charts, its splits and its
-- time at each heart rate, as JSON (the file itself is still not kept).
ALTER TABLE activity ADD COLUMN sport_kind TEXT NOT NULL DEFAULT 'running';
UPDATE activity SET sport_kind = 'cross'
    WHERE NOT (sport = '' OR LOWER(sport) LIKE '%run%' OR LOWER(sport) = 'other');
ALTER TABLE activity ADD COLUMN track_bend_s INTEGER;
ALTER TABLE activity ADD COLUMN track_lane INTEGER;
ALTER TABLE activity ADD COLUMN effort INTEGER;
ALTER TABLE activity ADD COLUMN detail TEXT NOT NULL DEFAULT '{}';
-- Seconds at each heart rate, 5 bpm a bin from 40, comma-separated ('' when the file has none): the
-- heart-rate load (domain/load.h) is computed from it with the runner's resting and maximum rates.
ALTER TABLE activity ADD COLUMN hr_zones TEXT NOT NULL DEFAULT '';
CREATE INDEX activity_runner_kind_start ON activity (runner_id, sport_kind, start_at);

-- The runner's resting and maximum heart rate for the heart-rate load, as they gave them (NULL: not
-- given, and runcare estimates it and says so).
CREATE TABLE runner_heart (
    runner_id INTEGER PRIMARY KEY REFERENCES account (id),
    rest_bpm INTEGER,
    max_bpm INTEGER,
    updated_at INTEGER NOT NULL
);
