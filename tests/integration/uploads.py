"""uploads.py — one upload, any size (issue 20, item 5): a platform's export of realistic size through the
web page. A Garmin-shaped export (bench/garmin_export.py, real FIT files from ../shared/testdata) made
larger than the old 64 MiB limit by a stored padding entry (as an export's wellness files would), every
activity imported and the job's progress reaching its total; over the cap, 413 from the headers naming
the limit; an upload that stalls cut, one that keeps moving not; the server's memory flat with the
upload's size; and a finished job's report and bytes deleted by the worker's sweep after 30 days (the
harness's clock, moved for a restarted server), the activities and their original files kept.
The generated activities end a week before the test clock's now (date-bound only through it).
Skipped without ../shared/testdata; a failure in CI."""
import datetime
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import zipfile

from harness import BIN, ROOT, Client, Server, add_user, clock_now, fresh_db, own_server, query, status_of
from training import follow_job, multipart, post_upload
from exports import have_testdata

sys.path.insert(0, os.path.join(ROOT, "bench"))
import garmin_export  # noqa: E402

MIB = 1024 * 1024
DAY = 86400
PW = "uploads pass 1"


def garmin_with_padding(path, files, pad_mib, seed=11):
    """A Garmin export of `files` activities plus a stored entry of pad_mib MiB that is not a training file
    (skipped by name, jumped over through the zip's directory): big to move, quick to make."""
    m = garmin_export.build(path, files=files, seed=seed, end=clock_now() - 7 * DAY)
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_STORED) as z:
        with z.open("DI_CONNECT/DI-Connect-Wellness/padding_sleepData.json", "w", force_zip64=True) as f:
            block = b"\0" * MIB
            for _ in range(pad_mib):
                f.write(block)
    return m


def runner(s, name):
    email = f"{name}@example.org"
    rid = add_user(s, "runner", email, PW, name.capitalize() + " Uploader")
    return rid, Client(s).sign_in(email, PW)


def job_row(s, job, *cols):
    return [query(s.db, f"SELECT {c} FROM import_job WHERE id = {job}") for c in cols]


def raw_upload_head(s, c, length, ctype="multipart/form-data; boundary=b"):
    return (f"POST /training/upload HTTP/1.1\r\nHost: x\r\nCookie: {c._cookie_header()}\r\n"
            f"Content-Type: {ctype}\r\nContent-Length: {length}\r\n\r\n").encode()


def answer_to(port, data, timeout=10):
    k = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    try:
        t0 = time.monotonic()
        k.sendall(data)
        out = b""
        while True:
            got = k.recv(65536)
            if not got:
                break
            out += got
        return status_of(out.decode("utf-8", "replace")), time.monotonic() - t0, out.decode("utf-8", "replace")
    finally:
        k.close()


@own_server
def test_an_upload_past_the_old_64_mib_limit_imports_every_activity_with_progress_to_its_total():
    if not have_testdata():
        return
    s = Server()
    try:
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "garmin-export.zip")
            m = garmin_with_padding(path, 12, 80)
            n = m["activities"]
            size = os.path.getsize(path)
            assert size > 80 * MIB and n == 12, (size, m)
            rid, c = runner(s, "gale")
            with open(path, "rb") as f:
                export = f.read()
            t0 = time.monotonic()
            st, h, body = post_upload(c, [("garmin-export.zip", export)])
            took = time.monotonic() - t0
            assert st == 303, (st, body[-1500:])
            job = int(h["location"].rsplit("/", 1)[1])
            st, page = follow_job(c, h["location"], timeout=120)
            assert st == 200 and f"{n} added, 0 already there, 0 could not be read" in page, page[-2000:]
            row = job_row(s, job, "state", "files_seen", "bytes_done", "bytes_total", "receiving")
            assert row == ["done", str(n), str(size), str(size), "0"], row
            assert int(query(s.db, f"SELECT COUNT(*) FROM activity WHERE runner_id = {rid}")) == n
            assert int(query(s.db, "SELECT COUNT(*) FROM activity_file f JOIN activity a ON a.id = f.activity_id "
                                   f"WHERE a.runner_id = {rid}")) == n
            # The upload's bytes are gone from the database once read (dropped just after the job ends).
            deadline = time.time() + 10
            while query(s.db, "SELECT COUNT(*) FROM import_job_part p JOIN import_job_file f ON f.id = p.file_id "
                              f"WHERE f.job_id = {job}") != "0":
                assert time.time() < deadline, "the job's parts are still stored"
                time.sleep(0.1)
            print(f"# {size / MIB:.0f} MiB uploaded and stored in {took:.1f} s")
    finally:
        s.close()


