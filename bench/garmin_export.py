#!/usr/bin/env python3
"""garmin_export.py — builds a Garmin Connect data export as Garmin nests it, from the real FIT files in
../shared/testdata/fit, for `make bench` (a few thousand activities, about 500 MB) and the integration
tests (a few dozen, by --files).

  python3 bench/garmin_export.py OUT.zip --files 40            # a small export for a test
  python3 bench/garmin_export.py OUT.zip --mb 500              # the bench's: FIT files until ~500 MB

Shape (as Garmin writes it): DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip, _Part2.zip…
(at most PART_FILES files each, named <email>_<activity id>.fit), the summary JSON and wellness files beside
them. Among the activities are daily monitoring and device settings FIT files, which runcare must skip by
their own file type (not by failure), as Garmin puts them there too.

Each activity is a copy of one real recording, chosen by a seeded random generator (the same arguments give
the same bytes), with every timestamp in it shifted so that it is a distinct activity: activity k starts
about SPACING_S after activity k-1, the last one before --end. The shift is a whole multiple of 65,536 s, so
the FIT file's compressed timestamp headers (5-bit offsets) and 16-bit timestamp fields, which count from the
last full timestamp, still agree with the full ones without rewriting them. Fields rewritten: every
message's timestamp (field 253) and the other date_time fields (file_id.time_created, session/lap/length
start_time, activity.local_timestamp, timestamp_correlation.local_timestamp, monitoring_info
.local_timestamp), only where they hold an absolute time (>= 0x10000000, per the FIT protocol's date_time
type; smaller values count from the device's power-on) and are not the invalid value 0xFFFFFFFF. Each FIT
file's CRC (CRC-16/ARC over header and records, per the FIT protocol) is recomputed; a 14-byte header's own
CRC covers bytes that do not change. Files chained one after another (sample_mulitple_header.fit) are
handled one by one.

Printed (and returned by build()): activities, skipped-by-type files, FIT bytes, zip bytes."""
import argparse
import io
import json
import os
import random
import struct
import sys
import time
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TESTDATA = os.environ.get("RUNCARE_TESTDATA", os.path.join(ROOT, "..", "shared", "testdata"))
FIT_EPOCH = 631065600  # 1989-12-31T00:00:00Z in Unix seconds
SHIFT_UNIT = 65536     # seconds: keeps 5-bit compressed and 16-bit timestamps consistent
SPACING_S = 2 * SHIFT_UNIT  # about 36 h between the starts of two activities
PART_FILES = 1000      # files in one UploadedFiles_0-_PartN.zip
UPLOADED = "DI_CONNECT/DI-Connect-Uploaded-Files/"

# Real activities runcare reads (runs, rides, swims, walks, a multisport day); weighted toward runs.
ACTIVITIES = [
    ("activity-small-fenix2-run.fit", 6), ("Fr955v19.28andStryd.fit", 4), ("10kUNLP2014-Garmin15.fit", 4),
    ("Move_2020_01_15_19_27_16_Running.fit", 3), ("developer-types-sample.fit", 3),
    ("sample_mulitple_header.fit", 2), ("garmin-fenix-5-run.fit", 2),
    ("WithGearChangeData.fit", 2), ("activity_poolswim_with_hr.fit", 1), ("GarminHRMswim.FIT", 1),
    ("event_timestamp.fit", 1), ("garmin-edge-500-activity.fit", 1), ("Edge810-Vector-2013-08-16-15-35-10.fit", 1),
    ("Karoo-Botley_BW_Swanmore_Wickham-2025-05-09-1238.fit", 1), ("coros-pace-2-cycling-misaligned-fields.fit", 1),
    ("2019-02-17-062644-ELEMNT-297E-195-0.fit", 1), ("activity-large-fenxi2-multisport.fit", 1),
    ("0134902991.fit", 1), ("garmin-fenix-5-walk.fit", 1), ("garmin-fenix-5-bike.fit", 1),
]
# FIT files Garmin puts beside the activities that are not activities: one in every NOT_ACTIVITY_EVERY files.
NOT_ACTIVITIES = ["MonitoringFile.fit", "Settings.fit"]
NOT_ACTIVITY_EVERY = 10

