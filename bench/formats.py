#!/usr/bin/env python3
"""formats.py — make bench, training files: runcare's GPX reader against gpsbabel reading the same
file in the same run (MB/s, median of runs) and beside expat alone with empty handlers (the floor
runcare's reader cannot pass), peak memory as the file grows (10 MB, 100 MB and, with
BENCH_GPX_GB=1, 1 GB: flat is the goal), and runcare's FIT decoder against Garmin's JavaScript FIT
SDK (@garmin/fitsdk from npm) decoding the same files in memory."""
import math
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "build/runcare")
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
WORK = os.path.join(ROOT, "build/bench-formats")


def make_gpx(path, mb):
    """A GPX file of about mb megabytes: one track of 1 Hz points with elevation and heart rate."""
    if os.path.exists(path) and os.path.getsize(path) >= mb * 1e6 * 0.95:
        return
    t0 = 1700000000
    with open(path, "w") as f:
        f.write('<?xml version="1.0" encoding="UTF-8"?>\n<gpx version="1.1" creator="runcare bench" '
                'xmlns="http://www.topografix.com/GPX/1/1" '
                'xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1"><trk><trkseg>\n')
        i, written = 0, 0
        block = []
        while written < mb * 1e6:
            lat = 51.5 + 0.0003 * math.sin(i / 500)
            lon = -0.1 + i * 0.00004 % 0.5
            line = (f'<trkpt lat="{lat:.7f}" lon="{lon:.7f}"><ele>{20 + 5 * math.sin(i / 300):.1f}</ele>'
                    f'<time>{time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t0 + i % 86400000))}</time>'
                    f'<extensions><gpxtpx:TrackPointExtension><gpxtpx:hr>{140 + i % 20}</gpxtpx:hr>'
                    '</gpxtpx:TrackPointExtension></extensions></trkpt>\n')
            block.append(line)
            written += len(line)
            i += 1
            if len(block) == 10000:
                f.write("".join(block))
                block = []
        f.write("".join(block) + "</trkseg></trk></gpx>\n")


# GNU time (deps/debian.txt) reports the command's own peak. wait4 on a child of this script does not: a
# child's peak includes the pages it shared with this Python at the fork (about 15-20 MB, more than a
# GPX reader's own), so every figure read the same.
GNU_TIME = "/usr/bin/time"


