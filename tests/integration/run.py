#!/usr/bin/env python3
"""run.py — black-box tests of the runcare binary: pages, limits, bad input, CLI, signals."""
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))
from harness import BACKEND, PG, ROOT, Server, fresh_db, own_server, query, run_tests, runcare, status_of  # noqa: E402

CLINIC = "Balboa Park Sports Acupuncture &amp; Physical Therapy"


# --- pages ------------------------------------------------------------------------------------

def test_home_page(s):
    st, h, body = s.get("/")
    assert st == 200, st
    assert h["content-type"] == "text/html; charset=utf-8"
    assert f"<h1>{CLINIC}</h1>" in body
    for condition in ["Runner", "Shin splints", "back", "Neck", "Foot"]:
        assert condition.lower() in body.lower(), condition
    assert 'href="/articles/runners-butt"' in body
    assert "Balboa Park" in body and "San Diego" in body
    assert '<table class="hours">' in body


def test_security_headers_on_every_response(s):
    for path in ["/", "/articles", "/static/style.css", "/no-such-page"]:
        _, h, _ = s.get(path)
        csp = h.get("content-security-policy", "")
        assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp and "unsafe-inline" not in csp, path
        assert h.get("x-content-type-options") == "nosniff", path
        assert h.get("referrer-policy") == "same-origin", path


def test_articles_index_and_categories(s):
    st, _, body = s.get("/articles")
    assert st == 200
    assert body.count('<li><h2><a href="/articles/') == 3, body
    assert 'href="/articles/category/blog"' in body and 'href="/articles/category/uncategorized"' in body
    st, _, blog = s.get("/articles/category/blog")
    assert st == 200 and "/articles/runners-butt" in blog and "/articles/first-visit" not in blog
    st, _, unc = s.get("/articles/category/uncategorized")
    assert st == 200 and "/articles/first-visit" in unc and "/articles/runners-butt" not in unc


def test_article_page(s):
    st, _, body = s.get("/articles/runners-butt")
    assert st == 200
    assert '<article class="article">' in body
    ol = re.search(r"<ol>(.*?)</ol>", body, re.S)
    assert ol and ol.group(1).count("<li>") == 5, "the stretch has five steps"
    assert "15" in ol.group(1) and "20" in ol.group(1)
    assert "Sources" in body


def test_unknown_article_and_category_are_404(s):
    for path in ["/articles/no-such-article", "/articles/category/no-such", "/nothing-here", "/articles/"]:
        st, h, body = s.get(path)
        assert st == 404, (path, st)
        assert '<section class="error"><h1>404' in body, path
        assert h["content-type"].startswith("text/html")


def test_pages_are_valid_html(s):
    if not shutil.which("tidy"):
        raise AssertionError("tidy is not installed (deps/debian.txt lists it)")
    for path in ["/", "/articles", "/articles/category/blog", "/articles/runners-butt", "/nope", "/selfcheck",
                 "/selfcheck/start?region=neck", "/signin", "/signup"]:
        _, _, body = s.get(path)
        p = subprocess.run(["tidy", "-q", "-errors", "--show-warnings", "no"], input=body, capture_output=True,
                           text=True)
        assert p.returncode < 2, f"{path}: {p.stderr}"


def test_html_is_escaped_from_content(s):
    # The clinic name holds an ampersand; it must arrive escaped, never raw.
    _, _, body = s.get("/")
    assert "Acupuncture & Physical" not in body
    assert "Acupuncture &amp; Physical" in body


def test_head_answers_like_get_without_body(s):
    st, h, body = s.request("HEAD", "/articles")
    assert st == 200 and body == ""
    assert int(h["content-length"]) > 1000


def test_static_assets_cache_and_etag(s):
    st, h, body = s.get("/static/style.css")
    assert st == 200 and h["content-type"].startswith("text/css")
    assert "max-age=" in h["cache-control"]
    etag = h["etag"]
    st, h2, body2 = s.get("/static/style.css", headers={"If-None-Match": etag})
    assert st == 304 and body2 == ""
    _, _, home = s.get("/")
    m = re.search(r'href="(/static/style\.css\?v=[0-9a-f]{8})"', home)
    assert m, "the stylesheet URL carries a version"
    _, h3, _ = s.get(m.group(1))
    assert "immutable" in h3["cache-control"]
    st, _, _ = s.get("/static/nope.css")
    assert st == 404


