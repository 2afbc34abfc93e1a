"""exports.py — the exports runners actually have, built here as the platforms write them with the real
recordings from ../shared/testdata inside, imported end to end by `runcare import` and the web upload:
a Garmin Connect data export (FIT files in zips inside the zip, daily monitoring and settings among
them, skipped by their own type and named, not failures). Skipped without ../shared/testdata; a failure
in CI."""
import datetime
import io
import json
import os
import tempfile
import re
import zipfile

from harness import ROOT, Server, add_user, clock_now, own_server, query, runcare
from training import upload

PW = "exports pass 1"
BASE = os.path.join(ROOT, "..", "shared", "testdata")
# Activities (runs, a ride, a pool swim) and the two kinds Garmin puts beside them that are not.
ACTIVITIES = ["activity-small-fenix2-run.fit", "garmin-fenix-5-run.fit", "activity_poolswim_with_hr.fit",
              "garmin-fenix-5-bike.fit", "10kUNLP2014-Garmin15.fit", "Fr955v19.28andStryd.fit"]
NOT_ACTIVITIES = ["MonitoringFile.fit", "Settings.fit"]
UPLOADED = "DI_CONNECT/DI-Connect-Uploaded-Files/"


def have_testdata():
    if os.path.isdir(BASE):
        return True
    if os.environ.get("CI") == "true":
        raise AssertionError(f"{BASE} is missing in CI")
    print("# skipped: ../shared/testdata is not beside the project")
    return False


def fit(name):
    with open(os.path.join(BASE, "fit", name), "rb") as f:
        return f.read()


def garmin_export(email="runner@example.com", extra=(), summary='[{"summarizedActivitiesExport": []}]',
                  summary_stored=False):
    """A Garmin Connect data export as Garmin writes it: the uploaded FIT files in
    DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip and _Part2.zip (named
    <email>_<activity id>.fit), the summary JSON and wellness files beside them."""
    parts = []
    files = [(f, fit(f)) for f in ACTIVITIES + NOT_ACTIVITIES + list(extra)]
    for half in (files[:4], files[4:]):
        inner = io.BytesIO()
        with zipfile.ZipFile(inner, "w", compression=zipfile.ZIP_DEFLATED) as z:
            for i, (name, data) in enumerate(half):
                z.writestr(f"{email}_{10000000 + len(parts) * 100 + i}.fit", data)
        parts.append(inner.getvalue())
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("DI_CONNECT/DI-Connect-User/user_profile.json", '{"userName": "runner"}')
        z.writestr(f"DI_CONNECT/DI-Connect-Fitness/{email}_0_summarizedActivities.json", summary,
                   compress_type=zipfile.ZIP_STORED if summary_stored else zipfile.ZIP_DEFLATED)
        z.writestr("DI_CONNECT/DI-Connect-Wellness/2024-01-01_2024-04-10_12345678_sleepData.json", "[]")
        for i, p in enumerate(parts):
            # Garmin stores the inner zips as they are (zips do not shrink); one deflated, one stored.
            z.writestr(zipfile.ZipInfo(f"{UPLOADED}UploadedFiles_0-_Part{i + 1}.zip"), p,
                       compress_type=zipfile.ZIP_STORED if i else zipfile.ZIP_DEFLATED)
    return out.getvalue()


def import_export(s, data, name, email):
    """`runcare import` of an export written to a file of that name: (status, stdout, stderr)."""
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, name)
        with open(path, "wb") as f:
            f.write(data)
        return runcare("import", path, "--runner", email, "--db", s.db, timeout=120)


def runner(s, name):
    from harness import Client
    email = f"{name}@example.org"
    rid = add_user(s, "runner", email, PW, name.capitalize() + " Runner")
    c = Client(s).sign_in(email, PW)
    return rid, email, c


def count(s, rid):
    return int(query(s.db, f"SELECT COUNT(*) FROM activity WHERE runner_id = {rid}"))