@own_server
def test_the_job_page_shows_files_and_bytes_read_while_a_big_upload_is_read():
    """Progress the runner watches: the job's page while it runs says how many files of about how many,
    and how many MB of how many (the worker is slowed by nothing here: the page is read as it goes)."""
    if not have_testdata():
        return
    s = Server()
    try:
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "garmin-export.zip")
            m = garmin_export.build(path, files=60, seed=5, end=clock_now() - 7 * DAY)
            with open(path, "rb") as f:
                export = f.read()
            _, c = runner(s, "pia")
            st, h, _ = post_upload(c, [("garmin-export.zip", export)])
            assert st == 303
            seen = []
            deadline = time.time() + 120
            while time.time() < deadline:
                st, hh, page = c.get(h["location"])
                if "refresh" not in hh:
                    break
                if "Reading:" in page:
                    seen.append(page)
                time.sleep(0.05)
            assert "60 added" in page, page[-1500:]
            if seen:  # the worker may finish before the page is read mid-way on a fast machine
                assert any(" MB of " in p and "training file" in p for p in seen), seen[-1][-1500:]
            assert m["activities"] == 60
    finally:
        s.close()


@own_server
def test_over_the_cap_is_refused_413_from_the_headers_naming_the_limit():
    s = Server()
    t = Server("--max-upload", "8")
    try:
        rid, c = runner(s, "cap")
        st, took, text = answer_to(s.port, raw_upload_head(s, c, (4 << 30) + 1))
        assert st == 413 and took < 1.0 and "larger than 4 GB" in text, (st, took, text[-500:])
        # Exactly the cap is let in (it would be read): the answer waits for the body, so none comes at once.
        k = socket.create_connection(("127.0.0.1", s.port), timeout=1)
        k.sendall(raw_upload_head(s, c, 4 << 30))
        try:
            early = k.recv(100)
        except socket.timeout:
            early = b""
        k.close()
        assert early == b"", early
        rid8, c8 = runner(t, "cap8")
        st, took, text = answer_to(t.port, raw_upload_head(t, c8, 8 * MIB + 1))
        assert st == 413 and took < 1.0 and "larger than 8 MB" in text, (st, took, text[-500:])
        st, _, body = c8.get(f"/runners/{rid8}/training")
        assert st == 200 and "one .zip of up to 8 MB" in body, body[-3000:]
        st, _, body = c.get(f"/runners/{rid}/training")
        assert st == 200 and "one .zip of up to 4 GB" in body
        # A setting out of range is a usage error.
        p = subprocess.run([BIN, "serve", "--max-upload", "5000", "--listen", "127.0.0.1:0"], capture_output=True,
                           text=True, timeout=10)
        assert p.returncode == 2 and "--max-upload" in p.stderr, (p.returncode, p.stderr)
    finally:
        t.close()
        s.close()


@own_server
def test_an_upload_that_stalls_is_cut_and_one_that_moves_slowly_is_not():
    """No fixed deadline for an upload: each span (--upload-stall, 2 s here) must bring 256 KiB. A trickle
    of a byte every half second is cut with 408; 200 KiB every half second goes on to its end."""
    s = Server("--upload-stall", "2")
    try:
        _, c = runner(s, "slow")
        k = socket.create_connection(("127.0.0.1", s.port), timeout=15)
        k.sendall(raw_upload_head(s, c, 10 * MIB) + b"--b\r\n" + b"q" * 1000)
        t0 = time.monotonic()
        answer = b""
        try:
            while time.monotonic() - t0 < 12:
                k.sendall(b"q")
                k.settimeout(0.5)
                try:
                    got = k.recv(4096)
                    if got:
                        answer += got
                        break
                except socket.timeout:
                    pass
        except OSError:
            pass
        k.close()
        took = time.monotonic() - t0
        assert status_of(answer.decode("utf-8", "replace")) == 408 and took < 6, (answer[:300], took)
        assert b"stalled" in answer, answer
        # Slow but moving: 7 s at 400 KiB/s, longer than three spans, answered when it is all there.
        token = c.csrf("/account")
        body, ctype = multipart({"csrf": token}, [("notes.txt", b"x" * (2800 * 1024))])
        k = socket.create_connection(("127.0.0.1", s.port), timeout=30)
        k.sendall(raw_upload_head(s, c, len(body), ctype))
        for at in range(0, len(body), 200 * 1024):
            k.sendall(body[at:at + 200 * 1024])
            time.sleep(0.5)
        k.settimeout(30)
        answer = k.recv(4096).decode("utf-8", "replace")
        k.close()
        assert status_of(answer) == 303, answer[:300]
    finally:
        s.close()


