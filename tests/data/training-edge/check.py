#!/usr/bin/env python3
"""Independent re-reader for the files written by make.py (standard library only).

Usage:  python3 check.py OUTDIR
Parses every generated file without using make.py's code (XML with xml.etree,
FIT with its own small decoder: header, header CRC, file CRC computed bitwise,
definitions in either endianness, compressed timestamps, developer fields,
chained files, truncation), recomputes the totals and compares them with
OUTDIR/expected.json.  Exits non-zero on any mismatch.
"""
import json
import math
import os
import struct
import sys
import xml.etree.ElementTree as ET
from datetime import datetime

R = 6371008.8
FIT_EPOCH_UNIX = 631065600
INVALID = {0x00: 0xFF, 0x01: 0x7F, 0x02: 0xFF, 0x83: 0x7FFF, 0x84: 0xFFFF,
           0x85: 0x7FFFFFFF, 0x86: 0xFFFFFFFF, 0x8C: 0}
FMT = {0x00: "B", 0x01: "b", 0x02: "B", 0x83: "h", 0x84: "H", 0x85: "i", 0x86: "I", 0x8C: "I"}


def hav(a, b):
    la1, lo1, la2, lo2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = (math.sin((la2 - la1) / 2) ** 2
         + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2)
    return 2 * R * math.asin(math.sqrt(min(1.0, h)))


def crc_bitwise(data, crc=0):          # CRC-16/ARC, reflected poly 0x8005 = 0xA001
    for b in data:
        crc ^= b
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
    return crc


def totals(pts, sport, damaged):
    """pts: dicts with t (unix s), pos (lat, lon) or None, dist or None, hr or None."""
    pos = [p["pos"] for p in pts if p["pos"] is not None]
    if pos:
        dist = sum(hav(pos[i - 1], pos[i]) for i in range(1, len(pos)))
    else:
        dist = max(p["dist"] for p in pts if p["dist"] is not None)
    hrs = [p["hr"] for p in pts if p["hr"] is not None]
    ts = [p["t"] for p in pts]
    return {"sport": sport, "distance_m": dist, "duration_s": max(ts) - min(ts),
            "hr_avg": sum(hrs) / len(hrs) if hrs else None,
            "points": sum(1 for p in pts if p["pos"] is not None or p["dist"] is not None),
            "damaged": damaged}


def local(tag):
    return tag.rsplit("}", 1)[-1]


def child(el, name):
    for c in el:
        if local(c.tag) == name:
            return c
    return None


def when(s):
    return datetime.fromisoformat(s.strip().replace("Z", "+00:00")).timestamp()


def read_gpx(data):
    root = ET.fromstring(data)
    assert local(root.tag) == "gpx"
    pts = []
    for el in root.iter():
        if local(el.tag) in ("trkpt", "rtept"):
            hr = [int(x.text) for x in el.iter() if local(x.tag) == "hr"]
            pts.append({"t": when(child(el, "time").text),
                        "pos": (float(el.get("lat")), float(el.get("lon"))),
                        "dist": None, "hr": hr[0] if hr else None})
    return totals(pts, None, False)


def read_tcx(data):
    root = ET.fromstring(data)
    act = [e for e in root.iter() if local(e.tag) == "Activity"][0]
    pts, laps = [], 0.0
    for el in root.iter():
        if local(el.tag) == "Lap":
            laps += float(child(el, "DistanceMeters").text)
        if local(el.tag) != "Trackpoint":
            continue
        pe, de, he = child(el, "Position"), child(el, "DistanceMeters"), child(el, "HeartRateBpm")
        pts.append({"t": when(child(el, "Time").text),
                    "pos": (float(child(pe, "LatitudeDegrees").text),
                            float(child(pe, "LongitudeDegrees").text)) if pe is not None else None,
                    "dist": float(de.text) if de is not None else None,
                    "hr": int(child(he, "Value").text) if he is not None else None})
    last = [p["dist"] for p in pts if p["dist"] is not None][-1]
    assert abs(laps - last) < 0.02, ("lap sum", laps, last)
    res = totals(pts, act.get("Sport").lower(), False)
    assert abs(res["distance_m"] - last) < 0.05, ("positions vs DistanceMeters", res, last)
    return res