@own_server
def test_garmin_connect_export_by_cli_and_web_upload():
    if not have_testdata():
        return
    s = Server()
    try:
        export = garmin_export()
        rid, email, _ = runner(s, "gail")
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "a1b2c3d4-e5f6-7890-abcd-ef1234567890_1.zip")
            with open(path, "wb") as f:
                f.write(export)
            st, out, err = runcare("import", path, "--runner", email, "--db", s.db, timeout=120)
            assert st == 0, (st, out, err)
            assert out.startswith(f"{len(ACTIVITIES)} added, 0 already there, 0 could not be read"), (out, err)
            assert "3 other files skipped (not training files)" in out, out  # the three JSON files
            assert "2 FIT files that are not activities skipped" in out, out
            assert "daily monitoring" in out and "settings" in out, out
            assert count(s, rid) == len(ACTIVITIES)
            # The activity keeps the name it has in the export: both zips' paths.
            src = query(s.db, f"SELECT source FROM activity WHERE runner_id = {rid} ORDER BY source LIMIT 1")
            assert src.startswith(UPLOADED + "UploadedFiles_0-_Part1.zip/runner@example.com_"), src
            # The same export again: nothing stored twice.
            st, out, err = runcare("import", path, "--runner", email, "--db", s.db, timeout=120)
            assert st == 0 and out.startswith(f"0 added, {len(ACTIVITIES)} already there"), (out, err)
            assert count(s, rid) == len(ACTIVITIES)
        # The web upload, by another runner: the report names what was skipped and why.
        rid2, _, c = runner(s, "gus")
        st, page = upload(c, [("garmin-export.zip", export)])
        assert st == 200, page[-2000:]
        assert f"{len(ACTIVITIES)} added, 0 already there, 0 could not be read" in page, page[-2000:]
        assert "1 FIT file</strong>: skipped: daily monitoring" in page, page[-2000:]
        assert "1 FIT file</strong>: skipped: device or sport settings" in page, page[-2000:]
        assert count(s, rid2) == len(ACTIVITIES)
        st, page = upload(c, [("garmin-export.zip", export)])
        assert st == 200 and f"0 added, {len(ACTIVITIES)} already there, 0 could not be read" in page, page[-2000:]
        assert count(s, rid2) == len(ACTIVITIES)
    finally:
        s.close()


@own_server
def test_a_cut_or_too_deep_export_names_the_file_and_keeps_what_came_before():
    if not have_testdata():
        return
    s = Server()
    try:
        export = garmin_export()
        rid, email, _ = runner(s, "cora")
        with tempfile.TemporaryDirectory() as d:
            # Cut inside the second inner zip (as a download that stopped): the first zip's activities are
            # read, the cut is named, the exit status says not everything was read.
            cut = os.path.join(d, "garmin-export.zip")
            with zipfile.ZipFile(io.BytesIO(export)) as z:
                part2 = z.getinfo(f"{UPLOADED}UploadedFiles_0-_Part2.zip")
            with open(cut, "wb") as f:
                f.write(export[:part2.header_offset + 200])
            st, out, err = runcare("import", cut, "--runner", email, "--db", s.db, timeout=120)
            assert st == 2, (st, out, err)
            assert "garmin-export.zip: the archive is cut short" in err, err
            # Part1 holds the first four activities.
            assert out.startswith("4 added, 0 already there"), (out, err)
            assert count(s, rid) == 4
            # A zip inside a zip inside the export: refused by name, the rest read.
            deep = os.path.join(d, "deep.zip")
            level3 = io.BytesIO()
            with zipfile.ZipFile(level3, "w") as z:
                z.writestr("run.fit", fit(ACTIVITIES[0]))
            level2 = io.BytesIO()
            with zipfile.ZipFile(level2, "w") as z:
                z.writestr("old-watch.zip", level3.getvalue())
            with zipfile.ZipFile(deep, "w") as z:
                z.writestr(f"{UPLOADED}UploadedFiles_0-_Part1.zip", level2.getvalue())
            st, out, err = runcare("import", deep, "--runner", email, "--db", s.db, timeout=120)
            assert st == 2, (st, out, err)
            assert f"{UPLOADED}UploadedFiles_0-_Part1.zip/old-watch.zip: a zip inside a zip inside a zip" in err, err
            # The whole export afterwards: only what was missing is added.
            full = os.path.join(d, "full.zip")
            with open(full, "wb") as f:
                f.write(export)
            st, out, err = runcare("import", full, "--runner", email, "--db", s.db, timeout=120)
            assert st == 0 and out.startswith(f"{len(ACTIVITIES) - 4} added, 4 already there"), (out, err)
            assert count(s, rid) == len(ACTIVITIES)
    finally:
        s.close()


