#!/usr/bin/env python3
"""Generate edge-case GPX / TCX / FIT running files whose totals are known exactly.

Usage:  python3 make.py OUTDIR

Writes 24 small files plus OUTDIR/expected.json.  Standard library only and fully
deterministic (no randomness, no clock): running it twice gives identical bytes.

Geometry: one point per second (the route: one per 10 s) starting at
2024-05-01T06:00:00Z at lat 40.0, lon -105.0, moving due north along the meridian
(a few files move due east along the parallel) at a fixed speed that differs per
file.  Every expected total is computed from the values actually written (after
rounding lat/lon to 7 decimals in XML, to integer semicircles in FIT) with the
haversine formula, Earth radius 6371008.8 m.

expected.json maps each file name to
  sport       "running" where the file says so (TCX Sport="Running", FIT session
              sport=1), else null (GPX files carry no <type>)
  distance_m  sum of haversine distances between consecutive positions; for a file
              without positions, the last DistanceMeters value
  duration_s  last timestamp minus first timestamp (elapsed, pauses included)
  hr_avg      mean of the heart-rate values present (FIT invalid 0xFF excluded), or null
  points      number of trackpoints/records that have a position or a distance
  damaged     true only for the truncated FIT file
  case        a one-line description (informative only)
Suggested tolerances: 1 % on distance_m and hr_avg, +-1 s on duration_s.
"""
import json
import math
import os
import struct
import sys
from datetime import datetime, timedelta, timezone

R = 6371008.8
T0 = datetime(2024, 5, 1, 6, 0, 0, tzinfo=timezone.utc)
FIT_EPOCH_UNIX = 631065600                      # 1989-12-31T00:00:00Z
FIT_T0 = int(T0.timestamp()) - FIT_EPOCH_UNIX   # 1083477600, a multiple of 32
LAT0, LON0 = 40.0, -105.0
SEMI = 2 ** 31 / 180.0                          # semicircles per degree

GPX11 = "http://www.topografix.com/GPX/1/1"
GPX10 = "http://www.topografix.com/GPX/1/0"
TPX1 = "http://www.garmin.com/xmlschemas/TrackPointExtension/v1"
TPX2 = "http://www.garmin.com/xmlschemas/TrackPointExtension/v2"
TCXNS = "http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"
AXNS = "http://www.garmin.com/xmlschemas/ActivityExtension/v2"

FILES = {}      # name -> bytes
EXPECTED = {}   # name -> dict


# ----------------------------------------------------------------- geometry
def hav(a, b):
    la1, lo1, la2, lo2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = (math.sin((la2 - la1) / 2) ** 2
         + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2)
    return 2 * R * math.asin(math.sqrt(min(1.0, h)))


def heart(k, base=128):
    return base + (k * 7) % 23


def line(n, speed, dt=1, t0=0, d0=0.0):
    """(time offset s, distance along the line m) for n evenly spaced samples."""
    return [(t0 + k * dt, d0 + k * dt * speed) for k in range(n)]


def latlon(d, east):
    if east:
        return LAT0, LON0 + math.degrees(d / (R * math.cos(math.radians(LAT0))))
    return LAT0 + math.degrees(d / R), LON0


def xml_points(td, east=False, hr=True, hr_base=128):
    """Points as written in GPX/TCX: lat/lon rounded to 7 decimals."""
    pts = []
    for k, (t, d) in enumerate(td):
        lat, lon = latlon(d, east)
        pts.append(dict(t=t, lat=round(lat, 7), lon=round(lon, 7),
                        ele=round(1600.0 + 0.2 * k, 1),
                        hr=heart(k, hr_base) if hr else None, dist=None))
    cum = 0.0
    for i, p in enumerate(pts):
        if i:
            cum += hav((pts[i - 1]["lat"], pts[i - 1]["lon"]), (p["lat"], p["lon"]))
        p["cum"] = cum
    return pts


