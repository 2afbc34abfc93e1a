#!/usr/bin/env python3
"""apple_health.py — a 2 GB Apple Health export.xml (make attack): the size a phone with years of watch data
writes. `runcare import` reads it zipped (export.zip as the phone gives it) and unzipped, and must
 - import every workout in it (the two routed runs, a run, a ride and a walk, placed in the middle),
 - keep its peak memory flat: within a few MB of a small export's (export.xml is streamed, never held),
 - take the time expat needs, not more (printed: MB/s).
Prints the sizes, times and peak memory. Ends with "N passed, N failed". Needs GNU time (deps/debian.txt).
"""
import os
import shutil
import sys
import tempfile
import time
import zipfile

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "integration"))
from harness import Server, add_user, own_server, query, run_tests  # noqa: E402
from platforms import APPLE_ACTIVITIES, apple_export, peak_rss_kb, records  # noqa: E402
from exports import have_testdata  # noqa: E402

PW = "apple health runner 1"
TARGET = 2 * 1000 * 1000 * 1000


def write_big(xml_path, zip_path):
    """export.xml of 2 GB: a small export's, with a megabyte of Records repeated before its workouts."""
    _, small = apple_export(n_records=200)
    head, sep, rest = small.partition(b" <Workout ")
    block = records(3000, 1577836800).encode()  # ~1 MB of Records, values varying
    n = (TARGET - len(small)) // len(block) + 1
    with open(xml_path, "wb") as f:
        f.write(head)
        for _ in range(n):
            f.write(block)
        f.write(sep + rest)
    # The phone's export.zip: the routes as apple_export writes them, export.xml deflated.
    small_zip, _ = apple_export(n_records=200)
    src = os.path.join(os.path.dirname(zip_path), "small.zip")
    with open(src, "wb") as f:
        f.write(small_zip)
    with zipfile.ZipFile(src) as zs, zipfile.ZipFile(zip_path, "w", compression=zipfile.ZIP_DEFLATED,
                                                     compresslevel=1) as z:
        for info in zs.infolist():
            if info.filename.endswith("/export.xml"):
                with open(xml_path, "rb") as f, z.open("apple_health_export/export.xml", "w", force_zip64=True) as out:
                    shutil.copyfileobj(f, out, 1 << 20)
            else:
                z.writestr(info, zs.read(info))
    return os.path.getsize(xml_path), os.path.getsize(zip_path)


@own_server
def test_a_2_gb_export_xml_imports_with_flat_memory():
    if not have_testdata():
        return
    s = Server()
    try:
        with tempfile.TemporaryDirectory(dir=os.environ.get("TMPDIR")) as d:
            small_zip, _ = apple_export(n_records=200)
            small = os.path.join(d, "small-export.zip")
            with open(small, "wb") as f:
                f.write(small_zip)
            xml_path, zip_path = os.path.join(d, "export.xml"), os.path.join(d, "export.zip")
            xml_size, zip_size = write_big(xml_path, zip_path)
            add_user(s, "runner", "small@example.org", PW)
            st, out, err, base_kb = peak_rss_kb(["import", small, "--runner", "small@example.org", "--db", s.db])
            assert st == 0, (out, err)
            for who, path in (("zipped@example.org", zip_path), ("plain@example.org", xml_path)):
                rid = add_user(s, "runner", who, PW)
                t0 = time.monotonic()
                st, out, err, kb = peak_rss_kb(["import", path, "--runner", who, "--db", s.db])
                el = time.monotonic() - t0
                assert st == 0 and out.startswith(f"{APPLE_ACTIVITIES} added, 0 already there"), (out, err)
                n = int(query(s.db, f"SELECT COUNT(*) FROM activity WHERE runner_id = {rid}"))
                assert n == APPLE_ACTIVITIES, n
                print(f"# {os.path.basename(path)}: {xml_size / 1e9:.2f} GB export.xml"
                      f"{f' in a {zip_size / 1e6:.0f} MB zip' if path == zip_path else ''}: {el:.1f} s "
                      f"({xml_size / 1e6 / el:.0f} MB/s of XML), peak memory {kb / 1024:.1f} MB "
                      f"(a small export's: {base_kb / 1024:.1f} MB)", flush=True)
                assert kb - base_kb < 16 * 1024, (kb, base_kb)
    finally:
        s.close()


if __name__ == "__main__":
    sys.exit(run_tests([test_a_2_gb_export_xml_imports_with_flat_memory]))
