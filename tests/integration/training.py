"""training.py — training files end to end: a generated training block (steady road weeks, then a week
with twice the running, hills and first track sessions) imported by the CLI as a .zip, a .gz and loose
files, flagged by runcare risk; uploaded through the web page; shown to the runner and their clinic;
used by the self-check. Bad files are named with the reason and do not stop the others."""
import gzip
import io
import json
import math
import os
import re
import tempfile
import time
import urllib.parse
import uuid
import zipfile

from accounts import world
from harness import clock_free, clock_now, own_server, query, runcare

DAY = 86400
LAT0, LON0 = 51.5, -0.1
M = 6371008.8 * math.pi / 180


def gpx(points):
    """points: (t, x metres east, y metres north, elevation)."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>\n<gpx version="1.1" creator="runcare tests" '
           'xmlns="http://www.topografix.com/GPX/1/1"><trk><type>running</type><trkseg>']
    for t, x, y, ele in points:
        lat = LAT0 + y / M
        lon = LON0 + x / (M * math.cos(math.radians(LAT0)))
        stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))
        out.append(f'<trkpt lat="{lat:.7f}" lon="{lon:.7f}"><ele>{ele:.1f}</ele><time>{stamp}</time></trkpt>')
    out.append("</trkseg></trk></gpx>\n")
    return "".join(out).encode()


def road(t0, minutes, climb_per_km=0.0, speed=3.0):
    """An out-and-back road run; climb_per_km metres up each km out (and down on the way back)."""
    n = minutes * 60
    pts = []
    for i in range(n):
        d = i * speed
        half = n * speed / 2
        x = d if d < half else 2 * half - d
        ele = 20 + (x / 1000) * climb_per_km
        pts.append((t0 + i, x, 0.0, ele))
    return gpx(pts)


def track_xy(s, straight, r):
    """The point s metres into a lap of a track (counter-clockwise from the start of a straight)."""
    bend = math.pi * r
    s %= 2 * straight + 2 * bend
    if s < straight:
        return s, -r
    if s < straight + bend:
        th = -math.pi / 2 + (s - straight) / r
        return straight + r * math.cos(th), r * math.sin(th)
    if s < 2 * straight + bend:
        return straight - (s - straight - bend), r
    th = math.pi / 2 + (s - 2 * straight - bend) / r
    return r * math.cos(th), r * math.sin(th)


def track(t0, laps, speed=4.0, straight=84.39, r=36.5):
    """Laps of a 400 m track, counter-clockwise."""
    lap = 2 * straight + 2 * math.pi * r
    pts = []
    i = 0
    while i * speed <= laps * lap:
        x, y = track_xy(i * speed, straight, r)
        pts.append((t0 + i, x, y, 15.0))
        i += 1
    return gpx(pts)


def training_block(now):
    """{file name: bytes}: four flat 40-minute runs a week for five weeks, then a last week with two
    track sessions, a hilly run and more running."""
    today = now - now % DAY
    files = {}
    for d in range(7, 42):
        if d % 7 in (1, 3, 5, 6):
            files[f"road-{d}.gpx"] = road(today - d * DAY + 7 * 3600, 40, climb_per_km=2)
    files["track-1.gpx"] = track(today - 5 * DAY + 18 * 3600, 12)
    files["track-2.gpx"] = track(today - 2 * DAY + 18 * 3600, 12)
    files["hills.gpx"] = road(today - 4 * DAY + 7 * 3600, 60, climb_per_km=60)
    files["long.gpx"] = road(today - 1 * DAY + 7 * 3600, 90, climb_per_km=2)
    files["easy.gpx"] = road(today - 3 * DAY + 7 * 3600, 45, climb_per_km=2)
    return files


@own_server
def test_cli_import_zip_gz_and_bad_files_then_risk_flags():
    w = world()
    now = clock_now()
    files = training_block(now)
    with tempfile.TemporaryDirectory() as d:
        zpath = os.path.join(d, "export.zip")
        with zipfile.ZipFile(zpath, "w") as z:
            for name, data in files.items():
                if name != "long.gpx":
                    z.writestr("activities/" + name + (".gz" if name.startswith("road-1") else ""),
                               gzip.compress(data) if name.startswith("road-1") else data)
            z.writestr("activities.csv", "id,name\n1,x\n")
        gz = os.path.join(d, "long.gpx.gz")
        with open(gz, "wb") as f:
            f.write(gzip.compress(files["long.gpx"]))
        bad = os.path.join(d, "notes.txt")
        with open(bad, "w") as f:
            f.write("not a training file\n")
        future = os.path.join(d, "future.gpx")
        with open(future, "wb") as f:
            f.write(road(now + 400 * DAY, 5))
        # A decompression bomb (100 MB of zeros in a small .zip) and a file over the size limit (sparse).
        bomb = os.path.join(d, "bomb.zip")
        with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as z:
            z.writestr("activities/zeros.gpx", b"\0" * (100 << 20))
        huge = os.path.join(d, "huge.gpx")
        with open(huge, "wb") as f:
            f.truncate(129 << 20)
        st, out, err = runcare("import", zpath, gz, bad, future, bomb, huge, "--runner", w.email["b"], "--db", w.s.db,
                               timeout=120)
        assert st == 2, (st, out, err)
        assert "zeros.gpx: expands more than 100-fold" in err, err
        assert "huge.gpx: larger than 128 MB" in err, err
        assert f"{len(files)} added" in out, out
        assert "1 other files skipped" in out, out
        assert "notes.txt: not a training file" in err, err
        assert "future.gpx" in err and "future" in err.split("future.gpx", 1)[1], err
        # The same files again: nothing new.
        st, out, err = runcare("import", zpath, gz, "--runner", w.email["b"], "--db", w.s.db, timeout=120)
        assert st == 0 and out.startswith("0 added, " + str(len(files)) + " already there"), (out, err)
        n = query(w.s.db, f"SELECT COUNT(*) FROM activity WHERE runner_id = {w.ids['b']}")
        assert n == str(len(files)), n
    st, out, err = runcare("risk", "--runner", w.email["b"], "--json", "--db", w.s.db)
    assert st == 0, err
    doc = json.loads(out)
    keys = {f["key"] for f in doc["flags"]}
    assert {"week_jump", "hills_added", "track_running"} <= keys, doc["flags"]
    track_flag = next(f for f in doc["flags"] if f["key"] == "track_running")
    assert "First track sessions in six months" in track_flag["text"] and "all counter-clockwise" in track_flag["text"]
    assert re.search(r"\d+\.\d km on bends", track_flag["text"]), track_flag
    assert doc["ratio"] > 1.3 and doc["week_change"] > 0.3, doc
    assert all(f["source"] for f in doc["flags"])
    st, out, err = runcare("risk", "--runner", "nobody@example.org", "--db", w.s.db)
    assert st == 2 and "no runner" in err


def multipart(fields, files):
    boundary = uuid.uuid4().hex
    out = io.BytesIO()
    for k, v in fields.items():
        out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode())
    for name, data in files:
        out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="{name}"\r\n'
                  f'Content-Type: application/octet-stream\r\n\r\n'.encode())
        out.write(data + b"\r\n")
    out.write(f"--{boundary}--\r\n".encode())
    return out.getvalue(), "multipart/form-data; boundary=" + boundary


def post_upload(c, files, token=None):
    """The upload form's POST as a browser sends it: (status, headers, body). It answers at once: 303 to
    the import job's page, which the worker fills in."""
    import http.client
    token = token or c.csrf("/account")
    body, ctype = multipart({"csrf": token}, files)
    conn = http.client.HTTPConnection("127.0.0.1", c.s.port, timeout=60)
    conn.request("POST", "/training/upload", body=body,
                 headers={"Content-Type": ctype, "Cookie": c._cookie_header()})
    r = conn.getresponse()
    data = r.read().decode("utf-8", "replace")
    conn.close()
    return r.status, {k.lower(): v for k, v in r.getheaders()}, data