def read(kind, name):
    with open(os.path.join(BASE, kind, name), "rb") as f:
        return f.read()


STRAVA_HEADER = ("Activity ID,Activity Date,Activity Name,Activity Type,Activity Description,Elapsed Time,Distance,"
                 "Max Heart Rate,Relative Effort,Commute,Activity Private Note,Activity Gear,Filename,"
                 "Athlete Weight,Bike Weight,Elapsed Time,Moving Time,Distance,Max Speed,Calories\n")


def strava_date(t):
    """A time as Strava's activities.csv writes it: in UTC, "Jan 5, 2024, 7:31:02 AM"."""
    d = datetime.datetime.fromtimestamp(t, datetime.timezone.utc)
    return f"{d:%b} {d.day}, {d.year}, {(d.hour + 11) % 12 + 1}:{d:%M:%S} {'AM' if d.hour < 12 else 'PM'}"


def strava_csv_row(aid, when, title, sport, gear, fname, elapsed=1800, metres=5000.0, kcal=""):
    q = '"' + title.replace('"', '""') + '"'
    return (f'{aid},"{strava_date(when)}",{q},{sport},,{elapsed},{metres / 1000:.2f},,,false,,"{gear}",{fname},,,'
            f'{elapsed:.1f},{elapsed - 60:.1f},{metres:.1f},4.0,{kcal}\n')


def strava_export(manual_at=None, extra_rows="", encoding="utf-8"):
    """A Strava bulk export as Strava writes it: export_<athlete id>.zip with activities/<id>.fit.gz,
    .gpx.gz and .tcx.gz, activities.csv naming each (a manual activity with no file, at manual_at or a
    day in 2020), profile files."""
    import gzip
    rows = [
        ("4301000001", "strava-android-app-201.10-b1218918.fit", "fit", "Morning Run", "Run", "Pegasus 40"),
        ("4301000002", "garmin-fenix-5-run.fit", "fit", "Track, \"easy\" strides", "Virtual Run", "Pegasus 40"),
        ("4301000003", "Move_2014_01_16_19_48_44.gpx", "gpx", "Mönchsweg — with the dog", "Walk", "Speedgoat 5"),
        ("4301000004", "activity_165850259_multi-session.tcx", "tcx", "Commute", "Ride", ""),
    ]
    out = io.BytesIO()
    csv = "\ufeff" + STRAVA_HEADER
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("profile.csv", "Athlete ID,Email Address\n123,runner@example.com\n")
        for aid, name, kind, title, sport, gear in rows:
            fname = f"activities/{aid}.{kind}.gz"
            z.writestr(fname, gzip.compress(read(kind, name)))
            csv += strava_csv_row(aid, 1577862000, title, sport, gear, fname, kcal="210.6" if kind == "gpx" else "")
        csv += strava_csv_row("4301000005", manual_at or 1580668200, "Treadmill, no watch", "Run", "Pegasus 40", "",
                              elapsed=2400, metres=6000.0, kcal="388")
        csv += extra_rows
        z.writestr("activities.csv", csv.encode(encoding) if encoding == "utf-8" else
                   csv.lstrip("\ufeff").replace("—", "-").encode(encoding))
        z.writestr("media/1.jpg", b"\xff\xd8\xff\xe0 photo")
    return out.getvalue(), len(rows)


