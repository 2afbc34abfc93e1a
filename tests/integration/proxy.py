"""proxy.py — the production shape, tested: docs/deploy/nginx.conf in front of runcare started with
--behind-tls --trusted-proxy 127.0.0.1. nginx runs as the current user from a temporary folder (its
config is the shipped file with this test's ports, certificate and paths), with a certificate made
here by openssl. Through it: a page with HSTS, a sign-in whose cookie is Secure, the client's address
(not the proxy's) in runcare's log and sign-in throttle, a client's own X-Forwarded-For not believed,
bodies capped at the edge as runcare caps them, an upload streamed through to runcare (not buffered by
nginx) and imported, and a short slowloris while others are still served.

Without nginx the test says so and is skipped — unless CI is set, where a missing nginx fails
(deps/debian.txt installs nginx-light and openssl).
"""
import http.client
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import tempfile
import threading
import time

from harness import ROOT, Server, add_user, free_port, own_server, query, status_of

NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)


def need_tools():
    """True when nginx and openssl are there; else a clear skip, or a failure under CI."""
    missing = [t for t, p in (("nginx", NGINX), ("openssl", shutil.which("openssl"))) if not p]
    if not missing:
        return True
    why = f"{' and '.join(missing)} not installed (deps/debian.txt lists nginx-light and openssl)"
    if os.environ.get("CI"):
        raise AssertionError(why)
    print(f"# SKIP proxy tests: {why}", flush=True)
    return False


def site_config(runcare_port, tls_port, http_port, cert, key):
    """docs/deploy/nginx.conf with this test's ports and certificate; each change must find its line,
    so the test fails when the shipped file changes shape."""
    text = open(os.path.join(ROOT, "docs/deploy/nginx.conf")).read()
    for old, new in [("server 127.0.0.1:8080;", f"server 127.0.0.1:{runcare_port};"),
                     ("listen 443 ssl http2;", f"listen 127.0.0.1:{tls_port} ssl http2;"),
                     ("listen 80;", f"listen 127.0.0.1:{http_port};"),
                     ("/etc/letsencrypt/live/clinic.example.org/fullchain.pem", cert),
                     ("/etc/letsencrypt/live/clinic.example.org/privkey.pem", key)]:
        assert text.count(old) == 1, f"docs/deploy/nginx.conf no longer has '{old}' once"
        text = text.replace(old, new)
    return text