def follow_job(c, location, timeout=120):
    """Reads the job page the way the browser does (it refreshes itself while the job is open) until
    the job is done or failed: (status, page)."""
    deadline = time.time() + timeout
    while True:
        st, h, body = c.get(location)
        if st != 200 or "refresh" not in h:
            return st, body
        assert "<progress" in body, body[-2000:]
        if time.time() > deadline:
            raise AssertionError(f"{location} still open after {timeout} s: {body[-1500:]}")
        time.sleep(0.2)


def upload(c, files, timeout=120):
    """Uploads files and follows the import to its report: (status, page); the POST's own answer when
    it is not the redirect to a job."""
    st, h, body = post_upload(c, files)
    if st != 303:
        return st, body
    assert re.fullmatch(r"/training/imports/\d+", h["location"]), h
    return follow_job(c, h["location"], timeout)


@own_server
def test_web_upload_page_staff_view_and_self_check_evidence():
    w = world()
    a = w.client("a")
    a.runner_id = w.ids["a"]
    now = clock_now()
    today = now - now % DAY
    files = [("session.gpx", track(today - DAY + 18 * 3600, 12)),
             ("session2.gpx", track(today - 3 * DAY + 18 * 3600, 12)),
             ("photo.jpg", b"\xff\xd8\xff\xe0 not a training file")]
    st, body = upload(a, files)
    assert st == 200, (st, body[-3000:])
    assert "2 added, 0 already there, 1 could not be read" in body, body
    assert "photo.jpg" in body and "not a training file" in body
    st, body = upload(a, files[:1])
    assert st == 200 and "0 added, 1 already there" in body, body
    st, h, _ = a.get("/training")
    assert st == 303 and h["location"] == f"/runners/{w.ids['a']}/training"
    st, _, body = a.get(h["location"])
    assert st == 200 and "<svg" in body and "First track sessions in six months" in body, body[:2000]
    assert "400 m track" in body and "counter-clockwise" in body
    # The clinic sees it; another runner does not.
    st, _, body = w.client("practitioner").get(f"/runners/{w.ids['a']}/training")
    assert st == 200 and "Training: Alice Runner" in body
    st, _, _ = w.client("b").get(f"/runners/{w.ids['a']}/training")
    assert st == 404
    # No CSRF token: refused, nothing stored.
    n = query(w.s.db, f"SELECT COUNT(*) FROM activity WHERE runner_id = {w.ids['a']}")
    import http.client
    body, ctype = multipart({}, [("x.gpx", track(today - 6 * DAY, 5))])
    conn = http.client.HTTPConnection("127.0.0.1", w.s.port, timeout=30)
    conn.request("POST", "/training/upload", body=body, headers={"Content-Type": ctype, "Cookie": a._cookie_header()})
    assert conn.getresponse().status == 403
    conn.close()
    assert query(w.s.db, f"SELECT COUNT(*) FROM activity WHERE runner_id = {w.ids['a']}") == n
    # The self-check uses the files where the runner did not answer.
    from selfcheck import step
    st, _, body = step(a, {"region": "buttock_sit_bone", "onset": "gradual", "pain_with_sitting": "yes",
                           "step": "2"}, "result")
    assert st == 200 and "From your training files" in body and "First track sessions" in body, body[-3000:]
    # A runner's own "no" wins.
    st, _, body = step(a, {"region": "buttock_sit_bone", "onset": "gradual", "track_running": "no",
                           "step": "2"}, "result")
    assert st == 200 and "You answered no, so your answer was used" in body
    st, _, body = a.get("/account/export")
    assert len(json.loads(body)["activity"]) >= 2


