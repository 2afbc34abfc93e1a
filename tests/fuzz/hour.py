#!/usr/bin/env python3
"""hour.py — from a libFuzzer log (build-fuzz/fuzz-TARGET.log), the curve of executions over time and
what an hour would hold if the rate kept falling the way it did.

libFuzzer prints no clock, but each '#N ... exec/s: R' line's R is N over the seconds since the run
began, so N / R is when the line was printed (to within the rounding of R). The rate between lines is
fitted, from a fifth of the run on (after the seed corpus is read), as rate = a * t^b by least squares
on log rate against log t (b < 0 when it falls), and that curve is added up from the log's last line to
an hour: the executions an hour would hold. A rate that rises (b > 0) is not extrapolated upwards: the
last stretch's rate is held instead.
usage: tests/fuzz/hour.py LOG [SECONDS]   (SECONDS: the horizon, 3600 by default)"""
import math
import re
import sys

GOAL = 10_000_000


def points(path):
    pts = []
    for line in open(path, errors="replace"):
        m = re.match(r"#(\d+)\s+\S+.*exec/s: (\d+)", line)
        if m and int(m.group(2)) > 0:
            n, r = int(m.group(1)), int(m.group(2))
            t = n / r
            if not pts or t > pts[-1][0]:
                pts.append((t, n))
    return pts


def main():
    path = sys.argv[1]
    horizon = float(sys.argv[2]) if len(sys.argv) > 2 else 3600.0
    pts = points(path)
    if len(pts) < 4:
        sys.exit("hour.py: too few '#N ... exec/s' lines in " + path)
    t_end, n_end = pts[-1]
    # The rate over windows of about a twentieth of the run each.
    step = t_end / 20
    windows, last = [], pts[0]
    for t, n in pts[1:]:
        if t - last[0] >= step:
            windows.append(((t + last[0]) / 2, (n - last[1]) / (t - last[0])))
            last = (t, n)
    print(f"{'seconds':>8} {'executions':>11} {'exec/s then':>11}")
    shown = set()
    for tm, r in windows:
        k = int(tm // 60)
        if k not in shown:
            shown.add(k)
            n_at = max(n for t, n in pts if t <= tm) if any(t <= tm for t, _ in pts) else 0
            print(f"{tm:8.0f} {n_at:11d} {r:11.0f}")
    fit = [(math.log(tm), math.log(r)) for tm, r in windows if tm >= t_end / 5 and r > 0]
    if len(fit) < 3:
        sys.exit("hour.py: the run is too short to fit")
    mx = sum(x for x, _ in fit) / len(fit)
    my = sum(y for _, y in fit) / len(fit)
    b = sum((x - mx) * (y - my) for x, y in fit) / sum((x - mx) ** 2 for x, _ in fit)
    a = math.exp(my - b * mx)
    if b >= 0:
        r_last = windows[-1][1]
        more = r_last * (horizon - t_end)
        how = f"rate not falling (t^{b:+.2f}): the last stretch's {r_last:.0f}/s held"
    else:
        more = a / (b + 1) * (horizon ** (b + 1) - t_end ** (b + 1)) if b != -1 else a * math.log(horizon / t_end)
        how = f"rate ~ {a:.0f} * t^{b:.3f}, {a * t_end ** b:.0f}/s at {t_end:.0f} s, {a * horizon ** b:.0f}/s at {horizon:.0f} s"
    total = n_end + more
    print(f"{n_end} executions in {t_end:.0f} s; {how}")
    print(f"in {horizon:.0f} s: {total / 1e6:.1f} million ({'reaches' if total >= GOAL else 'short of'} 10^7; "
          f"{total / horizon:.0f}/s on average)")


if __name__ == "__main__":
    main()