# date_time fields other than 253 (timestamp), by global message number: field numbers.
DATE_FIELDS = {0: (4,), 18: (2,), 19: (2,), 34: (5,), 101: (2,), 162: (3,), 103: (0,)}

# --- CRC-16/ARC, the FIT file's CRC --------------------------------------------------------------------

_NIBBLE = [0x0000, 0xCC01, 0xD801, 0x1400, 0xF001, 0x3C00, 0x2800, 0xE401,
           0xA001, 0x6C00, 0x7800, 0xB401, 0x5000, 0x9C01, 0x8801, 0x4400]


def _crc_byte(crc, b):
    """The FIT SDK's own step (fit_crc.c): low nibble, then high nibble."""
    t = _NIBBLE[crc & 0xF]
    crc = (crc >> 4) & 0x0FFF
    crc = crc ^ t ^ _NIBBLE[b & 0xF]
    t = _NIBBLE[crc & 0xF]
    crc = (crc >> 4) & 0x0FFF
    return crc ^ t ^ _NIBBLE[(b >> 4) & 0xF]


_T16 = None


def _table16():
    """new state = T16[state ^ next two bytes (little-endian)]: the 16-bit state is shifted out whole."""
    global _T16
    if _T16 is None:
        # crc(x) for the two bytes of x from state 0 equals stepping state x through two zero bytes.
        _T16 = [_crc_byte(_crc_byte(x, 0), 0) for x in range(65536)]
    return _T16


def fit_crc(data, start=0, end=None):
    """CRC-16/ARC of data[start:end], as the FIT protocol computes it."""
    end = len(data) if end is None else end
    t = _table16()
    crc = 0
    mv = memoryview(data)[start:end]
    even = len(mv) & ~1
    if sys.byteorder == "little":
        for w in mv[:even].cast("H"):
            crc = t[crc ^ w]
    else:
        for i in range(0, even, 2):
            crc = t[crc ^ (mv[i] | mv[i + 1] << 8)]
    if len(mv) & 1:
        crc = _crc_byte(crc, mv[-1])
    return crc


# --- reading a FIT file's layout ---------------------------------------------------------------------

def scan(data):
    """(files, stamps, first): files are (start, crc_at) of each FIT file chained in data (its CRC covers
    data[start:crc_at]); stamps are (offset, '<I' or '>I') of every absolute date_time value; first is the
    earliest of them in Unix seconds (None when there is none)."""
    files, stamps, first = [], [], None
    at = 0
    while at + 12 <= len(data):
        hsize = data[at]
        if hsize not in (12, 14) or data[at + 8:at + 12] != b".FIT":
            break
        size = struct.unpack_from("<I", data, at + 4)[0]
        pos, end = at + hsize, at + hsize + size
        if end + 2 > len(data):
            raise ValueError("a FIT file cut short")
        defs = {}
        while pos < end:
            h = data[pos]
            pos += 1
            if h & 0x80:  # compressed timestamp header: a data message of local type (h >> 5) & 3
                local = (h >> 5) & 3
            elif h & 0x40:  # a definition
                local = h & 0x0F
                arch = data[pos + 1]
                order = ">" if arch == 1 else "<"
                glob = struct.unpack_from(order + "H", data, pos + 2)[0]
                nf = data[pos + 4]
                pos += 5
                fields, off = [], 0
                dates = DATE_FIELDS.get(glob, ())
                for _ in range(nf):
                    num, fsize = data[pos], data[pos + 1]
                    if fsize == 4 and (num == 253 or num in dates):
                        fields.append(off)
                    off += fsize
                    pos += 3
                if h & 0x20:  # developer fields
                    nd = data[pos]
                    pos += 1
                    for _ in range(nd):
                        off += data[pos + 1]
                        pos += 3
                defs[local] = (order + "I", fields, off)
                continue
            else:
                local = h & 0x0F
            fmt, fields, length = defs[local]
            for off in fields:
                v = struct.unpack_from(fmt, data, pos + off)[0]
                if 0x10000000 <= v < 0xFFFFFFFF:
                    stamps.append((pos + off, fmt))
                    u = v + FIT_EPOCH
                    if first is None or u < first:
                        first = u
            pos += length
        files.append((at, end))
        at = end + 2
    if not files:
        raise ValueError("not a FIT file")
    return files, stamps, first


