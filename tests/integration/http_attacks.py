"""http_attacks.py — the outside attack on a running copy, replayed on loopback, and what the server must
do instead: refuse from the headers before reading a body, stop an endless body at its cap, keep all
unfinished bodies within one budget, take uploads of the documented size on disk, survive a slowloris
(header deadline, per-address and global connection limits), never serve a signed-in page from the
anonymous cache, and believe X-Forwarded-For only from a trusted proxy.

Everything here is bounded in connections, bytes and seconds (the longest test is about 15 s); the
full-size attacks are tests/attack/ (make attack). Other addresses are other loopback addresses
(127.0.0.2 …), which Linux routes to this machine.
"""
import http.client
import os
import re
import socket
import threading
import time

from accounts import world
from harness import Client, Server, add_user, clock_now, own_server, status_of

MIB = 1024 * 1024
MAX_BODY = MIB                 # RC_HTTP_MAX_BODY
MAX_UPLOAD = 4096 * MIB        # RC_HTTP_MAX_UPLOAD (the default of serve --max-upload)
BODY_BUDGET = 128 * MIB        # RC_HTTP_BODY_BUDGET
PER_ADDRESS = 32               # RC_HTTP_MAX_PER_ADDRESS
HEADER_DEADLINE = 10           # RC_HTTP_HEADER_DEADLINE_S


def rss_mib(pid):
    """The server's resident memory, MiB."""
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


def connect(port, source="127.0.0.1", timeout=5):
    return socket.create_connection(("127.0.0.1", port), timeout=timeout, source_address=(source, 0))


def read_answer(sock, limit=1 << 20):
    """Everything the server sends until it closes (or the timeout), as text."""
    out = b""
    try:
        while len(out) < limit:
            b = sock.recv(65536)
            if not b:
                break
            out += b
    except (ConnectionResetError, socket.timeout, BrokenPipeError):
        pass
    return out.decode("utf-8", "replace")


def answer_to_headers(port, head, source="127.0.0.1", timeout=5):
    """Sends a request's headers and no body; returns (status, seconds until the answer, text)."""
    s = connect(port, source, timeout)
    try:
        t0 = time.monotonic()
        s.sendall(head)
        text = read_answer(s)
        return status_of(text), time.monotonic() - t0, text
    finally:
        s.close()


def timed_get(port, path="/healthz", source="127.0.0.2", timeout=5):
    """(status or the error, seconds) for one GET from another loopback address."""
    t0 = time.monotonic()
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout, source_address=(source, 0))
    try:
        c.request("GET", path)
        r = c.getresponse()
        r.read()
        return r.status, time.monotonic() - t0
    except OSError as e:
        return repr(e), time.monotonic() - t0
    finally:
        c.close()


def session_cookie(c):
    return c.cookies["rc_session"]


# --- 1. who asks, and may they, from the headers: before a byte of body ----------------------------

