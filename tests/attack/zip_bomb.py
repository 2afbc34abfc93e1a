#!/usr/bin/env python3
"""zip_bomb.py — the outside review's zip bomb at full size, against the optimised binary (make attack).

The finding: a 13 MB zip — 5 MiB that deflate cannot shrink, then 61 entries of 128 MiB of zeros —
passed the bomb check, which divided each entry's expansion by the compressed bytes of the whole
archive so far: every bomb expanded to the 128 MB file limit (7.8 GiB in all, about a minute of CPU),
on a request thread, and two of them stalled both of a two-thread server's workers.

1. Two runners upload it at once while others ask for a page and sign in: both uploads answer 303 at
   once; the worker stops each zip at its first bomb; the page and the sign-ins are answered meanwhile.
   Prints the server's CPU time and the bytes each job expanded.
2. `runcare import` of the same file: the same per-entry limits. Prints its CPU time and bytes expanded.

Traffic goes to 127.0.0.1 only. Ends with "N passed, N failed".
"""
import os
import re
import resource
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "integration"))
from harness import BIN, Client, Server, add_user, own_server, query, run_tests  # noqa: E402
from import_jobs import MIB, bomb_zip, job_of  # noqa: E402
from training import follow_job, post_upload  # noqa: E402

PW = "zip bomb runner 1"
_zip = None


def the_zip():
    global _zip
    if _zip is None:
        _zip = bomb_zip(5 * MIB, 61, 128 * MIB)
    return _zip


def cpu_s(pid):
    """User and system CPU seconds a process has used."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@own_server
def test_two_full_size_bombs_uploaded_at_once():
    s = Server()
    try:
        bomb = the_zip()
        print(f"# the zip: {len(bomb) / 1e6:.1f} MB, 1 entry of 5 MiB noise and 61 of 128 MiB zeros", flush=True)
        clients = []
        for who in ("ann", "ben"):
            add_user(s, "runner", f"{who}@example.org", PW)
            clients.append(Client(s).sign_in(f"{who}@example.org", PW))
        add_user(s, "runner", "cal@example.org", PW)
        cpu0 = cpu_s(s.proc.pid)
        answers = {}

        def send(i):
            t0 = time.monotonic()
            st, h, _ = post_upload(clients[i], [("export.zip", bomb)])
            answers[i] = (st, h.get("location"), time.monotonic() - t0)

        threads = [threading.Thread(target=send, args=(i,)) for i in range(2)]
        for t in threads:
            t.start()
        # Meanwhile: a page and a sign-in, again and again, each answered.
        waits = []
        while any(t.is_alive() for t in threads) or len(waits) < 6:
            t0 = time.monotonic()
            assert Client(s).get("/")[0] == 200
            Client(s).sign_in("cal@example.org", PW)
            waits.append(time.monotonic() - t0)
        for t in threads:
            t.join(60)
        for i in range(2):
            st, loc, took = answers[i]
            assert st == 303, st
            print(f"# upload {i + 1}: 303 to {loc} in {took * 1000:.0f} ms", flush=True)
        expanded = []
        for i in range(2):
            st, page = follow_job(clients[i], answers[i][1], timeout=120)
            assert st == 200 and "run-000.gpx</strong>: expands more than 100-fold" in page, page[-1500:]
            expanded.append(int(query(s.db, f"SELECT bytes_expanded FROM import_job WHERE id = {job_of(answers[i][1])}")))
        cpu = cpu_s(s.proc.pid) - cpu0
        print(f"# the server's CPU for both jobs and {len(waits)} page + sign-in pairs: {cpu:.2f} s (before: about "
              f"2 x 30-64 s); bytes expanded per job: {', '.join(f'{e / 1e6:.1f} MB' for e in expanded)} (before: "
              f"7.8 GiB each); slowest page + sign-in meanwhile: {max(waits) * 1000:.0f} ms", flush=True)
        assert all(e <= 5 * MIB + 2 * MIB for e in expanded), expanded
        assert max(waits) < 5
    finally:
        s.close()


@own_server
def test_runcare_import_of_the_full_size_bomb():
    s = Server()
    try:
        add_user(s, "runner", "op@example.org", PW)
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "export.zip")
            with open(path, "wb") as f:
                f.write(the_zip())
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            p = subprocess.run([BIN, "import", path, "--runner", "op@example.org", "--db", s.db], capture_output=True,
                               text=True, timeout=300)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        assert p.returncode == 2, (p.returncode, p.stderr)
        assert "run-000.gpx: expands more than 100-fold" in p.stderr and "run-001.gpx" not in p.stderr, p.stderr
        m = re.search(r"\(([\d.]+) MB expanded\)", p.stdout)
        assert m and float(m.group(1)) < 8, p.stdout
        print(f"# runcare import: {cpu:.2f} s of CPU, {m.group(1)} MB expanded (before: 7.8 GiB, 29.6 s of CPU on "
              "the same machine)", flush=True)
    finally:
        s.close()


if __name__ == "__main__":
    sys.exit(run_tests([test_two_full_size_bombs_uploaded_at_once, test_runcare_import_of_the_full_size_bomb]))