@own_server
def test_strava_bulk_export_files_import_with_the_sport_its_list_gives():
    """The export's training files (gzipped FIT, GPX and TCX) are read, each with the sport the
    runner gave it on Strava (activities.csv's Activity Type by its Filename): a GPX walk, which says
    no sport itself, is a walk, not running load; and its manual activity without a file."""
    if not have_testdata():
        return
    s = Server()
    try:
        export, n = strava_export()
        rid, email, c = runner(s, "stella")
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "export_12345678.zip")
            with open(path, "wb") as f:
                f.write(export)
            st, out, err = runcare("import", path, "--runner", email, "--db", s.db, timeout=120)
            assert st == 0 and out.startswith(f"{n + 1} added, 0 already there, 0 could not be read"), (st, out, err)
            assert count(s, rid) == n + 1
            src = query(s.db, f"SELECT source FROM activity WHERE runner_id = {rid} AND source LIKE 'activities/%' "
                              f"ORDER BY source LIMIT 1")
            assert src == "activities/4301000001.fit.gz", src
            sports = [query(s.db, f"SELECT source || ':' || sport || ':' || sport_kind FROM activity "
                                  f"WHERE runner_id = {rid} AND source LIKE 'activities/430100000{i}%'")
                      for i in range(1, 5)]
            assert sports == ["activities/4301000001.fit.gz:running:running",
                              "activities/4301000002.fit.gz:treadmill_running:running",
                              "activities/4301000003.gpx.gz:walking:cross",
                              "activities/4301000004.tcx.gz:cycling:cross"], sports
            # Strava's Calories, where the file gives none (a GPX has no energy): the walk's and the
            # manual activity's.
            kcal = query(s.db, f"SELECT energy_kcal FROM activity WHERE runner_id = {rid} "
                               f"AND source LIKE 'activities/4301000003%'")
            assert kcal == "211", kcal
            assert query(s.db, f"SELECT energy_kcal FROM activity WHERE runner_id = {rid} AND format = 'manual'") == "388"
            st, out, err = runcare("import", path, "--runner", email, "--db", s.db, timeout=120)
            assert st == 0 and out.startswith(f"0 added, {n + 1} already there"), (out, err)
        st, page = upload(c, [("export_12345678.zip", export)])
        assert st == 200 and f"0 added, {n + 1} already there, 0 could not be read" in page, page[-2000:]
        assert count(s, rid) == n + 1
    finally:
        s.close()


def col(s, rid, column, source):
    return query(s.db, f"SELECT {column} FROM activity WHERE runner_id = {rid} AND source = '{source}'")