def fit_points(td, east=False, hr_base=140):
    """Points as written in FIT: integer semicircles; lat/lon = decoded degrees."""
    pts = []
    cum = 0.0
    for k, (t, d) in enumerate(td):
        lat, lon = latlon(d, east)
        p = dict(t=t, slat=round(lat * SEMI), slon=round(lon * SEMI),
                 ele=round(1600.0 + 0.2 * k, 1), hr=heart(k, hr_base))
        p["lat"], p["lon"] = p["slat"] / SEMI, p["slon"] / SEMI
        if pts:
            cum += hav((pts[-1]["lat"], pts[-1]["lon"]), (p["lat"], p["lon"]))
        p["cum"] = cum
        p["dist"] = round(cum, 2)
        pts.append(p)
    return pts


def expect(name, pts, sport, case, damaged=False):
    pos = [(p["lat"], p["lon"]) for p in pts if p.get("lat") is not None]
    if pos:
        dist = sum(hav(pos[i - 1], pos[i]) for i in range(1, len(pos)))
    else:
        dist = max(p["dist"] for p in pts if p.get("dist") is not None)
    ts = [p["t"] for p in pts]
    hrs = [p["hr"] for p in pts if p.get("hr") is not None]
    EXPECTED[name] = {
        "sport": sport,
        "distance_m": round(dist, 3),
        "duration_s": max(ts) - min(ts),
        "hr_avg": round(sum(hrs) / len(hrs), 3) if hrs else None,
        "points": sum(1 for p in pts
                      if p.get("lat") is not None or p.get("dist") is not None),
        "damaged": damaged,
        "case": case,
    }


# ---------------------------------------------------------------------- GPX
def iso(t, frac=0, off=0):
    s = (T0 + timedelta(seconds=t, hours=off)).strftime("%Y-%m-%dT%H:%M:%S")
    if frac:
        s += "." + "0" * frac
    return s + ("Z" if off == 0 else "%+03d:00" % off)


def gpx(segs, ns=GPX11, p="", tpx=None, timef=iso, cdata=False, empty_first=False,
        route=False, nl="\n", head='<?xml version="1.0" encoding="UTF-8"?>\n',
        ele_every=1, gpx10=False):
    q = p + ":" if p else ""
    ind = "  " if nl else ""
    version = "1.0" if gpx10 else "1.1"
    attrs = 'version="%s" creator="runcare training-edge generator"' % version
    attrs += (' xmlns:%s="%s"' % (p, ns)) if p else (' xmlns="%s"' % ns)
    if tpx:
        attrs += ' xmlns:%s="%s"' % tpx
    out = ["<%sgpx %s>" % (q, attrs)]
    first_t = segs[0][0]["t"]
    if gpx10:
        out += [ind + "<name>edge run</name>", ind + "<time>%s</time>" % iso(first_t)]
    else:
        out += [ind + "<%smetadata>" % q, ind * 2 + "<%sname>edge run</%sname>" % (q, q),
                ind * 2 + "<%stime>%s</%stime>" % (q, iso(first_t), q),
                ind + "</%smetadata>" % q]
    outer, inner, tag = ("rte", None, "rtept") if route else ("trk", "trkseg", "trkpt")
    d1 = ind * (2 if route else 3)
    d2 = d1 + ind
    out.append(ind + "<%s%s>" % (q, outer))
    out.append(ind * 2 + "<%sname>edge run</%sname>" % (q, q))
    if empty_first:
        out.append(ind * 2 + "<%strkseg/>" % q)
    for seg in segs:
        if inner:
            out.append(ind * 2 + "<%s%s>" % (q, inner))
        for k, pt in enumerate(seg):
            out.append(d1 + '<%s%s lat="%.7f" lon="%.7f">' % (q, tag, pt["lat"], pt["lon"]))
            if k % ele_every == 0:
                out.append(d2 + "<%sele>%.1f</%sele>" % (q, pt["ele"], q))
            else:
                pt["ele"] = None
            ts = timef(pt["t"])
            if cdata:
                ts = "<![CDATA[%s]]>" % ts
            out.append(d2 + "<%stime>%s</%stime>" % (q, ts, q))
            if gpx10:
                out.append(d2 + "<course>%.1f</course><speed>%.2f</speed>"
                           % (pt["course"], pt["speed"]))
            if tpx and pt["hr"] is not None:
                x = tpx[0]
                more = "<%s:atemp>14.0</%s:atemp>" % (x, x) if tpx[1] == TPX2 else ""
                out.append(d2 + "<%sextensions><%s:TrackPointExtension>%s<%s:hr>%d</%s:hr>"
                           "<%s:cad>88</%s:cad></%s:TrackPointExtension></%sextensions>"
                           % (q, x, more, x, pt["hr"], x, x, x, x, q))
            elif not tpx:
                pt["hr"] = None
            out.append(d1 + "</%s%s>" % (q, tag))
        if inner:
            out.append(ind * 2 + "</%s%s>" % (q, inner))
    out.append(ind + "</%s%s>" % (q, outer))
    out.append("</%sgpx>" % q)
    return (head + nl.join(out) + nl).encode("utf-8")


