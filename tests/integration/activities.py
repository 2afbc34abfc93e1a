"""activities.py — every activity visible (issue 18): the whole history newest first in pages, filtered by
sport and day; cross-training (a ride, a swim, a walk) listed but kept out of the running load, including a
ride whose file names no sport and one named run.gpx; one page per activity (route, splits, charts, flags);
deleting one's own (the load recomputed), and another runner's refused. Days come from the harness's clock."""
import datetime
import math
import os
import re
import tempfile
import time

from accounts import world
from harness import Client, add_user, clinic_now, clock_now, own_server, query, runcare
from training import DAY, LAT0, LON0, M, gpx, road, track


def typed_gpx(points, sport):
    """A GPX whose <trk><type> names the sport ("" for none)."""
    body = gpx(points).decode()
    if sport:
        body = body.replace("<type>running</type>", f"<type>{sport}</type>")
    else:
        body = body.replace("<type>running</type>", "")
    return body.encode()


def ride(t0, minutes, speed=8.0):
    return [(t0 + i, i * speed, 0.0, 20.0) for i in range(minutes * 60)]


def history_files(now):
    """{name: bytes}: 26 runs, one every 9 days back over most of a year (older than the 12 weeks the
    training page shows), a track session, a ride that says cycling but is named run.gpx, a ride that names
    no sport, a walk."""
    today = now - now % DAY
    files = {}
    for k in range(26):
        files[f"road-{k:02d}.gpx"] = road(today - (3 + 9 * k) * DAY + 6 * 3600, 30)
    files["track.gpx"] = track(today - 1 * DAY + 17 * 3600, 10)
    files["run.gpx"] = typed_gpx(ride(today - 2 * DAY + 9 * 3600, 60), "cycling")
    files["morning-run.gpx"] = typed_gpx(ride(today - 4 * DAY + 9 * 3600, 45, speed=9.0), "")
    files["walk.gpx"] = typed_gpx([(today - 5 * DAY + 10 * 3600 + i, i * 1.4, 0.0, 20.0) for i in range(1800)],
                                  "walking")
    return files


def import_files(w, email, files):
    with tempfile.TemporaryDirectory() as d:
        paths = []
        for name, data in files.items():
            p = os.path.join(d, name)
            with open(p, "wb") as f:
                f.write(data)
            paths.append(p)
        return runcare("import", *paths, "--runner", email, "--db", w.s.db, timeout=120)


def starts(body):
    return re.findall(r'<a href="/runners/\d+/activities/\d+"><time datetime="[^"]+">(\d{4}-\d\d-\d\d \d\d:\d\d)</time></a>', body)