def peak_rss_mib(pid, stop, out):
    """Samples the process's resident memory every 20 ms until stop is set: out[0] the peak of VmRSS (all of
    it, the upload's mapped pages too), out[1] of RssAnon (the heap), in MiB."""
    while not stop.is_set():
        try:
            for line in open(f"/proc/{pid}/status"):
                for i, key in enumerate(("VmRSS:", "RssAnon:")):
                    if line.startswith(key):
                        out[i] = max(out[i], int(line.split()[1]) / 1024)
        except OSError:
            return
        stop.wait(0.02)


@own_server
def test_server_memory_does_not_grow_with_the_uploads_size():
    """The same export at two sizes, 8 and 72 MiB of padding: the server's resident memory while it
    receives, parses, stores and reads the larger may not pass the smaller's by more than a margin far
    below their difference (an upload held whole anywhere — in the request, its mapped pages, the queue
    or the worker — fails here)."""
    if not have_testdata():
        return
    if "asan" in subprocess.run(["ldd", BIN], capture_output=True, text=True).stdout:
        print("# skipped: a sanitizer's allocator keeps freed memory on purpose; measured without one")
        return
    peaks = []
    with tempfile.TemporaryDirectory() as d:
        for pad in (8, 72):
            path = os.path.join(d, f"export-{pad}.zip")
            m = garmin_with_padding(path, 8, pad, seed=3)
            with open(path, "rb") as f:
                export = f.read()
            s = Server()
            try:
                _, c = runner(s, f"mem{pad}")
                time.sleep(0.3)
                out, stop = [0.0, 0.0], threading.Event()
                th = threading.Thread(target=peak_rss_mib, args=(s.proc.pid, stop, out))
                th.start()
                st, h, _ = post_upload(c, [("garmin-export.zip", export)])
                assert st == 303
                st, page = follow_job(c, h["location"], timeout=120)
                stop.set()
                th.join()
                assert f"{m['activities']} added" in page, page[-1500:]
                peaks.append(out)
            finally:
                s.close()
    margin = 24
    print(f"# server peaks: VmRSS {peaks[0][0]:.0f} / {peaks[1][0]:.0f} MiB, heap (RssAnon) {peaks[0][1]:.0f} / "
          f"{peaks[1][1]:.0f} MiB, with 8 / 72 MiB of padding")
    assert peaks[1][0] <= peaks[0][0] + margin and peaks[1][1] <= peaks[0][1] + margin, peaks