def _apply(cols, s):
    r = 0
    b = 0
    while s:
        if s & 1:
            r ^= cols[b]
        s >>= 1
        b += 1
    return r


_POW = [[_crc_byte(1 << b, 0) for b in range(16)]]  # _POW[i]: one zero byte stepped 2**i times, by columns
_ZERO = {}  # gap: [uses, columns, (lo, hi) tables once it is met often]


def _zeros(g, s):
    """The CRC state s after g zero bytes (the CRC is linear: by columns, or by two 256-entry tables for a
    gap met often)."""
    z = _ZERO.get(g)
    if z is None:
        cols = [1 << b for b in range(16)]
        i = 0
        while (1 << i) <= g:
            if len(_POW) <= i + 1:
                p = _POW[-1]
                _POW.append([_apply(p, c) for c in p])
            if g >> i & 1:
                cols = [_apply(_POW[i], c) for c in cols]
            i += 1
        z = _ZERO[g] = [0, cols, None]
    if z[2] is not None:
        return z[2][0][s & 0xFF] ^ z[2][1][s >> 8]
    z[0] += 1
    if z[0] >= 64:
        z[2] = ([_apply(z[1], x) for x in range(256)], [_apply(z[1], x << 8) for x in range(256)])
    return _apply(z[1], s)


def shifted(data, layout, shift):
    """A copy of data with every absolute time moved by shift seconds (a multiple of SHIFT_UNIT) and each
    chained file's CRC recomputed. Only the upper 16 bits of a time change, so the new CRC is the old one
    XOR the CRC of the difference (CRC-16/ARC is linear with a zero start), which is zero but for two bytes
    a time: stepped through from one time to the next in a table for each gap."""
    assert shift % SHIFT_UNIT == 0
    files, stamps, _ = layout
    out = bytearray(data)
    pack, unpack = struct.pack_into, struct.unpack_from
    t16 = _table16()
    k = 0
    for start, crc_at in files:
        crc, last = unpack("<H", data, crc_at)[0], None
        while k < len(stamps) and stamps[k][0] < crc_at:
            off, fmt = stamps[k]
            k += 1
            v = unpack(fmt, data, off)[0]
            nv = v + shift
            pack(fmt, out, off, nv)
            d = ((v ^ nv) >> 16) & 0xFFFF
            if fmt[0] == "<":
                q, word = off + 2, d
            else:
                q, word = off, (d & 0xFF) << 8 | d >> 8
            if last is None:
                s = 0
            elif q > last:
                s = _zeros(q - last, s)
            s = t16[s ^ word]
            last = q + 2
        if last is not None:
            crc ^= _zeros(crc_at - last, s)
        pack("<H", out, crc_at, crc)
    return bytes(out)


# --- the export ----------------------------------------------------------------------------------------