@own_server
@clock_free
def test_edge_case_files_written_blind_read_as_expected():
    """tests/data/training-edge/make.py (written without reading runcare's readers) generates GPX, TCX and
    FIT files with known totals: namespace prefixes, BOM and comments, CDATA, offsets, pauses, routes,
    treadmill TCX, big-endian and compressed-timestamp FIT, developer fields, chained and truncated files."""
    import subprocess
    import sys
    with tempfile.TemporaryDirectory() as d:
        p = subprocess.run([sys.executable, os.path.join(os.path.dirname(__file__), "..", "data", "training-edge",
                                                         "make.py"), d], capture_output=True, text=True)
        assert p.returncode == 0, p.stderr
        expected = json.load(open(os.path.join(d, "expected.json")))
        assert len(expected) >= 20
        problems = []
        for name, e in sorted(expected.items()):
            st, out, err = runcare("activity", "show", os.path.join(d, name), "--json")
            if st != 0:
                problems.append(f"{name}: exit {st}: {err.strip()}")
                continue
            r = json.loads(out)
            if e["sport"] and r["sport"] != e["sport"]:
                problems.append(f"{name}: sport {r['sport']}")
            if abs(r["distance_m"] - e["distance_m"]) > 0.01 * max(e["distance_m"], 1):
                problems.append(f"{name}: distance {r['distance_m']:.1f}, expected {e['distance_m']}")
            if abs(r["duration_s"] - e["duration_s"]) > 1:
                problems.append(f"{name}: duration {r['duration_s']}, expected {e['duration_s']}")
            if (r["hr_avg"] is None) != (e["hr_avg"] is None) or \
                    (e["hr_avg"] and abs(r["hr_avg"] - e["hr_avg"]) > 0.01 * e["hr_avg"]):
                problems.append(f"{name}: heart rate {r['hr_avg']}, expected {e['hr_avg']}")
            if r["points"] != e["points"]:
                problems.append(f"{name}: {r['points']} points, expected {e['points']}")
            if bool(r["warnings"]) != bool(e["damaged"]):
                problems.append(f"{name}: warnings {r['warnings']}")
        assert not problems, "\n".join(problems)