@own_server
def test_history_sports_activity_page_and_delete():
    w = world()
    # A runner of this test's own, so what other modules stored for A and B does not count here.
    email, pw = "hana.history@example.org", "hana keeps every run 8"
    aid = add_user(w.s, "runner", email, pw, "Hana History")
    a = Client(w.s).sign_in(email, pw)
    now = clock_now()
    files = history_files(now)
    st, out, err = import_files(w, email, files)
    assert st == 0 and out.startswith(f"{len(files)} added"), (out, err)
    # Nothing stored twice: the same files again add nothing.
    st, out, err = import_files(w, email, files)
    assert st == 0 and out.startswith(f"0 added, {len(files)} already there"), (out, err)
    st, h, _ = a.get("/training/activities")
    assert st == 303 and h["location"] == f"/runners/{aid}/activities"

    # Every activity, newest first, 25 to a page.
    st, _, body = a.get(f"/runners/{aid}/activities")
    assert st == 200, body[:2000]
    assert f"{len(files)} activities." in body, body
    first = starts(body)
    assert len(first) == 25 and first == sorted(first, reverse=True), first
    st, _, body2 = a.get(f"/runners/{aid}/activities?page=2")
    second = starts(body2)
    assert st == 200 and len(second) == len(files) - 25 and second[0] < first[-1], second
    assert "road-25.gpx" in body2  # the oldest, most of a year back
    st, _, _ = a.get(f"/runners/{aid}/activities?page=3")
    assert st == 404

    # Sports from the files: the ride named run.gpx, the ride that names no sport (by its speed, with a
    # warning) and the walk are cross-training; the rest is running.
    st, _, body = a.get(f"/runners/{aid}/activities?sport=cross")
    assert st == 200 and "3 activities." in body, body
    for name in ("run.gpx", "morning-run.gpx", "walk.gpx"):
        assert name in body, name
    assert "Cycling" in body and "Walking" in body and "not in the running load" in body
    st, _, body = a.get(f"/runners/{aid}/activities?sport=all")
    assert st == 200 and f"{len(files)} activities." in body
    st, _, body = a.get(f"/runners/{aid}/activities?sport=rowing")
    assert st == 422 and "Sport" in body
    st, _, body = a.get(f"/runners/{aid}/activities?sport=running")
    assert st == 200 and f"{len(files) - 3} activities." in body
    kinds = query(w.s.db, f"SELECT sport || ':' || sport_kind FROM activity WHERE runner_id = {aid} "
                          "AND source LIKE '%/morning-run.gpx'")
    assert kinds == "cycling:cross", kinds
    warn = query(w.s.db, f"SELECT warnings FROM activity WHERE runner_id = {aid} AND source LIKE '%/morning-run.gpx'")
    assert "counted as cycling" in warn, warn
    # The running load counts runs only: the last 7 days hold a 30-minute road run and a track session of
    # about 17 minutes; with the two rides and the walk (135 minutes) it would be over 180.
    def acute_minutes():
        st, _, body = a.get(f"/runners/{aid}/activities")
        m = re.search(r"Running in the last 7 days: (\d+) min", body)
        return int(m.group(1))
    before = acute_minutes()
    assert 40 <= before <= 55, before

    # By day: the last week only.
    today = clinic_now().date()
    frm, to = (today - datetime.timedelta(days=6)).isoformat(), today.isoformat()
    st, _, body = a.get(f"/runners/{aid}/activities?from={frm}&to={to}")
    assert st == 200
    week = starts(body)
    assert 4 <= len(week) <= 6 and all(frm <= s[:10] <= to for s in week), week
    # A bad day is named, what was typed kept, 422; a range backwards too.
    st, _, body = a.get(f"/runners/{aid}/activities?from=2026-13-40")
    assert st == 422 and "From" in body and 'value="2026-13-40"' in body, body[-2000:]
    st, _, body = a.get(f"/runners/{aid}/activities?from={to}&to={frm}")
    assert st == 422 and "To must be on or after From" in body

    # One page per activity: the track session's route with its bends, splits by km and by lap, charts.
    tid = query(w.s.db, f"SELECT id FROM activity WHERE runner_id = {aid} AND source LIKE '%/track.gpx'")
    st, _, body = a.get(f"/runners/{aid}/activities/{tid}")
    assert st == 200, body[:2000]
    assert 'class="path"' in body and 'class="bend" d="M' in body, body
    assert "Splits by the kilometre" in body and "Splits by the lap" in body
    assert body.count('<th scope="row">') >= 10
    assert 'id="pace-t"' in body or "Pace" in body
    assert "Flags this activity counts toward" in body and "track" in body.lower()
    assert "400 m track, 10.0 laps" in body, body

    # The clinic sees it (audited); the front desk does not; another runner gets 404.
    st, _, _ = w.client("practitioner").get(f"/runners/{aid}/activities/{tid}")
    assert st == 200
    st, _, _ = w.client("front_desk").get(f"/runners/{aid}/activities/{tid}")
    assert st == 403
    b = w.client("b")
    st, _, _ = b.get(f"/runners/{aid}/activities/{tid}")
    assert st == 404
    st, _, _ = b.get(f"/runners/{aid}/activities")
    assert st == 404
    # A delete of another runner's activity is refused and changes nothing.
    st, _, _ = b.post(f"/training/activities/{tid}/delete", {}, csrf_from="/account")
    assert st == 404
    assert query(w.s.db, f"SELECT COUNT(*) FROM activity WHERE id = {tid}") == "1"
    # Staff cannot delete a runner's activity either (runners only).
    st, _, _ = w.client("practitioner").post(f"/training/activities/{tid}/delete", {}, csrf_from="/account")
    assert st in (403, 404)
    assert query(w.s.db, f"SELECT COUNT(*) FROM activity WHERE id = {tid}") == "1"

    # The runner deletes their own: gone, audited, and the load recomputed without it.
    st, h, _ = a.post(f"/training/activities/{tid}/delete", {}, csrf_from=f"/runners/{aid}/activities/{tid}")
    assert st == 303 and h["location"] == f"/runners/{aid}/activities?deleted=1", (st, h)
    assert query(w.s.db, f"SELECT COUNT(*) FROM activity WHERE id = {tid}") == "0"
    after = acute_minutes()
    assert after < before, (before, after)
    st, _, body = a.get(h["location"])
    assert "The activity was deleted" in body and f"{len(files) - 1} activities." in body
    assert query(w.s.db, f"SELECT COUNT(*) FROM audit_log WHERE action = 'training.delete' AND runner_id = {aid}") == "1"
    st, _, _ = a.get(f"/runners/{aid}/activities/{tid}")
    assert st == 404
    # Without the form's token nothing is deleted.
    rid = query(w.s.db, f"SELECT id FROM activity WHERE runner_id = {aid} AND source LIKE '%/road-00.gpx'")
    st, _, _ = a.request("POST", f"/training/activities/{rid}/delete", form={})
    assert st == 403
    assert query(w.s.db, f"SELECT COUNT(*) FROM activity WHERE id = {rid}") == "1"