@own_server
def test_a_finished_jobs_report_and_bytes_are_deleted_after_30_days_its_activities_kept():
    if not have_testdata():
        return
    home = tempfile.mkdtemp(prefix="runcare-purge-")
    s = Server(db=fresh_db(home))
    moved = []
    try:
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "garmin-export.zip")
            m = garmin_export.build(path, files=3, seed=9, end=clock_now() - 7 * DAY)
            rid, c = runner(s, "pam")
            with open(path, "rb") as f:
                st, h, _ = post_upload(c, [("garmin-export.zip", f.read())])
            assert st == 303
            job = int(h["location"].rsplit("/", 1)[1])
            st, page = follow_job(c, h["location"])
            assert f"{m['activities']} added" in page
        # An upload whose process stopped while its parts were arriving, 7 hours ago: never claimed.
        query(s.db, "INSERT INTO import_job (runner_id, bytes_total, created_at, receiving) "
                    f"VALUES ({rid}, 5, {clock_now() - 7 * 3600}, 1)")
        orphan = int(query(s.db, "SELECT MAX(id) FROM import_job"))
        files = query(s.db, "SELECT COUNT(*) FROM activity_file f JOIN activity a ON a.id = f.activity_id "
                            f"WHERE a.runner_id = {rid}")
        assert int(files) == m["activities"]
        s.close()

        def at(days):
            when = datetime.datetime.fromtimestamp(clock_now() + days * DAY, datetime.timezone.utc)
            srv = Server(db=s.db, env={"RUNCARE_CLOCK": when.isoformat()})
            moved.append(srv)
            return srv

        def gone(srv, jid, timeout=10):
            deadline = time.time() + timeout
            while time.time() < deadline:
                if query(srv.db, f"SELECT COUNT(*) FROM import_job WHERE id = {jid}") == "0":
                    return True
                time.sleep(0.1)
            return False

        # 29 days on: the report is still there; the abandoned upload is not.
        t = at(29)
        assert gone(t, orphan), "an upload left half-stored for 6 hours is deleted"
        assert query(t.db, f"SELECT COUNT(*) FROM import_job WHERE id = {job}") == "1"
        t.close()
        # 31 days on: the job, its files' names and its problems are gone; the activities and files stay.
        t = at(31)
        assert gone(t, job), "a job finished 31 days ago is deleted by the sweep"
        for table in ("import_job_file", "import_job_problem"):
            assert query(t.db, f"SELECT COUNT(*) FROM {table} WHERE job_id = {job}") == "0", table
        assert query(t.db, "SELECT COUNT(*) FROM activity_file f JOIN activity a ON a.id = f.activity_id "
                           f"WHERE a.runner_id = {rid}") == files
        time.sleep(0.3)
        lines = [ln for ln in t.read_log().splitlines() if "upload" in ln and "deleted" in ln]
        assert lines and "pam@" not in "".join(lines), t.read_log()[-1500:]
        # The runner's own download still lists the original files, each under its activity.
        cc = Client(t).sign_in("pam@example.org", PW)
        st, _, body = cc.get("/account/export")
        doc = json.loads(body)
        assert st == 200 and len(doc["activity_file"]) == int(files), doc.get("activity_file")
        assert not [j for j in doc.get("import_job", []) if j.get("id") == job], doc.get("import_job")
    finally:
        for srv in moved:
            srv.close()
        s.close()
        shutil.rmtree(home, ignore_errors=True)


# Issue 13, finding 3: an upload is stored into the database off the request threads. The servers below
# have one request thread (--threads 1) and store slowly (RUNCARE_TEST_STORE_PAUSE_MS, test-only: a pause
# before each transaction of parts), so while an upload is stored its request would hold the only thread.

def wait_for(cond, timeout=15, what="the condition"):
    deadline = time.monotonic() + timeout
    while not cond():
        assert time.monotonic() < deadline, f"{what} did not come within {timeout} s"
        time.sleep(0.05)


@own_server
def test_a_big_upload_answers_at_once_and_the_site_answers_while_it_is_stored():
    if not have_testdata():
        return
    s = Server("--threads", "1", env={"RUNCARE_TEST_STORE_PAUSE_MS": "500"})
    done = threading.Event()
    try:
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "garmin-export.zip")
            m = garmin_with_padding(path, 6, 40)
            n = m["activities"]
            rid, c = runner(s, "ivy")
            orid, other = runner(s, "otto")
            with open(path, "rb") as f:
                export = f.read()
            # /healthz asked every 50 ms from beside the upload, from its first byte until it is stored.
            lags = []

            def beside():
                probe = Client(s)
                while not done.is_set():
                    t1 = time.monotonic()
                    st, _, _ = probe.get("/healthz")
                    lags.append((st, time.monotonic() - t1))
                    time.sleep(0.05)

            prober = threading.Thread(target=beside, daemon=True)
            prober.start()
            t0 = time.monotonic()
            st, h, body = post_upload(c, [("garmin-export.zip", export)])
            took = time.monotonic() - t0
            assert st == 303, (st, body[-1500:])
            job = int(h["location"].rsplit("/", 1)[1])
            assert max((lag for _, lag in lags), default=0) < 1.0, ("/healthz waited while the upload came", lags)
            # The answer came before the upload was stored: the job is still receiving its parts.
            assert job_row(s, job, "receiving", "state") == ["1", "queued"], job_row(s, job, "receiving", "state")
            st, hh, page = c.get(h["location"])
            assert st == 200 and "refresh" in hh and "Storing your upload: " in page and " of 4" in page, page[-2000:]
            assert "Stored so far" in page
            # The runner may leave it: their training page links to it, saying where it is.
            st, _, tp = c.get(f"/runners/{rid}/training")
            assert st == 200 and f'href="/training/imports/{job}"' in tp and "being stored" in tp, tp[-3000:]
            # The site answers everyone at once while the only request thread's upload is being stored.
            slowest = 0.0
            for who, target in ((Client(s), "/healthz"), (Client(s), "/"), (other, f"/runners/{orid}/training"),
                                (c, h["location"])):
                t1 = time.monotonic()
                st, _, _ = who.get(target)
                dt = time.monotonic() - t1
                slowest = max(slowest, dt)
                assert st == 200 and dt < 1.0, (target, st, dt)
            assert job_row(s, job, "receiving") == ["1"], "the upload was stored before the requests were answered"
            wait_for(lambda: job_row(s, job, "receiving") == ["0"], timeout=60, what="the upload stored")
            done.set()
            prober.join(10)
            worst = max(lag for _, lag in lags)
            assert lags and all(st == 200 for st, _ in lags) and worst < 1.0, (worst, lags[-5:])
            # Then it is read as any job: every activity imported.
            deadline = time.time() + 120
            while True:
                st, hh, page = c.get(h["location"])
                assert st == 200
                if "refresh" not in hh:
                    break
                assert time.time() < deadline, page[-1500:]
                time.sleep(0.1)
            assert f"{n} added, 0 already there, 0 could not be read" in page, page[-2000:]
            assert "Storing your upload" not in page
            assert job_row(s, job, "state", "receiving", "files_seen") == ["done", "0", str(n)]
            assert int(query(s.db, f"SELECT COUNT(*) FROM activity WHERE runner_id = {rid}")) == n
            print(f"# {len(export) / MIB:.0f} MiB upload answered in {took:.2f} s; other requests while it was "
                  f"stored: slowest {slowest * 1000:.0f} ms; /healthz beside it ({len(lags)} asked): slowest "
                  f"{worst * 1000:.0f} ms")
    finally:
        done.set()
        s.close()