def read_fit(b, log):
    pos, recs, sessions, damaged, nfiles = 0, [], [], False, 0
    while pos < len(b):
        hs = b[pos]
        assert hs in (12, 14), "header size %d" % hs
        hdr = b[pos:pos + hs]
        assert hdr[8:12] == b".FIT"
        dsize = struct.unpack_from("<I", hdr, 4)[0]
        if hs == 14:
            hcrc = struct.unpack_from("<H", hdr, 12)[0]
            assert hcrc == crc_bitwise(hdr[:12]) and hcrc != 0, "header crc"
        end = pos + hs + dsize
        if end + 2 > len(b):
            damaged = True
            log.append("file %d: data_size %d but only %d bytes follow the header"
                       % (nfiles, dsize, len(b) - pos - hs))
        else:
            assert crc_bitwise(b[pos:end + 2]) == 0, "file crc"
            log.append("file %d: header %d, data %d, crc ok" % (nfiles, hs, dsize))
        nfiles += 1
        defs, last_ts, p, lim = {}, None, pos + hs, min(end, len(b))
        while p < lim:
            h = b[p]
            if h & 0x40 and not h & 0x80:                       # definition
                if p + 6 > lim:
                    damaged = True
                    break
                arch = b[p + 2]
                e = ">" if arch else "<"
                gmsg, n = struct.unpack_from(e + "HB", b, p + 3)
                fields = [tuple(b[p + 6 + 3 * i:p + 9 + 3 * i]) for i in range(n)]
                q = p + 6 + 3 * n
                dev = []
                if h & 0x20:
                    m = b[q]
                    dev = [tuple(b[q + 1 + 3 * i:q + 4 + 3 * i]) for i in range(m)]
                    q += 1 + 3 * m
                defs[h & 0x0F] = (gmsg, e, fields, dev)
                p = q
                continue
            if h & 0x80:
                lt, off = (h >> 5) & 3, h & 0x1F
                ts = (last_ts & ~0x1F) + off + (0x20 if off < (last_ts & 0x1F) else 0)
            else:
                lt, ts = h & 0x0F, None
            gmsg, e, fields, dev = defs[lt]
            size = 1 + sum(f[1] for f in fields) + sum(d[1] for d in dev)
            if p + size > lim:
                damaged = True
                log.append("partial message of %d bytes at offset %d dropped" % (lim - p, p))
                break
            q, msg = p + 1, {}
            for num, fsize, bt in fields:
                if bt in FMT:
                    v = struct.unpack_from(e + FMT[bt], b, q)[0]
                    msg[num] = None if v == INVALID[bt] else v
                else:
                    msg[num] = bytes(b[q:q + fsize]).split(b"\0")[0]
                q += fsize
            msg["dev"] = list(b[q:p + size])
            p += size
            if 253 in msg:
                ts = msg[253]
            if ts is not None:
                last_ts = ts
                msg[253] = ts
            if gmsg == 20:
                recs.append(msg)
            elif gmsg == 18:
                sessions.append(msg)
            elif gmsg in (206, 207):
                log.append("mesg %d %r" % (gmsg, msg))
        pos = end + 2
    pts = [{"t": m[253] + FIT_EPOCH_UNIX,
            "pos": (m[0] * 180 / 2 ** 31, m[1] * 180 / 2 ** 31) if m[0] is not None else None,
            "dist": m[5] / 100 if m[5] is not None else None, "hr": m[3]} for m in recs]
    sport = None
    if sessions:
        s = sessions[-1]
        sport = {1: "running"}.get(s[5])
        assert s[2] + FIT_EPOCH_UNIX == pts[0]["t"] and s[7] == s[8]
        assert s[7] / 1000 == pts[-1]["t"] - pts[0]["t"], "session elapsed"
        assert s[9] == [r[5] for r in recs if r[5] is not None][-1], "session distance"
    if any(m["dev"] for m in recs):
        log.append("developer bytes of the first records: %r" % [m["dev"] for m in recs[:3]])
    res = totals(pts, sport, damaged)
    lastd = [p["dist"] for p in pts if p["dist"] is not None][-1]
    assert abs(res["distance_m"] - lastd) < 0.05, ("positions vs distance field", lastd)
    log.append("%d file(s), %d records, %d session(s)" % (nfiles, len(recs), len(sessions)))
    return res


