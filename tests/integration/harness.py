"""harness.py — starts the real runcare binary on a free loopback port and speaks HTTP to it.

Each test is a function taking a Server; run.py collects them and prints one line per test and a
closing "N passed, N failed".
"""
import datetime
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import traceback
import zoneinfo

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BIN = os.path.join(ROOT, os.environ.get("RUNCARE_BIN", "build/runcare"))
# When set (tests/run-all.sh does), every server gets a fresh database on this PostgreSQL server
# instead of a fresh SQLite file: postgresql://runcare@127.0.0.1:PORT
PG = os.environ.get("RUNCARE_TEST_PG")
BACKEND = "postgresql" if PG else "sqlite"
_dbs = 0
# Every runcare the tests start hashes new passwords at OWASP's smallest Argon2id cost (19 MiB, 2 passes)
# instead of the default 64 MiB: the suites hash hundreds of passwords, and at the default cost hashing
# was half the CPU of a run. accounts.test_password_cost_is_the_operators_and_old_hashes_move_to_it runs
# without it and checks the default. Set it yourself to run the suites at another cost.
os.environ.setdefault("RUNCARE_PASSWORD_HASH", "argon2id-19m")


# --- the tests' clock -----------------------------------------------------------------------------
# One clock for the tests and the binary under test. RUNCARE_CLOCK (test-only) is an RFC 3339 instant,
# optionally followed by "@UNIX_SECONDS": the real second at which the clock read that instant, after
# which it runs on at real speed. Without it the clock is the real one. Without the anchor, the anchor
# is the start of the process; it is pinned here once and handed to every runcare this process starts,
# so that the tests and all their servers agree to the second.

CLINIC_TZ = zoneinfo.ZoneInfo(json.load(open(os.path.join(ROOT, "content/clinic.json")))["timezone"])


def _clock_offset():
    """Seconds to add to the real time: 0 unless RUNCARE_CLOCK moves the clock."""
    value = os.environ.get("RUNCARE_CLOCK", "")
    if not value:
        return 0
    instant, at, anchor = value.partition("@")
    try:
        t = datetime.datetime.fromisoformat(instant)
        if t.tzinfo is None or not re.fullmatch(r"\d+", anchor if at else "0"):
            raise ValueError
    except ValueError:
        raise SystemExit(f"RUNCARE_CLOCK must be an RFC 3339 time with a zone, optionally followed by "
                         f"@UNIX_SECONDS (e.g. 2026-12-31T23:50:00-08:00); it is {value!r}") from None
    if not at:
        anchor = str(int(time.time()))
        os.environ["RUNCARE_CLOCK"] = f"{instant}@{anchor}"
    return int(t.timestamp()) - int(anchor)


CLOCK_OFFSET = _clock_offset()


def clock_now():
    """Seconds since the epoch on the tests' clock (an int, like the server's)."""
    return int(time.time()) + CLOCK_OFFSET


def clinic_now():
    """The tests' "now" as a date and time in the clinic's zone; .date() is the clinic's day."""
    return datetime.datetime.fromtimestamp(clock_now(), CLINIC_TZ)


def fresh_db(dir):
    """A new, empty database URL of the backend under test."""
    global _dbs
    if not PG:
        _dbs += 1
        return "sqlite:" + os.path.join(dir, f"test{_dbs}.db")
    _dbs += 1
    name = f"it_{os.getpid()}_{_dbs}"
    psql(PG + "/postgres", f"CREATE DATABASE {name}")
    return f"{PG}/{name}"


# A few open connections, newest last: a test's queries reuse one instead of starting psql for each (a
# psql process with its sign-in costs ~0.1 s; the route walk asks thousands of questions). Few, because
# every test has a database of its own and the servers under test need the cluster's connections.
_PG_CONNECTIONS = {}
_PG_KEEP = 3


