#!/usr/bin/env python3
"""storm.py — the booking storm: 32 concurrent clients (runcare takes at most 32 connections from one
address: more from 127.0.0.1 are refused, and the bench would measure the refusals) make 10,000 booking attempts over 500 slots
through the API, against runcare on SQLite (and on PostgreSQL with --pg URL). Prints committed
bookings/s, p50/p99 latency, overlaps (must be 0), and beside it the peer: bare durable single-row
inserts on the same file system (SQLite, WAL, synchronous=FULL) or the same server (pgbench).

usage: bench/storm.py [--clients 32] [--attempts 10000] [--slots 500] [--pg postgresql://...]
"""
import argparse
import http.client
import json
import os
import random
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time

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


def make_runner(db, i):
    email = f"storm{i}@example.org"
    cli("user", "add", "--role", "runner", "--email", email, "--db", db, stdin=f"storm runner number {i}\n")
    return cli("token", "create", "--user", email, "--scope", "write", "--db", db).strip().splitlines()[-1]


class Client:
    def __init__(self, port, token):
        self.port, self.token, self.c = port, token, None

    def call(self, method, path, body=None):
        for attempt in range(2):
            try:
                if self.c is None:
                    self.c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                h = {"Authorization": "Bearer " + self.token}
                data = None
                if body is not None:
                    data = json.dumps(body)
                    h["Content-Type"] = "application/json"
                self.c.request(method, path, body=data, headers=h)
                r = self.c.getresponse()
                return r.status, r.read()
            except (OSError, http.client.HTTPException):
                self.c = None
                if attempt:
                    raise


def storm(db, args, label):
    port = free_port()
    log = open(os.path.join(args.dir, f"server-{label}.log"), "w")
    server = subprocess.Popen([BIN, "serve", "--demo=quiet", "--listen", f"127.0.0.1:{port}", "--db", db,
                               "--threads", str(args.threads)], stdout=log, stderr=log)
    try:
        for _ in range(200):
            try:
                c = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                c.request("GET", "/healthz")
                ok = c.getresponse().status == 200
                c.close()
                if ok:
                    break
            except OSError:
                time.sleep(0.05)
        # A 15-minute service offered by every practitioner, so each slot is one quarter hour and a
        # booking conflicts only with attempts at the very same slot.
        cli("clinic", "service", "add", "--key", "storm-check", "--name", "Quick check", "--minutes", "15",
            "--price", "0", "--discipline", "physical_therapy", "--db", db)
        for pid in (1, 2, 3):
            # A practitioner offers only services of their disciplines (app/setup.c): the bench's three all
            # take this physical-therapy check.
            cli("clinic", "practitioner", "edit", "--id", str(pid), "--disciplines",
                "acupuncture physical_therapy sports_massage", "--db", db)
            cli("clinic", "offer", "--practitioner", str(pid), "--service", "storm-check", "--db", db)
        # Clients: one runner account and API token each.
        tokens = [make_runner(db, i) for i in range(args.clients)]
        first = Client(port, tokens[0])
        slots, day = [], 0
        while len(slots) < args.slots and day < 120:
            d = time.strftime("%Y-%m-%d", time.gmtime(time.time() + 86400 * (2 + day)))
            st, body = first.call("GET", f"/api/slots?service=storm-check&from={d}&to={d}")
            slots += json.loads(body)["slots"]
            day += 1
        slots = slots[:args.slots]
        # The setup's connections close before the clients start: runcare takes 32 from one address, and
        # a 33rd open one had the server refuse a client's (a reset, and that client's thread died).
        if first.c is not None:
            first.c.close()
            first.c = None
        latencies, created, statuses = [], [], {}
        lock = threading.Lock()
        counter = iter(range(args.attempts))
        def worker(i):
            c = Client(port, tokens[i])
            rnd = random.Random(i)
            while True:
                with lock:
                    n = next(counter, None)
                if n is None:
                    return
                slot = slots[rnd.randrange(len(slots))]
                t0 = time.perf_counter()
                st, body = c.call("POST", "/api/appointments", {"service": "storm-check",
                                                                "practitioner": slot["practitioner"],
                                                                "start": slot["start"]})
                done = time.perf_counter()
                with lock:
                    latencies.append(done - t0)
                    statuses[st] = statuses.get(st, 0) + 1
                    if st == 201:
                        created.append((done, json.loads(body)["id"]))
        t0 = time.perf_counter()
        ws = [threading.Thread(target=worker, args=(i,)) for i in range(args.clients)]
        [w.start() for w in ws]
        [w.join() for w in ws]
        elapsed = time.perf_counter() - t0
    finally:
        server.terminate()
        server.wait()
        log.close()
    lat = sorted(latencies)
    # Committed bookings per second while there were slots left to win: from the start to the last
    # acknowledged booking (after it, every attempt can only be told "taken").
    last = max((t for t, _ in created), default=t0)
    return {"elapsed": elapsed, "committed": len(created), "attempts": len(lat), "statuses": statuses,
            "p50_ms": 1000 * lat[len(lat) // 2], "p99_ms": 1000 * lat[int(len(lat) * 0.99)],
            "attempts_per_s": len(lat) / elapsed,
            "committed_per_s": len(created) / max(last - t0, 1e-9)}


def overlaps_sqlite(path):
    con = sqlite3.connect(path)
    n = con.execute("SELECT COUNT(*) FROM appointment a JOIN appointment b ON a.id < b.id AND "
                    "a.practitioner_id = b.practitioner_id AND a.status <> 'cancelled' AND b.status <> 'cancelled' "
                    "AND a.starts_at < b.ends_at AND b.starts_at < a.ends_at").fetchone()[0]
    con.close()
    return n


def overlaps_pg(url):
    out = subprocess.run(["psql", "-X", "-t", "-A", url, "-c",
                          "SELECT COUNT(*) FROM appointment a JOIN appointment b ON a.id < b.id AND "
                          "a.practitioner_id = b.practitioner_id AND a.status <> 'cancelled' AND b.status <> "
                          "'cancelled' AND a.starts_at < b.ends_at AND b.starts_at < a.ends_at"],
                         capture_output=True, text=True, check=True)
    return int(out.stdout.strip())


def bare_sqlite_inserts(dirname, seconds=5.0):
    """The peer: one durable single-row insert per transaction, as fast as the file system allows."""
    path = os.path.join(dirname, "bare.db")
    con = sqlite3.connect(path, isolation_level=None)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=FULL")
    con.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, a INTEGER, b TEXT)")
    n, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < seconds:
        con.execute("INSERT INTO t (a, b) VALUES (?, ?)", (n, "x" * 40))
        n += 1
    rate = n / (time.perf_counter() - t0)
    con.close()
    return rate


