"""platforms.py — the exports of platforms with a shape of their own, built here as the platforms write
them with real recordings from ../shared/testdata inside, imported end to end by `runcare import` and the
web upload: an Apple Health export (export.zip: apple_health_export/export.xml with its DTD, Records and
Workouts, workout-routes/*.gpx, export_cda.xml, electrocardiograms/). export.xml is streamed: a larger one
costs no more memory. Skipped without ../shared/testdata; a failure in CI."""
import io
import os
import random
import resource
import tempfile
import time
import zipfile

from exports import BASE, count, have_testdata, runner
from harness import BIN, Server, clock_now, own_server, query, runcare
from training import upload

DAY = 86400
ROUTES = ["Move_2014_01_16_19_48_44.gpx", "1292585194-20906.gpx"]  # two real recordings, as routes

DTD = """<!DOCTYPE HealthData [
<!-- HealthKit Export Version: 14 -->
<!ELEMENT HealthData (ExportDate,Me,(Record|Correlation|Workout|ActivitySummary|ClinicalRecord|Audiogram|VisionPrescription)*)>
<!ATTLIST HealthData
  locale CDATA #REQUIRED
>
<!ELEMENT ExportDate EMPTY>
<!ATTLIST ExportDate
  value CDATA #REQUIRED
>
<!ELEMENT Me EMPTY>
<!ATTLIST Me
  HKCharacteristicTypeIdentifierDateOfBirth         CDATA #REQUIRED
  HKCharacteristicTypeIdentifierBiologicalSex       CDATA #REQUIRED
>
<!ELEMENT Record ((MetadataEntry|HeartRateVariabilityMetadataList)*)>
<!ATTLIST Record
  type          CDATA #REQUIRED
  unit          CDATA #IMPLIED
  value         CDATA #IMPLIED
  sourceName    CDATA #REQUIRED
  sourceVersion CDATA #IMPLIED
  device        CDATA #IMPLIED
  creationDate  CDATA #IMPLIED
  startDate     CDATA #REQUIRED
  endDate       CDATA #REQUIRED
>
<!ELEMENT Workout ((MetadataEntry|WorkoutEvent|WorkoutRoute|WorkoutStatistics)*)>
<!ATTLIST Workout
  workoutActivityType   CDATA #REQUIRED
  duration              CDATA #IMPLIED
  durationUnit          CDATA #IMPLIED
  totalDistance         CDATA #IMPLIED
  totalDistanceUnit     CDATA #IMPLIED
  totalEnergyBurned     CDATA #IMPLIED
  totalEnergyBurnedUnit CDATA #IMPLIED
  sourceName            CDATA #REQUIRED
  sourceVersion         CDATA #IMPLIED
  device                CDATA #IMPLIED
  creationDate          CDATA #IMPLIED
  startDate             CDATA #REQUIRED
  endDate               CDATA #REQUIRED
>
<!ELEMENT WorkoutStatistics EMPTY>
<!ATTLIST WorkoutStatistics
  type                  CDATA #REQUIRED
  startDate             CDATA #REQUIRED
  endDate               CDATA #REQUIRED
  average               CDATA #IMPLIED
  minimum               CDATA #IMPLIED
  maximum               CDATA #IMPLIED
  sum                   CDATA #IMPLIED
  unit                  CDATA #IMPLIED
>
<!ELEMENT WorkoutRoute ((MetadataEntry|FileReference)*)>
<!ATTLIST WorkoutRoute
  sourceName    CDATA #REQUIRED
  sourceVersion CDATA #IMPLIED
  device        CDATA #IMPLIED
  creationDate  CDATA #IMPLIED
  startDate     CDATA #REQUIRED
  endDate       CDATA #REQUIRED
>
<!ELEMENT FileReference EMPTY>
<!ATTLIST FileReference
  path CDATA #REQUIRED
>
]>
"""

WATCH = 'sourceName="Jo’s Apple Watch" sourceVersion="10.4" device="&lt;&lt;HKDevice: 0x2829e4c80&gt;, name:Apple Watch, manufacturer:Apple Inc., model:Watch, hardware:Watch6,2, software:10.4&gt;"'


def apple_date(t, offset_h=-7):
    """Apple's date: local time and offset, "2024-05-01 07:12:03 -0700"."""
    sign = "-" if offset_h < 0 else "+"
    return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(t + offset_h * 3600)) + f" {sign}{abs(offset_h):02d}00"


def route_name(t, offset_h=-7):
    """route_2024-05-01_7.12am.gpx, in the workout's local time."""
    lt = time.gmtime(t + offset_h * 3600)
    h = lt.tm_hour % 12 or 12
    return f"route_{time.strftime('%Y-%m-%d', lt)}_{h}.{lt.tm_min:02d}{'am' if lt.tm_hour < 12 else 'pm'}.gpx"