@own_server
def test_strava_names_gear_manual_runs_and_bad_rows():
    """activities.csv gives each file its name and shoes; a manual run (no file) is an activity of its
    own, listed and counted in the running load; a bad row is named by its line and the rest imported;
    a CSV saved in Latin-1 is read as that, and its activities say so. By the CLI and the web upload."""
    if not have_testdata():
        return
    s = Server()
    try:
        manual_at = clock_now() - 2 * 86400
        bad = ('4301000006,"yesterday",Forgot the date,Run,,1200,3.00,,,false,,,,,,1200.0,1200.0,3000.0,3.0\n'
               '4301000007,"Feb 3, 2020, 6:30:00 PM",No time,Run,,,3.00,,,false,,,,,,,,3000.0,3.0\n')
        export, n = strava_export(manual_at, bad)
        rid, email, c = runner(s, "sunita")
        st, out, err = import_export(s, export, "export_12345678.zip", email)
        assert st == 2, (st, out, err)
        assert out.startswith(f"{n + 1} added, 0 already there, 2 could not be read"), (out, err)
        assert 'activities.csv, line 7: the Activity Date "yesterday" is not a date as Strava writes it' in err, err
        assert 'activities.csv, line 8: the Elapsed Time "" is not a number of seconds' in err, err
        first = "activities/4301000001.fit.gz"
        assert col(s, rid, "name", first) == "Morning Run"
        assert col(s, rid, "gear", first) == "Pegasus 40"
        assert col(s, rid, "name", "activities/4301000002.fit.gz") == 'Track, "easy" strides'
        assert col(s, rid, "name", "activities/4301000003.gpx.gz") == "Mönchsweg — with the dog"
        assert col(s, rid, "gear", "activities/4301000004.tcx.gz") == ""
        manual = "activities.csv, line 6"
        assert col(s, rid, "format || ':' || sport || ':' || sport_kind", manual) == "manual:running:running"
        assert col(s, rid, "start_at", manual) == str(manual_at)
        assert col(s, rid, "duration_s || ':' || moving_s || ':' || distance_m", manual) == "2400:2340:6000"
        assert col(s, rid, "name || ':' || gear", manual) == "Treadmill, no watch:Pegasus 40"
        # Its row is kept as its file, for the runner's download.
        kept = query(s.db, f"SELECT f.name FROM activity_file f JOIN activity a ON a.id = f.activity_id "
                           f"WHERE a.runner_id = {rid} AND a.source = '{manual}'")
        assert kept == manual, kept
        # Counted in the running load like any run: 40 minutes in the last 7 days.
        st, out, err = runcare("risk", "--runner", email, "--json", "--db", s.db)
        assert st == 0, (st, out, err)
        import json
        assert json.loads(out)["acute_min"] >= 39, out
        # Listed with its name, and its page says what it is.
        st, _, page = c.get(f"/runners/{rid}/activities")
        assert st == 200 and "Treadmill, no watch" in page and "Morning Run" in page, page[-3000:]
        mid = col(s, rid, "id", manual)
        st, _, page = c.get(f"/runners/{rid}/activities/{mid}")
        assert st == 200 and "Treadmill, no watch" in page and "Pegasus 40" in page, page[-3000:]
        assert "entered by hand" in page, page[-3000:]
        # The web upload by another runner: the bad rows are named by line on the report.
        rid2, _, c2 = runner(s, "sven")
        st, page = upload(c2, [("export_12345678.zip", export)])
        assert st == 200 and f"{n + 1} added, 0 already there, 2 could not be read" in page, page[-2000:]
        assert "activities.csv, line 7" in page and "&quot;yesterday&quot;" in page, page[-2000:]
        # Latin-1: read as that; the names come out right, and the activity says how it was read.
        rid3, email3, _ = runner(s, "lotte")
        latin, _ = strava_export(manual_at, encoding="cp1252")
        st, out, err = import_export(s, latin, "export_1.zip", email3)
        assert st == 0 and out.startswith(f"{n + 1} added"), (st, out, err)
        assert col(s, rid3, "name", "activities/4301000003.gpx.gz") == "Mönchsweg - with the dog"
        assert "Latin-1" in col(s, rid3, "warnings", "activities/4301000003.gpx.gz")
    finally:
        s.close()


def garmin_summary(start_iso, name, activity_type, distance_m, duration_s, shift_s=0, aid=0):
    """One activity of summarizedActivities.json as Garmin writes it: times in milliseconds (GMT and
    local), distance in centimetres, duration in milliseconds, floats."""
    t = datetime.datetime.fromisoformat(start_iso)
    gmt = (t.timestamp() + shift_s) * 1000
    return {"activityId": 9000000000 + aid, "uuidMsb": 1, "uuidLsb": 2, "name": name,
            "activityType": activity_type, "userProfileId": 12345678, "timeZoneId": 124,
            "beginTimestamp": gmt, "eventTypeId": 9, "rule": "subscribers", "sportType": "GENERIC",
            "startTimeGmt": gmt, "startTimeLocal": gmt + t.utcoffset().total_seconds() * 1000,
            "duration": duration_s * 1000.0, "distance": distance_m * 100.0, "elapsedDuration": duration_s * 1000.0,
            "movingDuration": duration_s * 1000.0, "avgHr": 140.0, "calories": 500.0, "manufacturer": "GARMIN",
            "lapCount": 1, "favorite": False, "pr": False, "splitSummaries": []}


