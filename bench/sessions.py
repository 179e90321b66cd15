#!/usr/bin/env python3
"""Concurrent hijacked attach sessions against one running `cat` container.

Optionally opens and closes --serial sessions one at a time first (connect + 101 without queueing).
Then opens N raw TCP connections at once, each sending
  POST /containers/ID/attach?stream=1&stdin=1&stdout=1  (Upgrade: tcp, Connection: Upgrade)
and times connect + `101` response head per connection. Then, one session at a time, writes a
unique line and times until that same session reads the echo back. Every session attached to the
container receives every echo (the daemon broadcasts stdout), so each session has a reader task
that drains and demultiplexes continuously (8-byte header: stream, 0, 0, 0, big-endian size) and
the measuring coroutine only waits for its own token on its own session.

While all sessions are held open it samples VmRSS of --rss-pid (the gateway) and reports it
against the sample taken before the sessions were opened; with --jcmd, both samples are also taken
right after a forced GC (`jcmd PID GC.run`), which leaves uncollected garbage out of the figure.

Prints one JSON object on stdout. Python 3 standard library only; every wait is bounded.
"""
import argparse
import asyncio
import json
import math
import os
import statistics
import sys
import time


def rss_kib(pid):
    if not pid:
        return None
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def percentile(values, p):
    if not values:
        return None
    s = sorted(values)
    k = max(0, min(len(s) - 1, math.ceil(p / 100.0 * len(s)) - 1))  # nearest rank
    return s[k]


class Session:
    def __init__(self, idx):
        self.idx = idx
        self.reader = None
        self.writer = None
        self.pending = b""      # undemultiplexed bytes
        self.payload = bytearray()  # demultiplexed stdout/stderr, trimmed as it grows
        self.expect = None
        self.got = asyncio.Event()
        self.task = None
        self.error = None
        self.bytes_in = 0

    def feed(self, data):
        self.bytes_in += len(data)
        buf = self.pending + data
        pos = 0
        while len(buf) - pos >= 8:
            size = int.from_bytes(buf[pos + 4:pos + 8], "big")
            if len(buf) - pos - 8 < size:
                break
            self.payload += buf[pos + 8:pos + 8 + size]
            pos += 8 + size
        self.pending = buf[pos:]
        if self.expect is not None and self.expect in self.payload:
            self.expect = None
            self.payload.clear()
            self.got.set()
        elif len(self.payload) > 4096:
            del self.payload[:-512]

    async def drain(self):
        try:
            while True:
                data = await self.reader.read(65536)
                if not data:
                    return
                self.feed(data)
        except (ConnectionError, OSError) as e:
            self.error = str(e)
        except asyncio.CancelledError:
            pass


async def open_session(idx, host, port, cid, timeout):
    s = Session(idx)
    t0 = time.perf_counter()
    s.reader, s.writer = await asyncio.wait_for(asyncio.open_connection(host, port), timeout)
    req = (f"POST /containers/{cid}/attach?stream=1&stdin=1&stdout=1 HTTP/1.1\r\n"
           f"Host: {host}:{port}\r\n"
           "User-Agent: portcullis-bench\r\n"
           "Content-Type: text/plain\r\n"
           "Upgrade: tcp\r\n"
           "Connection: Upgrade\r\n\r\n").encode()
    s.writer.write(req)
    await asyncio.wait_for(s.writer.drain(), timeout)
    head = b""
    while b"\r\n\r\n" not in head:
        chunk = await asyncio.wait_for(s.reader.read(4096), timeout)
        if not chunk:
            raise ConnectionError(f"session {idx}: connection closed before response head ({head[:80]!r})")
        head += chunk
        if len(head) > 65536:
            raise ConnectionError(f"session {idx}: response head too large")
    elapsed = time.perf_counter() - t0
    end = head.index(b"\r\n\r\n") + 4
    status_line = head.split(b"\r\n", 1)[0].decode("latin-1")
    parts = status_line.split(" ", 2)
    if len(parts) < 2 or parts[1] not in ("101", "200"):
        raise ConnectionError(f"session {idx}: unexpected response {status_line!r}")
    rest = head[end:]
    if rest:
        s.feed(rest)
    s.task = asyncio.ensure_future(s.drain())
    return s, elapsed, parts[1]


async def force_gc(args):
    """`jcmd PID GC.run` (bounded), then a short settle; False when not asked for or it failed."""
    if not args.jcmd or not args.rss_pid:
        return False
    try:
        proc = await asyncio.create_subprocess_exec(
            args.jcmd, str(args.rss_pid), "GC.run",
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL)
        try:
            rc = await asyncio.wait_for(proc.wait(), 30)
        except asyncio.TimeoutError:
            proc.kill()
            await proc.wait()
            return False
    except OSError:
        return False
    await asyncio.sleep(1.0)
    return rc == 0


async def close_all(sessions):
    for s in sessions:
        if s.task:
            s.task.cancel()
        if s.writer:
            try:
                s.writer.close()
            except Exception:
                pass
    for s in sessions:
        if s.writer:
            try:
                await asyncio.wait_for(s.writer.wait_closed(), 2)
            except Exception:
                pass
    for s in sessions:
        if s.task:
            try:
                await asyncio.wait_for(s.task, 2)
            except BaseException:
                pass


