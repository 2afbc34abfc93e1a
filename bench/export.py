#!/usr/bin/env python3
"""export.py — make bench, a whole Garmin Connect export: `runcare import` (the release build, SQLite)
of a generated export of about 500 MB of FIT activity files (bench/garmin_export.py: a few thousand
real recordings from ../shared/testdata as distinct activities, nested as Garmin nests them), beside
Garmin's FIT SDK (@garmin/fitsdk in node) decoding the same FIT files from disk (the quarter's: the SDK
takes minutes over the whole export); runcare's peak memory
(GNU time); and how its time grows from a quarter of the export to the whole.

What each side does: runcare opens the zip and the zips inside it, decodes every FIT file, analyses it
(distance, pauses, hills, track, heart rate), and stores the activity with its original file in
SQLite, committing in batches. The SDK only decodes (messages in memory) the FIT files, already
extracted to a directory. Files/s counts the FIT files in the export (activities and the monitoring
and settings files skipped by type); MB/s is their FIT bytes (uncompressed) per second.

BENCH_EXPORT_MB (default 500) sets the size; the exports are built once into build/bench-export and
reused. One run of each (a run of the full export takes a minute or more: medians would not fit the
bench's few minutes)."""
import os
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "bench"))
import garmin_export  # noqa: E402

BIN = os.environ.get("BENCH_RUNCARE", os.path.join(ROOT, "build/runcare"))
WORK = os.path.join(ROOT, "build/bench-export")
MB = float(os.environ.get("BENCH_EXPORT_MB", "500"))
SDK_SCRIPT = """import { Decoder, Stream } from '@garmin/fitsdk';
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
const dir = process.argv[2];
const names = readdirSync(dir).filter(n => n.endsWith('.fit')).sort();
let bytes = 0, files = 0, bad = 0;
const t0 = process.hrtime.bigint(), c0 = process.cpuUsage();
for (const n of names) {
  const buf = readFileSync(join(dir, n));
  const d = new Decoder(Stream.fromByteArray(buf));
  if (!d.checkIntegrity()) bad++;
  const { messages } = d.read();
  bytes += buf.length;
  files++;
}
const s = Number(process.hrtime.bigint() - t0) / 1e9, c = process.cpuUsage(c0);
console.log(`${files} ${bytes} ${s} ${bad} ${(c.user + c.system) / 1e6}`);
"""


def export(mb):
    """The export of about mb MB of FIT files, built once: (path, manifest summary)."""
    path = os.path.join(WORK, f"garmin-export-{mb:g}MB.zip")
    info = path + ".info"
    if not (os.path.exists(path) and os.path.exists(info)):
        t = time.monotonic()
        print(f"  building a {mb:g} MB export (once; bench/garmin_export.py) …", flush=True)
        m = garmin_export.build(path + ".part", mb=mb, seed=18)
        os.replace(path + ".part", path)
        with open(info, "w") as f:
            f.write(f"{m['activities']} {len(m['skipped'])} {m['fit_bytes']}\n")
        print(f"  built in {time.monotonic() - t:.0f} s", flush=True)
    with open(info) as f:
        activities, skipped, fit_bytes = (int(x) for x in f.read().split())
    return path, activities, skipped, fit_bytes


def runcare_import(path):
    """(seconds, CPU seconds, peak RSS MB, summary line) of one `runcare import` into a new SQLite file."""
    with tempfile.TemporaryDirectory(dir=WORK) as d:
        db = "sqlite:" + os.path.join(d, "bench.db")
        subprocess.run([BIN, "user", "add", "--role", "runner", "--email", "bench@example.org", "--db", db],
                       input="bench pass word 1\n", text=True, check=True, capture_output=True)
        rss = os.path.join(d, "rss")
        t = time.monotonic()
        p = subprocess.run(["/usr/bin/time", "-o", rss, "-f", "%U %S %M", BIN, "import", path, "--runner",
                            "bench@example.org", "--db", db], capture_output=True, text=True)
        el = time.monotonic() - t
        if p.returncode != 0:
            raise SystemExit(f"bench: runcare import failed ({p.returncode}): {p.stdout[-300:]} {p.stderr[-600:]}")
        with open(rss) as f:
            user, sys_, peak = f.read().split()[-3:]
        return el, float(user) + float(sys_), int(peak) / 1024, p.stdout.strip()