def test_activity_show_fits_the_track_and_keeps_its_fields(srv):
    """Issue 18: a generated session on a 400 m track in lane 4 with 2 m of GPS noise, through
    `runcare activity show --json`: the fields it always had (track.laps, radius_m, bend_distance_m,
    direction, size_m) right, the new ones beside them (lane, time on bends, distance on the track), and the
    noise adds no length."""
    import random
    rnd = random.Random(18)
    straight, r, laps, speed = 84.39, 40.16, 8, 4.0
    bend = math.pi * r
    lap = 2 * straight + 2 * bend
    pts, i, t0 = [], 0, clock_now() - 2 * DAY
    while i * speed <= laps * lap:
        x, y = track_xy(i * speed, straight, r)
        pts.append((t0 + i, x + rnd.gauss(0, 2), y + rnd.gauss(0, 2), 15.0))
        i += 1
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "lane4.gpx")
        with open(path, "wb") as f:
            f.write(gpx(pts))
        st, out, err = runcare("activity", "show", path, "--json")
        assert st == 0, err
        tr = json.loads(out)["track"]
        assert tr is not None
        assert tr["size_m"] == 400 and tr["direction"] == "counter-clockwise"
        assert abs(tr["radius_m"] - r) <= 2 and abs(tr["laps"] - laps) <= 1, tr
        assert abs(tr["bend_distance_m"] - laps * 2 * bend) <= 0.05 * laps * 2 * bend, tr
        assert tr["lane"] == 4, tr
        assert abs(tr["bend_time_s"] - laps * 2 * bend / speed) <= 0.05 * laps * 2 * bend / speed, tr
        assert abs(json.loads(out)["distance_m"] - laps * lap) <= 0.02 * laps * lap, out


@clock_free
def test_real_files_in_shared_testdata_are_not_tracks(srv):
    """None of the real recordings beside the project (road runs, rides, swims, walks) was run on a
    track: the fit must find none. Skipped without ../shared/testdata; a failure in CI."""
    from harness import ROOT
    base = os.path.join(ROOT, "..", "shared", "testdata")
    if not os.path.isdir(base):
        if os.environ.get("CI") == "true":
            raise AssertionError(f"{base} is missing in CI")
        print("# skipped: ../shared/testdata is not beside the project")
        return
    found, read = [], 0
    for kind in ("gpx", "tcx", "fit"):
        for name in sorted(os.listdir(os.path.join(base, kind))):
            path = os.path.join(base, kind, name)
            if not os.path.isfile(path) or name.endswith(".csv"):
                continue
            st, out, _ = runcare("activity", "show", path, "--json")
            if st != 0:
                continue
            read += 1
            if json.loads(out)["track"] is not None:
                found.append(name)
    assert read >= 30
    assert not found, f"read as track sessions: {found}"