@own_server
def test_refused_from_the_headers_before_any_body_is_read():
    w = world()
    port = w.s.port
    upload = (b"POST /training/upload HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\n"
              b"Content-Length: %d\r\n\r\n")
    # Anonymous, to the upload route, announcing the full 4 GiB: sent to sign in at once.
    st, t, text = answer_to_headers(port, upload % MAX_UPLOAD)
    assert st == 303 and t < 1.0 and "Location: /signin" in text, (st, t, text[:300])
    # The API without a token: 401 at once.
    st, t, _ = answer_to_headers(port, b"POST /api/appointments HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                                       b"Content-Length: 900000\r\n\r\n")
    assert st == 401 and t < 1.0, (st, t)
    # A runner to an administrator's form: 403 at once; to another runner's appointment: 404 at once.
    a = w.client("a")
    cookie = f"Cookie: rc_session={session_cookie(a)}\r\n".encode()
    st, t, _ = answer_to_headers(port, b"POST /admin/users HTTP/1.1\r\nHost: x\r\n" + cookie +
                                 b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 900000\r\n\r\n")
    assert st == 403 and t < 1.0, (st, t)
    st, t, _ = answer_to_headers(port, b"POST /appointments/987654/cancel HTTP/1.1\r\nHost: x\r\n" + cookie +
                                 b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 900000\r\n\r\n")
    assert st == 404 and t < 1.0, (st, t)
    # The runner's own upload one byte over the cap: 413 before the body.
    st, t, _ = answer_to_headers(port, (upload % (MAX_UPLOAD + 1)).replace(b"Host: x\r\n", b"Host: x\r\n" + cookie))
    assert st == 413 and t < 1.0, (st, t)
    # Anything but a multipart form to the upload route is a form like any other: 1 MiB.
    st, t, _ = answer_to_headers(port, b"POST /training/upload HTTP/1.1\r\nHost: x\r\n" + cookie +
                                 b"Content-Type: application/octet-stream\r\nContent-Length: %d\r\n\r\n" % (MAX_BODY + 1))
    assert st == 413 and t < 1.0, (st, t)


@own_server
def test_unfinished_anonymous_uploads_do_not_grow_memory():
    """The finding, small: 50 anonymous connections announce 4 GiB to /training/upload and send 2 MiB
    each without finishing. Before: every byte was buffered (19 MiB → 3.1 GiB at full size)."""
    s = Server()
    try:
        time.sleep(0.5)
        before = rss_mib(s.proc.pid)
        socks = []
        for i in range(50):
            c = connect(s.port, f"127.0.0.{10 + i % 5}")
            c.sendall(b"POST /training/upload HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\n"
                      b"Content-Length: %d\r\n\r\n" % MAX_UPLOAD)
            socks.append(c)
        chunk = b"x" * 65536
        refused = 0
        for c in socks:
            c.settimeout(2)
            try:
                for _ in range(32):
                    c.sendall(chunk)
            except OSError:
                refused += 1
        time.sleep(1.0)
        grew = rss_mib(s.proc.pid) - before
        answers = [status_of(read_answer(c)) for c in socks]
        for c in socks:
            c.close()
        assert grew < 40, f"memory grew {grew:.0f} MiB for bodies nobody may send"
        assert answers.count(303) == 50, answers
        assert timed_get(s.port)[0] == 200
    finally:
        s.close()


# --- 2. bodies: stopped at the cap, all of them within one budget ----------------------------------

def test_endless_chunked_body_is_stopped_at_the_cap(s):
    """A chunked body that never ends, to a public form: 413 as soon as the cap is passed, and the
    connection closed (before: read for as long as the client kept sending, 413 only at its end)."""
    c = connect(s.port)
    c.settimeout(5)
    c.sendall(b"POST /signin HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
              b"Transfer-Encoding: chunked\r\n\r\n")
    chunk = b"%x\r\n" % 65536 + b"a" * 65536 + b"\r\n"
    sent, t0, stopped = 0, time.monotonic(), None
    try:
        while sent < 48 * MIB and time.monotonic() - t0 < 15:
            c.sendall(chunk)
            sent += 65536
    except OSError as e:
        stopped = e
    answer = read_answer(c)
    c.close()
    assert stopped is not None, f"the server read {sent >> 20} MiB of a body capped at 1 MiB"
    # What the kernel buffers on loopback comes on top of the 1 MiB the server read.
    assert sent < 16 * MIB, sent
    if answer:
        assert status_of(answer) == 413, answer[:200]
    assert s.get("/healthz")[0] == 200


def test_a_transfer_coding_other_than_chunked_is_400_at_once(s):
    """chunked is the one transfer coding the server reads: under any other the body has no known end,
    and the request went unanswered until its body deadline (found with tests/fuzz/fuzz_http.c)."""
    for te in [b"gzip", b"gzip, chunked", b"chunked, chunked", b"identity"]:
        c = connect(s.port)
        c.settimeout(5)
        t0 = time.monotonic()
        c.sendall(b"POST /signin HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                  b"Transfer-Encoding: " + te + b"\r\n\r\nemail=a")
        answer = read_answer(c)
        c.close()
        assert status_of(answer) == 400 and time.monotonic() - t0 < 3, (te, answer[:200])
    # chunked itself is read as before.
    c = connect(s.port)
    c.settimeout(5)
    c.sendall(b"POST /signin HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
              b"Transfer-Encoding: Chunked\r\nConnection: close\r\n\r\n7\r\nemail=a\r\n0\r\n\r\n")
    answer = read_answer(c)
    c.close()
    assert status_of(answer) == 403, answer[:200]  # the form has no CSRF token: read, then refused


@own_server
def test_unfinished_bodies_share_one_budget_then_503_at_once():
    """130 anonymous sign-in forms each announce 1 MiB and send all but the last byte. Together they
    may hold RC_HTTP_BODY_BUDGET; the next is answered 503 with Retry-After before it sends anything,
    and memory stays within the budget. Before: every one was read, without a bound."""
    s = Server()
    socks = []
    try:
        time.sleep(0.5)
        before = rss_mib(s.proc.pid)
        head = (b"POST /signin HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                b"Content-Length: %d\r\n\r\n" % MAX_BODY)
        body = b"a" * (MAX_BODY - 1)
        n = BODY_BUDGET // MAX_BODY + 2
        early = []
        for i in range(n):
            c = connect(s.port, f"127.0.0.{20 + i // 30}")
            c.settimeout(3)
            try:
                c.sendall(head + body)
            except OSError:
                pass
            socks.append(c)
        time.sleep(1.0)
        for c in socks:
            c.setblocking(False)
            try:
                data = c.recv(4096)
                if data:
                    early.append(status_of(data.decode("utf-8", "replace")))
            except BlockingIOError:
                pass
        held = rss_mib(s.proc.pid) - before
        st, t, text = answer_to_headers(s.port, head, source="127.0.0.40")
        assert st == 503 and t < 1.0 and re.search(r"Retry-After: \d+", text), (st, t, text[:300])
        assert early and set(early) == {503}, f"some of the {n} holders were turned away with 503: {early}"
        assert held < BODY_BUDGET / MIB + 60, f"held {held:.0f} MiB for bodies over a {BODY_BUDGET >> 20} MiB budget"
        for c in socks:
            c.close()
        socks = []
        time.sleep(0.5)
        assert Client(s).get("/signin")[0] == 200
        st, _, _ = s.request("POST", "/signin", body="email=a%40b.c&password=x",
                             headers={"Content-Type": "application/x-www-form-urlencoded"})
        assert st == 403, f"after the holders left, a form is read again (403: no CSRF token), got {st}"
    finally:
        for c in socks:
            c.close()
        s.close()


# --- 4. uploads of the documented size, on disk ---------------------------------------------------

def ultra_gpx(t0, hours):
    """An ultramarathon recorded once a second with heart rate, cadence and temperature: a real GPX
    file of tens of megabytes."""
    import math
    lat0, lon0, m = 51.5, -0.1, 6371008.8 * math.pi / 180
    out = ['<?xml version="1.0" encoding="UTF-8"?>\n<gpx version="1.1" creator="runcare tests" '
           'xmlns="http://www.topografix.com/GPX/1/1" '
           'xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">'
           '<trk><name>Ultra</name><type>running</type><trkseg>\n']
    for i in range(hours * 3600):
        a = i * 2.2 / 5000.0
        x, y = 800 * math.cos(a), 800 * math.sin(a)
        lat = lat0 + y / m
        lon = lon0 + x / (m * math.cos(math.radians(lat0)))
        stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t0 + i))
        out.append(f'  <trkpt lat="{lat:.7f}" lon="{lon:.7f}">\n    <ele>{20 + 5 * math.sin(a * 3):.1f}</ele>\n'
                   f'    <time>{stamp}</time>\n    <extensions>\n      <gpxtpx:TrackPointExtension>\n'
                   f'        <gpxtpx:atemp>14.0</gpxtpx:atemp>\n        <gpxtpx:hr>{140 + i % 20}</gpxtpx:hr>\n'
                   f'        <gpxtpx:cad>{84 + i % 5}</gpxtpx:cad>\n      </gpxtpx:TrackPointExtension>\n'
                   f'    </extensions>\n  </trkpt>\n')
    out.append("</trkseg></trk></gpx>\n")
    return "".join(out).encode()


@own_server
def test_a_40_mib_upload_is_taken_and_64_mib_plus_one_is_not():
    """An operator's upload limit (serve --max-upload 64, the default's place taken by a size this test
    can pass quickly); before, anything over ~16 MiB ended in 'out of memory' (the request's arena)
    although the body had been read."""
    from training import multipart
    # The upload is copied into the database in 1 MiB parts and read back whole by the import worker,
    # all of it freed again; under ASan, freed memory waits in a quarantine (256 MiB) that would count
    # as resident here, so the sanitizer build keeps a small one.
    asan = os.environ.get("ASAN_OPTIONS", "")
    s = Server("--max-upload", "64", env={"ASAN_OPTIONS": (asan + ":" if asan else "") + "quarantine_size_mb=8"})
    cap = 64 * MIB
    try:
        add_user(s, "runner", "ultra@example.org", "ultra runner pass 1", "Una Ultra")
        c = Client(s).sign_in("ultra@example.org", "ultra runner pass 1")
        token = c.csrf("/account")
        data = ultra_gpx(clock_now() - 3 * 86400, 36)
        assert 38 * MIB < len(data) < 48 * MIB, len(data)
        body, ctype = multipart({"csrf": token}, [("ultra.gpx", data)])
        before = rss_mib(s.proc.pid)
        conn = http.client.HTTPConnection("127.0.0.1", s.port, timeout=120)
        conn.request("POST", "/training/upload", body=body, headers={"Content-Type": ctype, "Cookie": c._cookie_header()})
        r = conn.getresponse()
        page = r.read().decode("utf-8", "replace")
        conn.close()
        assert r.status == 303, (r.status, page[-1500:])
        # The upload is read by the import worker; its page follows it to the report.
        from training import follow_job
        st, page = follow_job(c, r.getheader("Location"), timeout=300)
        assert st == 200 and "1 added" in page, (st, page[-1500:])
        grew = rss_mib(s.proc.pid) - before
        assert grew < 48, f"an upload on disk grew the heap by {grew:.0f} MiB"
        # One byte over: 413 from the headers, before any of it is sent.
        head = (f"POST /training/upload HTTP/1.1\r\nHost: x\r\nCookie: {c._cookie_header()}\r\n"
                f"Content-Type: {ctype}\r\nContent-Length: {cap + 1}\r\n\r\n").encode()
        st, t, text = answer_to_headers(s.port, head)
        assert st == 413 and t < 1.0, (st, t)
        assert "larger than 64 MB" in text, text[-600:]
        # And a chunked upload that passes 64 MiB is cut there, not read to its end.
        k = connect(s.port)
        k.settimeout(10)
        k.sendall((f"POST /training/upload HTTP/1.1\r\nHost: x\r\nCookie: {c._cookie_header()}\r\n"
                   f"Content-Type: {ctype}\r\nTransfer-Encoding: chunked\r\n\r\n").encode())
        chunk = b"%x\r\n" % MIB + b"z" * MIB + b"\r\n"
        sent, stopped = 0, None
        try:
            while sent < 96 * MIB:
                k.sendall(chunk)
                sent += MIB
        except OSError as e:
            stopped = e
        k.close()
        assert stopped is not None and sent < 80 * MIB, f"read {sent >> 20} MiB of an upload capped at 64"
        # No spool file is left anywhere the server could have written one.
        assert not [f for f in os.listdir("/tmp") if f.startswith(("runcare-upload-", "runcare-tmp-"))]
    finally:
        s.close()


@own_server
def test_an_upload_in_flight_is_an_unlinked_0600_file_in_the_upload_dir():
    """While an upload arrives it is on disk where --upload-dir says, readable by runcare alone, and
    with no name in the directory; nothing of it is left when the request ends."""
    import stat
    import tempfile
    d = tempfile.mkdtemp(prefix="runcare-spool-")
    s = Server("--upload-dir", d)
    k = None
    try:
        add_user(s, "runner", "spool@example.org", "spooling runner 1", "Sam Spool")
        c = Client(s).sign_in("spool@example.org", "spooling runner 1")
        k = connect(s.port)
        k.sendall((f"POST /training/upload HTTP/1.1\r\nHost: x\r\nCookie: {c._cookie_header()}\r\n"
                   f"Content-Type: multipart/form-data; boundary=b\r\nContent-Length: {10 * MIB}\r\n\r\n").encode())
        k.sendall(b"--b\r\n" + b"q" * MIB)
        time.sleep(0.5)
        spools = []
        for fd in os.listdir(f"/proc/{s.proc.pid}/fd"):
            target = os.readlink(f"/proc/{s.proc.pid}/fd/{fd}")
            if target.startswith(d + "/"):
                spools.append((target, os.stat(f"/proc/{s.proc.pid}/fd/{fd}")))
        assert len(spools) == 1, spools
        target, st = spools[0]
        assert target.endswith("(deleted)") and st.st_nlink == 0, target
        assert stat.S_IMODE(st.st_mode) == 0o600, oct(st.st_mode)
        assert st.st_size >= MIB
        assert os.listdir(d) == [], os.listdir(d)
        k.close()
        k = None
        time.sleep(0.5)
        assert not [fd for fd in os.listdir(f"/proc/{s.proc.pid}/fd")
                    if os.readlink(f"/proc/{s.proc.pid}/fd/{fd}").startswith(d + "/")], "the spool is closed"
    finally:
        if k:
            k.close()
        s.close()
        import shutil
        shutil.rmtree(d, ignore_errors=True)


# --- 2. slowloris: deadline, per-address limit, room for others ------------------------------------

def dribble(socks, stop, errors):
    """One header byte per connection every second, as a slowloris does, until stop is set."""
    i = 0
    while not stop.is_set():
        for k in list(socks):
            try:
                k.send(b"X-a: b\r\n"[i % 8:i % 8 + 1])
            except OSError:
                errors.append(k)
                socks.remove(k)
        i += 1
        stop.wait(1.0)


@own_server
def test_slowloris_from_one_address_neither_stops_service_nor_outlasts_the_deadline():
    """100 connections from one address dribble a header byte a second. At most RC_HTTP_MAX_PER_ADDRESS
    are let in (the rest are refused at once); requests from another address are answered within a
    second throughout; the ones let in are closed once their header has taken RC_HTTP_HEADER_DEADLINE_S.
    Before: all were let in, and each byte restarted a 30 s timeout."""
    s = Server()
    stop = threading.Event()
    socks, closed = [], []
    try:
        refused = 0
        for _ in range(100):
            try:
                k = connect(s.port, "127.0.0.1", timeout=2)
                k.send(b"GET / HTTP/1.1\r\nHost: x\r\n")
                socks.append(k)
            except OSError:
                refused += 1
        started = time.monotonic()
        # A refused connection is accepted by the kernel and closed at once by the server: it reads EOF.
        time.sleep(0.5)
        for k in list(socks):
            k.setblocking(False)
            try:
                if k.recv(1) == b"":
                    socks.remove(k)
                    refused += 1
            except BlockingIOError:
                pass
            except OSError:
                socks.remove(k)
                refused += 1
            else:
                k.setblocking(True)
        for k in socks:
            k.setblocking(True)
            k.settimeout(2)
        assert len(socks) <= PER_ADDRESS + 2, f"{len(socks)} slow connections from one address were let in"
        assert refused >= 100 - PER_ADDRESS - 2, refused
        t = threading.Thread(target=dribble, args=(socks, stop, closed))
        t.start()
        worst = 0.0
        while time.monotonic() - started < HEADER_DEADLINE + 3:
            st, took = timed_get(s.port, "/", source="127.0.0.2")
            assert st == 200 and took < 1.0, (st, took)
            worst = max(worst, took)
            time.sleep(0.25)
        stop.set()
        t.join()
        assert not socks, f"{len(socks)} slow headers were still open after {HEADER_DEADLINE + 3} s"
        # The slots are free again for that address.
        assert timed_get(s.port, "/healthz", source="127.0.0.1")[0] == 200
        log = s.read_log()
        assert re.search(r"closed \d+ without a whole header", log) or "refused" in log, log[-2000:]
    finally:
        stop.set()
        for k in socks:
            k.close()
        s.close()


@own_server
def test_a_full_server_makes_room_for_a_new_client():
    """1,040 slow connections from 35 addresses fill the server (1,000). A new client from another
    address is still answered within a second: the slowest header makes room. Before: the 1,020th
    connection filled libmicrohttpd and everyone else waited in the backlog."""
    import resource
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < 1400:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 4096), hard))
    s = Server()
    socks = []
    try:
        for i in range(1040):
            try:
                k = connect(s.port, f"127.0.1.{1 + i // 30}", timeout=2)
                k.send(b"GET / HTTP/1.1\r\nHost: x\r\n")
                socks.append(k)
            except OSError:
                pass
        time.sleep(1.5)  # older than RC_HTTP_EVICT_AFTER_MS
        for _ in range(5):
            st, took = timed_get(s.port, "/", source="127.0.0.2")
            assert st == 200 and took < 1.0, (st, took)
        assert s.proc.poll() is None
    finally:
        for k in socks:
            k.close()
        s.close()