def gpx_hr(t0, minutes, hr, speed=3.0):
    """An out-and-back road run with a heart rate (None: none) in Garmin's extension, as watches write it."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>\n<gpx version="1.1" creator="runcare tests" '
           'xmlns="http://www.topografix.com/GPX/1/1" '
           'xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1"><trk><type>running</type><trkseg>']
    n = minutes * 60
    for i in range(n):
        x = i * speed if i < n / 2 else (n - i) * speed
        lat, lon = LAT0, LON0 + x / (M * math.cos(math.radians(LAT0)))
        stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t0 + i))
        ext = (f"<extensions><gpxtpx:TrackPointExtension><gpxtpx:hr>{hr}</gpxtpx:hr></gpxtpx:TrackPointExtension>"
               "</extensions>") if hr else ""
        out.append(f'<trkpt lat="{lat:.7f}" lon="{lon:.7f}"><ele>20.0</ele><time>{stamp}</time>{ext}</trkpt>')
    out.append("</trkseg></trk></gpx>\n")
    return "".join(out).encode()


@own_server
def test_load_from_heart_rate_or_effort_and_the_runners_heart_rate():
    w = world()
    email, pw = "lena.load@example.org", "lena counts beats 5"
    rid = add_user(w.s, "runner", email, pw, "Lena Load")
    c = Client(w.s).sign_in(email, pw)
    now = clock_now()
    today = now - now % DAY
    files = {f"hr-{d}.gpx": gpx_hr(today - d * DAY + 6 * 3600, 30, 140) for d in (2, 9, 16)}
    st, out, err = import_files(w, email, files)
    assert st == 0 and out.startswith("3 added"), (out, err)
    page = f"/runners/{rid}/training"
    st, _, body = c.get(page)
    assert st == 200
    assert "heart-rate load (TRIMP)" in body and "estimated: a typical adult" in body, body
    assert "a maximum of 142 bpm (estimated: the highest your files held for a minute)" in body, body
    assert "TRIMP" in body and "Banister" in body
    # The runner's own heart rates replace the estimates.
    st, h, _ = c.post("/training/heart", {"rest": "48", "max": "192"}, csrf_from=page)
    assert st == 303 and h["location"] == "/training"
    st, _, body = c.get(page)
    assert "resting heart rate of 48 bpm and a maximum of 192 bpm." in body, body
    assert 'value="48"' in body and 'value="192"' in body
    # Bad values: named, kept, 422, nothing changed.
    st, _, body = c.post("/training/heart", {"rest": "20", "max": "192"}, csrf_from=page)
    assert st == 422 and "Resting heart rate (bpm)" in body and 'value="20"' in body, body[-3000:]
    st, _, body = c.post("/training/heart", {"rest": "105", "max": "120"}, csrf_from=page)
    assert st == 422 and "at least 20 above the resting rate" in body and 'value="120"' in body
    assert query(w.s.db, f"SELECT rest_bpm || '/' || max_bpm FROM runner_heart WHERE runner_id = {rid}") == "48/192"
    # An activity's page gives its own load.
    aid = query(w.s.db, f"SELECT id FROM activity WHERE runner_id = {rid} AND source LIKE '%/hr-2.gpx'")
    st, _, body = c.get(f"/runners/{rid}/activities/{aid}")
    assert st == 200 and re.search(r"<dt>Load</dt><dd>\d+ TRIMP \(heart-rate load \(TRIMP\)\)", body), body
    # A run without heart rate: the load is running time, and the page says why.
    st, out, err = import_files(w, email, {"no-hr.gpx": gpx_hr(today - 4 * DAY + 6 * 3600, 30, None)})
    assert st == 0 and out.startswith("1 added"), (out, err)
    st, _, body = c.get(page)
    assert "Load measured as running time: of the 4 runs of the last 5 weeks, 3 have heart rate and 0 an effort" in body
    # Every run rated for effort: the session RPE.
    ids = query(w.s.db, f"SELECT group_concat(id) FROM activity WHERE runner_id = {rid}") if w.s.db.startswith(
        "sqlite:") else query(w.s.db, f"SELECT string_agg(id::text, ',') FROM activity WHERE runner_id = {rid}")
    for i in ids.split(","):
        st, h, _ = c.post(f"/training/activities/{i}/effort", {"effort": "6"}, csrf_from=f"/runners/{rid}/activities/{i}")
        assert st == 303, st
    st, _, body = c.get(page)
    assert "Load measured as session RPE (effort × minutes)" in body and "Foster" in body, body
    st, _, body = c.get(f"/runners/{rid}/activities/{aid}")
    assert "<dt>Effort</dt><dd>6 of 10</dd>" in body and "180 AU" in body, body
    # A rating out of range: named, 422; another runner's activity: 404, unchanged.
    st, _, body = c.post(f"/training/activities/{aid}/effort", {"effort": "11"}, csrf_from=f"/runners/{rid}/activities/{aid}")
    assert st == 422 and "How hard was it" in body
    b = w.client("b")
    st, _, _ = b.post(f"/training/activities/{aid}/effort", {"effort": "1"}, csrf_from="/account")
    assert st == 404
    assert query(w.s.db, f"SELECT effort FROM activity WHERE id = {aid}") == "6"
    # Cleared: not rated again.
    st, _, _ = c.post(f"/training/activities/{aid}/effort", {"effort": ""}, csrf_from=f"/runners/{rid}/activities/{aid}")
    assert st == 303 and query(w.s.db, f"SELECT effort FROM activity WHERE id = {aid}") in (None, "", "None")