def make_gpx():
    tp1 = ("gpxtpx", TPX1)
    pts = xml_points(line(61, 3.0))
    FILES["gpx11-prefixed.gpx"] = gpx([pts], p="gpx", tpx=tp1)
    expect("gpx11-prefixed.gpx", pts, None,
           "GPX 1.1, every GPX element written with a gpx: namespace prefix, no default namespace")

    pts = xml_points(line(61, 2.8), east=True, hr=False)
    for p in pts:
        p["speed"], p["course"] = 2.8, 90.0
    FILES["gpx10.gpx"] = gpx([pts], ns=GPX10, gpx10=True)
    expect("gpx10.gpx", pts, None,
           "GPX 1.0 namespace, running due east, <course>/<speed> children, no heart rate")

    pts = xml_points(line(31, 3.2))
    head = ('\ufeff<?xml version="1.0" encoding="UTF-8"?>\n'
            '<!-- exported for runcare tests; a commented-out point must be ignored:\n'
            '     <trkpt lat="1.0" lon="1.0"><time>2000-01-01T00:00:00Z</time></trkpt> -->\n'
            '<?xml-stylesheet type="text/xsl" href="gpx.xsl"?>\n')
    FILES["gpx-bom-comment-pi.gpx"] = gpx([pts], tpx=tp1, head=head)
    expect("gpx-bom-comment-pi.gpx", pts, None,
           "UTF-8 BOM, XML declaration, a comment (holding a fake <trkpt>) and a processing "
           "instruction before <gpx>")

    pts = xml_points(line(41, 2.9), hr=False)
    FILES["gpx-cdata-time.gpx"] = gpx([pts], cdata=True)
    expect("gpx-cdata-time.gpx", pts, None, "every <time> value wrapped in CDATA")

    pts = xml_points(line(61, 3.1), hr=False)

    def mixed(t):  # same instants, three spellings; first point +02:00, last Z
        k = t % 3
        return iso(t, off=2) if k == 0 else iso(t, frac=3) if k == 1 else iso(t, frac=6, off=2)
    FILES["gpx-frac-offset.gpx"] = gpx([pts], timef=mixed)
    expect("gpx-frac-offset.gpx", pts, None,
           "times alternate between ...+02:00, ...SS.000Z and ...SS.000000+02:00 "
           "(same 1 s instants)")

    pts = xml_points(line(91, 3.3), hr_base=150)
    FILES["gpx-tpx-v2-ns3.gpx"] = gpx([pts], tpx=("ns3", TPX2))
    expect("gpx-tpx-v2-ns3.gpx", pts, None,
           "heart rate in Garmin TrackPointExtension v2 under the prefix ns3:")

    td = line(60, 3.0) + line(60, 3.0, t0=59 + 600, d0=59 * 3.0)
    pts = xml_points(td)
    FILES["gpx-two-segments-pause.gpx"] = gpx([pts[:60], pts[60:]], tpx=tp1)
    expect("gpx-two-segments-pause.gpx", pts, None,
           "two <trkseg>, 10 min pause between them; segment 2 starts where segment 1 ended")

    pts = xml_points(line(45, 2.7), hr=False)
    FILES["gpx-empty-seg-first.gpx"] = gpx([pts], empty_first=True)
    expect("gpx-empty-seg-first.gpx", pts, None,
           "<trk> with an empty <trkseg/> followed by a real segment")

    pts = xml_points(line(50, 3.4))
    FILES["gpx-crlf.gpx"] = gpx([pts], tpx=tp1, nl="\r\n",
                                head='<?xml version="1.0" encoding="UTF-8"?>\r\n')
    expect("gpx-crlf.gpx", pts, None, "CRLF line endings throughout")

    pts = xml_points(line(40, 3.0))
    FILES["gpx-one-line.gpx"] = gpx([pts], tpx=tp1, nl="",
                                    head='<?xml version="1.0" encoding="UTF-8"?>')
    expect("gpx-one-line.gpx", pts, None, "whole document on one line, no newline at all")

    pts = xml_points(line(61, 2.5), hr=False)
    FILES["gpx-ele-sparse.gpx"] = gpx([pts], ele_every=2)
    expect("gpx-ele-sparse.gpx", pts, None, "<ele> present only on every other point")

    pts = xml_points(line(21, 3.0, dt=10), hr=False)
    FILES["gpx-route.gpx"] = gpx([pts], route=True)
    expect("gpx-route.gpx", pts, None,
           "route only: <rte>/<rtept> with <time>, one point every 10 s, no <trk>")