# --- 3. the anonymous cache ------------------------------------------------------------------------

def test_a_session_cookie_in_any_spelling_is_never_cached_for_others(s):
    """`Cookie: rc_session =TOKEN` signed the request in but was not seen by the anonymous cache, so the
    runner's page was served to every anonymous visitor after it."""
    add_user(s, "runner", "cache@example.org", "cache poisoning 12", "Cassie Cached")
    c = Client(s).sign_in("cache@example.org", "cache poisoning 12")
    tok = session_cookie(c)
    for i, spelling in enumerate([f"rc_session ={tok}", f" rc_session\t= {tok}", f"a=1; rc_session ={tok}",
                                  f"RC_SESSION={tok}; rc_session ={tok}"]):
        path = "/" if i % 2 == 0 else "/articles"
        st, _, page = s.get(path, headers={"Cookie": spelling})
        assert st == 200
        st, _, anon = s.get(path)
        assert st == 200 and "Cassie" not in anon and "Sign out" not in anon, (spelling, anon[:400])
    # Two Cookie headers: the second is read too (by the lookup and the cache alike).
    raw = s.raw(f"GET /articles/runners-butt HTTP/1.1\r\nHost: x\r\nCookie: a=1\r\nCookie: rc_session ={tok}\r\n"
                f"Connection: close\r\n\r\n".encode())
    assert status_of(raw) == 200
    _, _, anon = s.get("/articles/runners-butt")
    assert "Cassie" not in anon and "Sign out" not in anon