def upload_being_stored(s, name):
    """A runner's 40 MiB Garmin export uploaded to s (which stores slowly): (runner id, client, job id, the
    job page's address) once its first parts are stored and before the rest are."""
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "garmin-export.zip")
        garmin_with_padding(path, 6, 40)
        rid, c = runner(s, name)
        with open(path, "rb") as f:
            st, h, body = post_upload(c, [("garmin-export.zip", f.read())])
    assert st == 303, (st, body[-1500:])
    job = int(h["location"].rsplit("/", 1)[1])
    wait_for(lambda: int(job_row(s, job, "bytes_done")[0]) > 0, what="the first parts stored")
    return rid, c, job, h["location"]


@own_server
def test_sigterm_while_an_upload_is_stored_stops_at_once_and_none_of_it_is_imported():
    if not have_testdata():
        return
    s = Server("--threads", "1", env={"RUNCARE_TEST_STORE_PAUSE_MS": "1000"})
    s2 = None
    try:
        rid, c, job, loc = upload_being_stored(s, "sid")
        assert job_row(s, job, "receiving") == ["1"]
        t0 = time.monotonic()
        assert s.stop() == 0
        took = time.monotonic() - t0
        assert took < 5, f"the server took {took:.1f} s to stop while storing an upload"
        # Not half-imported: the job failed, nothing of it read, and its page says why.
        assert job_row(s, job, "state", "receiving", "files_seen") == ["failed", "0", "0"]
        assert query(s.db, f"SELECT COUNT(*) FROM activity WHERE runner_id = {rid}") == "0"
        s2 = Server(db=s.db, demo=False)
        c2 = Client(s2).sign_in("sid@example.org", PW)
        st, hh, page = c2.get(loc)
        assert st == 200 and "refresh" not in hh, (st, hh)
        assert "The server was stopped while your upload was being stored" in page, page[-2000:]
        # Its stored parts are deleted by the next server's worker, as a finished job's are.
        wait_for(lambda: query(s2.db, "SELECT COUNT(*) FROM import_job_part p JOIN import_job_file f "
                                      f"ON f.id = p.file_id WHERE f.job_id = {job}") == "0",
                 what="the stopped upload's parts deleted")
        print(f"# stopped in {took:.2f} s while storing")
    finally:
        s.close()
        if s2:
            s2.close()


