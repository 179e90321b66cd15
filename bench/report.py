#!/usr/bin/env python3
"""Small helpers for bench/run.sh (standard library only).

  report.py wrk FILE                 -> "RPS P50_MS P99_MS REQUESTS NON2XX SOCKET_ERRORS" from `wrk --latency`
  report.py get FILE KEY[.KEY...]    -> one field of a JSON file ("" when absent or null)
  report.py runs FILE HOST           -> "MEDIAN_S P90_S MIN_S N FAILURES MEAN_S" for one host of `pipe.py run`
  report.py times FILE HOST          -> that host's `pipe.py run` times in ms, sorted, one line
  report.py ratio A B                -> B/A with 2 decimals ("-" when either is missing)
  report.py median V...              -> median of the numeric values ("" when none)
  report.py mibs BYTES SECONDS       -> BYTES/2^20/SECONDS with 1 decimal ("" when missing)
  report.py table RESULTS            -> the summary table of the TSV rows run.sh appended

RESULTS rows: metric, unit, direct, gateway, better (higher|lower|abs), target (e.g. ">=0.8",
"<=1.1", "<=16" for abs), note. Ratio is always gateway/direct (the second value over the first).
A line "@TEXT" starts a section: TEXT is printed as a heading line in the table (it says what the
two value columns of the rows below it are, e.g. the gateway's plaintext vs. TLS listener).
"""
import json
import math
import re
import sys

UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0, "h": 3600000.0}


def to_ms(text):
    m = re.fullmatch(r"([0-9.]+)(us|ms|s|m|h)", text.strip())
    if not m:
        return None
    return float(m.group(1)) * UNITS[m.group(2)]


def cmd_wrk(path):
    text = open(path, errors="replace").read()
    rps = re.search(r"Requests/sec:\s+([0-9.]+)", text)
    p50 = re.search(r"^\s+50%\s+(\S+)", text, re.M)
    p99 = re.search(r"^\s+99%\s+(\S+)", text, re.M)
    req = re.search(r"^\s+(\d+) requests in", text, re.M)
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    vals = [
        rps.group(1) if rps else "",
        f"{to_ms(p50.group(1)):.3f}" if p50 and to_ms(p50.group(1)) is not None else "",
        f"{to_ms(p99.group(1)):.3f}" if p99 and to_ms(p99.group(1)) is not None else "",
        req.group(1) if req else "0",
        non2xx.group(1) if non2xx else "0",
        str(sum(int(x) for x in sock.groups())) if sock else "0",
    ]
    print(" ".join(v if v != "" else "-" for v in vals))


def cmd_get(path, key):
    try:
        obj = json.load(open(path))
    except (OSError, ValueError):
        print("")
        return
    for k in key.split("."):
        if isinstance(obj, dict) and k in obj:
            obj = obj[k]
        else:
            obj = None
            break
    if obj is None:
        print("")
    elif isinstance(obj, float):
        print(f"{obj:.6g}")
    elif isinstance(obj, (dict, list)):
        print(json.dumps(obj))
    else:
        print(obj)