def _pg_connection(url):
    import psycopg2
    import psycopg2.extensions as ext
    con = _PG_CONNECTIONS.pop(url, None)
    if con is None or con.closed:
        con = psycopg2.connect(url)
        con.autocommit = True
        # Every value as the server writes it in text, as psql -A prints it (booleans t/f, NULL empty).
        with con.cursor() as cur:
            cur.execute("SELECT array_agg(oid) FROM pg_type")
            oids = tuple(cur.fetchone()[0])
        ext.register_type(ext.new_type(oids, "AS_TEXT", lambda value, cur: value), con)
        while len(_PG_CONNECTIONS) >= _PG_KEEP:
            _PG_CONNECTIONS.pop(next(iter(_PG_CONNECTIONS))).close()
    _PG_CONNECTIONS[url] = con
    return con


def psql(url, sql):
    """What `psql -X -q -t -A -c sql` prints (every row, columns joined by |), stripped; a failure raises."""
    import psycopg2
    for attempt in (1, 2):
        con = _pg_connection(url)
        try:
            with con.cursor() as cur:
                cur.execute(sql)
                rows = cur.fetchall() if cur.description else []
            return "\n".join("|".join("" if v is None else v for v in row) for row in rows).strip()
        except (psycopg2.OperationalError, psycopg2.InterfaceError) as e:
            _PG_CONNECTIONS.pop(url, None)
            if attempt == 2 or not con.closed:
                raise AssertionError(f"psql failed: {e}")
        except psycopg2.Error as e:
            raise AssertionError(f"psql failed: {e}")


def query(url, sql):
    """The first column of the first row of sql on either backend, as text."""
    if url.startswith("sqlite:"):
        import sqlite3
        con = sqlite3.connect(url[len("sqlite:"):])
        try:
            row = con.execute(sql).fetchone()
            con.commit()
            return None if row is None else str(row[0])
        finally:
            con.close()
    return psql(url, sql)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def runcare(*args, env=None, input=None, timeout=30):
    """Runs the CLI to completion and returns (status, stdout, stderr)."""
    e = dict(os.environ)
    e.update(env or {})
    p = subprocess.run([BIN, *args], capture_output=True, text=True, env=e, input=input, timeout=timeout)
    return p.returncode, p.stdout, p.stderr


# What an ASan, LSan or UBSan report starts with in a server's log.
SANITIZER_REPORT = re.compile(r"ERROR: (Address|Leak)Sanitizer|runtime error:")
# Every Server started, in order, so that run_tests can check each one's log.
_servers = []