# ---------------------------------------------------------------------- TCX
def tcx(laps, p="", pos=True, hr=True, ext=False):
    q = p + ":" if p else ""
    attrs = (' xmlns:%s="%s"' % (p, TCXNS)) if p else (' xmlns="%s"' % TCXNS)
    if ext:
        attrs += ' xmlns:ns3="%s"' % AXNS
    o = ['<?xml version="1.0" encoding="UTF-8" standalone="no"?>',
         "<%sTrainingCenterDatabase%s>" % (q, attrs),
         "  <%sActivities>" % q, '    <%sActivity Sport="Running">' % q,
         "      <%sId>%s</%sId>" % (q, iso(laps[0][0]["t"]), q)]

    def el(depth, name, val):
        o.append("  " * depth + "<%s%s>%s</%s%s>" % (q, name, val, q, name))
    for i, lap in enumerate(laps):
        end = laps[i + 1][0] if i + 1 < len(laps) else lap[-1]
        o.append('      <%sLap StartTime="%s">' % (q, iso(lap[0]["t"])))
        el(4, "TotalTimeSeconds", "%.1f" % (end["t"] - lap[0]["t"]))
        el(4, "DistanceMeters", "%.2f" % (end["dist"] - lap[0]["dist"]))
        el(4, "Calories", "%d" % (len(lap) // 6))
        el(4, "Intensity", "Active")
        el(4, "TriggerMethod", "Manual")
        o.append("        <%sTrack>" % q)
        for pt in lap:
            o.append("          <%sTrackpoint>" % q)
            el(6, "Time", iso(pt["t"]))
            if pos:
                o.append("            <%sPosition>" % q)
                el(7, "LatitudeDegrees", "%.7f" % pt["lat"])
                el(7, "LongitudeDegrees", "%.7f" % pt["lon"])
                o.append("            </%sPosition>" % q)
                el(6, "AltitudeMeters", "%.1f" % pt["ele"])
            el(6, "DistanceMeters", "%.2f" % pt["dist"])
            if hr:
                el(6, "HeartRateBpm", "<%sValue>%d</%sValue>" % (q, pt["hr"], q))
            if ext:
                o.append("            <%sExtensions><ns3:TPX><ns3:Speed>%.2f</ns3:Speed>"
                         "</ns3:TPX></%sExtensions>" % (q, pt["speed"], q))
            o.append("          </%sTrackpoint>" % q)
        o.append("        </%sTrack>" % q)
        o.append("      </%sLap>" % q)
    o += ["    </%sActivity>" % q, "  </%sActivities>" % q,
          "</%sTrainingCenterDatabase>" % q, ""]
    return "\n".join(o).encode("utf-8")


def make_tcx():
    pts = xml_points(line(121, 3.0))
    for p in pts:
        p["dist"], p["speed"] = round(p["cum"], 2), 3.0
    FILES["tcx-basic.tcx"] = tcx([pts], ext=True)
    expect("tcx-basic.tcx", pts, "running",
           "TCX Running, one Lap, Trackpoints with Position, Altitude, Distance, HR, TPX Speed")

    pts = [dict(t=t, lat=None, lon=None, hr=None, dist=round(d, 2)) for t, d in line(121, 2.9)]
    FILES["tcx-treadmill.tcx"] = tcx([pts], pos=False, hr=False)
    expect("tcx-treadmill.tcx", pts, "running",
           "treadmill: no Position, no HR, only Time and DistanceMeters per Trackpoint")

    pts = xml_points(line(180, 3.1))
    for p in pts:
        p["dist"] = round(p["cum"], 2)
    FILES["tcx-two-laps.tcx"] = tcx([pts[:90], pts[90:]])
    expect("tcx-two-laps.tcx", pts, "running",
           "two Laps (90 + 90 s), Trackpoint DistanceMeters cumulative over the activity")

    pts = xml_points(line(61, 3.2), east=True, hr_base=135)
    for p in pts:
        p["dist"] = round(p["cum"], 2)
    FILES["tcx-prefixed.tcx"] = tcx([pts], p="tcx")
    expect("tcx-prefixed.tcx", pts, "running",
           "every TCX element written with a tcx: namespace prefix, running due east")


# ---------------------------------------------------------------------- FIT
CRC_TABLE = [0x0000, 0xCC01, 0xD801, 0x1400, 0xF001, 0x3C00, 0x2800, 0xE401,
             0xA001, 0x6C00, 0x7800, 0xB401, 0x5000, 0x9C01, 0x8801, 0x4400]


def crc16(data, crc=0):
    for b in data:
        for nib in (b & 0xF, b >> 4):
            tmp = CRC_TABLE[crc & 0xF]
            crc = ((crc >> 4) & 0x0FFF) ^ tmp ^ CRC_TABLE[nib]
    return crc


PACK = {0x00: "B", 0x01: "b", 0x02: "B", 0x83: "h", 0x84: "H", 0x85: "i",
        0x86: "I", 0x8C: "I", 0x07: None, 0x0D: None}
FILE_ID = [(0, 1, 0x00), (1, 2, 0x84), (2, 2, 0x84), (3, 4, 0x8C), (4, 4, 0x86)]
REC = [(253, 4, 0x86), (0, 4, 0x85), (1, 4, 0x85), (5, 4, 0x86), (2, 2, 0x84), (3, 1, 0x02)]
SESSION = [(253, 4, 0x86), (2, 4, 0x86), (7, 4, 0x86), (8, 4, 0x86), (9, 4, 0x86),
           (5, 1, 0x00), (6, 1, 0x00), (16, 1, 0x02)]
DEV_ID = [(1, 16, 0x0D), (3, 1, 0x02)]
FIELD_DESC = [(0, 1, 0x02), (1, 1, 0x02), (2, 1, 0x02), (3, 16, 0x07), (8, 8, 0x07)]


class Fit:
    def __init__(self):
        self.buf = bytearray()
        self.defs = {}
        self.rec_offsets = []      # offset of each record data message within the data

    def define(self, local, gmsg, fields, arch=0, dev=()):
        e = ">" if arch else "<"
        hdr = 0x40 | (0x20 if dev else 0) | local
        self.buf += struct.pack(e + "BBBHB", hdr, 0, arch, gmsg, len(fields))
        for f in fields:
            self.buf += bytes(f)
        if dev:
            self.buf += bytes([len(dev)]) + b"".join(bytes(d) for d in dev)
        self.defs[local] = (gmsg, fields, arch, dev)

    def data(self, local, values, devvals=(), ts_offset=None):
        gmsg, fields, arch, dev = self.defs[local]
        if gmsg == 20:
            self.rec_offsets.append(len(self.buf))
        if ts_offset is None:
            self.buf.append(local)
        else:
            assert local < 4 and 0 <= ts_offset < 32
            self.buf.append(0x80 | (local << 5) | ts_offset)
        for (num, size, bt), v in zip(fields, values):
            if PACK[bt] is None:
                self.buf += bytes(v).ljust(size, b"\0")[:size]
            else:
                self.buf += struct.pack((">" if arch else "<") + PACK[bt], v)
        for v in devvals:
            self.buf.append(v)

    def file(self, header_size=14, proto=0x20):
        h = struct.pack("<BBHI4s", header_size, proto if header_size == 14 else 0x10,
                        2132, len(self.buf), b".FIT")
        if header_size == 14:
            h += struct.pack("<H", crc16(h))
        body = h + bytes(self.buf)
        return body + struct.pack("<H", crc16(body))


def rec_values(p):
    inv = p.get("invalid", "")
    return [FIT_T0 + p["t"],
            0x7FFFFFFF if "pos" in inv else p["slat"],
            0x7FFFFFFF if "pos" in inv else p["slon"],
            0xFFFFFFFF if "dist" in inv else round(p["cum"] * 100),
            0xFFFF if "dist" in inv else round((p["ele"] + 500) * 5),
            0xFF if "hr" in inv else p["hr"]]


def session_values(pts):
    hrs = [p["hr"] for p in pts if p["hr"] is not None]
    el = pts[-1]["t"] - pts[0]["t"]
    return [FIT_T0 + pts[-1]["t"], FIT_T0 + pts[0]["t"], el * 1000, el * 1000,
            round(pts[-1]["cum"] * 100), 1, 0, round(sum(hrs) / len(hrs))]


def file_id(w, local=0):
    w.define(local, 0, FILE_ID)
    w.data(local, [4, 255, 1, 24051, FIT_T0])


def plain(pts, rec_arch=0, header_size=14, session=True, fid=True):
    """(a)/(b)/(e): file_id, record definition, records, session."""
    w = Fit()
    same = header_size == 12           # the legacy file reuses local type 0 for all
    if fid:
        file_id(w)
    w.define(0 if same else 1, 20, REC, arch=rec_arch)
    for p in pts:
        w.data(0 if same else 1, rec_values(p))
    if session:
        w.define(0 if same else 2, 18, SESSION)
        w.data(0 if same else 2, session_values(pts))
    return w


def make_fit():
    pts = fit_points(line(120, 3.0))
    w = plain(pts)
    FILES["fit-plain-le.fit"] = w.file()
    expect("fit-plain-le.fit", pts, "running",
           "FIT little-endian: file_id, 120 records (ts, lat/long, distance, altitude, HR), session")

    k = len(pts) // 2                    # (g): cut 7 bytes into record k
    full = FILES["fit-plain-le.fit"]
    FILES["fit-truncated.fit"] = full[:14 + w.rec_offsets[k] + 7]
    expect("fit-truncated.fit", pts[:k], None,
           "fit-plain-le.fit cut 7 bytes into record #%d: header data_size too large, no "
           "session, no CRC; keep the %d complete records and warn" % (k, k), damaged=True)

    pts = fit_points(line(120, 3.1), hr_base=145)
    FILES["fit-bigendian-record.fit"] = plain(pts, rec_arch=1).file()
    expect("fit-bigendian-record.fit", pts, "running",
           "record definition and record data BIG-endian (architecture 1); "
           "file_id and session little-endian")

    td = line(40, 2.9) + line(50, 2.9, t0=65, d0=40 * 2.9)   # a 26 s gap at record 40
    pts = fit_points(td, hr_base=150)
    w = Fit()
    file_id(w)
    w.define(0, 20, REC)
    w.define(1, 20, REC[1:])            # same record without field 253
    w.data(0, rec_values(pts[0]))
    for p in pts[1:]:
        w.data(1, rec_values(p)[1:], ts_offset=(FIT_T0 + p["t"]) & 0x1F)
    w.define(2, 18, SESSION)
    w.data(2, session_values(pts))
    FILES["fit-compressed-ts.fit"] = w.file()
    expect("fit-compressed-ts.fit", pts, "running",
           "first record with a full timestamp, the next 89 with compressed-timestamp headers "
           "(local 1); the 5-bit offset rolls over 3 times, once across a 26 s gap")

    pts = fit_points(line(60, 3.2), hr_base=138)
    w = Fit()
    file_id(w)
    w.define(1, 207, DEV_ID)
    w.data(1, [bytes(range(0x10, 0x20)), 0])
    w.define(2, 206, FIELD_DESC)
    w.data(2, [0, 0, 0x02, b"runcare_effort", b"percent"])
    w.define(3, 20, REC, dev=[(0, 1, 0)])
    for i, p in enumerate(pts):
        w.data(3, rec_values(p), devvals=[50 + i % 40])
    w.define(4, 18, SESSION)
    w.data(4, session_values(pts))
    FILES["fit-devfield.fit"] = w.file()
    expect("fit-devfield.fit", pts, "running",
           "developer_data_id (207) + field_description (206), then a record definition with "
           "the developer flag and one 1-byte developer field per record")

    pts = fit_points(line(60, 2.6), hr_base=132)
    FILES["fit-header12.fit"] = plain(pts, header_size=12).file(header_size=12)
    expect("fit-header12.fit", pts, "running",
           "legacy 12-byte header (protocol 1.0, no header CRC); every message on local type 0, "
           "redefined before each message kind")

    pts = fit_points(line(600, 2.9), hr_base=142)
    a = plain(pts[:300], session=False)
    b = plain(pts[300:], session=False)
    b.define(2, 18, SESSION)
    b.data(2, session_values(pts))      # session of file 2 covers the whole activity
    FILES["fit-chained.fit"] = a.file() + b.file()
    expect("fit-chained.fit", pts, "running",
           "two FIT files chained: 300 s of records (no session), then a second header, "
           "file_id and 300 more records continuing time and distance, session for all 600")

    pts = fit_points(line(60, 3.0), hr_base=140)
    for i in (10, 11, 12):
        pts[i]["invalid"] = "pos"
    for i in (30, 31):
        pts[i]["invalid"] = "pos dist hr"
    for i in (20, 40, 50):
        pts[i]["invalid"] = "hr"
    FILES["fit-invalid-values.fit"] = plain(pts).file()
    for p in pts:
        inv = p.get("invalid", "")
        if "pos" in inv:
            p["lat"] = p["lon"] = None
        if "dist" in inv:
            p["dist"] = None
        if "hr" in inv:
            p["hr"] = None
    expect("fit-invalid-values.fit", pts, "running",
           "records 10-12 position 0x7FFFFFFF (distance valid); records 30-31 position, distance "
           "(0xFFFFFFFF), altitude and HR invalid; records 20,40,50 HR 0xFF")


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: python3 make.py OUTDIR")
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    make_gpx()
    make_tcx()
    make_fit()
    for name, data in sorted(FILES.items()):
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)
    with open(os.path.join(out, "expected.json"), "w", encoding="utf-8") as f:
        json.dump(EXPECTED, f, indent=2, sort_keys=True)
        f.write("\n")
    print("wrote %d files and expected.json to %s" % (len(FILES), out))


if __name__ == "__main__":
    main()