# --- 5. the client behind a trusted proxy ----------------------------------------------------------

def last_log_address(server, path):
    time.sleep(0.3)
    lines = [ln for ln in server.read_log().splitlines() if f" {path} " in ln and "ms " in ln]
    assert lines, server.read_log()[-1500:]
    return lines[-1].split()[-1]


@own_server
def test_forwarded_for_is_believed_only_from_a_trusted_proxy():
    s = Server("--trusted-proxy", "127.0.0.1,127.0.0.3")
    try:
        def get(path, source, xff=None):
            c = http.client.HTTPConnection("127.0.0.1", s.port, timeout=5, source_address=(source, 0))
            c.request("GET", path, headers={"X-Forwarded-For": xff} if xff else {})
            st = c.getresponse().status
            c.close()
            return st

        # From the trusted proxy: the right-most address that is not a proxy.
        assert get("/articles?n=1", "127.0.0.1", "6.6.6.6, 198.51.100.7") == 200
        assert last_log_address(s, "/articles") == "198.51.100.7"
        assert get("/articles/category/blog", "127.0.0.1", "198.51.100.8, 127.0.0.3") == 200
        assert last_log_address(s, "/articles/category/blog") == "198.51.100.8"
        # From anyone else the header is ignored.
        assert get("/healthz", "127.0.0.2", "198.51.100.9") == 200
        assert last_log_address(s, "/healthz") == "127.0.0.2"
        # The address reaches the sign-in throttle and the audit log too.
        add_user(s, "runner", "proxied@example.org", "proxied pass 1234", "Pro Xied")
        c = Client(s)
        c.get("/signin")
        token = re.search(r'name="csrf" value="([0-9a-f]{64})"', c.last).group(1)
        hc = http.client.HTTPConnection("127.0.0.1", s.port, timeout=5, source_address=("127.0.0.1", 0))
        hc.request("POST", "/signin", body=f"email=proxied%40example.org&password=wrong+one+here&csrf={token}",
                   headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": c._cookie_header(),
                            "X-Forwarded-For": "203.0.113.50"})
        hc.getresponse().read()
        hc.close()
        from harness import query
        assert query(s.db, "SELECT address FROM signin_failure ORDER BY id DESC LIMIT 1") == "203.0.113.50"
        # Without --trusted-proxy nobody is believed.
        t = Server()
        try:
            c = http.client.HTTPConnection("127.0.0.1", t.port, timeout=5)
            c.request("GET", "/healthz", headers={"X-Forwarded-For": "198.51.100.10"})
            c.getresponse().read()
            c.close()
            assert last_log_address(t, "/healthz") == "127.0.0.1"
        finally:
            t.close()
    finally:
        s.close()


@own_server
def test_bad_trusted_proxy_or_upload_dir_is_a_usage_error():
    from harness import runcare
    st, _, err = runcare("serve", "--trusted-proxy", "127.0.0.1,proxy.local", "--listen", "127.0.0.1:0")
    assert st == 2 and "'proxy.local' is not an IP address" in err, (st, err)
    st, _, err = runcare("serve", "--upload-dir", "/nonexistent/dir", "--listen", "127.0.0.1:0")
    assert st == 2 and "--upload-dir" in err, (st, err)
    st, out, _ = runcare("serve", "--help")
    assert "--trusted-proxy" in out and "--upload-dir" in out
