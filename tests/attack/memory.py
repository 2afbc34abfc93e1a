#!/usr/bin/env python3
"""memory.py — the outside attack on memory, at full size, against the optimised binary (make attack).

1. 50 anonymous connections announce 64 MiB each to /training/upload and send as fast as they can for
   6 s, never finishing (the finding: 19 MiB → 3.1 GiB in 6 s).
2. 20 signed-in runners' uploads of 60 MiB stop 1 MiB short and wait: spooled to disk, not memory;
   past RC_HTTP_SPOOL_BUDGET (1 GiB) the rest are answered 503.
3. 150 anonymous sign-in forms of 1 MiB from 5 addresses stop one byte short: RC_HTTP_BODY_BUDGET holds
   and the rest are answered 503.
4. 20 endless chunked bodies for 6 s: each cut at 1 MiB.

Each prints the server's resident memory before and after. Traffic goes to 127.0.0.x only, and every
loop is bounded in count and time. Ends with "N passed, N failed".
"""
import os
import socket
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "integration"))
from harness import Client, Server, add_user, own_server, run_tests, status_of  # noqa: E402
from http_attacks import MIB, rss_mib  # noqa: E402

LIMIT_MIB = 200  # what the server may grow by under any of these: the body budget and some slack


def flood(socks, seconds, chunk):
    """Sends chunk on every socket, round-robin, for seconds; returns the bytes the server took."""
    sent, t0 = 0, time.monotonic()
    live = list(socks)
    for k in live:
        k.setblocking(False)
    while live and time.monotonic() - t0 < seconds:
        for k in list(live):
            try:
                sent += k.send(chunk)
            except BlockingIOError:
                pass
            except OSError:
                live.remove(k)
        time.sleep(0.001)
    return sent, len(live)


def report(name, before, after, extra=""):
    print(f"# {name}: resident memory {before:.0f} MiB before, {after:.0f} MiB after ({after - before:+.0f}){extra}",
          flush=True)


@own_server
def test_anonymous_uploads_that_never_finish():
    s = Server()
    try:
        time.sleep(0.5)
        before = rss_mib(s.proc.pid)
        socks = []
        for i in range(50):
            k = socket.create_connection(("127.0.0.1", s.port), source_address=(f"127.0.0.{10 + i % 5}", 0))
            k.sendall(b"POST /training/upload HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\n"
                      b"Content-Length: %d\r\n\r\n" % (64 * MIB))
            socks.append(k)
        sent, alive = flood(socks, 6, b"x" * 65536)
        after = rss_mib(s.proc.pid)
        for k in socks:
            k.close()
        report("50 anonymous 64 MiB uploads for 6 s", before, after, f"; {sent >> 20} MiB taken by the kernel, "
               f"{alive} connections still open")
        assert after - before < LIMIT_MIB
        assert alive == 0, "every one was answered (303) and closed"
    finally:
        s.close()


@own_server
def test_signed_in_uploads_that_stop_short():
    s = Server()
    socks = []
    try:
        cookies = []
        for i in range(20):
            add_user(s, "runner", f"up{i}@example.org", "uploading runner 1")
            cookies.append(Client(s).sign_in(f"up{i}@example.org", "uploading runner 1")._cookie_header())
        time.sleep(0.3)
        before = rss_mib(s.proc.pid)
        for i, ck in enumerate(cookies):
            k = socket.create_connection(("127.0.0.1", s.port), source_address=(f"127.0.0.{30 + i % 4}", 0))
            k.sendall((f"POST /training/upload HTTP/1.1\r\nHost: x\r\nCookie: {ck}\r\n"
                       f"Content-Type: multipart/form-data; boundary=b\r\nContent-Length: {60 * MIB}\r\n\r\n").encode())
            socks.append(k)
        block = b"y" * MIB
        refused = 0
        for k in socks:
            k.settimeout(5)
            try:
                for _ in range(59):
                    k.sendall(block)
            except OSError:
                refused += 1  # past RC_HTTP_SPOOL_BUDGET (1 GiB for all): 503 from the headers
        time.sleep(1)
        after = rss_mib(s.proc.pid)
        report("20 signed-in 60 MiB uploads, 59 MiB each sent", before, after,
               f" (on disk, unlinked); {refused} refused 503 past the 1 GiB spool budget")
        assert after - before < LIMIT_MIB
        assert 1 <= refused <= 5, refused
        assert s.get("/healthz")[0] == 200
    finally:
        for k in socks:
            k.close()
        s.close()


@own_server
def test_forms_that_stop_one_byte_short():
    s = Server()
    socks = []
    try:
        time.sleep(0.5)
        before = rss_mib(s.proc.pid)
        head = (b"POST /signin HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                b"Content-Length: %d\r\n\r\n" % MIB)
        answered = 0
        for i in range(150):
            k = socket.create_connection(("127.0.0.1", s.port), source_address=(f"127.0.0.{40 + i // 30}", 0))
            k.settimeout(2)
            try:
                k.sendall(head + b"a" * (MIB - 1))
            except OSError:
                answered += 1
            socks.append(k)
        time.sleep(1)
        after = rss_mib(s.proc.pid)
        for k in socks:
            k.setblocking(False)
            try:
                if status_of(k.recv(4096).decode("utf-8", "replace")) == 503:
                    answered += 1
            except (BlockingIOError, OSError):
                pass
        report("150 forms of 1 MiB, one byte short", before, after, f"; {answered} answered 503 at once")
        assert after - before < LIMIT_MIB
        assert answered >= 20
    finally:
        for k in socks:
            k.close()
        s.close()


@own_server
def test_endless_chunked_bodies():
    s = Server()
    try:
        time.sleep(0.5)
        before = rss_mib(s.proc.pid)
        socks = []
        for i in range(20):
            k = socket.create_connection(("127.0.0.1", s.port), source_address=(f"127.0.0.{50 + i % 2}", 0))
            k.sendall(b"POST /signin HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                      b"Transfer-Encoding: chunked\r\n\r\n")
            socks.append(k)
        sent, alive = flood(socks, 6, b"%x\r\n" % 65536 + b"c" * 65536 + b"\r\n")
        after = rss_mib(s.proc.pid)
        for k in socks:
            k.close()
        report("20 endless chunked bodies for 6 s", before, after, f"; {sent >> 20} MiB sent before every one was cut")
        assert alive == 0 and after - before < LIMIT_MIB
    finally:
        s.close()


if __name__ == "__main__":
    sys.exit(run_tests([test_anonymous_uploads_that_never_finish, test_signed_in_uploads_that_stop_short,
                        test_forms_that_stop_one_byte_short, test_endless_chunked_bodies]))
