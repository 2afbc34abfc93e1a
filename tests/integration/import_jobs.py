"""import_jobs.py — training uploads are read off the request threads: the upload answers at once with a
redirect to its import job, whose page follows the worker to the report; a zip bomb costs the worker a
megabyte or two and never a request thread; jobs are per runner, limited, claimed once across
processes, taken again after a dead process's lease, and put back on a clean stop."""
import base64
import gzip
import io
import os
import re
import signal
import struct
import threading
import time
import zipfile
import zlib

from harness import Client, Server, add_user, own_server, query
from training import DAY, follow_job, post_upload, road, track, upload

MIB = 1 << 20
PW = "import jobs pass 1"
_zeros = {}


def bomb_zip(noise_bytes, bombs, bomb_bytes):
    """The finding's zip: an entry deflate cannot shrink, then `bombs` entries of bomb_bytes zeros each,
    written by hand so the zeros are compressed once (zipfile would deflate every copy)."""
    if bomb_bytes not in _zeros:
        c = zlib.compressobj(9, zlib.DEFLATED, -15)
        chunk = b"\0" * MIB
        parts = [c.compress(chunk) for _ in range(bomb_bytes // MIB)] + [c.flush()]
        crc = 0
        for _ in range(bomb_bytes // MIB):
            crc = zlib.crc32(chunk, crc)
        _zeros[bomb_bytes] = (b"".join(parts), crc)
    comp, crc = _zeros[bomb_bytes]
    noise = os.urandom(noise_bytes)
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    entries = [("activities/noise.fit", c.compress(noise) + c.flush(), zlib.crc32(noise), len(noise))]
    entries += [(f"activities/run-{i:03d}.gpx", comp, crc, bomb_bytes) for i in range(bombs)]
    out, cd = io.BytesIO(), []
    for name, data, c32, size in entries:
        at = out.tell()
        n = name.encode()
        out.write(struct.pack("<IHHHHHIIIHH", 0x04034b50, 20, 0, 8, 0, 0x21, c32, len(data), size, len(n), 0) + n)
        out.write(data)
        cd.append(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014b50, 20, 20, 0, 8, 0, 0x21, c32, len(data), size, len(n),
                              0, 0, 0, 0, 0, at) + n)
    start = out.tell()
    for rec in cd:
        out.write(rec)
    out.write(struct.pack("<IHHHHIIH", 0x06054b50, 0, 0, len(cd), len(cd), out.tell() - start, start, 0))
    return out.getvalue()


def tidy(page):
    import shutil
    import subprocess
    assert shutil.which("tidy"), "tidy is not installed (deps/debian.txt lists it)"
    p = subprocess.run(["tidy", "-q", "-errors", "--show-warnings", "no"], input=page, capture_output=True, text=True)
    assert p.returncode < 2, p.stderr


def runner(s, name):
    email = f"{name}@example.org"
    rid = add_user(s, "runner", email, PW, name.capitalize() + " Runner")
    c = Client(s).sign_in(email, PW)
    c.runner_id = rid
    return rid, c


def job_of(location):
    return int(location.rsplit("/", 1)[1])


def job(s, jid, column):
    return query(s.db, f"SELECT {column} FROM import_job WHERE id = {jid}")


def many_runs(n, now):
    """A zip of n short road runs a day apart: a job that takes the worker a while."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for i in range(n):
            z.writestr(f"activities/{i}.gpx", road(now - (i + 1) * DAY // 4, 3))
    return out.getvalue()


@own_server
def test_an_upload_answers_at_once_and_its_page_follows_the_job_to_the_report():
    s = Server()
    try:
        rid, a = runner(s, "ann")
        _, b = runner(s, "ben")
        pid = add_user(s, "practitioner", "doc@example.org", PW, "Dora Doc")
        add_user(s, "front_desk", "desk@example.org", PW, "Dan Desk")
        now = int(time.time())
        files = [("session.gpx", track(now - DAY, 12)), ("session2.gpx", track(now - 3 * DAY, 12)),
                 ("photo.jpg", b"\xff\xd8\xff\xe0 not a training file")]
        t0 = time.monotonic()
        st, h, _ = post_upload(a, files)
        assert st == 303 and re.fullmatch(r"/training/imports/\d+", h["location"]), (st, h)
        assert time.monotonic() - t0 < 5
        where = h["location"]
        jid = job_of(where)
        st, page = follow_job(a, where)
        assert st == 200 and "2 added, 0 already there, 1 could not be read" in page, page[-2000:]
        assert "photo.jpg" in page and "not a training file" in page
        assert job(s, jid, "state") == "done" and job(s, jid, "files_added") == "2"
        assert query(s.db, "SELECT COUNT(*) FROM import_job_part") == "0", "the uploaded bytes are deleted once read"
        assert query(s.db, f"SELECT COUNT(*) FROM activity WHERE runner_id = {rid}") == "2"
        tidy(page)
        st, _, mine = a.get(f"/runners/{rid}/training")
        assert st == 200 and f'href="{where}"' in mine and "2 added, 0 already there, 1 could not be read" in mine
        # The same again: already there.
        st, page = upload(a, files[:1])
        assert st == 200 and "0 added, 1 already there" in page, page[-1500:]
        # Who may read the job's page: the runner and the clinicians (audited); the front desk may not
        # (training is clinical); another runner finds nothing there, as for a job that does not exist.
        st, _, page = b.get(where)
        assert st == 404 and "photo.jpg" not in page
        st, _, _ = a.get("/training/imports/999999")
        assert st == 404
        st, _, _ = a.get("/training/imports/x")
        assert st == 404
        st, _, _ = Client(s).get(where)
        assert st == 303
        st, _, page = Client(s).sign_in("doc@example.org", PW).get(where)
        assert st == 200 and "photo.jpg" in page and f"/runners/{rid}/training" in page
        assert query(s.db, f"SELECT COUNT(*) FROM audit_log WHERE action = 'training.import.view' AND "
                           f"actor_id = {pid} AND runner_id = {rid}") == "1"
        st, _, _ = Client(s).sign_in("desk@example.org", PW).get(where)
        assert st == 403
        st, _, _ = Client(s).sign_in("doc@example.org", PW).get("/training/imports/999999")
        assert st == 404
        # A GET never writes: reading the page again changes no job.
        before = query(s.db, f"SELECT lease_until || state || files_seen || bytes_done FROM import_job WHERE id = {jid}")
        a.get(where)
        assert query(s.db, f"SELECT lease_until || state || files_seen || bytes_done FROM import_job "
                           f"WHERE id = {jid}") == before
        # An upload with no file: 422 with the sentence, no job.
        jobs = query(s.db, "SELECT COUNT(*) FROM import_job")
        st, _, page = post_upload(a, [])
        assert st == 422 and "Choose at least one file" in page
        assert query(s.db, "SELECT COUNT(*) FROM import_job") == jobs
    finally:
        s.close()


@own_server
def test_the_job_page_lists_each_file_that_could_not_be_read_with_the_reason():
    s = Server()
    try:
        _, a = runner(s, "cara")
        now = int(time.time())
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as z:
            z.writestr("activities/good.gpx", road(now - 2 * DAY, 10))
            z.writestr("activities/future.gpx", road(now + 400 * DAY, 5))
            z.writestr("activities/notes.gpx", "<gpx>no times here</gpx>")
            # The same start as good.gpx to the second, the same sport, twice as long: one recording read twice
            # (a runner has one activity a start second), named as already there.
            z.writestr("activities/same-start.gpx", road(now - 2 * DAY, 20))
            z.writestr("activities/zeros.gpx", b"\0" * (40 * MIB))
            z.writestr("activities/after.gpx", road(now - 3 * DAY, 10))
        st, page = upload(a, [("export.zip", out.getvalue()), ("long.gpx.gz", gzip.compress(road(now - DAY, 20)))])
        assert st == 200, page[-2000:]
        assert "2 added, 1 already there, 3 could not be read" in page, page[-2000:]
        problems = re.findall(r"<li><strong>([^<]+)</strong>: ([^<]+)</li>", page)
        why = dict(problems)
        assert "future" in why["activities/future.gpx"], problems
        assert "already imported from activities/good.gpx" in why["activities/same-start.gpx"], problems
        assert "no times" in why["activities/notes.gpx"] or "not a training file" in why["activities/notes.gpx"]
        assert why["activities/zeros.gpx"] == "expands more than 100-fold: refused as a decompression bomb", problems
        assert "activities/after.gpx" not in why, "the rest of an archive with a bomb is not read"
        assert "long.gpx.gz" not in why
        # The first 50 are listed; the count above is whole, and the page says so in plain text.
        files = [(f"x{i}.txt", b"not a run") for i in range(60)]
        st, page = upload(a, files)
        assert "0 added, 0 already there, 60 could not be read" in page
        assert page.count("<li><strong>x") == 50
        assert "<p>The first 50 of the 60 files that could not be read are listed.</p>" in page, page[-800:]
    finally:
        s.close()


@own_server
def test_bomb_uploads_cost_the_worker_a_megabyte_and_the_site_keeps_answering():
    """The finding, scaled for make test (tests/attack/zip_bomb.py has it at full size): 1 MiB that does
    not compress, then 20 bombs of 32 MiB (before, each expanded whole: 641 MiB; and it was read on a
    request thread, which the upload's answer waited for). Two runners upload one each while a third's
    honest export keeps the worker busy; the site answers a page and a sign-in meanwhile."""
    s = Server()
    try:
        _, a = runner(s, "dee")
        _, b = runner(s, "eli")
        _, c = runner(s, "fay")
        bomb = bomb_zip(MIB, 20, 32 * MIB)
        assert len(bomb) < 2 * MIB
        honest = many_runs(300, int(time.time()))
        st, h, _ = post_upload(c, [("export.zip", honest)])
        assert st == 303
        busy = job_of(h["location"])
        answers = {}

        def send(who, cl):
            t0 = time.monotonic()
            answers[who] = post_upload(cl, [("bomb.zip", bomb)]) + (time.monotonic() - t0,)

        threads = [threading.Thread(target=send, args=(w, cl)) for w, cl in (("a", a), ("b", b))]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        for who in ("a", "b"):
            st, h, _, took = answers[who]
            assert st == 303, (who, st)
            assert took < 10, f"the upload's answer took {took:.1f} s"
        # While jobs are open, the site answers.
        assert job(s, busy, "state") in ("queued", "running")
        for _ in range(3):
            t0 = time.monotonic()
            assert Client(s).get("/")[0] == 200
            Client(s).sign_in("fay@example.org", PW)
            assert time.monotonic() - t0 < 5
        for who, cl in (("a", a), ("b", b)):
            loc = answers[who][1]["location"]
            st, page = follow_job(cl, loc, timeout=300)
            assert st == 200 and "0 added, 0 already there, 1 could not be read" in page, page[-1500:]
            assert "run-000.gpx</strong>: expands more than 100-fold" in page
            assert "run-001.gpx" not in page
            expanded = int(job(s, job_of(loc), "bytes_expanded"))
            assert expanded <= MIB + MIB + 512 * 1024, f"{expanded} bytes expanded for a bomb"
        st, page = follow_job(c, f"/training/imports/{busy}", timeout=600)
        assert "300 added" in page, page[-1500:]
    finally:
        s.close()


@own_server
def test_a_runner_may_have_three_jobs_open_then_429():
    s = Server()
    try:
        rid, a = runner(s, "gil")
        now = int(time.time())
        # Three jobs another worker holds (their leases run for an hour): open, not this worker's to take.
        for _ in range(3):
            query(s.db, "INSERT INTO import_job (runner_id, state, bytes_total, created_at, lease_until, attempts) "
                        f"VALUES ({rid}, 'running', 10, {now}, {now + 3600}, 1) RETURNING id")
        st, h, page = post_upload(a, [("a.gpx", road(now - DAY, 5))])
        assert st == 429 and h.get("retry-after") == "30", (st, h)
        assert "You already have 3 uploads waiting to be read" in page
        assert query(s.db, f"SELECT COUNT(*) FROM import_job WHERE runner_id = {rid}") == "3"
        # Another runner is not held up by them.
        _, b = runner(s, "hal")
        assert post_upload(b, [("b.gpx", road(now - DAY, 5))])[0] == 303
        query(s.db, f"UPDATE import_job SET state = 'done' WHERE runner_id = {rid} RETURNING id")
        st, h, _ = post_upload(a, [("a.gpx", road(now - DAY, 5))])
        assert st == 303
        st, page = follow_job(a, h["location"])
        assert "1 added" in page
    finally:
        s.close()


def insert_job(s, rid, files, state="running", lease=0, attempts=1, seen=0, added=0):
    """A job as a process that died would have left it, with its files. Written held (a lease an hour
    long) and given its own lease last, so the running worker never sees half of it."""
    now = int(time.time())
    total = sum(len(d) for _, d in files)
    jid = query(s.db, "INSERT INTO import_job (runner_id, state, bytes_total, created_at, started_at, lease_until, "
                      f"attempts, files_seen, files_added) VALUES ({rid}, '{state}', {total}, {now}, {now}, "
                      f"{now + 3600}, {attempts}, {seen}, {added}) RETURNING id")
    for name, data in files:
        fid = query(s.db, f"INSERT INTO import_job_file (job_id, name, size) VALUES ({jid}, '{name}', {len(data)}) "
                          "RETURNING id")
        for at in range(0, len(data), MIB):
            text = base64.b64encode(data[at:at + MIB]).decode()
            query(s.db, f"INSERT INTO import_job_part (file_id, data) VALUES ({fid}, '{text}') RETURNING id")
    query(s.db, f"UPDATE import_job SET lease_until = {lease} WHERE id = {jid} RETURNING id")
    return int(jid)


def wait_state(s, jid, states, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        st = job(s, jid, "state")
        if st in states:
            return st
        time.sleep(0.1)
    raise AssertionError(f"job {jid} still {job(s, jid, 'state')}")


@own_server
def test_a_job_left_running_by_a_dead_process_is_taken_again_after_its_lease():
    s = Server()
    try:
        rid, a = runner(s, "ida")
        now = int(time.time())
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as z:
            z.writestr("first.gpx", road(now - 2 * DAY, 5))
            z.writestr("second.gpx", road(now - 3 * DAY, 5))
        data = out.getvalue()
        # Its lease is still running: nobody takes it.
        held = insert_job(s, rid, [("held.zip", data)], lease=now + 3600)
        # Its lease ran out: taken again; the first file was counted (with its activity) before the
        # process died, so only the second is read now.
        dead = insert_job(s, rid, [("export.zip", data)], lease=now - 1, seen=1, added=1)
        # Its workers died three times: failed, with a sentence, its bytes deleted.
        cursed = insert_job(s, rid, [("cursed.zip", data)], lease=now - 1, attempts=3)
        assert wait_state(s, dead, ("done", "failed")) == "done"
        assert job(s, dead, "files_seen") == "2" and job(s, dead, "files_added") == "2"
        assert job(s, dead, "attempts") == "2"
        assert query(s.db, f"SELECT source FROM activity WHERE runner_id = {rid}") == "second.gpx"
        assert wait_state(s, cursed, ("done", "failed")) == "failed"
        st, _, page = a.get(f"/training/imports/{cursed}")
        assert st == 200 and "stopped before it finished three times" in page, page[-1500:]
        assert query(s.db, "SELECT COUNT(*) FROM import_job_part p JOIN import_job_file f ON f.id = p.file_id "
                           f"WHERE f.job_id IN ({dead}, {cursed})") == "0"
        time.sleep(1)
        assert job(s, held, "state") == "running" and job(s, held, "attempts") == "1"
        st, h, page = a.get(f"/training/imports/{held}")
        assert st == 200 and h["refresh"] == "2" and "<progress" in page and "Reading: 0 training files" in page
        tidy(page)
    finally:
        s.close()


@own_server
def test_sigterm_puts_the_job_back_and_the_next_start_goes_on_where_it_stopped():
    s = Server()
    s2 = None
    try:
        rid, a = runner(s, "jo")
        n = 600
        st, h, _ = post_upload(a, [("export.zip", many_runs(n, int(time.time())))])
        assert st == 303
        jid = job_of(h["location"])
        deadline = time.time() + 120
        while int(job(s, jid, "files_seen")) < 5 and time.time() < deadline:
            time.sleep(0.05)
        assert job(s, jid, "state") == "running", "the job ended before the test could stop it"
        t0 = time.monotonic()
        assert s.stop() == 0
        assert time.monotonic() - t0 < 15
        assert job(s, jid, "state") == "queued" and job(s, jid, "attempts") == "0"
        seen = int(job(s, jid, "files_seen"))
        assert 5 <= seen < n, seen
        assert query(s.db, f"SELECT COUNT(*) FROM activity WHERE runner_id = {rid}") == str(seen)
        s2 = Server(db=s.db, demo=False)
        assert wait_state(s2, jid, ("done", "failed"), timeout=300) == "done"
        assert job(s2, jid, "files_added") == str(n) and job(s2, jid, "files_duplicate") == "0"
        assert query(s.db, f"SELECT COUNT(*) FROM activity WHERE runner_id = {rid}") == str(n)
    finally:
        s.close()
        if s2:
            s2.close()


@own_server
def test_two_processes_take_each_job_once():
    """Two servers on one database (a PostgreSQL cluster in the PostgreSQL run): every job is claimed by
    exactly one of them."""
    s = Server()
    s2 = None
    try:
        s2 = Server(db=s.db, demo=False)
        now = int(time.time())
        jobs = []
        for i in range(4):
            _, c = runner(s, f"pair{i}")
            for k in range(2):
                c.s = (s, s2)[k]
                st, h, _ = post_upload(c, [("runs.zip", many_runs(10, now - (i * 2 + k) * 20 * DAY))])
                assert st == 303, st
                jobs.append(job_of(h["location"]))
        for jid in jobs:
            assert wait_state(s, jid, ("done", "failed"), timeout=300) == "done"
            assert job(s, jid, "attempts") == "1", f"job {jid} was claimed twice"
            assert job(s, jid, "files_added") == "10" and job(s, jid, "files_duplicate") == "0"
        # Each job's "done" line is logged after its parts are dropped, a moment after its state says done.
        deadline = time.time() + 10
        while True:
            logs = s.read_log() + s2.read_log()
            done = re.findall(r"import job (\d+) done", logs)
            if len(done) >= len(jobs) or time.time() > deadline:
                break
            time.sleep(0.1)
        assert sorted(map(int, done)) == sorted(jobs), done
    finally:
        s.close()
        if s2:
            s2.close()