@own_server
def test_an_upload_whose_server_died_while_storing_it_says_so_and_is_failed():
    """A server killed (SIGKILL, a crash, the machine lost) while storing an upload leaves its job
    receiving its parts. Its page said "Storing your upload" for 6 hours, until the sweep deleted it; now,
    once its storing has not moved for RC_IMPORT_STALL_S (10 minutes), the page says it stopped and to
    upload again, the training page's list says it could not be finished, and the next server's sweep
    fails it and deletes its parts."""
    if not have_testdata():
        return
    s = Server("--threads", "1", env={"RUNCARE_TEST_STORE_PAUSE_MS": "1000"})
    later = []
    try:
        rid, c, job, loc = upload_being_stored(s, "kim")
        s.proc.kill()
        s.proc.wait()
        assert job_row(s, job, "receiving", "files_seen") == ["1", "0"]

        def at(seconds):
            when = datetime.datetime.fromtimestamp(clock_now() + seconds, datetime.timezone.utc)
            srv = Server(db=s.db, demo=False, env={"RUNCARE_CLOCK": when.isoformat()})
            later.append(srv)
            return srv, Client(srv).sign_in("kim@example.org", PW)

        # A minute on, the storing may still be moving, as far as anyone can tell: the page waits.
        s2, c2 = at(60)
        st, hh, page = c2.get(loc)
        assert st == 200 and "refresh" in hh and "Storing your upload" in page, (st, hh, page[-1500:])
        s2.close()
        # Eleven minutes on it has not moved: the page says so at once, without asking to be looked at again.
        s3, c3 = at(660)
        st, hh, page = c3.get(loc)
        assert st == 200 and "refresh" not in hh, (st, hh)
        assert "Storing your upload stopped before it was all in" in page, page[-2000:]
        assert "upload the files again" in page
        st, _, page = c3.get(f"/runners/{rid}/training")
        assert st == 200 and "could not be finished" in page and "being stored" not in page, page[-2000:]
        # And the sweep of the server that started then has failed it, with the same sentence, and
        # deleted what it had stored; nothing of it was read.
        wait_for(lambda: job_row(s3, job, "state", "receiving") == ["failed", "0"], what="the stalled upload failed")
        assert "stopped before it was all in" in job_row(s3, job, "message")[0]
        wait_for(lambda: query(s3.db, "SELECT COUNT(*) FROM import_job_part p JOIN import_job_file f "
                                      f"ON f.id = p.file_id WHERE f.job_id = {job}") == "0",
                 what="the stalled upload's parts deleted")
        assert query(s3.db, f"SELECT COUNT(*) FROM activity WHERE runner_id = {rid}") == "0"
    finally:
        for srv in later:
            srv.close()
        s.close()


@own_server
def test_an_upload_handed_over_counts_against_the_spool_budget_until_it_is_stored():
    """The disk budget for upload spools (twice the upload cap: 16 MiB with --max-upload 8) counts an
    upload whose request has ended while it waits to be stored: with two of 6 MiB waiting, a third is
    refused 503 from its headers; once they are stored, it is taken."""
    if not have_testdata():
        return
    s = Server("--threads", "1", "--max-upload", "8", env={"RUNCARE_TEST_STORE_PAUSE_MS": "3000"})
    try:
        with tempfile.TemporaryDirectory() as d:
            jobs = []
            for i, name in enumerate(("ann", "ben")):
                path = os.path.join(d, f"{name}.zip")
                garmin_with_padding(path, 2, 5, seed=20 + i)
                assert 5 * MIB < os.path.getsize(path) < 7 * MIB
                _, c = runner(s, name)
                with open(path, "rb") as f:
                    st, h, body = post_upload(c, [("export.zip", f.read())])
                assert st == 303, (st, body[-1500:])
                jobs.append(int(h["location"].rsplit("/", 1)[1]))
            assert [job_row(s, j, "receiving")[0] for j in jobs] == ["1", "1"]
            _, c3 = runner(s, "cat")
            st, _, out = answer_to(s.port, raw_upload_head(s, c3, 6 * MIB))
            assert st == 503 and "retry-after" in out.lower(), out[:600]
            assert [job_row(s, j, "receiving")[0] for j in jobs] != ["0", "0"], "both were stored before the test"
            wait_for(lambda: [job_row(s, j, "receiving")[0] for j in jobs] == ["0", "0"], timeout=30,
                     what="both uploads stored")
            path = os.path.join(d, "cat.zip")
            garmin_with_padding(path, 2, 5, seed=30)
            with open(path, "rb") as f:
                st, h, body = post_upload(c3, [("export.zip", f.read())])
            assert st == 303, (st, body[-1500:])
    finally:
        s.close()