def _put(z, name, data):
    """An entry dated as the export is (fixed), so the same arguments give the same bytes."""
    info = zipfile.ZipInfo(name, date_time=(2025, 6, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    z.writestr(info, data)


class Source:
    def __init__(self, name):
        with open(os.path.join(TESTDATA, "fit", name), "rb") as f:
            self.data = f.read()
        self.name = name
        self.layout = scan(self.data)


def build(out_path, files=None, mb=None, seed=18, email="runner@example.com", end=None, part_files=PART_FILES,
          level=1, log=None, lead=None):
    """Writes the export to out_path (a path or a binary file object). files: activity files to write;
    mb: else write activities until their FIT bytes reach mb megabytes. end: the latest activity starts
    before it (Unix seconds; default 2025-06-01). lead: the recording the first activity copies (the
    rest are drawn as usual). Returns a manifest dict."""
    if files is None and mb is None:
        raise ValueError("give files or mb")
    rng = random.Random(seed)
    end = end or 1748736000  # 2025-06-01T00:00:00Z
    sources = {n: Source(n) for n, _ in ACTIVITIES}
    others = {n: Source(n) for n in NOT_ACTIVITIES}
    names = [n for n, _ in ACTIVITIES]
    weights = [w for _, w in ACTIVITIES]
    # Which recording each activity copies, decided first: the count fixes the first start.
    picks, fit_bytes = ([lead], len(sources[lead].data)) if lead else ([], 0)
    while (files is not None and len(picks) < files) or (files is None and fit_bytes < mb * 1e6):
        n = rng.choices(names, weights)[0]
        picks.append(n)
        fit_bytes += len(sources[n].data)
    t0 = end - SPACING_S * (len(picks) + 1)
    manifest = {"activities": 0, "skipped": [], "fit_bytes": 0, "entries": [], "starts": []}
    parts, part, written = [], None, 0
    activity_id = 10_000_000_000 + rng.randrange(1_000_000)

    def part_zip():
        buf = io.BytesIO()
        return buf, zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=level)

    own = isinstance(out_path, (str, bytes, os.PathLike))
    outer = zipfile.ZipFile(out_path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=level)
    _put(outer, "DI_CONNECT/DI-Connect-User/user_profile.json", json.dumps({"userName": email.split("@")[0]}))
    _put(outer, "DI_CONNECT/DI-Connect-User/user_settings.json", json.dumps({"measurementSystem": "metric"}))
    summaries = []
    pno = 0

    def close_part():
        nonlocal part, pno
        buf, z = part
        z.close()
        pno += 1
        # Garmin stores the inner zips deflated again inside the outer one.
        _put(outer, f"{UPLOADED}UploadedFiles_0-_Part{pno}.zip", buf.getvalue())
        part = None

    in_part = 0
    for k, n in enumerate(picks):
        if part is None:
            part, in_part = part_zip(), 0
        src = sources[n]
        target = t0 + k * SPACING_S
        shift = round((target - src.layout[2]) / SHIFT_UNIT) * SHIFT_UNIT
        data = shifted(src.data, src.layout, shift)
        activity_id += 1 + rng.randrange(50)
        entry = f"{email}_{activity_id}.fit"
        _put(part[1], entry, data)
        in_part += 1
        manifest["activities"] += 1
        manifest["fit_bytes"] += len(data)
        manifest["entries"].append((f"UploadedFiles_0-_Part{pno + 1}.zip/{entry}", n))
        manifest["starts"].append(src.layout[2] + shift)
        summaries.append({"activityId": activity_id, "beginTimestamp": (src.layout[2] + shift) * 1000})
        if (k + 1) % NOT_ACTIVITY_EVERY == 0:
            o = NOT_ACTIVITIES[(k // NOT_ACTIVITY_EVERY) % len(NOT_ACTIVITIES)]
            activity_id += 1
            entry = f"{email}_{activity_id}.fit"
            _put(part[1], entry, others[o].data)
            in_part += 1
            manifest["skipped"].append(o)
            manifest["fit_bytes"] += len(others[o].data)
        if in_part >= part_files:
            close_part()
        if log and (k + 1) % 500 == 0:
            log(f"  {k + 1} of {len(picks)} activities written")
    if part is not None:
        close_part()
    _put(outer, f"DI_CONNECT/DI-Connect-Fitness/{email}_0_summarizedActivities.json",
                   json.dumps([{"summarizedActivitiesExport": summaries}]))
    _put(outer, "DI_CONNECT/DI-Connect-Wellness/2024-01-01_2024-04-10_12345678_sleepData.json", "[]")
    outer.close()
    manifest["parts"] = pno
    manifest["zip_bytes"] = os.path.getsize(out_path) if own else None
    return manifest


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out")
    ap.add_argument("--files", type=int, help="activity files to write")
    ap.add_argument("--mb", type=float, help="write activities until their FIT bytes reach this many MB")
    ap.add_argument("--seed", type=int, default=18)
    ap.add_argument("--email", default="runner@example.com")
    ap.add_argument("--end", type=int, help="the latest activity starts before this Unix time")
    ap.add_argument("--part-files", type=int, default=PART_FILES)
    a = ap.parse_args()
    t = time.monotonic()
    m = build(a.out, files=a.files, mb=a.mb, seed=a.seed, email=a.email, end=a.end, part_files=a.part_files,
              log=lambda s: print(s, file=sys.stderr))
    print(f"{a.out}: {m['activities']} activities, {len(m['skipped'])} FIT files that are not activities, "
          f"{m['parts']} parts, {m['fit_bytes'] / 1e6:.1f} MB of FIT, zip {m['zip_bytes'] / 1e6:.1f} MB "
          f"({time.monotonic() - t:.1f} s)")


if __name__ == "__main__":
    main()
