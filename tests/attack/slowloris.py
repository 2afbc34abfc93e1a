#!/usr/bin/env python3
"""slowloris.py — slow headers at full size, against the optimised binary (make attack).

1. 200 connections from one address dribble a header byte every 5 s for 15 s (the finding: ~1,020 such
   connections stopped all service, each byte restarting a 30 s timeout).
2. 1,200 connections from 40 addresses (30 each, under the per-address limit) fill the server and keep
   dribbling for 25 s.
3. 30 sign-in forms from one address send their header at once and then a body byte every 2 s: each
   is answered 408 and closed RC_HTTP_BODY_DEADLINE_S (30 s) after its header.
Throughout, a client on another address asks for a page four times a second; each answer must come
within a second (in the first second of a full server it may instead be refused at once: no slow
header is old enough yet to be closed for it). Prints the worst and median times, how many slow connections were let in, and the
server's memory. Traffic goes to 127.0.0.x only; every loop is bounded. Ends with "N passed, N failed".
"""
import os
import resource
import socket
import statistics
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "integration"))
from harness import Server, own_server, run_tests  # noqa: E402
from http_attacks import rss_mib, timed_get  # noqa: E402

EVICT_AFTER_S = 1.0  # RC_HTTP_EVICT_AFTER_MS
BODY_DEADLINE = 30   # RC_HTTP_BODY_DEADLINE_S


def open_slow(port, n, sources):
    """n connections that send half a request header; returns (open ones, refused ones). A refused
    connection is accepted by the kernel and closed by the server at once: it reads the end of stream."""
    socks, refused = [], 0
    for i in range(n):
        try:
            k = socket.create_connection(("127.0.0.1", port), timeout=2, source_address=(sources[i % len(sources)], 0))
            k.send(b"GET / HTTP/1.1\r\nHost: x\r\n")
            socks.append(k)
        except OSError:
            refused += 1
    time.sleep(0.3)
    for k in list(socks):
        k.setblocking(False)
        try:
            gone = k.recv(1) == b""
        except BlockingIOError:
            gone = False
        except OSError:
            gone = True
        k.setblocking(True)
        k.settimeout(2)
        if gone:
            socks.remove(k)
            k.close()
            refused += 1
    return socks, refused


def attack(port, socks, seconds, every):
    """Dribbles on socks for seconds while timing a normal client; returns (times, failures, how many
    slow connections were closed, how many normal requests were refused at once)."""
    stop = threading.Event()
    cut = []

    def dribble():
        while not stop.is_set():
            for k in list(socks):
                try:
                    k.send(b"X")
                except OSError:
                    socks.remove(k)
                    cut.append(k)
            stop.wait(every)

    t = threading.Thread(target=dribble)
    t.start()
    times, failures, refused = [], [], 0
    t0 = time.monotonic()
    try:
        while time.monotonic() - t0 < seconds:
            at = time.monotonic() - t0
            st, took = timed_get(port, "/", source="127.0.0.2")
            times.append(took)
            # Until the slow headers are RC_HTTP_EVICT_AFTER_MS old, a full server refuses a newcomer at
            # once rather than close a connection that may be a real client's; never a wait.
            if st != 200 and at < EVICT_AFTER_S + 0.5 and took < 0.2:
                refused += 1
            elif st != 200 or took >= 1.0:
                failures.append((round(at, 1), st, round(took, 2)))
            time.sleep(0.25)
    finally:
        stop.set()
        t.join()
    # A connection the server closed since the last byte was sent reads the end of the stream now.
    for k in list(socks):
        k.setblocking(False)
        try:
            closed = k.recv(4096) == b""
        except BlockingIOError:
            closed = False
        except OSError:
            closed = True
        if closed:
            socks.remove(k)
            cut.append(k)
    return times, failures, len(cut), refused


@own_server
def test_two_hundred_from_one_address():
    s = Server()
    socks = []
    try:
        socks, refused = open_slow(s.port, 200, ["127.0.0.1"])
        let_in = len(socks)
        times, failures, cut, fast_refusals = attack(s.port, socks, 15, 5.0)
        print(f"# 200 slow connections from one address: {let_in} let in, {refused} refused at once; "
              f"{cut} closed by the header deadline; normal requests from another address: {len(times)}, median "
              f"{statistics.median(times) * 1000:.1f} ms, worst {max(times) * 1000:.1f} ms; memory "
              f"{rss_mib(s.proc.pid):.0f} MiB", flush=True)
        assert let_in <= 34 and cut == let_in and not fast_refusals, (let_in, cut, fast_refusals)
        assert not failures, failures
    finally:
        for k in socks:
            k.close()
        s.close()


@own_server
def test_twelve_hundred_from_forty_addresses():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 8192), hard))
    s = Server()
    socks = []
    try:
        sources = [f"127.0.2.{i}" for i in range(1, 41)]
        socks, refused = open_slow(s.port, 1200, sources)
        let_in = len(socks)
        times, failures, cut, fast_refusals = attack(s.port, socks, 25, 5.0)
        print(f"# 1,200 slow connections from 40 addresses: {let_in} let in, {refused} refused at once; {cut} "
              f"closed (header deadline, or making room for a newcomer); normal requests from another address: "
              f"{len(times)}, {fast_refusals} refused at once in the first {EVICT_AFTER_S + 0.5:.1f} s, median "
              f"{statistics.median(times) * 1000:.1f} ms, worst {max(times) * 1000:.1f} ms; memory "
              f"{rss_mib(s.proc.pid):.0f} MiB", flush=True)
        assert not failures, failures
    finally:
        for k in socks:
            k.close()
        s.close()


@own_server
def test_thirty_slow_bodies():
    s = Server()
    socks = []
    try:
        for _ in range(30):
            k = socket.create_connection(("127.0.0.1", s.port), timeout=5, source_address=("127.0.0.3", 0))
            k.sendall(b"POST /signin HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                      b"Content-Length: 100000\r\n\r\n")
            socks.append(k)
        t0 = time.monotonic()
        times, failures, cut, _ = attack(s.port, socks, BODY_DEADLINE + 4, 2.0)
        took = time.monotonic() - t0
        time.sleep(0.5)
        log = s.read_log()
        late = log.count("POST /signin 408")
        print(f"# 30 slow bodies: {cut} closed within {took:.0f} s, {late} logged 408; normal requests from another "
              f"address: {len(times)}, worst {max(times) * 1000:.1f} ms", flush=True)
        assert cut == 30 and late == 30 and not failures, (cut, late, failures)
    finally:
        for k in socks:
            k.close()
        s.close()


if __name__ == "__main__":
    sys.exit(run_tests([test_two_hundred_from_one_address, test_twelve_hundred_from_forty_addresses,
                        test_thirty_slow_bodies]))