def run_peak(cmd):
    """(seconds, peak RSS MB) of one run of cmd."""
    with tempfile.NamedTemporaryFile(mode="r") as out:
        timed = [GNU_TIME, "-f", "%M", "-o", out.name] + cmd if os.access(GNU_TIME, os.X_OK) else cmd
        t = time.monotonic()
        p = subprocess.Popen(timed, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, status, ru = os.wait4(p.pid, 0)
        el = time.monotonic() - t
        if os.waitstatus_to_exitcode(status) != 0:
            raise SystemExit(f"bench: {' '.join(cmd)} failed")
        report = out.read().split()
    return el, (int(report[-1]) if timed is not cmd and report else ru.ru_maxrss) / 1024


def medians(runs):
    """(median seconds, largest peak MB) of run_peak results."""
    return statistics.median(r[0] for r in runs), max(r[1] for r in runs)


def main():
    os.makedirs(WORK, exist_ok=True)
    sizes = [10, 100] + ([1000] if os.environ.get("BENCH_GPX_GB") == "1" else [])
    print("training files: GPX, median of %d runs (MB/s; peak RSS)" % RUNS)
    expat = os.path.join(ROOT, "build/bench-expat")
    for mb in sizes:
        path = os.path.join(WORK, f"run-{mb}MB.gpx")
        make_gpx(path, mb)
        real = os.path.getsize(path) / 1e6
        peers = mb <= 100 and shutil.which("gpsbabel")
        # In rounds (runcare, gpsbabel, expat, expat as a process, then again), not each RUNS times in a
        # row: on a shared machine a busy minute then falls on all of them alike, not on one.
        rc, inproc, gb, floors, ex = [], [], [], [], []
        for _ in range(RUNS):
            rc.append(run_peak([BIN, "activity", "show", path]))
            # runcare timed as the floor is, in-process from the first read to the end of the analysis
            # (`activity bench FILE 1`: the same reads, the reader, the summary and the track fit).
            inproc.append(float(subprocess.run([BIN, "activity", "bench", path, "1"], capture_output=True,
                                               text=True).stdout.split()[0]))
            if peers:
                gb.append(run_peak(["gpsbabel", "-i", "gpx", "-f", path, "-o", "unicsv", "-F", "/dev/null"]))
                floors.append(float(subprocess.run([expat, path], capture_output=True, text=True).stdout))
                ex.append(run_peak([expat, path]))
        rc_t, rc_mem = medians(rc)
        line = f"  {real:7.0f} MB  runcare {real / rc_t:7.1f} MB/s, {rc_mem:6.1f} MB"
        if peers:
            gb_t, gb_mem = medians(gb)
            line += f" | gpsbabel {real / gb_t:6.1f} MB/s, {gb_mem:7.1f} MB | ratio {gb_t / rc_t:5.1f}x"
            # Against expat alone, fed the same way: both in-process (reading speed, the issue's
            # measure), and both as whole processes (start, read, parse, exit), where runcare's start
            # (its libraries, the clinic's zone) and its printing count too.
            floor = statistics.median(floors)
            mine = statistics.median(inproc)
            ex_t, _ = medians(ex)
            line += (f" | expat alone {floor:6.1f} MB/s: in-process {mine:6.1f} MB/s = {mine / floor:.2f} of it,"
                     f" as processes {ex_t / rc_t:.2f}")
        print(line, flush=True)
    fit_bench()


def fit_bench():
    shared = os.path.join(ROOT, "..", "shared", "testdata", "fit")
    files = [f for f in ("activity-large-fenxi2-multisport.fit", "2019-02-17-062644-ELEMNT-297E-195-0.fit",
                         "garmin-edge-500-activity.fit") if os.path.exists(os.path.join(shared, f))]
    if not files:
        print("FIT: ../shared/testdata/fit is absent: skipped")
        return
    node_dir = os.path.join(WORK, "node")
    sdk = os.path.join(node_dir, "node_modules", "@garmin", "fitsdk")
    if not os.path.isdir(sdk):
        os.makedirs(node_dir, exist_ok=True)
        r = subprocess.run(["npm", "install", "--silent", "--no-audit", "--no-fund", "--prefix", node_dir,
                            "@garmin/fitsdk"], capture_output=True, text=True)
        if r.returncode != 0:
            print("FIT: could not install @garmin/fitsdk from npm: skipped\n" + r.stderr[-400:])
            return
    script = os.path.join(node_dir, "decode.mjs")
    with open(script, "w") as f:
        f.write("""import { Decoder, Stream } from '@garmin/fitsdk';
import { readFileSync } from 'fs';
const [file, n] = [process.argv[2], Number(process.argv[3])];
const bytes = readFileSync(file);
const t0 = process.hrtime.bigint();
for (let i = 0; i < n; i++) {
  const d = new Decoder(Stream.fromByteArray(bytes));
  const { messages, errors } = d.read();
  if (!messages.recordMesgs) throw new Error('no records');
}
const s = Number(process.hrtime.bigint() - t0) / 1e9;
console.log((bytes.length * n / 1e6 / s).toFixed(2));
""")
    print("training files: FIT decode in memory, median of %d runs (MB/s)" % RUNS)
    for name in files:
        path = os.path.join(shared, name)
        rc = statistics.median(float(subprocess.run([BIN, "activity", "bench", path, "40"], capture_output=True,
                                                    text=True).stdout.split()[0]) for _ in range(RUNS))
        js = statistics.median(float(subprocess.run(["node", script, path, "5"], capture_output=True, text=True,
                                                    cwd=node_dir).stdout.strip() or "nan") for _ in range(RUNS))
        print(f"  {name[:40]:40s} {os.path.getsize(path) / 1e6:5.2f} MB  runcare {rc:7.1f} | FIT SDK {js:6.2f} "
              f"| ratio {rc / js:5.1f}x", flush=True)


if __name__ == "__main__":
    main()