@own_server
def test_garmin_summary_names_activities_and_gives_a_sport_the_fit_lacks():
    """summarizedActivities.json beside the FIT files: each activity takes its name from the summary of
    the same start (within a minute); a FIT that says only "other" takes the summary's sport (here a
    treadmill run); a FIT's own sport is kept; a summary a minute and more away names nothing. A summary
    over the cap is named, and the FIT files are imported all the same."""
    if not have_testdata():
        return
    import json
    s = Server()
    try:
        acts = [garmin_summary("2015-08-15T07:45:08-07:00", "Lunch Run", "running", 9007, 2833, shift_s=20, aid=1),
                garmin_summary("2022-08-15T10:39:09-07:00", "Treadmill 6 x 1k", "treadmill_running", 3600, 3600,
                               aid=2),
                garmin_summary("2016-08-13T05:47:21-07:00", "Pool", "lap_swimming", 1675, 4899, aid=3),
                garmin_summary("2017-06-11T07:34:09-07:00", "Too far off", "running", 157, 57, shift_s=61, aid=4),
                garmin_summary("2019-01-01T07:00:00-08:00", "Deleted long ago", "running", 5000, 1500, aid=5)]
        summary = json.dumps([{"summarizedActivitiesExport": acts}])
        export = garmin_export(extra=["ActivityDevFields.fit"], summary=summary)
        rid, email, _ = runner(s, "greta")
        st, out, err = import_export(s, export, "garmin-export.zip", email)
        assert st == 0 and out.startswith(f"{len(ACTIVITIES) + 1} added"), (st, out, err)

        def by_start(iso, column):
            t = int(datetime.datetime.fromisoformat(iso).timestamp())
            return query(s.db, f"SELECT {column} FROM activity WHERE runner_id = {rid} AND start_at = {t}")
        assert by_start("2015-08-15T07:45:08-07:00", "name || ':' || sport") == "Lunch Run:running"
        assert by_start("2022-08-15T10:39:09-07:00", "name || ':' || sport || ':' || sport_kind") == \
            "Treadmill 6 x 1k:treadmill_running:running"
        assert by_start("2016-08-13T05:47:21-07:00", "name || ':' || sport") == "Pool:swimming"
        assert by_start("2017-06-11T07:34:09-07:00", "name") == ""
        # The web upload reads it the same; the name is what the list and the page show.
        rid2, _, c = runner(s, "gwen")
        st, page = upload(c, [("garmin-export.zip", export)])
        assert st == 200 and f"{len(ACTIVITIES) + 1} added" in page, page[-2000:]
        st, _, page = c.get(f"/runners/{rid2}/activities")
        assert st == 200 and "Treadmill 6 x 1k" in page and "Lunch Run" in page, page[-3000:]
        # A summary over runcare's cap (stored, as a zip may hold it): named, never loaded; the files are read.
        rid3, email3, _ = runner(s, "gerd")
        big = garmin_export(summary=summary + " " * (48 * 1024 * 1024), summary_stored=True)
        st, out, err = import_export(s, big, "garmin-export.zip", email3)
        assert st == 2 and out.startswith(f"{len(ACTIVITIES)} added, 0 already there, 1 could not be read"), (out, err)
        assert "garmin-export.zip" not in err, err  # named by its path in the export
        assert "_summarizedActivities.json: an activity summary of 48 MB, over runcare's limit of 48 MB" in err, err
        assert count(s, rid3) == len(ACTIVITIES)
    finally:
        s.close()