def gpx_span(data):
    import re
    times = re.findall(rb"<time>([^<]+)</time>", data[data.index(b"<trkpt"):])
    def parse(s):
        s = s.decode()[:19]
        return int(time.mktime(time.strptime(s, "%Y-%m-%dT%H:%M:%S")) - time.timezone)
    return parse(times[0]), parse(times[-1])


def workout(kind, start, end, figures="", stats="", route=None, old_style=True, km=None, kcal=None):
    minutes = (end - start) / 60
    attrs = (f'workoutActivityType="HKWorkoutActivityType{kind}" duration="{minutes:.6f}" durationUnit="min" ')
    if old_style and km is not None:
        attrs += f'totalDistance="{km}" totalDistanceUnit="km" '
    if old_style and kcal is not None:
        attrs += f'totalEnergyBurned="{kcal}" totalEnergyBurnedUnit="kcal" '
    dates = f'creationDate="{apple_date(end + 60)}" startDate="{apple_date(start)}" endDate="{apple_date(end)}"'
    out = [f' <Workout {attrs}{WATCH} {dates}>\n',
           '  <MetadataEntry key="HKIndoorWorkout" value="0"/>\n',
           f'  <WorkoutEvent type="HKWorkoutEventTypeSegment" date="{apple_date(start)}" duration="{minutes / 2:.4f}" durationUnit="min"/>\n']
    if not old_style:
        if km is not None:
            out.append(f'  <WorkoutStatistics type="HKQuantityTypeIdentifierDistance{"Cycling" if kind == "Cycling" else "WalkingRunning"}" '
                       f'startDate="{apple_date(start)}" endDate="{apple_date(end)}" sum="{km}" unit="km"/>\n')
        if kcal is not None:
            out.append(f'  <WorkoutStatistics type="HKQuantityTypeIdentifierActiveEnergyBurned" startDate="{apple_date(start)}" '
                       f'endDate="{apple_date(end)}" sum="{kcal}" unit="kcal"/>\n')
    out.append(stats)
    if route:
        out.append(f'  <WorkoutRoute {WATCH} creationDate="{apple_date(end + 60)}" startDate="{apple_date(start)}" endDate="{apple_date(end)}">\n'
                   '   <MetadataEntry key="HKMetadataKeySyncVersion" value="2"/>\n'
                   f'   <FileReference path="/workout-routes/{route}"/>\n  </WorkoutRoute>\n')
    out.append(' </Workout>\n')
    return "".join(out)


def hr_stats(start, end, avg, mx):
    return (f'  <WorkoutStatistics type="HKQuantityTypeIdentifierHeartRate" startDate="{apple_date(start)}" '
            f'endDate="{apple_date(end)}" average="{avg}" minimum="{avg - 40}" maximum="{mx}" unit="count/min"/>\n')


def records(n, t0, seed=1):
    """n Records as the bulk of export.xml is: steps and heart rate every few minutes, values varying."""
    rnd = random.Random(seed)
    out = []
    for i in range(n):
        t = t0 + i * 180
        if i % 2:
            out.append(f' <Record type="HKQuantityTypeIdentifierStepCount" sourceName="Jo’s iPhone" sourceVersion="17.4" '
                       f'unit="count" creationDate="{apple_date(t + 7)}" startDate="{apple_date(t)}" '
                       f'endDate="{apple_date(t + 120)}" value="{rnd.randint(5, 400)}"/>\n')
        else:
            out.append(f' <Record type="HKQuantityTypeIdentifierHeartRate" {WATCH} unit="count/min" '
                       f'creationDate="{apple_date(t + 9)}" startDate="{apple_date(t)}" endDate="{apple_date(t)}" '
                       f'value="{rnd.randint(48, 180)}">\n'
                       f'  <MetadataEntry key="HKMetadataKeyHeartRateMotionContext" value="{rnd.randint(0, 2)}"/>\n </Record>\n')
    return "".join(out)