class Proxy:
    """nginx with the shipped site config, in front of a runcare Server."""

    def __init__(self, runcare):
        self.dir = tempfile.mkdtemp(prefix="runcare-nginx-")
        self.tls_port, self.http_port = free_port(), free_port()
        self.cert, self.key = os.path.join(self.dir, "cert.pem"), os.path.join(self.dir, "key.pem")
        p = subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                            "-nodes", "-days", "1", "-subj", "/CN=localhost", "-keyout", self.key, "-out", self.cert,
                            "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"], capture_output=True, text=True)
        assert p.returncode == 0, p.stderr
        with open(os.path.join(self.dir, "runcare.conf"), "w") as f:
            f.write(site_config(runcare.port, self.tls_port, self.http_port, self.cert, self.key))
        # Temporary files of every module this nginx has go in the folder too, never under /var.
        built = subprocess.run([NGINX, "-V"], capture_output=True, text=True).stderr
        temps = "".join(f"    {m}_temp_path {self.dir}/{m};\n" for m in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
                        if m in ("client_body", "proxy") or f"--without-http_{m}_module" not in built)
        user = "user root root;\n" if os.geteuid() == 0 else ""
        with open(os.path.join(self.dir, "nginx.conf"), "w") as f:
            f.write(f"{user}worker_processes 1;\nerror_log {self.dir}/error.log info;\n"
                    f"events {{ worker_connections 1024; }}\n"
                    f"http {{\n    access_log {self.dir}/access.log;\n{temps}"
                    f"    include {self.dir}/runcare.conf;\n}}\n")
        self.log = open(os.path.join(self.dir, "nginx.out"), "w")
        self.proc = subprocess.Popen([NGINX, "-p", self.dir, "-e", f"{self.dir}/error.log", "-c",
                                      f"{self.dir}/nginx.conf", "-g", f"daemon off; pid {self.dir}/nginx.pid;"],
                                     stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 10
        while time.time() < deadline:
            assert self.proc.poll() is None, "nginx exited: " + self.errors()
            try:
                socket.create_connection(("127.0.0.1", self.tls_port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.05)
        raise AssertionError("nginx did not start: " + self.errors())

    def errors(self):
        out = ""
        for name in ("nginx.out", "error.log"):
            path = os.path.join(self.dir, name)
            if os.path.exists(path):
                out += open(path, errors="replace").read()[-2000:]
        return out

    def tls(self):
        ctx = ssl.create_default_context(cafile=self.cert)
        return ctx

    def request(self, method, path, body=None, headers=None, source="127.0.0.2", timeout=10):
        c = http.client.HTTPSConnection("localhost", self.tls_port, context=self.tls(), timeout=timeout,
                                        source_address=(source, 0))
        try:
            c.request(method, path, body=body, headers=headers or {})
            r = c.getresponse()
            data = r.read().decode("utf-8", "replace")
            return r.status, r.getheaders(), data
        finally:
            c.close()

    def close(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGQUIT)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()
        shutil.rmtree(self.dir, ignore_errors=True)


def header(headers, name):
    return [v for k, v in headers if k.lower() == name.lower()]


def runcare_address(server, method, path):
    """The address on the last access-log line for method and path."""
    time.sleep(0.3)
    lines = [ln for ln in server.read_log().splitlines() if f" {method} {path} " in ln]
    assert lines, server.read_log()[-1500:]
    return lines[-1].split()[-1]


@own_server
def test_through_nginx_tls_hsts_secure_cookie_and_the_clients_address():
    if not need_tools():
        return
    s = Server("--behind-tls", "--trusted-proxy", "127.0.0.1")
    p = None
    try:
        p = Proxy(s)
        # A page, over TLS, with HSTS from nginx and runcare's own headers.
        st, h, body = p.request("GET", "/")
        assert st == 200 and "Balboa Park" in body, (st, body[:300])
        hsts = header(h, "Strict-Transport-Security")
        assert hsts and "max-age=63072000" in hsts[0], h
        assert header(h, "Content-Security-Policy"), h
        assert not [v for v in header(h, "Server") if re.search(r"\d", v)], "nginx does not say its version"
        # Plain HTTP is sent to HTTPS.
        c = http.client.HTTPConnection("127.0.0.1", p.http_port, timeout=5)
        c.request("GET", "/articles")
        r = c.getresponse()
        assert r.status == 301 and r.getheader("Location", "").startswith("https://"), r.status
        c.close()
        # The client's address, not the proxy's, is what runcare logs.
        assert runcare_address(s, "GET", "/") == "127.0.0.2"
        # A client's own X-Forwarded-For is replaced by nginx, and would not be believed from it anyway.
        st, _, _ = p.request("GET", "/articles", headers={"X-Forwarded-For": "6.6.6.6"}, source="127.0.0.3")
        assert st == 200 and runcare_address(s, "GET", "/articles") == "127.0.0.3"

        # Signing in through the proxy: the session cookie is Secure; the throttle sees the client.
        add_user(s, "runner", "tls@example.org", "behind the proxy 1", "Tess Tls")
        st, h, body = p.request("GET", "/signin")
        token = re.search(r'name="csrf" value="([0-9a-f]{64})"', body).group(1)
        jar = "; ".join(v.split(";", 1)[0] for v in header(h, "Set-Cookie"))
        form = "email=tls%40example.org&password={}&next=%2Faccount&csrf=" + token
        st, h, _ = p.request("POST", "/signin", body=form.format("not+the+password"),
                             headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": jar,
                                      "X-Forwarded-For": "6.6.6.6"}, source="127.0.0.4")
        assert query(s.db, "SELECT address FROM signin_failure ORDER BY id DESC LIMIT 1") == "127.0.0.4"
        st, h, _ = p.request("POST", "/signin", body=form.format("behind+the+proxy+1"),
                             headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": jar})
        assert st == 303, st
        session = [v for v in header(h, "Set-Cookie") if v.startswith("rc_session=")]
        assert session and "; Secure" in session[0] and "HttpOnly" in session[0], session
        cookie = jar + "; " + session[0].split(";", 1)[0]
        st, _, body = p.request("GET", "/account", headers={"Cookie": cookie})
        assert st == 200 and "tls@example.org" in body

        # Bodies are capped at the edge as runcare caps them, before they are read.
        st, _, _ = p.request("POST", "/signin", body=b"a" * (1024 * 1024 + 1),
                             headers={"Content-Type": "application/x-www-form-urlencoded"})
        assert st == 413, st
        raw = socket.create_connection(("127.0.0.1", p.tls_port), timeout=5)
        t = p.tls().wrap_socket(raw, server_hostname="localhost")
        t.sendall(f"POST /training/upload HTTP/1.1\r\nHost: localhost\r\nCookie: {cookie}\r\n"
                  f"Content-Type: multipart/form-data; boundary=b\r\nContent-Length: {4096 * 1024 * 1024 + 1}\r\n\r\n"
                  .encode())
        t0 = time.monotonic()
        answer = t.recv(4096).decode("utf-8", "replace")
        t.close()
        assert status_of(answer) == 413 and time.monotonic() - t0 < 2, answer[:200]
    finally:
        if p:
            p.close()
        s.close()


@own_server
def test_a_short_slowloris_against_nginx_leaves_others_served():
    if not need_tools():
        return
    s = Server("--behind-tls", "--trusted-proxy", "127.0.0.1")
    p = None
    socks, stop = [], threading.Event()
    try:
        p = Proxy(s)
        for _ in range(100):
            try:
                raw = socket.create_connection(("127.0.0.1", p.tls_port), timeout=5, source_address=("127.0.0.5", 0))
                t = p.tls().wrap_socket(raw, server_hostname="localhost")
                t.sendall(b"GET / HTTP/1.1\r\nHost: localhost\r\n")
                socks.append(t)
            except OSError:
                pass

        def dribble():
            while not stop.is_set():
                for k in list(socks):
                    try:
                        k.sendall(b"X")
                    except OSError:
                        socks.remove(k)
                stop.wait(1.0)

        th = threading.Thread(target=dribble)
        th.start()
        t0 = time.monotonic()
        while time.monotonic() - t0 < 5:
            start = time.monotonic()
            st, _, _ = p.request("GET", "/healthz", source="127.0.0.6", timeout=5)
            took = time.monotonic() - start
            assert st == 200 and took < 1.0, (st, took)
            time.sleep(0.25)
        stop.set()
        th.join()
        assert s.proc.poll() is None and p.proc.poll() is None
    finally:
        stop.set()
        for k in socks:
            try:
                k.close()
            except OSError:
                pass
        if p:
            p.close()
        s.close()


@own_server
def test_an_upload_through_nginx_reaches_runcare_as_it_arrives_and_is_imported():
    """The upload route is not buffered by nginx (gigabytes would go to nginx's disk first): while the
    body is still being sent, runcare is already writing it to its own spool; then a whole upload through
    nginx becomes a job that imports its file."""
    if not need_tools():
        return
    from harness import Client
    from training import follow_job, multipart
    spool = tempfile.mkdtemp(prefix="runcare-spool-")
    s = Server("--behind-tls", "--trusted-proxy", "127.0.0.1", "--upload-dir", spool)
    p = None
    try:
        p = Proxy(s)
        add_user(s, "runner", "stream@example.org", "streamed upload 1", "Stella Stream")
        c = Client(s).sign_in("stream@example.org", "streamed upload 1")
        mib = 1024 * 1024
        raw = socket.create_connection(("127.0.0.1", p.tls_port), timeout=10)
        t = p.tls().wrap_socket(raw, server_hostname="localhost")
        t.sendall(f"POST /training/upload HTTP/1.1\r\nHost: localhost\r\nCookie: {c._cookie_header()}\r\n"
                  f"Content-Type: multipart/form-data; boundary=b\r\nContent-Length: {16 * mib}\r\n\r\n".encode())
        t.sendall(b"--b\r\n" + b"q" * (6 * mib))
        spooled, deadline = 0, time.time() + 5
        while spooled < 4 * mib and time.time() < deadline:
            time.sleep(0.1)
            for fd in os.listdir(f"/proc/{s.proc.pid}/fd"):
                try:
                    if os.readlink(f"/proc/{s.proc.pid}/fd/{fd}").startswith(spool + "/"):
                        spooled = max(spooled, os.stat(f"/proc/{s.proc.pid}/fd/{fd}").st_size)
                except OSError:
                    pass
        t.close()
        assert spooled >= 4 * mib, f"runcare had {spooled} bytes of a half-sent upload: nginx buffered it"
        # A whole upload through the proxy: a job, read to its report.
        st, _, page = p.request("GET", "/account", headers={"Cookie": c._cookie_header()})
        token = re.search(r'name="csrf" value="([0-9a-f]{64})"', page).group(1)
        from harness import clock_now
        from training import road
        gpx = road(clock_now() - 3 * 86400, 40)
        body, ctype = multipart({"csrf": token}, [("run.gpx", gpx)])
        st, h, page = p.request("POST", "/training/upload", body=body,
                                headers={"Content-Type": ctype, "Cookie": c._cookie_header()})
        assert st == 303, (st, page[-800:])
        loc = header(h, "Location")[0]
        st, page = follow_job(c, loc[loc.index("/training/"):])
        assert st == 200 and "1 added" in page, page[-1500:]
    finally:
        if p:
            p.close()
        s.close()
        shutil.rmtree(spool, ignore_errors=True)
