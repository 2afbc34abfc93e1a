#!/usr/bin/env python3
"""chart.py — the clinical chart's render time for a patient with 300 visits (each a signed note with its
measures and treatments, each on an appointment) and five years of diary, beside the article page served
by the same process in the same run (the peer: a page read from memory). Sequential requests on one
keep-alive connection, as one practitioner opening charts; prints the median and p90 of each and the ratio.

usage: bench/chart.py [--visits 300] [--years 5] [--runs 40]
"""
import argparse
import datetime
import http.client
import json
import os
import re
import shutil
import socket
import sqlite3
import statistics
import subprocess
import tempfile
import time
import urllib.parse
import zoneinfo

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
BIN = os.path.join(ROOT, os.environ.get("RUNCARE_BIN", "build/runcare"))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cli(*args, stdin=None):
    p = subprocess.run([BIN, *args], capture_output=True, text=True, input=stdin)
    if p.returncode:
        raise SystemExit(f"runcare {' '.join(args[:2])} failed: {p.stderr}")
    return p.stdout


class Conn:
    """One keep-alive connection, cookies kept."""

    def __init__(self, port):
        self.c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookies = {}

    def call(self, method, path, body=None, headers=None, form=None):
        h = dict(headers or {})
        if self.cookies:
            h["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if form is not None:
            body = urllib.parse.urlencode(form)
            h["Content-Type"] = "application/x-www-form-urlencoded"
        self.c.request(method, path, body=body, headers=h)
        r = self.c.getresponse()
        data = r.read()
        for k, v in r.getheaders():
            if k.lower() == "set-cookie":
                name, _, rest = v.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        return r.status, data


def timed(conn, path, runs):
    times, size = [], 0
    for _ in range(runs):
        t = time.perf_counter()
        st, data = conn.call("GET", path)
        times.append((time.perf_counter() - t) * 1000)
        if st != 200:
            raise SystemExit(f"GET {path}: {st} {data[:200]!r}")
        size = len(data)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.9)], size


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--visits", type=int, default=300)
    ap.add_argument("--years", type=int, default=5)
    ap.add_argument("--runs", type=int, default=40)
    args = ap.parse_args()
    d = tempfile.mkdtemp(prefix="runcare-bench-chart-")
    db = f"sqlite:{d}/chart.db"
    port = free_port()
    log = open(os.path.join(d, "server.log"), "w")
    srv = subprocess.Popen([BIN, "serve", "--demo=quiet", "--listen", f"127.0.0.1:{port}", "--db", db, "--threads", "2"],
                           stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)
    try:
        for _ in range(200):
            try:
                c = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                c.request("GET", "/healthz")
                if c.getresponse().status == 200:
                    break
            except OSError:
                time.sleep(0.05)
        cli("user", "add", "--role", "practitioner", "--email", "bench@clinic.test", "--name", "Bench Physio", "--db", db,
            stdin="bench practitioner pass\n")
        tok = cli("token", "create", "--user", "bench@clinic.test", "--scope", "write", "--db", db).strip().splitlines()[-1]
        con = sqlite3.connect(f"{d}/chart.db")
        runner = con.execute("SELECT id FROM account WHERE email = 'runner@demo.runcare.test'").fetchone()[0]
        tz = zoneinfo.ZoneInfo(json.load(open(os.path.join(ROOT, "content/clinic.json")))["timezone"])
        today = datetime.datetime.now(tz).date()
        first = today - datetime.timedelta(days=365 * args.years)
        api = Conn(port)
        H = {"Authorization": "Bearer " + tok, "Content-Type": "application/json"}

        def post(path, body):
            st, data = api.call("POST", path, json.dumps(body), H)
            if st != 201:
                raise SystemExit(f"POST {path}: {st} {data[:300]!r}")
            return json.loads(data)

        post(f"/api/patients/{runner}/episodes", {"complaint": "Left sit-bone pain", "side": "left",
                                                 "onset_day": first.isoformat(), "onset_kind": "gradual",
                                                 "condition": "proximal_hamstring_tendinopathy",
                                                 "goals": "Run without sit-bone pain"})
        post(f"/api/patients/{runner}/consent", {"version": 1, "given_day": first.isoformat()})
        # Five years of diary, one entry a day.
        days = (today - first).days
        con.executemany("INSERT INTO diary_entry (runner_id, day, pain_rest, pain_sitting, pain_running, minutes_run, "
                        "notes, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, 0)",
                        [(runner, (first + datetime.timedelta(days=i)).isoformat(), (i * 7) % 6, (i * 5) % 7,
                          None if i % 3 else (i * 3) % 6, 0 if i % 3 else 35,
                          "Sore after the long run" if i % 11 == 0 else "") for i in range(days)])
        con.commit()
        # 300 visits: each an appointment that took place, with its signed note.
        t0 = time.perf_counter()
        step = max(1, days // args.visits)
        for i in range(args.visits):
            day = first + datetime.timedelta(days=1 + i * step)
            start = int(datetime.datetime(day.year, day.month, day.day, 9, 0, tzinfo=tz).timestamp())
            appt = con.execute("INSERT INTO appointment (runner_id, practitioner_id, service_id, starts_at, ends_at, status, "
                               "reason, created_at) VALUES (?, 1, 2, ?, ?, 'arrived', 'Follow-up', ?) RETURNING id",
                               (runner, start, start + 1800, start - 86400)).fetchone()[0]
            con.commit()
            pain = 2 + (i * 7) % 6
            post(f"/api/patients/{runner}/notes", {
                "appointment_id": appt, "kind": "initial" if i == 0 else "follow_up", "sign": True,
                "subjective": f"Visit {i + 1}: sitting tolerance and running since the last visit.",
                "objective": "Tender at the left ischial tuberosity; provocation tests as recorded.",
                "assessment": "Left proximal hamstring tendinopathy, settling with loading.",
                "plan": "Progress the loading program; review in a week.",
                "findings": {"pain_rest": pain - 2, "pain_activity": pain, "pain_sitting": pain - 1,
                             "puranen_orava": {"left": "positive"}, "slr_angle": {"left": 60 + i % 30, "right": 85},
                             "bridge_count": {"left": 10 + i % 15, "right": 25}, "psfs": 5 + (i % 5) * 0.5,
                             "pelvic_alignment": "left_high"},
                "marks": ["sit_bone_left"],
                "treatments": [{"kind": "acupuncture", "points": "BL36 L, BL40 both, GB30 L, GV20", "minutes": 20},
                               {"kind": "soft_tissue", "region": "hamstrings", "side": "left", "technique": "massage"},
                               {"kind": "home_program", "program": "pht", "stage": 1 + i % 4}]})
        setup_s = time.perf_counter() - t0
        con.close()
        web = Conn(port)
        st, page = web.call("GET", "/signin")
        csrf = re.search(rb'name="csrf" value="([0-9a-f]{64})"', page).group(1).decode()
        st, _ = web.call("POST", "/signin", form={"email": "bench@clinic.test", "password": "bench practitioner pass",
                                                  "next": "/account", "csrf": csrf})
        assert st == 303, st
        chart_path = f"/runners/{runner}/chart"
        timed(web, chart_path, 5)  # warm the statement cache and the page's first allocations
        timed(web, "/articles/runners-butt", 5)
        cm, c90, csize = timed(web, chart_path, args.runs)
        am, a90, asize = timed(web, "/articles/runners-butt", args.runs)
        apic = Conn(port)
        jt = []
        for _ in range(args.runs):
            t = time.perf_counter()
            st, data = apic.call("GET", f"/api/patients/{runner}/chart", headers={"Authorization": "Bearer " + tok})
            jt.append((time.perf_counter() - t) * 1000)
            assert st == 200, st
        jt.sort()
        jm, j90, jsize = statistics.median(jt), jt[int(len(jt) * 0.9)], len(data)
        print(f"chart: a patient with {args.visits} visits (signed notes with measures and treatments) and "
              f"{days} diary days ({args.years} years); {args.runs} sequential requests after 5 to warm up "
              f"(setup {setup_s:.0f} s):")
        print(f"  GET {chart_path}: median {cm:.1f} ms, p90 {c90:.1f} ms, {csize // 1024} KB "
              f"(goal: well under 100 ms)")
        print(f"  GET /api/patients/ID/chart: median {jm:.1f} ms, p90 {j90:.1f} ms, {jsize // 1024} KB")
        print(f"  peer, the article page from the same process: median {am:.2f} ms, p90 {a90:.2f} ms, {asize // 1024} KB"
              f" | ratio chart/article {cm / am:.1f}")
    finally:
        srv.terminate()
        try:
            srv.wait(15)
        except subprocess.TimeoutExpired:
            srv.kill()
        log.close()
        if not os.environ.get("BENCH_KEEP"):
            shutil.rmtree(d, ignore_errors=True)


if __name__ == "__main__":
    main()