def apple_export(n_records=2000, cut_xml_at=None, extra_xml=""):
    """(export.zip bytes, what it holds): two running workouts with their real routes and heart rate, a
    run without a route (iOS before 16: figures as the workout's attributes), a ride (iOS 16 on: figures
    as WorkoutStatistics), a walk whose route file is missing, thousands of Records around them."""
    routes = []
    workouts = []
    for name in ROUTES:
        with open(os.path.join(BASE, "gpx", name), "rb") as f:
            data = f.read()
        start, end = gpx_span(data)
        rn = route_name(start)
        routes.append((rn, data))
        workouts.append(workout("Running", start, end, stats=hr_stats(start, end, 151, 178), route=rn, km=5.2, kcal=380))
    now = clock_now()
    day = now - now % DAY
    # At odd seconds: the demo runner's own sessions start on the hour.
    plain_run = day - 3 * DAY + 14 * 3600 + 7 * 60 + 13
    ride = day - 2 * DAY + 15 * 3600 + 3 * 60 + 5
    walk = day - DAY + 16 * 3600 + 11 * 60 + 41
    workouts.append(workout("Running", plain_run, plain_run + 40 * 60, stats=hr_stats(plain_run, plain_run + 2400, 147, 171),
                            km=8.05, kcal=512))
    workouts.append(workout("Cycling", ride, ride + 3600, stats=hr_stats(ride, ride + 3600, 128, 160), km=25.5, kcal=600,
                            old_style=False))
    workouts.append(workout("Walking", walk, walk + 1800, route=route_name(walk), km=2.4, kcal=110, old_style=False))
    body = [DTD, '<HealthData locale="en_US">\n', f' <ExportDate value="{apple_date(now)}"/>\n',
            ' <Me HKCharacteristicTypeIdentifierDateOfBirth="1988-04-02" HKCharacteristicTypeIdentifierBiologicalSex="HKBiologicalSexFemale"/>\n',
            records(n_records // 2, day - 30 * DAY, seed=1)]
    body += workouts
    body += [extra_xml, records(n_records - n_records // 2, day - 20 * DAY, seed=2), '</HealthData>\n']
    xml = ('<?xml version="1.0" encoding="UTF-8"?>\n' + "".join(body)).encode()
    if cut_xml_at is not None:
        xml = xml[:cut_xml_at]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("apple_health_export/export.xml", xml)
        z.writestr("apple_health_export/export_cda.xml", '<?xml version="1.0"?><ClinicalDocument xmlns="urn:hl7-org:v3"/>')
        z.writestr("apple_health_export/electrocardiograms/ecg_2024-05-01.csv", "Name,Jo\nDate of Birth,1988-04-02\n")
        for rn, data in routes:
            z.writestr(f"apple_health_export/workout-routes/{rn}", data)
    return out.getvalue(), xml


# Two routed runs, a plain run, a ride, a walk (its route missing): five activities.
APPLE_ACTIVITIES = 5


def rows(s, rid):
    return [query(s.db, f"SELECT sport || '|' || sport_kind || '|' || distance_m || '|' || duration_s || '|' || "
                        f"COALESCE(hr_avg, -1) FROM activity WHERE runner_id = {rid} ORDER BY start_at LIMIT 1 OFFSET {i}")
            for i in range(count(s, rid))]


@own_server
def test_apple_health_export_by_cli_and_web_upload():
    if not have_testdata():
        return
    s = Server()
    try:
        export, _ = apple_export()
        rid, email, _ = runner(s, "ada")
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "export.zip")
            with open(path, "wb") as f:
                f.write(export)
            st, out, err = runcare("import", path, "--runner", email, "--db", s.db, timeout=120)
            assert st == 0, (st, out, err)
            assert out.startswith(f"{APPLE_ACTIVITIES} added, 0 already there, 0 could not be read"), (out, err)
            # export_cda.xml and the electrocardiogram: named as skipped, not failures.
            assert "2 other files skipped" in out, out
            got = rows(s, rid)
            assert len(got) == APPLE_ACTIVITIES, got
            # The routed runs: points from the GPX, heart rate from the workout's statistics.
            for line in got[:2]:
                sport, kind, dist, dur, hr = line.split("|")
                assert sport == "running" and kind == "running", line
                assert int(dist) > 1000 and int(dur) > 600, line
                assert hr == "151", line
            sport, kind, dist, dur, hr = got[2].split("|")
            assert (sport, kind, dist, dur, hr) == ("running", "running", "8050", "2400", "147"), got[2]
            sport, kind, dist, dur, hr = got[3].split("|")
            assert (sport, kind, dist, dur, hr) == ("cycling", "cross", "25500", "3600", "128"), got[3]
            sport, kind, dist, dur, hr = got[4].split("|")
            assert (sport, kind, dist, dur) == ("walking", "cross", "2400", "1800"), got[4]
            src = query(s.db, f"SELECT source FROM activity WHERE runner_id = {rid} ORDER BY start_at LIMIT 1")
            assert src.startswith("apple_health_export/export.xml: Running 2010-03-21 21:55 UTC"), src
            # The energy each workout took, as the watch gave it (the attribute, or the statistic), is kept.
            kcal = [query(s.db, f"SELECT COALESCE(energy_kcal, 0) FROM activity WHERE runner_id = {rid} "
                                f"ORDER BY start_at LIMIT 1 OFFSET {k}") for k in range(5)]
            assert kcal == ["380", "380", "512", "600", "110"], kcal
            # The stored file is the workout's TCX with the route's points in it.
            tcx = query(s.db, f"SELECT length(f.data) FROM activity_file f JOIN activity a ON a.id = f.activity_id "
                              f"WHERE a.runner_id = {rid} ORDER BY a.start_at LIMIT 1")
            assert int(tcx) > 50000, tcx
            # Again: nothing stored twice.
            st, out, err = runcare("import", path, "--runner", email, "--db", s.db, timeout=120)
            assert st == 0 and out.startswith(f"0 added, {APPLE_ACTIVITIES} already there"), (out, err)
            assert count(s, rid) == APPLE_ACTIVITIES
        # The web upload, by another runner.
        rid2, _, c = runner(s, "abe")
        st, page = upload(c, [("export.zip", export)])
        assert st == 200, page[-2000:]
        assert f"{APPLE_ACTIVITIES} added, 0 already there, 0 could not be read" in page, page[-2000:]
        assert count(s, rid2) == APPLE_ACTIVITIES
        st, page = upload(c, [("export.zip", export)])
        assert st == 200 and f"0 added, {APPLE_ACTIVITIES} already there" in page, page[-2000:]
        assert count(s, rid2) == APPLE_ACTIVITIES
        # The ride's page says the energy the watch gave it.
        ride_id = query(s.db, f"SELECT id FROM activity WHERE runner_id = {rid2} AND sport = 'cycling'")
        st, _, page = c.get(f"/runners/{rid2}/activities/{ride_id}")
        assert st == 200 and "<dt>Energy</dt><dd>600 kcal" in page, page[page.find("<dl"):page.find("</dl>") + 5]
    finally:
        s.close()


def peak_rss_kb(args):
    """Runs the CLI under GNU time and returns (status, stdout, stderr, its peak resident memory in KB).
    Not this process's own wait4: Linux counts a child's peak from before its exec, which is this test's."""
    import shutil
    import subprocess
    assert shutil.which("time") or os.path.exists("/usr/bin/time"), "GNU time is not installed (deps/debian.txt lists it)"
    p = subprocess.run(["/usr/bin/time", "-f", "peak-rss-kb %M", BIN, *args], capture_output=True, text=True, timeout=300)
    err, _, last = p.stderr.rstrip("\n").rpartition("\n")
    assert last.startswith("peak-rss-kb "), p.stderr
    return p.returncode, p.stdout, err, int(last.split()[1])


@own_server
def test_apple_health_export_xml_is_streamed_memory_flat():
    if not have_testdata():
        return
    # Under AddressSanitizer, freed memory waits in a quarantine (up to 256 MB) that would count as growth.
    asan = (os.environ.get("ASAN_OPTIONS", "") + ":quarantine_size_mb=1").lstrip(":")
    s = Server(env={"ASAN_OPTIONS": asan})
    try:
        rid, email, _ = runner(s, "max")
        small, _ = apple_export(n_records=2000)
        big, xml = apple_export(n_records=100000)  # export.xml of tens of MB, nearly all Records
        assert len(xml) > 30 * 1000 * 1000, len(xml)
        with tempfile.TemporaryDirectory() as d:
            rss = []
            for i, data in enumerate((small, big)):
                path = os.path.join(d, f"export{i}.zip")
                with open(path, "wb") as f:
                    f.write(data)
                st, out, err, kb = peak_rss_kb(["import", path, "--runner", email, "--db", s.db])
                assert st == 0, (st, out, err)
                rss.append(kb)
            # The larger export.xml (40 MB more) costs no more than a few MB more: it is never held whole.
            print(f"# peak RSS of runcare import: {rss[0]} KB with a {len(small) // 1000} KB export, {rss[1]} KB with {len(big) // 1000} KB ({len(xml) // 1000000} MB export.xml)")
            assert rss[1] - rss[0] < 8 * 1024, rss
            assert count(s, rid) == APPLE_ACTIVITIES
            # Unzipped: export.xml alone is read the same way (its workouts without their routes).
            xml_path = os.path.join(d, "export.xml")
            with open(xml_path, "wb") as f:
                f.write(xml)
            st, out, err, kb = peak_rss_kb(["import", xml_path, "--runner", email, "--db", s.db])
            assert st == 0 and out.startswith(f"0 added, {APPLE_ACTIVITIES} already there"), (out, err)
            assert kb - rss[0] < 8 * 1024, (kb, rss)
        # The server: its worker reads the uploaded export.zip's export.xml a block at a time too.
        def hwm_kb():
            with open(f"/proc/{s.proc.pid}/status") as f:
                return int(next(line for line in f if line.startswith("VmHWM:")).split()[1])
        _, _, c1 = runner(s, "sam")
        st, page = upload(c1, [("export.zip", small)])
        assert st == 200 and f"{APPLE_ACTIVITIES} added" in page, page[-2000:]
        before = hwm_kb()
        _, _, c2 = runner(s, "bea")
        st, page = upload(c2, [("export.zip", big)])
        assert st == 200 and f"{APPLE_ACTIVITIES} added" in page, page[-2000:]
        after = hwm_kb()
        print(f"# the server's peak memory: {before} KB after a small export, {after} KB after the "
              f"{len(xml) // 1000000} MB export.xml")
        assert after - before < 16 * 1024, (before, after)  # the upload itself passes through a few copies
    finally:
        s.close()


LAUGHS = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE HealthData [
<!ENTITY lol "lol">
<!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
<!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
<!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
<!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<HealthData locale="en_US">
 <Workout workoutActivityType="HKWorkoutActivityTypeRunning" duration="30" durationUnit="min" sourceName="&lol9;"
  startDate="2024-05-01 07:00:00 -0700" endDate="2024-05-01 07:30:00 -0700"/>
</HealthData>
"""


@own_server
def test_apple_health_bad_input_is_named_and_keeps_what_came_before():
    if not have_testdata():
        return
    s = Server()
    try:
        rid, email, c = runner(s, "tru")
        export, xml = apple_export()
        # export.xml cut short inside the plain run's workout (as a phone that ran out of room): the two
        # routed runs before it are kept, the cut is named with its line, the exit status says so.
        cut_at = xml.index(b"HKWorkoutActivityTypeRunning", xml.index(b"HKWorkoutActivityTypeRunning") + 100)
        cut_at = xml.index(b"HKWorkoutActivityTypeRunning", cut_at + 10) + 200
        cut, _ = apple_export(cut_xml_at=cut_at)
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "export.zip")
            with open(path, "wb") as f:
                f.write(cut)
            st, out, err = runcare("import", path, "--runner", email, "--db", s.db, timeout=120)
            assert st == 2, (st, out, err)
            assert out.startswith("2 added, 0 already there, 1 could not be read"), (out, err)
            assert "apple_health_export/export.xml: the file is damaged at line" in err, err
            assert count(s, rid) == 2
            # The whole export afterwards: the rest is added, nothing twice.
            with open(path, "wb") as f:
                f.write(export)
            st, out, err = runcare("import", path, "--runner", email, "--db", s.db, timeout=120)
            assert st == 0 and out.startswith(f"{APPLE_ACTIVITIES - 2} added, 2 already there"), (out, err)
            # export.zip cut short inside the second route (a download that stopped): every workout of the
            # export.xml before the cut is read, the first route joined to its run, the cut named.
            rid_cut, email_cut, _ = runner(s, "cutty")
            with zipfile.ZipFile(io.BytesIO(export)) as z:
                second = [i for i in z.infolist() if "workout-routes/" in i.filename][1]
            cut_zip = os.path.join(d, "export-cut.zip")
            with open(cut_zip, "wb") as f:
                f.write(export[:second.header_offset + 2000])
            st, out, err = runcare("import", cut_zip, "--runner", email_cut, "--db", s.db, timeout=120)
            assert st == 2, (st, out, err)
            assert out.startswith(f"{APPLE_ACTIVITIES} added, 0 already there, 2 could not be read"), (out, err)
            assert f"{cut_zip}: the archive is cut short" in err, err
            assert "workout-routes/route_2010-03-21_2.55pm.gpx: damaged inside the archive" in err, err
            sizes = [int(query(s.db, f"SELECT length(f.data) FROM activity_file f JOIN activity a ON a.id = f.activity_id "
                                     f"WHERE a.runner_id = {rid_cut} ORDER BY a.start_at LIMIT 1 OFFSET {i}")) for i in range(2)]
            assert sizes[1] > 50000 and sizes[0] < 50000, sizes  # 2014's run has its route; 2010's its figures
            # Billion laughs in the DTD: refused by name, in well under a second and a few MB.
            bomb = os.path.join(d, "laughs.zip")
            with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as z:
                z.writestr("apple_health_export/export.xml", LAUGHS)
            t0 = time.monotonic()
            st, out, err, kb = peak_rss_kb(["import", bomb, "--runner", email, "--db", s.db])
            assert time.monotonic() - t0 < 5, "the entities were expanded"
            assert st == 2, (st, out, err)
            assert "declares XML entities" in err and "apple_health_export/export.xml" in err, err
            assert out.startswith("0 added, 0 already there, 1 could not be read"), out
        # The web upload names the damage on the job's report.
        st, page = upload(c, [("export.zip", cut)])
        assert st == 200, page[-2000:]
        assert "apple_health_export/export.xml" in page and "damaged at line" in page, page[-3000:]
    finally:
        s.close()


# --- Polar Flow ---------------------------------------------------------------------------------

def gpx_points(data):
    """(unix time, lat, lon, ele) of each point of a real GPX file."""
    import re
    out = []
    for m in re.finditer(rb'<trkpt([^>]*)>(.*?)</trkpt>', data, re.S):
        lat = float(re.search(rb'lat="([^"]+)"', m.group(1)).group(1))
        lon = float(re.search(rb'lon="([^"]+)"', m.group(1)).group(1))
        ele = re.search(rb"<ele>([^<]+)</ele>", m.group(2))
        t = re.search(rb"<time>([^<]+)</time>", m.group(2)).group(1).decode()[:19]
        out.append((int(time.mktime(time.strptime(t, "%Y-%m-%dT%H:%M:%S")) - time.timezone), lat, lon,
                    float(ele.group(1)) if ele else None))
    return out


def polar_local(t, offset_min):
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(t + offset_min * 60)) + ".000"


def polar_session(sport, start, seconds, offset_min=120, km=None, points=None, hr=None):
    """A training session's JSON as Polar Flow's export writes it."""
    import json
    ex = {"startTime": polar_local(start, offset_min), "stopTime": polar_local(start + seconds, offset_min),
          "timezoneOffset": offset_min, "duration": f"PT{seconds}.250S", "sport": sport, "kiloCalories": 420,
          "heartRate": {"min": 90, "avg": hr or 0, "max": (hr or 0) + 25} if hr else {},
          "zones": {}, "samples": {}}
    if km is not None:
        ex["distance"] = km * 1000
    if hr:
        ex["samples"]["heartRate"] = [{"dateTime": polar_local(start + i, offset_min), "value": hr + (i % 7)}
                                      for i in range(0, seconds, 1)]
    if points:
        t0 = points[0][0]
        ex["routes"] = {"route": {"startTime": polar_local(t0, offset_min), "wayPoints": [
            {"altitude": ele if ele is not None else 0, "elapsedMillis": (t - t0) * 1000, "latitude": lat, "longitude": lon}
            for t, lat, lon, ele in points]}}
    return json.dumps({"exportVersion": "1.6", "name": sport.title(), "deviceId": "A1B2C3D4",
                       "startTime": ex["startTime"], "stopTime": ex["stopTime"], "duration": ex["duration"],
                       "exercises": [ex]}).encode()


def polar_export():
    """(export zip, the number of activities in it): a GPS run made of a real recording with its heart rate,
    a treadmill run with heart rate and no route, a ride with figures alone, and Polar's other files."""
    with open(os.path.join(BASE, "gpx", ROUTES[0]), "rb") as f:
        pts = gpx_points(f.read())
    run_start, run_s = pts[0][0], pts[-1][0] - pts[0][0]
    now = clock_now()
    day = now - now % DAY
    sessions = [
        (f"training-session-{time.strftime('%Y-%m-%d', time.gmtime(run_start))}-3465981745-6a7b2c1d-0e9f-4a3b-8c7d-5e6f7a8b9c0d.json",
         polar_session("RUNNING", run_start, run_s, points=pts, hr=140)),
        ("training-session-treadmill-7012345678-1f0e2d3c-4b5a-6978-8796-a5b4c3d2e1f0.json",
         polar_session("TREADMILL_RUNNING", day - 4 * DAY + 6 * 3600, 1800, km=5.0, hr=150)),
        ("training-session-ride-7012345679-2f0e2d3c-4b5a-6978-8796-a5b4c3d2e1f0.json",
         polar_session("ROAD_BIKING", day - 5 * DAY + 8 * 3600, 3600, km=30.0)),
    ]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("account-data-6a7b2c1d.json", '{"username": "runner@example.org"}')
        z.writestr("activity-2024-05-01-6a7b2c1d.json", '{"date": "2024-05-01", "samples": {}}')
        for name, data in sessions:
            z.writestr(name, data)
    return out.getvalue(), len(sessions)


@own_server
def test_polar_flow_export_by_cli_and_web_upload():
    if not have_testdata():
        return
    s = Server()
    try:
        export, n = polar_export()
        rid, email, _ = runner(s, "pia")
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "polar-user-data-export_6a7b2c1d.zip")
            with open(path, "wb") as f:
                f.write(export)
            st, out, err = runcare("import", path, "--runner", email, "--db", s.db, timeout=120)
            assert st == 0, (st, out, err)
            assert out.startswith(f"{n} added, 0 already there, 0 could not be read"), (out, err)
            assert "2 other files skipped" in out, out
            got = rows(s, rid)
            sport, kind, dist, dur, hr = got[0].split("|")  # the GPS run, in 2014
            assert (sport, kind) == ("running", "running") and int(dist) > 3000 and int(hr) >= 140, got[0]
            by_sport = {line.split("|")[0]: line.split("|") for line in got}
            tm = by_sport["treadmill running"]
            assert tm[1] == "running" and tm[3] in ("1799", "1800") and 4990 <= int(tm[2]) <= 5000 and 150 <= int(tm[4]) <= 156, tm
            ride = by_sport["road biking"]
            assert ride[1] == "cross" and ride[2] == "30000" and ride[3] == "3600", ride
            st, out, err = runcare("import", path, "--runner", email, "--db", s.db, timeout=120)
            assert st == 0 and out.startswith(f"0 added, {n} already there"), (out, err)
            # A session of the wrong shape among the others: named, the others kept.
            bad = os.path.join(d, "polar-bad.zip")
            with zipfile.ZipFile(io.BytesIO(export)) as src, zipfile.ZipFile(bad, "w") as z:
                for info in src.infolist():
                    z.writestr(info, src.read(info))
                z.writestr("training-session-2024-05-09-1-x.json", '{"exportVersion": "1.6", "exercises": {"sport": "RUNNING"}}')
                z.writestr("training-session-2024-05-10-2-y.json", '[1, 2, 3')
            st, out, err = runcare("import", bad, "--runner", email, "--db", s.db, timeout=120)
            assert st == 2 and out.startswith(f"0 added, {n} already there, 2 could not be read"), (out, err)
            assert "training-session-2024-05-09-1-x.json: not the shape of a Polar Flow training session" in err, err
            assert "training-session-2024-05-10-2-y.json: not readable JSON" in err, err
            # Cut short after the first session: it is read, the cut named.
            rid_cut, email_cut, _ = runner(s, "pcut")
            with zipfile.ZipFile(io.BytesIO(export)) as z:
                sessions = [i for i in z.infolist() if i.filename.startswith("training-session-")]
            cut = os.path.join(d, "polar-user-data-export_6a7b2c1d.zip")
            with open(cut, "wb") as f:
                f.write(export[:sessions[1].header_offset + 100])
            st, out, err = runcare("import", cut, "--runner", email_cut, "--db", s.db, timeout=120)
            assert st == 2 and out.startswith("1 added, 0 already there, 1 could not be read"), (out, err)
            assert f"{cut}: the archive is cut short" in err, err
            # Unzipped, as a folder: the same sessions, nothing twice; Polar's other files skipped.
            folder = os.path.join(d, "polar-user-data-export")
            with zipfile.ZipFile(io.BytesIO(export)) as z:
                z.extractall(folder)
            st, out, err = runcare("import", folder, "--runner", email, "--db", s.db, timeout=120)
            assert st == 0 and out.startswith(f"0 added, {n} already there, 0 could not be read"), (out, err)
            assert "account-data-6a7b2c1d.json: skipped: not a training file" in err, err
        rid2, _, c = runner(s, "pol")
        st, page = upload(c, [("polar-user-data-export.zip", export)])
        assert st == 200 and f"{n} added, 0 already there, 0 could not be read" in page, page[-2000:]
        assert count(s, rid2) == n
        # One session's file on its own (as saved from Polar Flow), by another runner.
        rid3, _, c3 = runner(s, "pat")
        with zipfile.ZipFile(io.BytesIO(export)) as z:
            one = next(i for i in z.namelist() if "treadmill" in i)
            st, page = upload(c3, [(one, z.read(one))])
        assert st == 200 and "1 added, 0 already there, 0 could not be read" in page, page[-2000:]
        assert count(s, rid3) == 1
    finally:
        s.close()


# --- any other watch: folders and zips of FIT, GPX and TCX; exports runcare does not read ---------

def real(kind, name):
    with open(os.path.join(BASE, kind, name), "rb") as f:
        return f.read()


@own_server
def test_a_folder_and_a_mixed_zip_from_any_watch():
    if not have_testdata():
        return
    s = Server()
    try:
        rid, email, c = runner(s, "fox")
        tcx = sorted(os.listdir(os.path.join(BASE, "tcx")))
        tcx_name = next(n for n in tcx if n.endswith(".tcx"))
        with tempfile.TemporaryDirectory() as d, tempfile.TemporaryDirectory() as outside:
            root = os.path.join(d, "watch")
            os.makedirs(os.path.join(root, "2014", "01"))
            with open(os.path.join(root, "2014", "01", "Move_2014_01_16_19_48_44.gpx"), "wb") as f:
                f.write(real("gpx", "Move_2014_01_16_19_48_44.gpx"))
            with open(os.path.join(root, "garmin-fenix-5-run.fit"), "wb") as f:
                f.write(real("fit", "garmin-fenix-5-run.fit"))
            with open(os.path.join(root, tcx_name), "wb") as f:
                f.write(real("tcx", tcx_name))
            with open(os.path.join(root, "notes.txt"), "w") as f:
                f.write("long run felt good\n")
            with open(os.path.join(root, "Settings.fit"), "wb") as f:
                f.write(real("fit", "Settings.fit"))
            # A link out of the folder, to a training file: not followed.
            with open(os.path.join(outside, "elsewhere.fit"), "wb") as f:
                f.write(real("fit", "garmin-fenix-5-walk.fit"))
            os.symlink(outside, os.path.join(root, "escape"))
            os.symlink(os.path.join(outside, "elsewhere.fit"), os.path.join(root, "linked.fit"))
            # Folders nested deeper than runcare walks.
            deep = os.path.join(root, *[f"d{i}" for i in range(18)])
            os.makedirs(deep)
            with open(os.path.join(deep, "deep.fit"), "wb") as f:
                f.write(real("fit", "garmin-fenix-5-bike.fit"))
            st, out, err = runcare("import", root, "--runner", email, "--db", s.db, timeout=120)
            assert out.startswith("3 added, 0 already there, 1 could not be read"), (out, err)  # Settings.fit
            assert st == 2, (st, out, err)
            assert f"{root}/notes.txt: skipped: not a training file" in err, err
            assert f"{root}/escape: skipped: a symbolic link: not followed" in err, err
            assert f"{root}/linked.fit: skipped: a symbolic link" in err, err
            assert "skipped: a folder nested more than 16 deep" in err, err
            assert "Settings.fit" in err, err
            assert count(s, rid) == 3
            st, out, err = runcare("import", root, "--runner", email, "--db", s.db, timeout=120)
            assert out.startswith("0 added, 3 already there"), (out, err)
        # A zip of mixed files from a watch, uploaded: the activities added, the rest named as skipped.
        rid2, _, c2 = runner(s, "fay")
        mixed = io.BytesIO()
        with zipfile.ZipFile(mixed, "w", compression=zipfile.ZIP_DEFLATED) as z:
            z.writestr("COROS/run.fit", real("fit", "garmin-fenix-5-run.fit"))
            z.writestr("COROS/track.gpx", real("gpx", "Move_2014_01_16_19_48_44.gpx"))
            z.writestr(f"COROS/{tcx_name}", real("tcx", tcx_name))
            z.writestr("COROS/readme.txt", "exported by the watch's app")
        st, page = upload(c2, [("watch.zip", mixed.getvalue())])
        assert st == 200 and "3 added, 0 already there, 0 could not be read" in page, page[-2000:]
        assert "1 other file" in page, page[-3000:]
        assert count(s, rid2) == 3
    finally:
        s.close()


@own_server
def test_exports_runcare_does_not_read_and_odd_names():
    if not have_testdata():
        return
    s = Server()
    try:
        rid, email, c = runner(s, "oda")
        fitbit = io.BytesIO()
        with zipfile.ZipFile(fitbit, "w") as z:
            z.writestr("MyFitbitData/JoRunner/Physical Activity/exercise-0.json", '[{"logId": 1, "activityName": "Run"}]')
            z.writestr("MyFitbitData/JoRunner/Sleep/sleep-2024-05-01.json", "[]")
        takeout = io.BytesIO()
        with zipfile.ZipFile(takeout, "w") as z:
            z.writestr("Takeout/archive_browser.html", "<html></html>")
            z.writestr("Takeout/Fit/Daily activity metrics/2024-05-01.csv", "Start time,End time\n")
        with tempfile.TemporaryDirectory() as d:
            for name, data, what in (("MyFitbitData.zip", fitbit.getvalue(), "a Fitbit account export"),
                                     ("takeout-20240501T000000Z-001.zip", takeout.getvalue(), "a Google Takeout export")):
                path = os.path.join(d, name)
                with open(path, "wb") as f:
                    f.write(data)
                st, out, err = runcare("import", path, "--runner", email, "--db", s.db, timeout=60)
                assert st == 2 and out.startswith("0 added, 0 already there, 1 could not be read"), (out, err)
                assert f"{path}: this looks like {what}, which runcare does not read yet" in err, err
        st, page = upload(c, [("MyFitbitData.zip", fitbit.getvalue())])
        assert st == 200 and "this looks like a Fitbit account export, which runcare does not read yet" in page, page[-2000:]
        # Names in an odd encoding (a zip written without the UTF-8 flag, in Latin-1): stored as valid UTF-8,
        # on the activity and in the report of a file that could not be read.
        odd = io.BytesIO()
        with zipfile.ZipFile(odd, "w") as z:
            z.writestr("placeholder-run.fit", real("fit", "garmin-fenix-5-run.fit"))
            z.writestr("placeholder-bad.gpx", b"<gpx version=\"1.1\"><trk><trkseg><trkpt lat=\"1\" lon=\"2\"><time>x")
        run_name, bad_name = b"Course \xe0 pied_1", b"S\xe9ance rat\xe9e_x2"  # as long as the placeholders
        assert len(run_name) == len(b"placeholder-run") and len(bad_name) == len(b"placeholder-bad")
        raw = odd.getvalue().replace(b"placeholder-run", run_name).replace(b"placeholder-bad", bad_name)
        st, page = upload(c, [("odd.zip", raw)])
        assert st == 200 and "1 added, 0 already there, 1 could not be read" in page, page[-2000:]
        src = query(s.db, f"SELECT source FROM activity WHERE runner_id = {rid}")
        assert src.startswith("Course ") and src.endswith(" pied_1.fit"), src
        src.encode("utf-8")
        assert "ance rat" in page and "e_x2.gpx" in page, page[-2000:]
    finally:
        s.close()