def cmd_runs(path, host):
    try:
        r = json.load(open(path))[host]
    except (OSError, ValueError, KeyError):
        print("- - - 0 0 -")
        return
    t = sorted(r["times_s"])
    if not t:
        print(f"- - - 0 {r['failures']} -")
        return
    n = len(t)
    median = t[n // 2] if n % 2 else (t[n // 2 - 1] + t[n // 2]) / 2
    p90 = t[max(0, math.ceil(0.9 * n) - 1)]
    print(f"{median:.4f} {p90:.4f} {t[0]:.4f} {n} {r['failures']} {sum(t) / n:.4f}")


def num(x):
    try:
        v = float(x)
        return v if math.isfinite(v) else None
    except (TypeError, ValueError):
        return None


def cmd_ratio(a, b):
    a, b = num(a), num(b)
    print("-" if a is None or b is None or a == 0 else f"{b / a:.2f}")


def fmt(v):
    x = num(v)
    if x is None:
        return v if v else "-"
    if abs(x) >= 1000:
        return f"{x:,.0f}"
    if abs(x) >= 100:
        return f"{x:.1f}"
    return f"{x:.2f}"


def check(value, target):
    m = re.fullmatch(r"(>=|<=)([0-9.]+)", target or "")
    if value is None or not m:
        return ""
    limit = float(m.group(2))
    ok = value >= limit if m.group(1) == ">=" else value <= limit
    return "ok" if ok else "MISS"


def cmd_table(path):
    rows = []
    for line in open(path):
        line = line.rstrip("\n")
        if not line or line.startswith("#"):
            continue
        if line.startswith("@"):
            rows.append(line[1:])
            continue
        f = (line.split("\t") + [""] * 7)[:7]
        rows.append(f)
    out = [["metric", "unit", "direct", "gateway", "gw/direct", "better", "target", "check"]]
    sections = {}
    for item in rows:
        if isinstance(item, str):
            sections[len(out)] = item
            continue
        metric, unit, direct, gateway, better, target, note = item
        d, g = num(direct), num(gateway)
        if better == "abs":
            ratio_s = "-"
            target_s = f"{target} {unit}".strip() if target else ""
            chk = check(g, target)
            better_s = "lower" if target else "-"
        else:
            ratio = g / d if d and g is not None else None
            ratio_s = f"{ratio:.2f}x" if ratio is not None else "-"
            target_s = (target + "x") if target else ""
            chk = check(round(ratio, 2) if ratio is not None else None, target)  # as displayed
            better_s = better
        label = metric + (f" [{note}]" if note else "")
        out.append([label, unit, fmt(direct), fmt(gateway), ratio_s, better_s, target_s, chk])
    widths = [max(len(r[i]) for r in out) for i in range(len(out[0]))]
    right = {2, 3, 4}
    lines = []
    for n, r in enumerate(out):
        if n in sections:
            lines.append("-- " + sections[n] + ":")
        cells = [r[i].rjust(widths[i]) if i in right else r[i].ljust(widths[i]) for i in range(len(r))]
        lines.append("  ".join(cells).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    print("\n".join(lines))
    print()
    print("gw/direct is gateway divided by direct on every row (tls/plain on the tls rows, see below).")
    print("Throughput rows (better=higher): 1.00x is parity, below 1 means the gateway is slower. Latency")
    print("rows (better=lower): 1.00x is parity, above 1 means the gateway adds latency. RSS rows are")
    print("absolute (gateway only); raw RSS deltas include garbage not yet collected and heap resizing, so")
    print("they are noisy and can be negative. RSS per session = (held - before) / sessions; memory grows in")
    print("MiB-sized steps (heap regions, buffer-pool chunks), so with few sessions one step dominates: read")
    print("it at 200 sessions or more, over runs.")
    if any(isinstance(item, str) for item in rows):
        print("Rows under a \"--\" heading compare what that heading names instead of direct and gateway (the")
        print("tls rows: the gateway's plaintext listener in the direct column, its mutual-TLS listener in the")
        print("gateway column, so gw/direct reads tls/plain); their rows are marked [tls/plain].")


def main():
    a = sys.argv[1:]
    if not a:
        sys.exit(__doc__)
    cmd = a[0]
    if cmd == "wrk" and len(a) == 2:
        cmd_wrk(a[1])
    elif cmd == "get" and len(a) == 3:
        cmd_get(a[1], a[2])
    elif cmd == "runs" and len(a) == 3:
        cmd_runs(a[1], a[2])
    elif cmd == "times" and len(a) == 3:
        try:
            t = sorted(json.load(open(a[1]))[a[2]]["times_s"])
        except (OSError, ValueError, KeyError):
            t = []
        print(" ".join(f"{x * 1000:.0f}" for x in t) or "-")
    elif cmd == "ratio" and len(a) == 3:
        cmd_ratio(a[1], a[2])
    elif cmd == "median":
        v = sorted(x for x in (num(y) for y in a[1:]) if x is not None)
        n = len(v)
        print("" if not n else f"{(v[n // 2] if n % 2 else (v[n // 2 - 1] + v[n // 2]) / 2):.6g}")
    elif cmd == "mibs" and len(a) == 3:
        b, t = num(a[1]), num(a[2])
        print("" if b is None or not t else f"{b / 1048576 / t:.1f}")
    elif cmd == "table" and len(a) == 2:
        cmd_table(a[1])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