async def run(args):
    result = {"target": args.label, "sessions": args.sessions}
    # One at a time first (opened, then closed): connect+101 without the burst's queueing.
    serial = []
    for i in range(args.serial):
        try:
            s, elapsed, _ = await open_session(-1 - i, args.host, args.port, args.container, args.timeout)
            serial.append(elapsed)
            await close_all([s])
        except (asyncio.TimeoutError, ConnectionError, OSError):
            pass
    result["serial_count"] = len(serial)
    result["serial_p50_ms"] = percentile(serial, 50) * 1000 if serial else None
    result["serial_p99_ms"] = percentile(serial, 99) * 1000 if serial else None
    if serial:
        await asyncio.sleep(0.5)
    result["rss_before_raw_kib"] = rss_kib(args.rss_pid)
    if await force_gc(args):
        result["rss_before_kib"] = rss_kib(args.rss_pid)
    else:
        result["rss_before_kib"] = result["rss_before_raw_kib"]
    opened = await asyncio.gather(
        *(open_session(i, args.host, args.port, args.container, args.timeout) for i in range(args.sessions)),
        return_exceptions=True)
    sessions, connect, errors, statuses = [], [], [], {}
    for r in opened:
        if isinstance(r, BaseException):
            errors.append(repr(r))
        else:
            s, elapsed, status = r
            sessions.append(s)
            connect.append(elapsed)
            statuses[status] = statuses.get(status, 0) + 1
    result["opened"] = len(sessions)
    result["open_errors"] = len(errors)
    if errors:
        result["first_open_error"] = errors[0]
    result["statuses"] = statuses
    result["connect_p50_ms"] = percentile(connect, 50) * 1000 if connect else None
    result["connect_p99_ms"] = percentile(connect, 99) * 1000 if connect else None
    result["connect_max_ms"] = max(connect) * 1000 if connect else None

    # Echo: one session at a time, waiting for its own token on its own session.
    echo, echo_errors = [], 0
    nonce = os.getpid()
    for s in sessions:
        token = f"bench-{nonce}-{args.label}-{s.idx}-{time.monotonic_ns()}\n".encode()
        s.got.clear()
        s.expect = token
        t0 = time.perf_counter()
        try:
            s.writer.write(token)
            await asyncio.wait_for(s.writer.drain(), args.timeout)
            await asyncio.wait_for(s.got.wait(), args.timeout)
            echo.append(time.perf_counter() - t0)
        except (asyncio.TimeoutError, ConnectionError, OSError):
            s.expect = None
            echo_errors += 1
            if echo_errors >= 5:
                break
    result["echo_count"] = len(echo)
    result["echo_errors"] = echo_errors
    result["echo_p50_ms"] = percentile(echo, 50) * 1000 if echo else None
    result["echo_p99_ms"] = percentile(echo, 99) * 1000 if echo else None

    # Hold all of them, then sample RSS: raw, then (with --jcmd) after a forced GC so that garbage
    # the JVM has not collected yet does not count as session memory.
    await asyncio.sleep(args.hold)
    rss_raw = rss_kib(args.rss_pid)
    rss_held = rss_kib(args.rss_pid) if await force_gc(args) else rss_raw
    alive = sum(1 for s in sessions if s.task and not s.task.done())
    result["alive_while_held"] = alive
    result["rss_held_raw_kib"] = rss_raw
    result["rss_held_kib"] = rss_held
    result["rss_gc_forced"] = bool(args.jcmd and args.rss_pid)
    if result["rss_before_kib"] is not None and rss_held is not None and alive:
        result["rss_per_session_kib"] = (rss_held - result["rss_before_kib"]) / alive
    if result["rss_before_raw_kib"] is not None and rss_raw is not None and alive:
        result["rss_per_session_raw_kib"] = (rss_raw - result["rss_before_raw_kib"]) / alive
    result["session_errors"] = [s.error for s in sessions if s.error][:3]
    await close_all(sessions)
    return result


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--container", required=True)
    ap.add_argument("--sessions", type=int, default=200)
    ap.add_argument("--label", default="target")
    ap.add_argument("--rss-pid", type=int, default=0)
    ap.add_argument("--serial", type=int, default=0, help="first open and close this many sessions one at a time")
    ap.add_argument("--jcmd", default="", help="path of jcmd: force a GC in --rss-pid before each RSS sample")
    ap.add_argument("--hold", type=float, default=2.0, help="seconds to hold all sessions before sampling RSS")
    ap.add_argument("--timeout", type=float, default=20.0, help="bound on every single wait")
    args = ap.parse_args()
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        sys.exit("loopback addresses only")
    res = asyncio.run(asyncio.wait_for(run(args), args.timeout * 4 + (args.sessions + args.serial) * args.timeout / 10 + args.hold + 60))
    print(json.dumps(res))


if __name__ == "__main__":
    main()