def bare_pg_inserts(url, dirname, seconds=5):
    subprocess.run(["psql", "-X", "-q", url, "-c", "CREATE TABLE IF NOT EXISTS bare (id BIGSERIAL PRIMARY KEY, a INT, b TEXT)"],
                   check=True, capture_output=True)
    script = os.path.join(dirname, "insert.sql")
    open(script, "w").write("INSERT INTO bare (a, b) VALUES (1, 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx');\n")
    out = subprocess.run(["pgbench", "-n", "-c", "1", "-T", str(seconds), "-f", script, url],
                         capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        if line.startswith("tps"):
            return float(line.split("=")[1].split()[0])
    raise SystemExit("pgbench printed no tps: " + out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--clients", type=int, default=32)
    ap.add_argument("--attempts", type=int, default=10000)
    ap.add_argument("--slots", type=int, default=500)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--pg", help="a PostgreSQL base URL (postgresql://USER@HOST:PORT) to run the storm on too")
    args = ap.parse_args()
    args.dir = tempfile.mkdtemp(prefix="storm-", dir=os.path.join(ROOT, "build"))
    try:
        runs = []
        db = "sqlite:" + os.path.join(args.dir, "storm.db")
        r = storm(db, args, "sqlite")
        r["overlaps"] = overlaps_sqlite(db[len("sqlite:"):])
        r["peer"] = bare_sqlite_inserts(args.dir)
        runs.append(("SQLite", r, "bare durable SQLite inserts (WAL, synchronous=FULL), same file system"))
        if args.pg:
            name = f"storm_{os.getpid()}"
            subprocess.run(["psql", "-X", "-q", args.pg + "/postgres", "-c", f"CREATE DATABASE {name}"], check=True,
                           capture_output=True)
            url = f"{args.pg}/{name}"
            r = storm(url, args, "pg")
            r["overlaps"] = overlaps_pg(url)
            r["peer"] = bare_pg_inserts(url, args.dir)
            runs.append(("PostgreSQL", r, "pgbench, one single-row INSERT per transaction, same server"))
        for label, r, peer in runs:
            print(f"booking storm on {label}: {r['clients'] if 'clients' in r else args.clients} clients, "
                  f"{r['attempts']} attempts over {args.slots} slots in {r['elapsed']:.1f} s")
            print(f"  committed bookings/s {r['committed_per_s']:.0f} ({r['committed']} booked), attempts/s "
                  f"{r['attempts_per_s']:.0f}, p50 {r['p50_ms']:.1f} ms, p99 {r['p99_ms']:.1f} ms, "
                  f"statuses {dict(sorted(r['statuses'].items()))}, overlaps {r['overlaps']}")
            print(f"  peer: {peer}: {r['peer']:.0f}/s; ratio committed bookings/s : bare inserts/s = "
                  f"{r['committed_per_s'] / r['peer']:.2f}; attempts/s : bare inserts/s = "
                  f"{r['attempts_per_s'] / r['peer']:.2f}")
            if r["overlaps"]:
                print("  OVERLAPS FOUND: double booking", file=sys.stderr)
                return 1
        return 0
    finally:
        shutil.rmtree(args.dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