class Server:
    """A runcare serve process with its own temporary database."""

    def __init__(self, *extra, demo=True, db=None, env=None):
        self.dir = tempfile.mkdtemp(prefix="runcare-it-")
        self.port = free_port()
        self.db = db or fresh_db(self.dir)
        self.log_path = os.path.join(self.dir, "server.log")
        self.log_seen = 0      # bytes of the log already checked for sanitizer reports
        self.reports = []      # the sanitizer reports found there, each as the lines that follow it
        self.closed = False
        args = [BIN, "serve", "--listen", f"127.0.0.1:{self.port}", "--db", self.db, "--threads", "2", *extra]
        if demo:
            # The demo clinic without its patients and weeks of visits: each test makes its own.
            args.append("--demo=quiet")
        e = dict(os.environ)
        e.update(env or {})
        self.log = open(self.log_path, "w")
        self.proc = subprocess.Popen(args, stdout=self.log, stderr=subprocess.STDOUT, env=e)
        _servers.append(self)
        deadline = time.time() + 20
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"runcare exited with {self.proc.returncode}: {self.read_log()}")
            try:
                if self.get("/healthz")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.05)
        raise AssertionError("runcare did not become healthy: " + self.read_log())

    def read_log(self):
        if not self.log.closed:
            self.log.flush()
        with open(self.log_path, errors="replace") as f:
            return f.read()

    def check_log(self):
        """Adds to self.reports any sanitizer report in the part of the log not checked before."""
        if not os.path.exists(self.log_path):
            return
        with open(self.log_path, "rb") as f:
            f.seek(self.log_seen)
            new = f.read()
        if self.proc.poll() is None:
            new = new[:new.rfind(b"\n") + 1]  # a line still being written is read next time
        self.log_seen += len(new)
        lines = new.decode("utf-8", "replace").splitlines()
        starts = [i for i, line in enumerate(lines) if SANITIZER_REPORT.search(line)]
        for k, i in enumerate(starts):
            end = starts[k + 1] if k + 1 < len(starts) else len(lines)
            self.reports.append(lines[i:min(end, i + 40)])

    def request(self, method, path, body=None, headers=None):
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            c.request(method, path, body=body, headers=headers or {})
            r = c.getresponse()
            data = r.read()
            return r.status, {k.lower(): v for k, v in r.getheaders()}, data.decode("utf-8", "replace")
        finally:
            c.close()

    def get(self, path, headers=None):
        return self.request("GET", path, headers=headers)

    def raw(self, data, timeout=5):
        """Sends bytes as they are and returns the whole response text."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=timeout) as s:
            try:
                s.sendall(data)
                s.shutdown(socket.SHUT_WR)
            except OSError:
                pass  # the server answered and closed before reading everything: read its answer
            chunks = []
            try:
                while True:
                    b = s.recv(65536)
                    if not b:
                        break
                    chunks.append(b)
            except (ConnectionResetError, socket.timeout):
                pass
        return b"".join(chunks).decode("utf-8", "replace")

    def stop(self, sig=signal.SIGTERM, timeout=15):
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                raise AssertionError("runcare did not stop within %ds of signal %d" % (timeout, sig))
        self.log.close()
        self.check_log()  # after the exit, so that a leak report is in it too
        return self.proc.returncode

    def close(self):
        if self.closed:
            return
        try:
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait()
        finally:
            if not self.log.closed:
                self.log.close()
            self.check_log()
            self.closed = True
            shutil.rmtree(self.dir, ignore_errors=True)


def status_of(raw_response):
    first = raw_response.split("\r\n", 1)[0]
    parts = first.split(" ")
    return int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None


def _take_reports(first=0, shared=None):
    """Checks the log of every server not yet closed (closing those that have exited) and takes the
    sanitizer reports found in any server's log since the last call, each as its lines after one that
    names the server: the shared one, one the test started (those from _servers[first] on), or one an
    earlier test started and left running."""
    taken = []
    for i, srv in enumerate(_servers):
        if not srv.closed:
            srv.check_log()
            if srv.proc.poll() is not None:
                srv.close()
        whose = ("the shared server" if srv is shared else
                 "a server this test started" if i >= first else "a server an earlier test started")
        taken += [[f"in the log of {whose} (port {srv.port}):"] + r for r in srv.reports]
        srv.reports = []
    return taken


def _report(name, error, reports, seconds=None):
    """Prints the test's line, and after a failure the traceback and the sanitizer reports as comments."""
    if error is None and not reports:
        print(f"ok - {name}" + (f"  # {seconds:.1f} s" if seconds is not None else ""), flush=True)
        return True
    why = [repr(error)] if error is not None else []
    if reports:
        more = f" and {len(reports) - 1} more" if len(reports) > 1 else ""
        why.append(f"sanitizer report {reports[0][1].strip()[:200]!r}{more}")
    print(f"not ok - {name}: {'; '.join(why)}", flush=True)
    lines = traceback.format_exception(error) if error is not None else []
    for line in "".join(lines).splitlines() + [x for r in reports for x in r]:
        print("# " + line, flush=True)
    return False


def run_tests(tests):
    """Runs each test and prints "ok - name" or "not ok - name: why", then "N passed, N failed".

    Every server's log is checked for sanitizer reports: when it stops or closes, and after each test
    for those still running (the shared one, and any a test left running for later ones). A report
    fails the test during which it appeared; the reports that servers still running at the end write
    as they exit (leaks among them) fail the closing check sanitizer_clean_servers_at_exit."""
    passed = failed = 0
    shared = None
    for fn in tests:
        error = None
        first = len(_servers)
        began = time.monotonic()
        try:
            if getattr(fn, "own_server", False):
                fn()
            else:
                if shared is None or shared.proc.poll() is not None:
                    shared = Server()
                    first += 1
                fn(shared)
        except Exception as e:  # a failing test must not stop the others
            error = e
        if _report(fn.__name__, error, _take_reports(first, shared), time.monotonic() - began):
            passed += 1
        else:
            failed += 1
    error = None
    for srv in _servers:
        if not srv.closed:
            try:
                srv.stop()
            except AssertionError as e:
                error = e
            srv.close()
    if _report("sanitizer_clean_servers_at_exit", error, _take_reports(len(_servers), shared)):
        passed += 1
    else:
        failed += 1
    print(f"{passed} passed, {failed} failed", flush=True)
    return 1 if failed else 0


