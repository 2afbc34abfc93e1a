#!/usr/bin/env python3
"""patients.py — finding a patient among many: 20,000 patients (names, emails, phones, dates of birth) written
straight into the database as another program would, their search keys written by `runcare db migrate` (timed),
then the front desk's searches one after another on one keep-alive connection — a whole name, a name with a
typo, a common first name (hundreds of matches), the last digits of a phone, a date of birth as typed — each
beside the article page from the same process (the peer: a page read from memory). Prints median and p90.

usage: bench/patients.py [--patients 20000] [--runs 30] [--pg URL]
"""
import argparse
import datetime
import os
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(__file__))
from chart import BIN, Conn, cli, free_port, timed  # noqa: E402

FIRST = ["Maria", "James", "Linh", "Oluwaseun", "Sofía", "Kenji", "Aisha", "Mateo", "Chloé", "Dmitri", "Grace",
         "Ahmed", "Priya", "Lucas", "Hannah", "Wei", "Fatima", "Noah", "Isabella", "Tomás"]
LAST = ["Garcia", "Smith", "Nguyen", "Adeyemi", "Rossi", "Tanaka", "Khan", "Silva", "Martin", "Ivanova", "Johnson",
        "Kim", "O'Brien", "Müller", "Patel", "Cohen", "Haddad", "Kowalski", "Andersen", "López"]


def fill(db_path, n):
    """n patients, as a program writing the database directly would: no search keys yet."""
    con = sqlite3.connect(db_path)
    now = int(time.time())
    rows, profiles = [], []
    for i in range(n):
        name = f"{FIRST[i % 20]} {LAST[(i * 7 + i // 20) % 20]}-{i:05d}"
        rows.append((f"patient{i:05d}@example.org" if i % 4 else None, name, "runner", now, now))
    con.executemany("INSERT INTO account (email, name, role, created_at, password_changed_at) VALUES (?, ?, ?, ?, ?)",
                    rows)
    ids = [r[0] for r in con.execute("SELECT id FROM account WHERE role = 'runner' ORDER BY id")][-n:]
    for k, pid in enumerate(ids):
        dob = datetime.date(1950, 1, 1) + datetime.timedelta(days=(k * 37) % 20000)
        phone = f"(619) 55{k % 10}-{k % 10000:04d}"
        profiles.append((pid, dob.isoformat(), phone, re.sub(r"\D", "", phone), now))
    con.executemany("INSERT INTO patient_profile (runner_id, date_of_birth, phone, phone_digits, updated_at) "
                    "VALUES (?, ?, ?, ?, ?)", profiles)
    con.commit()
    con.close()
    return ids


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--patients", type=int, default=20000)
    ap.add_argument("--runs", type=int, default=30)
    args = ap.parse_args()
    d = tempfile.mkdtemp(prefix="runcare-bench-patients-")
    db = f"sqlite:{d}/patients.db"
    srv = None
    try:
        cli("db", "migrate", "--db", db)
        ids = fill(f"{d}/patients.db", args.patients)
        t = time.perf_counter()
        cli("db", "migrate", "--db", db)
        index_s = time.perf_counter() - t
        keys = sqlite3.connect(f"{d}/patients.db").execute("SELECT COUNT(*) FROM patient_key").fetchone()[0]
        cli("user", "add", "--role", "front_desk", "--email", "desk@clinic.test", "--name", "Bench Desk", "--db", db,
            stdin="bench front desk pass\n")
        port = free_port()
        log = open(os.path.join(d, "server.log"), "w")
        srv = subprocess.Popen([BIN, "serve", "--demo", "--listen", f"127.0.0.1:{port}", "--db", db, "--threads", "2"],
                               stdout=log, stderr=subprocess.STDOUT)
        web = Conn(port)
        for _ in range(200):
            try:
                if web.call("GET", "/healthz")[0] == 200:
                    break
            except OSError:
                web = Conn(port)
                time.sleep(0.05)
        st, page = web.call("GET", "/signin")
        csrf = re.search(rb'name="csrf" value="([0-9a-f]{64})"', page).group(1).decode()
        st, _ = web.call("POST", "/signin", form={"email": "desk@clinic.test", "password": "bench front desk pass",
                                                  "next": "/account", "csrf": csrf})
        assert st == 303, st
        k = 12345 % args.patients
        name = f"{FIRST[k % 20]} {LAST[(k * 7 + k // 20) % 20]}-{k:05d}"
        dob = (datetime.date(1950, 1, 1) + datetime.timedelta(days=(k * 37) % 20000)).strftime("%-m/%-d/%Y")
        searches = [("the whole name", name), ("a typo in the first name", name[1] + name[0] + name[2:]),
                    ("a common first name", FIRST[3]), ("the last 7 digits of the phone", f"55{k % 10}-{k % 10000:04d}"),
                    ("the date of birth as typed", dob)]
        timed(web, "/articles/runners-butt", 5)
        am, a90, _ = timed(web, "/articles/runners-butt", args.runs)
        print(f"patients: {args.patients} patients, {keys} search keys written by `runcare db migrate` in "
              f"{index_s:.1f} s; {args.runs} sequential searches each after 2 to warm up:")
        for what, text in searches:
            path = "/patients?q=" + urllib.parse.quote(text)
            timed(web, path, 2)
            st, body = web.call("GET", path)
            found = re.search(rb"(\d+) patients? match", body)
            assert f'href="/runners/{ids[k]}"'.encode() in body or what == "a common first name", (what, body[-500:])
            m, p90, size = timed(web, path, args.runs)
            print(f"  {what} ({text!r}, {found.group(1).decode() if found else '?'} found): median {m:.1f} ms, "
                  f"p90 {p90:.1f} ms | ratio to the article page {m / am:.1f}")
        print(f"  peer, the article page from the same process: median {am:.2f} ms, p90 {a90:.2f} ms")
    finally:
        if srv:
            srv.terminate()
            try:
                srv.wait(15)
            except subprocess.TimeoutExpired:
                srv.kill()
        if not os.environ.get("BENCH_KEEP"):
            shutil.rmtree(d, ignore_errors=True)


if __name__ == "__main__":
    main()