def test_healthz(s):
    st, h, body = s.get("/healthz")
    assert st == 200 and body == "ok\n" and h["content-type"].startswith("text/plain")


# --- bad input ----------------------------------------------------------------------------------

def test_dot_dot_in_static_paths_is_400(s):
    for path in [b"/static/../meson.build", b"/static/%2e%2e/meson.build", b"/static/./style.css",
                 b"/static/..%2fmeson.build"]:
        resp = s.raw(b"GET " + path + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        assert status_of(resp) in (400, 404), (path, resp[:200])
        assert "project(" not in resp


def test_invalid_utf8_is_400(s):
    resp = s.raw(b"GET /articles/%ff%fe HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    assert status_of(resp) == 400, resp[:200]
    assert "UTF-8" in resp
    resp = s.raw(b"GET /articles?q=%c3%28 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    assert status_of(resp) == 400, resp[:200]


def test_unknown_method_is_405_with_allow(s):
    st, h, body = s.request("POST", "/articles", body="a=1",
                            headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert st == 405 and "GET" in h["allow"]
    assert "405" in body
    st, h, _ = s.request("DELETE", "/")
    assert st == 405


def test_oversized_headers_are_431(s):
    big = "x" * 20000
    resp = s.raw(f"GET / HTTP/1.1\r\nHost: x\r\nX-Big: {big}\r\nConnection: close\r\n\r\n".encode())
    assert status_of(resp) == 431, resp[:200]
    many = "".join(f"X-H{i}: {'y' * 100}\r\n" for i in range(200))
    resp = s.raw(f"GET / HTTP/1.1\r\nHost: x\r\n{many}Connection: close\r\n\r\n".encode())
    assert status_of(resp) == 431, resp[:200]


def test_oversized_body_is_413(s):
    resp = s.raw(b"POST /articles HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                 b"Content-Length: 5000000\r\nConnection: close\r\n\r\nabc")
    assert status_of(resp) == 413, resp[:200]
    resp = s.raw(b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: banana\r\nConnection: close\r\n\r\n")
    assert status_of(resp) == 400, resp[:200]


def test_malformed_requests_never_crash(s):
    for junk in [b"GARBAGE\r\n\r\n", b"GET\r\n\r\n", b"\x00\x01\x02\r\n\r\n", b"GET / HTTP/9.9\r\n\r\n",
                 b"GET / HTTP/1.1\r\nHost: x\r\nBad Header Line\r\n\r\n",
                 b"GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
                 b"GET /" + b"a" * 10000 + b" HTTP/1.1\r\nHost: x\r\n\r\n"]:
        resp = s.raw(junk)
        st = status_of(resp)
        assert st is None or 400 <= st < 500 or st == 505, (junk[:40], resp[:200])
    st, _, _ = s.get("/healthz")
    assert st == 200, "the server still answers after malformed requests"
    assert s.proc.poll() is None


def test_access_log_one_line_per_request_without_query(s):
    s.get("/articles?token=secret-value-123")
    time.sleep(0.2)
    log = s.read_log()
    lines = [ln for ln in log.splitlines() if " GET /articles " in ln]
    assert lines, log[-500:]
    assert "secret-value-123" not in log
    assert re.search(r"info GET /articles 200 [0-9.]+ms 127\.0\.0\.1", lines[-1]), lines[-1]


# --- process: signals, settings, content --------------------------------------------------------

@own_server
def test_sigterm_lets_a_request_in_flight_finish():
    s = Server()
    try:
        with socket.create_connection(("127.0.0.1", s.port), timeout=10) as c:
            # Headers and half the body now, the rest after the signal: the request is in flight.
            c.sendall(b"GET /articles HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\nConnection: close\r\n\r\n12345")
            time.sleep(0.3)
            s.proc.send_signal(signal.SIGTERM)
            time.sleep(0.3)
            assert s.proc.poll() is None, "the server waits for the request in flight"
            c.sendall(b"67890")
            data = b""
            while True:
                b = c.recv(65536)
                if not b:
                    break
                data += b
        assert status_of(data.decode("utf-8", "replace")) == 200
        assert s.stop() == 0
        assert "stopped" in s.read_log()
        # The listening socket is gone.
        try:
            socket.create_connection(("127.0.0.1", s.port), timeout=1).close()
            raise AssertionError("still accepting connections after stop")
        except ConnectionRefusedError:
            pass
    finally:
        s.close()


@own_server
def test_sigint_stops_cleanly_and_restart_keeps_data():
    s = Server()
    try:
        assert s.stop(signal.SIGINT) == 0
        first = s.read_log()
        assert re.search(r"\d+ migrations? applied", first), first
        s2 = Server(db=s.db)
        try:
            log = s2.read_log()
            assert "applied" not in log, "migrations are applied once"
            assert "demo clinic created" not in log, "the demo fills an empty database only"
        finally:
            s2.stop()
            s2.close()
        assert query(s.db, "SELECT COUNT(*) FROM clinic") == "1"
    finally:
        s.close()


@own_server
def test_settings_from_environment():
    d = tempfile.mkdtemp()
    from harness import free_port
    port = free_port()
    s = None
    try:
        env = {"RUNCARE_LISTEN": f"127.0.0.1:{port}", "RUNCARE_DB": f"sqlite:{d}/env.db"}
        p = subprocess.Popen([os.path.join(ROOT, os.environ.get("RUNCARE_BIN", "build/runcare")), "serve"],
                             env={**os.environ, **env}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        import http.client
        for _ in range(200):
            try:
                c = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                c.request("GET", "/healthz")
                if c.getresponse().status == 200:
                    break
            except OSError:
                time.sleep(0.05)
        else:
            raise AssertionError("did not serve on RUNCARE_LISTEN")
        p.send_signal(signal.SIGTERM)
        assert p.wait(15) == 0
        assert os.path.exists(f"{d}/env.db")
    finally:
        shutil.rmtree(d, ignore_errors=True)
        if s:
            s.close()


@own_server
def test_content_dir_overrides_and_bad_content_does_not_start():
    d = tempfile.mkdtemp()
    try:
        shutil.copytree(os.path.join(ROOT, "content"), os.path.join(d, "content"))
        with open(os.path.join(d, "content", "articles", "hello.md"), "w") as f:
            f.write("title: Hello <clinic>\ncategory: News & Notes\ndate: 2026-11-23\nsummary: A test.\n\n"
                    "Some *text* and <script>alert(1)</script>.\n")
        s = Server("--content", os.path.join(d, "content"))
        try:
            st, _, body = s.get("/articles/hello")
            assert st == 200
            assert "Hello &lt;clinic&gt;" in body and "<script>" not in body
            st, _, _ = s.get("/articles/category/news-notes")
            assert st == 200
        finally:
            s.stop()
            s.close()
        with open(os.path.join(d, "content", "articles", "broken.md"), "w") as f:
            f.write("title: Broken\nsubject: nope\n\nbody\n")
        st, out, err = runcare("serve", "--content", os.path.join(d, "content"), "--db", f"sqlite:{d}/x.db",
                               "--listen", "127.0.0.1:0")
        assert st == 2, (st, err)
        assert "articles/broken.md line 2" in err and "subject" in err, err
        with open(os.path.join(d, "content", "clinic.json"), "w") as f:
            f.write('{"name": "x",\n "tagline": }\n')
        os.remove(os.path.join(d, "content", "articles", "broken.md"))
        st, out, err = runcare("serve", "--content", os.path.join(d, "content"), "--db", f"sqlite:{d}/x.db",
                               "--listen", "127.0.0.1:0")
        assert st == 2 and "clinic.json line 2" in err, err
    finally:
        shutil.rmtree(d, ignore_errors=True)


# --- CLI ----------------------------------------------------------------------------------------

@own_server
def test_cli_usage_and_exit_status():
    st, out, _ = runcare("version")
    assert st == 0 and out.startswith("runcare ") and "SQLite" in out
    for args in [["--help"], ["serve", "--help"], ["db", "--help"], ["version", "--help"]]:
        st, out, _ = runcare(*args)
        assert st == 0 and "usage:" in out, args
    for args in [[], ["bogus"], ["serve", "--threads", "0"], ["serve", "--nope"], ["db"], ["db", "frobnicate"],
                 ["db", "backup"], ["version", "extra"], ["serve", "--listen", "not-an-address"]]:
        st, _, err = runcare(*args)
        assert st == 2, (args, st, err)
        assert err.strip(), args
    st, _, err = runcare("db", "status", "--db", "mysql://x")
    assert st == 1 and "sqlite:PATH" in err, err
    st, _, err = runcare("db", "status", "--db", "sqlite:/nonexistent-dir/x.db")
    assert st == 1 and "cannot open" in err, err


@own_server
def test_cli_db_migrate_status_backup_while_serving():
    s = Server()
    try:
        st, out, err = runcare("db", "status", "--db", s.db)
        assert st == 0 and "0001_clinic.sql" in out and "0 pending" in out, out + err
        st, out, _ = runcare("db", "migrate", "--db", s.db)
        assert st == 0 and "0 migrations applied" in out, out
        # Back up while the server is answering requests.
        backup = os.path.join(s.dir, "copy.db")
        st, out, err = runcare("db", "backup", backup, "--db", s.db)
        assert st == 0, err
        assert s.get("/healthz")[0] == 200
        con = sqlite3.connect(backup)
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert con.execute("SELECT COUNT(*) FROM clinic").fetchone()[0] == 1
        assert con.execute("SELECT COUNT(*) FROM schema_migrations").fetchone()[0] >= 1
        con.close()
        st, _, err = runcare("db", "backup", backup, "--db", s.db)
        assert st == 2 and "already exists" in err
    finally:
        s.stop()
        s.close()


@own_server
def test_cli_db_status_on_fresh_database_then_migrate():
    d = tempfile.mkdtemp()
    try:
        url = fresh_db(d)
        st, out, _ = runcare("db", "status", "--db", url)
        known = len(re.findall(r"^\d+\s+\d{4}_\w+\.sql\s+pending$", out, re.M))
        assert st == 0 and known >= 2 and f"{known} pending" in out, out
        st, out, _ = runcare("db", "migrate", "--db", url)
        assert st == 0 and f"{known} migrations applied" in out, out
        st, out, _ = runcare("db", "status", "--db", url)
        assert "0 pending" in out
        if BACKEND == "sqlite":
            assert query(url, "PRAGMA journal_mode") == "wal"
            assert query(url, "PRAGMA foreign_keys") == "0", "a plain client has them off; runcare turns them on"
    finally:
        shutil.rmtree(d, ignore_errors=True)


@own_server
def test_port_in_use_is_a_clear_failure():
    s = Server()
    try:
        st, _, err = runcare("serve", "--listen", f"127.0.0.1:{s.port}", "--db", f"sqlite:{s.dir}/other.db")
        assert st == 1 and "cannot listen" in err, (st, err)
    finally:
        s.stop()
        s.close()


@own_server
def test_cli_activity_show_reads_training_files_and_refuses_others():
    import json as _json
    st, out, err = runcare("activity", "show", os.path.join(ROOT, "tests/fuzz/seeds/xml/run.tcx"), "--json")
    assert st == 0, err
    doc = _json.loads(out)
    assert doc["sport"] == "running" and doc["distance_m"] == 60 and doc["duration_s"] == 20 and doc["hr_avg"] == 142.5
    assert set(doc) >= {"sport", "start", "distance_m", "duration_s", "moving_s", "elevation_gain_m", "hr_avg",
                        "track", "warnings"}
    # The start is in the clinic's zone (San Diego), whatever the machine's: with the TZ of the
    # machine set far from it, the offset is still the clinic's.
    st, out2, err = runcare("activity", "show", os.path.join(ROOT, "tests/fuzz/seeds/xml/run.tcx"), "--json",
                            env={"TZ": "Asia/Tokyo"})
    start = _json.loads(out2)["start"]
    assert start.endswith("-08:00") or start.endswith("-07:00"), start
    st, out, err = runcare("activity", "show", os.path.join(ROOT, "tests/fuzz/seeds/xml/run.gpx"))
    assert st == 0 and "GPX file" in out
    st, out, err = runcare("activity", "show", os.path.join(ROOT, "README.md"))
    assert st == 2 and "README.md" in err and "not a training file" in err
    st, out, err = runcare("activity", "show", "/no/such/file.gpx")
    assert st == 2 and "cannot open" in err


# --- the database: both backends, copying between them, several processes on one -------------

def copy_report(out):
    """{table: (rows, checksum)} from the output of runcare db copy."""
    rows = {}
    for line in out.splitlines():
        m = re.match(r"(\w+)\s+(\d+) rows\s+checksum ([0-9a-f]{16})\s+ok", line)
        if m:
            rows[m.group(1)] = (int(m.group(2)), m.group(3))
    return rows


@own_server
def test_db_copy_round_trips_a_demo_clinic():
    s = Server()
    d = tempfile.mkdtemp()
    try:
        s.stop()
        # One hop through the other backend and back: SQLite -> PostgreSQL -> SQLite under PostgreSQL,
        # SQLite -> SQLite -> SQLite otherwise.
        middle = fresh_db(d)
        back = f"sqlite:{d}/back.db"
        st, out1, err = runcare("db", "copy", "--from", s.db, "--to", middle)
        assert st == 0 and "copied and verified" in out1, err
        st, out2, err = runcare("db", "copy", "--from", middle, "--to", back)
        assert st == 0, err
        r1, r2 = copy_report(out1), copy_report(out2)
        assert r1 and r1 == r2, (r1, r2)
        assert r1["clinic"][0] == 1
        assert query(back, "SELECT name FROM clinic") == query(s.db, "SELECT name FROM clinic")
        # A target with data is refused and left as it was; --force replaces it.
        st, _, err = runcare("db", "copy", "--from", s.db, "--to", back)
        assert st == 2 and "not empty" in err and "unchanged" in err, err
        assert query(back, "SELECT COUNT(*) FROM clinic") == "1"
        st, out3, err = runcare("db", "copy", "--from", s.db, "--to", back, "--force")
        assert st == 0 and copy_report(out3) == r1, err
        # New rows after a copy get fresh ids (PostgreSQL's identity continues past the copied ids).
        target = fresh_db(d)
        st, _, err = runcare("db", "copy", "--from", s.db, "--to", target)
        assert st == 0, err
        new_id = query(target, "INSERT INTO clinic (slug, name, timezone, created_at) "
                               "VALUES ('second', 'Second', 'UTC', '2026-01-01T00:00:00Z') RETURNING id")
        assert new_id == "2", new_id
        st, _, err = runcare("db", "copy", "--to", back)
        assert st == 2 and "--from" in err
    finally:
        s.close()
        shutil.rmtree(d, ignore_errors=True)


@own_server
def test_two_processes_start_together_on_one_database():
    import threading
    d = tempfile.mkdtemp()
    url = fresh_db(d)
    servers, errors = [], []

    def start():
        try:
            servers.append(Server(db=url))
        except Exception as e:  # reported below
            errors.append(e)

    threads = [threading.Thread(target=start) for _ in range(2)]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert not errors, errors
        assert len(servers) == 2
        # Each migration is recorded once and the demo clinic created once, whoever won.
        assert query(url, "SELECT COUNT(*) FROM schema_migrations WHERE version = 1") == "1"
        assert query(url, "SELECT COUNT(*) FROM clinic") == "1"
        for _ in range(3):
            for srv in servers:
                st, _, body = srv.get("/")
                assert st == 200 and "Balboa Park" in body
        # One signed-in runner, served alternately by both processes: the session lives in the
        # database, not in either process.
        from harness import Client, add_user
        add_user(servers[0], "runner", "both@example.org", "two processes one user")
        c = Client(servers[0]).sign_in("both@example.org", "two processes one user")
        for i in range(4):
            c.s = servers[i % 2]
            st, _, body = c.get("/account")
            assert st == 200 and "both@example.org" in body, (i, st)
        c.s = servers[1]
        st, _, _ = c.post("/signout", {}, csrf_from="/account")
        assert st == 303
        c.s = servers[0]
        assert c.get("/account")[0] == 303, "signed out on one process is signed out on both"
    finally:
        for srv in servers:
            srv.stop()
            srv.close()
        shutil.rmtree(d, ignore_errors=True)


# The tests by module, "run" being this file's own. RUNCARE_TEST_MODULES=booking,programs (comma-separated)
# runs only those modules' tests; unset, all of them.
MODULES = {"run": [v for k, v in list(globals().items()) if k.startswith("test_") and callable(v)]}
import accounts  # noqa: E402
import booking  # noqa: E402
import wave  # noqa: E402
import selfcheck  # noqa: E402
import mail  # noqa: E402
import training  # noqa: E402
import import_jobs  # noqa: E402
import programs  # noqa: E402
import limits  # noqa: E402
import security  # noqa: E402
import account_attacks  # noqa: E402
import http_attacks  # noqa: E402
import proxy  # noqa: E402
import waitlist  # noqa: E402
import chart  # noqa: E402
import reports  # noqa: E402
import grid  # noqa: E402
import setup  # noqa: E402
import patients  # noqa: E402
import fhir  # noqa: E402
import movein  # noqa: E402
import selfcheck_flow  # noqa: E402
import billing  # noqa: E402
import activities  # noqa: E402
import exports  # noqa: E402
import platforms  # noqa: E402
import bigexport  # noqa: E402
import uploads  # noqa: E402
for module in (accounts, booking, wave, waitlist, selfcheck, mail, training, import_jobs, programs, limits, security, account_attacks,
               http_attacks, proxy, chart, reports, grid, setup, patients, fhir, movein, selfcheck_flow, billing, activities,
               exports, platforms, bigexport, uploads):
    MODULES[module.__name__] = [v for k, v in vars(module).items() if k.startswith("test_") and callable(v)]
_chosen = [m for m in os.environ.get("RUNCARE_TEST_MODULES", "").split(",") if m] or list(MODULES)
if set(_chosen) - set(MODULES):
    sys.exit(f"RUNCARE_TEST_MODULES: no module {', '.join(sorted(set(_chosen) - set(MODULES)))} "
             f"(there are {', '.join(MODULES)})")
TESTS = [t for m in MODULES if m in _chosen for t in MODULES[m]]
# The clock suite runs only what the moment can change (harness.clock_free).
if os.environ.get("RUNCARE_CLOCK"):
    TESTS = [t for t in TESTS if not getattr(t, "clock_free", False)]
# RUNCARE_TEST_ONLY=REGEX runs the chosen modules' tests whose names it matches (while working on one).
if os.environ.get("RUNCARE_TEST_ONLY"):
    TESTS = [t for t in TESTS if re.search(os.environ["RUNCARE_TEST_ONLY"], t.__name__)]

# RUNCARE_TEST_CLAIMS=DIR: several runs share the chosen modules (tests/run-all.sh starts two a backend).
# Each takes the next module nobody has taken yet by creating DIR/MODULE (O_EXCL), and runs its tests;
# the longest modules go first, so that the runs end close together.
LONGEST_FIRST = ("import_jobs", "billing", "limits", "http_attacks", "run", "account_attacks", "setup", "chart",
                 "fhir", "training", "booking", "platforms", "accounts", "wave")


def claimed(claims):
    order = sorted(MODULES, key=lambda m: LONGEST_FIRST.index(m) if m in LONGEST_FIRST else len(LONGEST_FIRST))
    chosen = set(TESTS)
    for m in order:
        mine = [t for t in MODULES[m] if t in chosen]
        if not mine:
            continue
        try:
            os.close(os.open(os.path.join(claims, m), os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644))
        except FileExistsError:
            continue
        print(f"# module {m}", flush=True)
        yield from mine


if __name__ == "__main__":
    claims = os.environ.get("RUNCARE_TEST_CLAIMS")
    sys.exit(run_tests(claimed(claims) if claims else TESTS))