def extracted(path):
    """The export's FIT files in a directory, for the SDK (built once)."""
    out = path + ".fit"
    if os.path.isdir(out):
        return out
    tmp = out + ".part"
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(tmp)
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.endswith(".zip"):
                with z.open(name) as part, zipfile.ZipFile(part) as inner:
                    for entry in inner.namelist():
                        with open(os.path.join(tmp, entry), "wb") as f:
                            f.write(inner.read(entry))
    os.replace(tmp, out)
    return out


def sdk_decode(directory):
    """(files, bytes, seconds, damaged, CPU seconds) from @garmin/fitsdk decoding every FIT file; None
    without it."""
    node_dir = os.path.join(ROOT, "build/bench-formats/node")
    if not os.path.isdir(os.path.join(node_dir, "node_modules", "@garmin", "fitsdk")):
        os.makedirs(node_dir, exist_ok=True)
        r = subprocess.run(["npm", "install", "--silent", "--no-audit", "--no-fund", "--prefix", node_dir,
                            "@garmin/fitsdk"], capture_output=True, text=True)
        if r.returncode != 0:
            print("  FIT SDK: could not install @garmin/fitsdk from npm: skipped\n" + r.stderr[-400:])
            return None
    script = os.path.join(node_dir, "decode-dir.mjs")
    with open(script, "w") as f:
        f.write(SDK_SCRIPT)
    r = subprocess.run(["node", script, directory], capture_output=True, text=True, cwd=node_dir)
    if r.returncode != 0:
        print("  FIT SDK: " + r.stderr[-400:])
        return None
    files, nbytes, secs, bad, cpu = r.stdout.split()
    return int(files), int(nbytes), float(secs), int(bad), float(cpu)


def main():
    if not os.path.isdir(os.path.join(garmin_export.TESTDATA, "fit")):
        print("whole export: ../shared/testdata/fit is absent: skipped")
        return
    if not os.path.exists("/usr/bin/time"):
        print("whole export: /usr/bin/time (GNU time, make deps) is missing: skipped")
        return
    os.makedirs(WORK, exist_ok=True)
    print(f"whole Garmin Connect export ({MB:g} MB of FIT files), runcare import on SQLite beside Garmin's FIT SDK:")
    quarter, full = export(MB / 4), export(MB)
    rows = []
    for path, activities, skipped, fit_bytes in (quarter, full):
        el, cpu, peak, summary = runcare_import(path)
        files = activities + skipped
        zmb = os.path.getsize(path) / 1e6
        rows.append((el, cpu, files, fit_bytes))
        print(f"  {files:5d} FIT files ({activities} activities, {skipped} skipped by type), {fit_bytes / 1e6:6.1f} MB "
              f"(zip {zmb:5.1f} MB): runcare {el:6.1f} s ({cpu:5.1f} s CPU), {files / el:6.1f} files/s, "
              f"{fit_bytes / 1e6 / el:5.1f} MB/s ({fit_bytes / 1e6 / cpu:5.1f} MB per CPU second), "
              f"peak memory {peak:5.1f} MB", flush=True)
    (t1, c1, f1, b1), (t2, c2, f2, b2) = rows
    print(f"  growth: {b2 / b1:.2f}x the bytes took {t2 / t1:.2f}x the time, {c2 / c1:.2f}x the CPU "
          f"(linear is {b2 / b1:.2f}x)")
    # The SDK decodes the quarter's files (its JavaScript decoder takes minutes over the whole export):
    # compared with runcare on those same files.
    sdk = sdk_decode(extracted(quarter[0]))
    if sdk:
        files, nbytes, secs, bad, cpu = sdk
        print(f"  FIT SDK (decode only, files from disk): {files} files in {secs:.1f} s ({cpu:.1f} s CPU), "
              f"{files / secs:.1f} files/s, {nbytes / 1e6 / secs:.1f} MB/s ({nbytes / 1e6 / cpu:.1f} MB per CPU "
              f"second){f', {bad} failed its CRC check' if bad else ''}")
        print(f"  ratio runcare/SDK on the quarter's files: {(b1 / t1) / (nbytes / secs):.2f} by the clock, "
              f"{(b1 / c1) / (nbytes / cpu):.2f} "
              f"by CPU time (runcare also unzips, analyses and stores each activity)")

if __name__ == "__main__":
    main()