def clock_free(fn):
    """Marks a test in a date-dealing module that nothing about the clinic's day or hour can change (an
    access rule, a race, a crash, a file's geometry): the clock suite (RUNCARE_CLOCK) leaves it out."""
    fn.clock_free = True
    return fn


def own_server(fn):
    """Marks a test that starts its own server(s)."""
    fn.own_server = True
    return fn


class Client:
    """A browser-like client: keeps cookies, finds the CSRF token in the last page's forms."""

    def __init__(self, server):
        self.s = server
        self.cookies = {}
        self.last = ""
        self.headers_last = {}

    def _cookie_header(self):
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    def request(self, method, path, form=None, headers=None):
        import urllib.parse
        h = dict(headers or {})
        if self.cookies:
            h["Cookie"] = self._cookie_header()
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            h["Content-Type"] = "application/x-www-form-urlencoded"
        c = http.client.HTTPConnection("127.0.0.1", self.s.port, timeout=30)
        try:
            c.request(method, path, body=body, headers=h)
            r = c.getresponse()
            data = r.read().decode("utf-8", "replace")
            for k, v in r.getheaders():
                if k.lower() == "set-cookie":
                    name, _, rest = v.partition("=")
                    value = rest.split(";", 1)[0]
                    if "Max-Age=0" in v:
                        self.cookies.pop(name, None)
                    else:
                        self.cookies[name] = value
            self.last = data
            self.headers_last = {k.lower(): v for k, v in r.getheaders()}
            self.set_cookies = [v for k, v in r.getheaders() if k.lower() == "set-cookie"]
            return r.status, self.headers_last, data
        finally:
            c.close()

    def get(self, path, headers=None):
        return self.request("GET", path, headers=headers)

    def csrf(self, path="/account"):
        """The token a form on path carries (fetching path)."""
        import re
        self.get(path)
        m = re.search(r'name="csrf" value="([0-9a-f]{64})"', self.last)
        assert m, f"no CSRF token in the form on {path}"
        return m.group(1)

    def post(self, path, form, csrf_from=None):
        form = dict(form)
        if "csrf" not in form:
            form["csrf"] = self.csrf(csrf_from or path)
        return self.request("POST", path, form=form)

    def sign_in(self, email, password):
        st, h, body = self.post("/signin", {"email": email, "password": password, "next": "/account"},
                                csrf_from="/signin")
        assert st == 303 and h.get("location") == "/account", (st, body[:500])
        return self


def add_user(server, role, email, password, name=None):
    """Creates an account through the CLI (the password on standard input); returns its id."""
    args = ["user", "add", "--role", role, "--email", email, "--db", server.db]
    if name:
        args += ["--name", name]
    st, out, err = runcare(*args, input=password + "\n")
    assert st == 0, err
    return int(out.split("account ")[1].split()[0])


def clinic_day(weeks, weekday, days_after=0):
    """'YYYY-MM-DD': the given weekday (0 Monday … 6 Sunday) at least `weeks` weeks from the clinic's
    day today, plus days_after. Tests book on days like this, never on fixed dates that pass."""
    base = clinic_now().date() + datetime.timedelta(weeks=weeks)
    base += datetime.timedelta(days=(weekday - base.weekday()) % 7 + days_after)
    return base.isoformat()


def clinic_time(date, hhmm):
    """Seconds since the epoch of a clinic-local date and time (on a day the clocks change, a time
    that does not exist or comes twice is taken as zoneinfo takes it: fold 0)."""
    h, m = map(int, hhmm.split(":"))
    d = datetime.date.fromisoformat(date)
    return int(datetime.datetime(d.year, d.month, d.day, h, m, tzinfo=CLINIC_TZ).timestamp())