@own_server
def test_shoes_distance_per_pair_and_a_new_pair_is_a_training_change():
    """The shoes a Strava export names: each pair's distance in all and in the last 4 weeks, first and
    last run, on the activities and training pages (running only: the walk's shoes are not listed); a
    pair first run in within 4 weeks, by a runner who ran before, is a training change the flags name
    and the self-check takes as its answer."""
    if not have_testdata():
        return
    s = Server()
    try:
        now = clock_now()
        new_pair = strava_csv_row("4301000009", now - 3 * 86400, "First run in the 41s", "Run", "Pegasus 41", "",
                                  elapsed=2700, metres=8000.0)
        export, n = strava_export(now - 2 * 86400, new_pair)
        rid, email, c = runner(s, "shona")
        st, out, err = import_export(s, export, "export_1.zip", email)
        assert st == 0 and out.startswith(f"{n + 2} added"), (st, out, err)
        st, _, page = c.get(f"/runners/{rid}/activities")
        assert st == 200, page
        shoes = page[page.index('id="sh-h"'):]
        rows = re.findall(r'<tr><th scope="row">([^<]*)</th><td>([^<]*)</td><td>([^<]*)</td><td>(\d+)</td>', shoes)
        # The latest used first: the 40s ran in two days ago, the 41s three.
        assert rows[0] == ("Pegasus 40", "7.1 km", "6.0 km", "3"), rows
        assert rows[1] == ("Pegasus 41", "8.0 km", "8.0 km", "1"), rows
        assert len(rows) == 2 and "Speedgoat" not in shoes, rows  # the walk's shoes are not running shoes
        st, _, page = c.get(f"/runners/{rid}/training")
        assert st == 200 and 'id="sh-h"' in page and "New shoes: Pegasus 41, first run in on" in page, page[-4000:]
        st, out, err = runcare("risk", "--runner", email, "--json", "--db", s.db)
        flags = [f for f in json.loads(out)["flags"] if f["key"] == "new_shoes"]
        assert flags and flags[0]["factor"] == "training_change_recent" and "Warden" in flags[0]["source"], out
        # The self-check answers "a recent change in training" from the files, naming the shoes.
        from selfcheck import step
        st, _, body = step(c, {"region": "forefoot", "onset": "gradual", "step": "2"}, "result")
        assert st == 200 and "From your training files" in body and "New shoes: Pegasus 41" in body, body[-3000:]
        # The activity names its shoes.
        aid = query(s.db, f"SELECT id FROM activity WHERE runner_id = {rid} AND name = 'First run in the 41s'")
        st, _, page = c.get(f"/runners/{rid}/activities/{aid}")
        assert st == 200 and "<dt>Shoes</dt><dd>Pegasus 41</dd>" in page, page[-3000:]
    finally:
        s.close()


def iso_time(iso):
    return int(datetime.datetime.fromisoformat(iso).timestamp())