def structure(name, data):
    """File-specific assertions that the edge case really is in the bytes."""
    text = data.decode("utf-8") if not name.endswith(".fit") else ""
    checks = {
        "gpx11-prefixed.gpx": lambda: "<trkpt" not in text and text.count("<gpx:trkpt ") == 61,
        "gpx10.gpx": lambda: 'xmlns="http://www.topografix.com/GPX/1/0"' in text,
        "gpx-bom-comment-pi.gpx": lambda: data.startswith(b"\xef\xbb\xbf<?xml")
        and text.index("<!--") < text.index("<?xml-stylesheet") < text.index("<gpx "),
        "gpx-cdata-time.gpx": lambda: text.count("<time><![CDATA[") == 41,
        "gpx-frac-offset.gpx": lambda: "+02:00</time>" in text and ".000Z</time>" in text,
        "gpx-tpx-v2-ns3.gpx": lambda: "<ns3:hr>" in text and "TrackPointExtension/v2" in text,
        "gpx-two-segments-pause.gpx": lambda: text.count("<trkseg>") == 2,
        "gpx-empty-seg-first.gpx": lambda: text.index("<trkseg/>") < text.index("<trkseg>"),
        "gpx-crlf.gpx": lambda: "\n" in text and text.count("\n") == text.count("\r\n"),
        "gpx-one-line.gpx": lambda: "\n" not in text and "\r" not in text,
        "gpx-ele-sparse.gpx": lambda: text.count("<ele>") == 31 and text.count("<trkpt ") == 61,
        "gpx-route.gpx": lambda: "<trk>" not in text and text.count("<rtept ") == 21,
        "tcx-treadmill.tcx": lambda: "Position" not in text and "HeartRate" not in text,
        "tcx-two-laps.tcx": lambda: text.count("<Lap ") == 2,
        "tcx-prefixed.tcx": lambda: "<Trackpoint>" not in text and "<tcx:Trackpoint>" in text,
        "fit-bigendian-record.fit": lambda: b"\x41\x00\x01\x00\x14" in data,
        "fit-header12.fit": lambda: data[0] == 12,
        "fit-compressed-ts.fit": lambda: sum(1 for x in data if x & 0xE0 == 0xA0) >= 89,
        "fit-chained.fit": lambda: data.count(b".FIT") == 2,
    }
    ok = checks.get(name, lambda: True)()
    assert ok, "structure check failed"


def main():
    out = sys.argv[1]
    with open(os.path.join(out, "expected.json"), encoding="utf-8") as f:
        expected = json.load(f)
    names = sorted(n for n in os.listdir(out) if n != "expected.json")
    assert names == sorted(expected), ("file list differs", names, sorted(expected))
    bad = 0
    for name in names:
        with open(os.path.join(out, name), "rb") as f:
            data = f.read()
        log = []
        structure(name, data)
        if name.endswith(".gpx"):
            got = read_gpx(data)
        elif name.endswith(".tcx"):
            got = read_tcx(data)
        else:
            got = read_fit(data, log)
        exp = expected[name]
        errs = []
        for k in ("sport", "points", "damaged", "duration_s"):
            if got[k] != exp[k]:
                errs.append("%s %r != %r" % (k, got[k], exp[k]))
        for k in ("distance_m", "hr_avg"):
            if (got[k] is None) != (exp[k] is None) or (
                    got[k] is not None and abs(got[k] - exp[k]) > 0.002):
                errs.append("%s %r != %r" % (k, got[k], exp[k]))
        bad += bool(errs)
        print("%-28s %s  dist %.3f dur %d hr %s pts %d sport %s dmg %s"
              % (name, "FAIL " + "; ".join(errs) if errs else "ok  ", got["distance_m"],
                 got["duration_s"], None if got["hr_avg"] is None else round(got["hr_avg"], 3),
                 got["points"], got["sport"], got["damaged"]))
        for line in log:
            print("    " + line[:150])
    print("%d file(s) failed" % bad if bad else "all %d files match expected.json" % len(names))
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