@own_server
def test_the_same_run_from_two_platforms_is_one_activity():
    """A runner's Strava export and Garmin export hold the same runs: each is stored once. The TCX of a
    10k on Strava and its FIT from Garmin are one (the first kept, the second named as skipped); a run
    entered by hand on Strava and the watch's FIT of it are one, the FIT's heart rate and route winning
    while the name and shoes from Strava stay; a walk entered within a minute of a run is not that run.
    Both files of each are kept. Then in the other order, by the CLI."""
    if not have_testdata():
        return
    import gzip
    s = Server()
    try:
        ten_k, long_run, fr955 = (iso_time("2014-10-11T11:08:45-07:00"), iso_time("2015-08-15T07:45:08-07:00"),
                                  iso_time("2024-07-09T07:12:49-07:00"))
        csv = "\ufeff" + STRAVA_HEADER
        csv += strava_csv_row("5001", ten_k, "UNLP 10k", "Run", "Pegasus 40", "activities/5001.tcx.gz",
                              elapsed=2224, metres=10010.7)
        csv += strava_csv_row("5002", long_run + 30, "Long run by hand", "Run", "Pegasus 40", "",
                              elapsed=2833, metres=9000.0)
        csv += strava_csv_row("5003", fr955 + 20, "Walk with the dog", "Walk", "", "", elapsed=3117, metres=10019.0)
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as z:
            z.writestr("activities/5001.tcx.gz", gzip.compress(read("tcx", "10kUNLP2014-Garmin15.tcx")))
            z.writestr("activities.csv", csv)
        strava = out.getvalue()
        garmin = garmin_export()

        def check(rid, first_platform):
            assert count(s, rid) == 3 + len(ACTIVITIES) - 2
            long = query(s.db, f"SELECT format || ':' || COALESCE(hr_avg, -1) || ':' || name || ':' || gear "
                               f"FROM activity WHERE runner_id = {rid} AND start_at BETWEEN {long_run - 60} "
                               f"AND {long_run + 60}")
            assert long == "fit:154:Long run by hand:Pegasus 40", long
            ten = query(s.db, f"SELECT format || ':' || name FROM activity WHERE runner_id = {rid} "
                              f"AND start_at = {ten_k}")
            assert ten == ("tcx" if first_platform == "strava" else "fit") + ":UNLP 10k", ten
            kinds = query(s.db, f"SELECT COUNT(*) FROM activity WHERE runner_id = {rid} AND start_at BETWEEN "
                                f"{fr955 - 60} AND {fr955 + 60}")
            assert kinds == "2", kinds  # the run and the walk
            files = query(s.db, f"SELECT COUNT(*) FROM activity_file f JOIN activity a ON a.id = f.activity_id "
                                f"WHERE a.runner_id = {rid} AND a.start_at IN ({ten_k}, {long_run}, {long_run + 30})")
            assert files == "4", files  # both files of each

        # Strava first (CLI), then Garmin (web upload): the FIT replaces the hand-entered figures.
        rid, email, c = runner(s, "dora")
        st, o, err = import_export(s, strava, "export_1.zip", email)
        assert st == 0 and o.startswith("3 added"), (st, o, err)
        st, page = upload(c, [("garmin-export.zip", garmin)])
        assert st == 200 and f"{len(ACTIVITIES) - 2} added, 2 already there, 0 could not be read" in page, \
            page[-3000:]
        assert "skipped: already imported from activities/5001.tcx.gz" in page, page[-3000:]
        assert ("skipped: the same activity as activities.csv, line 3, already imported: this file&#39;s figures"
                in page or "skipped: the same activity as activities.csv, line 3, already imported: this file&#x27;s"
                in page), page[-3000:]
        check(rid, "strava")
        # The runner's own export has both files of the run, and its name and shoes.
        st, _, body = c.get("/account/export")
        doc = json.loads(body)
        long_row = [a for a in doc["activity"] if a["name"] == "Long run by hand"]
        assert len(long_row) == 1 and long_row[0]["gear"] == "Pegasus 40" and long_row[0]["format"] == "fit", long_row
        kept = sorted(f["name"] for f in doc["activity_file"] if f["activity_id"] == long_row[0]["id"])
        assert kept == [f"{UPLOADED}UploadedFiles_0-_Part1.zip/runner@example.com_10000000.fit",
                        "activities.csv, line 3"], kept
        # Garmin first, then Strava, both by the CLI: the FIT stays and takes the name and shoes.
        rid2, email2, _ = runner(s, "dirk")
        st, o, err = import_export(s, garmin, "garmin-export.zip", email2)
        assert st == 0, (st, o, err)
        st, o, err = import_export(s, strava, "export_1.zip", email2)
        assert st == 0 and o.startswith("1 added, 2 already there"), (st, o, err)
        assert "activities/5001.tcx.gz: skipped: already imported from DI_CONNECT/" in err, err
        assert "activities.csv, line 3: skipped: already imported from DI_CONNECT/" in err, err
        check(rid2, "garmin")
        # Again: nothing more stored, no file kept twice.
        st, o, err = import_export(s, strava, "export_1.zip", email2)
        assert st == 0 and o.startswith("0 added, 3 already there"), (st, o, err)
        check(rid2, "garmin")
    finally:
        s.close()


@own_server
def test_two_sports_from_the_very_same_second_are_named_not_a_database_error():
    """A runner has one activity a start second (the store's key). A walk entered by hand at the very second a
    recorded run starts is not that run (another sport), and cannot be stored beside it: it is named as not
    kept, the run stays, and the import goes on (it was a database error that stopped the file)."""
    if not have_testdata():
        return
    import gzip
    s = Server()
    try:
        ten_k = iso_time("2014-10-11T11:08:45-07:00")
        csv = STRAVA_HEADER
        csv += strava_csv_row("6001", ten_k, "UNLP 10k", "Run", "", "activities/6001.tcx.gz", elapsed=2224,
                              metres=10010.7)
        csv += strava_csv_row("6002", ten_k, "Walk at the same second", "Walk", "", "", elapsed=1800, metres=2000.0)
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as z:
            z.writestr("activities/6001.tcx.gz", gzip.compress(read("tcx", "10kUNLP2014-Garmin15.tcx")))
            z.writestr("activities.csv", csv)
        rid, email, c = runner(s, "sam")
        st, o, err = import_export(s, out.getvalue(), "export_2.zip", email)
        assert o.startswith("1 added") and "starts at the very same second" in err, (st, o, err)
        assert "database" not in err, err
        assert count(s, rid) == 1
        assert query(s.db, f"SELECT sport_kind FROM activity WHERE runner_id = {rid}") == "running"
    finally:
        s.close()
