#!/usr/bin/env python3
"""GET /_ping load over plaintext or mutual-TLS connections, the same client code for both.

  tlsping.py conn      --port P [--tls --ca CA --cert CERT --key KEY] [--concurrency C] [--seconds S]
  tlsping.py keepalive --port P [--tls ...] [--connections N] [--seconds S]

conn: C slots, each in a loop: new TCP connection (+ a full TLS handshake with the client
certificate when --tls; no session resumption) + one `GET /_ping` + reading the whole response +
close (TLS: close_notify first). Latency is per connection, from socket() to the last byte of the
response.

keepalive: N connections opened (and handshaken) first, outside the measured window; then each
sends one `GET /_ping`, reads the whole response (Content-Length or chunked), and sends the next.
Latency is per request.

One thread, non-blocking sockets on a selector (epoll): a light client, since it shares the CPUs
with the gateway and dockerd. Only responses completed inside the measured window count. Every wait
is bounded (--timeout per operation; the whole run ends by seconds + timeout + a few s).

Prints one JSON object: count, rate_per_s, p50_ms, p99_ms, errors, bad_status, first_error,
tls_version, cipher, resumed, client_cpu_s (this process, user+sys, in the window) and, with
--pid, that process's CPU seconds in the window (the gateway's).
"""
import argparse
import errno
import json
import math
import os
import resource
import selectors
import socket
import ssl
import sys
import time

R, W = selectors.EVENT_READ, selectors.EVENT_WRITE


def percentile(values, p):
    if not values:
        return None
    s = sorted(values)
    return s[max(0, min(len(s) - 1, math.ceil(p / 100.0 * len(s)) - 1))]  # nearest rank


def proc_cpu_s(pid):
    if not pid:
        return None
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None


def self_cpu_s():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


class Response:
    """Incremental HTTP/1.1 response parser: Content-Length or chunked bodies."""

    def __init__(self):
        self.buf = bytearray()
        self.status = None
        self.body_left = None  # bytes of body still expected (Content-Length mode)
        self.chunked = False
        self.pos = 0
        self.done = False

    def feed(self, data):
        self.buf += data
        if self.status is None:
            end = self.buf.find(b"\r\n\r\n")
            if end < 0:
                if len(self.buf) > 65536:
                    raise ValueError("response head larger than 64 KiB")
                return
            head = bytes(self.buf[:end]).decode("latin-1").split("\r\n")
            parts = head[0].split(" ", 2)
            if len(parts) < 2 or not parts[0].startswith("HTTP/1."):
                raise ValueError(f"bad status line {head[0][:80]!r}")
            self.status = int(parts[1])
            length = None
            for line in head[1:]:
                name, _, value = line.partition(":")
                name = name.strip().lower()
                if name == "content-length":
                    length = int(value.strip())
                elif name == "transfer-encoding" and "chunked" in value.lower():
                    self.chunked = True
            self.pos = end + 4
            if not self.chunked:
                if length is None:
                    raise ValueError("response without Content-Length or chunked encoding")
                self.body_left = length
        if self.chunked:
            self._chunks()
        else:
            have = len(self.buf) - self.pos
            if have >= self.body_left:
                if have > self.body_left:
                    raise ValueError("bytes after the response (nothing was pipelined)")
                self.done = True

    def _chunks(self):
        while True:
            line_end = self.buf.find(b"\r\n", self.pos)
            if line_end < 0:
                return
            size = int(bytes(self.buf[self.pos:line_end]).split(b";")[0], 16)
            if size == 0:  # last chunk, then optional trailer lines and an empty line
                if self.buf[line_end + 2:line_end + 4] == b"\r\n" or self.buf.find(b"\r\n\r\n", line_end) >= 0:
                    self.done = True
                return
            if len(self.buf) < line_end + 2 + size + 2:
                return
            self.pos = line_end + 2 + size + 2


class Slot:
    __slots__ = ("sock", "state", "started", "op_started", "resp", "sent", "fd")

    def __init__(self):
        self.sock = None
        self.state = "idle"
        self.started = 0.0
        self.op_started = 0.0
        self.resp = None
        self.sent = 0
        self.fd = -1


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["conn", "keepalive"])
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--tls", action="store_true")
    ap.add_argument("--ca")
    ap.add_argument("--cert")
    ap.add_argument("--key")
    ap.add_argument("--server-name", default="localhost")
    ap.add_argument("--concurrency", type=int, default=2, help="conn mode: connections in flight")
    ap.add_argument("--connections", type=int, default=16, help="keepalive mode: connections")
    ap.add_argument("--seconds", type=float, default=10.0)
    ap.add_argument("--timeout", type=float, default=10.0, help="per connect/handshake/request")
    ap.add_argument("--path", default="/_ping")
    ap.add_argument("--pid", type=int, default=0, help="also report this process's CPU seconds in the window")
    a = ap.parse_args()

    ctx = None
    if a.tls:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        ctx.minimum_version = ssl.TLSVersion.TLSv1_3
        ctx.load_verify_locations(a.ca)
        ctx.load_cert_chain(a.cert, a.key)
        ctx.set_alpn_protocols(["http/1.1"])
        ctx.check_hostname = True

    req = (f"GET {a.path} HTTP/1.1\r\nHost: {a.server_name}\r\nUser-Agent: portcullis-bench\r\n\r\n").encode()
    sel = selectors.DefaultSelector()
    keep = a.mode == "keepalive"
    n = a.connections if keep else a.concurrency
    slots = [Slot() for _ in range(n)]
    lat = []
    restart = []
    out = {"mode": a.mode, "tls": a.tls, "slots": n, "count": 0, "errors": 0, "bad_status": 0,
           "first_error": "", "statuses": {}, "tls_version": None, "cipher": None, "resumed": 0,
           "handshakes": 0, "opened": 0}
    measuring = False
    window_start = window_end = 0.0

    def error(slot, msg):
        out["errors"] += 1
        if not out["first_error"]:
            out["first_error"] = msg[:300]
        close(slot, abort=True)
        now = time.perf_counter()
        if measuring and now < window_end and out["errors"] < 1000:  # carry on, but not forever
            restart.append(slot)  # from the pump loop, not recursively

    def close(slot, abort=False):
        if slot.sock is not None:
            try:
                sel.unregister(slot.fd)
            except (KeyError, ValueError):
                pass
            if ctx is not None and isinstance(slot.sock, ssl.SSLSocket) and not abort:
                try:
                    slot.sock.unwrap()  # sends close_notify; does not wait for the peer's (non-blocking)
                except (ssl.SSLError, OSError):
                    pass
            try:
                slot.sock.close()
            except OSError:
                pass
        slot.sock = None
        slot.state = "idle"

    def watch(slot, events):
        try:
            sel.modify(slot.fd, events, slot)
        except KeyError:
            sel.register(slot.fd, events, slot)

    def start_conn(slot, now):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setblocking(False)
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        slot.sock, slot.fd = s, s.fileno()
        slot.started = slot.op_started = now
        rc = s.connect_ex((a.host, a.port))
        if rc == 0:
            connected(slot, now)
        elif rc in (errno.EINPROGRESS, errno.EAGAIN):
            slot.state = "connecting"
            watch(slot, W)
        else:
            error(slot, f"connect: {os.strerror(rc)}")

    def connected(slot, now):
        if ctx is None:
            out["opened"] += 1
            start_request(slot, now)
            return
        try:
            sel.unregister(slot.fd)
        except KeyError:
            pass
        slot.sock = ctx.wrap_socket(slot.sock, server_hostname=a.server_name, do_handshake_on_connect=False)
        slot.state = "handshake"
        handshake(slot, now)

    def handshake(slot, now):
        try:
            slot.sock.do_handshake()
        except ssl.SSLWantReadError:
            watch(slot, R)
            return
        except ssl.SSLWantWriteError:
            watch(slot, W)
            return
        except (ssl.SSLError, OSError) as e:
            error(slot, f"handshake: {e}")
            return
        out["handshakes"] += 1
        out["opened"] += 1
        if out["tls_version"] is None:
            out["tls_version"] = slot.sock.version()
            out["cipher"] = slot.sock.cipher()[0]
            out["alpn"] = slot.sock.selected_alpn_protocol()
        if slot.sock.session_reused:
            out["resumed"] += 1
        start_request(slot, now)

    def start_request(slot, now):
        if keep and not measuring:
            slot.state = "ready"  # opened before the window; the window starts them all at once
            try:
                sel.unregister(slot.fd)
            except KeyError:
                pass
            return
        slot.op_started = now
        if keep:
            slot.started = now
        slot.resp = Response()
        slot.sent = 0
        slot.state = "send"
        send(slot, now)

    def send(slot, now):
        try:
            while slot.sent < len(req):
                slot.sent += slot.sock.send(req[slot.sent:])
        except (ssl.SSLWantWriteError, BlockingIOError):
            watch(slot, W)
            return
        except ssl.SSLWantReadError:
            watch(slot, R)
            return
        except (ssl.SSLError, OSError) as e:
            error(slot, f"send: {e}")
            return
        slot.state = "recv"
        watch(slot, R)

    def recv(slot, now):
        while True:
            try:
                data = slot.sock.recv(65536)
            except (ssl.SSLWantReadError, BlockingIOError):
                return
            except ssl.SSLWantWriteError:
                watch(slot, W)
                return
            except (ssl.SSLError, OSError) as e:
                error(slot, f"recv: {e}")
                return
            if not data:
                error(slot, "connection closed before the whole response")
                return
            try:
                slot.resp.feed(data)
            except ValueError as e:
                error(slot, f"response: {e}")
                return
            if slot.resp.done:
                done(slot, time.perf_counter())
                return

    def done(slot, now):
        st = slot.resp.status
        if measuring and window_start <= slot.started and now <= window_end:
            out["count"] += 1
            lat.append(now - slot.started)
            out["statuses"][str(st)] = out["statuses"].get(str(st), 0) + 1
            if st != 200:
                out["bad_status"] += 1
        if keep:
            if now < window_end or not measuring:
                start_request(slot, now)
            else:
                close(slot)
        else:
            close(slot)
            if now < window_end:
                start_conn(slot, now)

    def step(slot, now):
        st = slot.state
        if st == "connecting":
            err = slot.sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
            if err:
                error(slot, f"connect: {os.strerror(err)}")
            else:
                connected(slot, now)
        elif st == "handshake":
            handshake(slot, now)
        elif st == "send":
            send(slot, now)
        elif st == "recv":
            recv(slot, now)

    def pump(until, stop_when=None):
        while True:
            now = time.perf_counter()
            if now >= until or (stop_when and stop_when()):
                return
            for key, _ in sel.select(timeout=0 if restart else min(0.5, until - now)):
                step(key.data, time.perf_counter())
            while restart:
                slot = restart.pop()
                if slot.sock is None and time.perf_counter() < window_end:
                    start_conn(slot, time.perf_counter())
            now = time.perf_counter()
            for slot in slots:  # bounded waits
                if slot.sock is not None and slot.state not in ("idle", "ready") and now - slot.op_started > a.timeout:
                    error(slot, f"timeout in state {slot.state} after {a.timeout:.0f} s")

    t0 = time.perf_counter()
    if keep:
        # Open (and handshake) every connection first, outside the window.
        for slot in slots:
            start_conn(slot, time.perf_counter())
        pump(t0 + a.timeout + 5, lambda: all(s.state in ("ready", "idle") for s in slots))
        if out["opened"] < n:
            out["first_error"] = out["first_error"] or f"only {out['opened']} of {n} connections opened"
    cpu0, pcpu0 = self_cpu_s(), proc_cpu_s(a.pid)
    window_start = time.perf_counter()
    window_end = window_start + a.seconds
    measuring = True
    for slot in slots:
        if keep:
            if slot.state == "ready":
                start_request(slot, window_start)
        else:
            start_conn(slot, window_start)
    pump(window_end)
    cpu1, pcpu1 = self_cpu_s(), proc_cpu_s(a.pid)
    # Let requests in flight finish (not counted) so the server sees orderly closes.
    pump(time.perf_counter() + min(a.timeout, 5), lambda: all(s.sock is None or s.state in ("idle", "ready") for s in slots))
    for slot in slots:
        close(slot, abort=slot.state not in ("idle", "ready"))
    elapsed = window_end - window_start
    out["seconds"] = round(elapsed, 3)
    out["rate_per_s"] = round(out["count"] / elapsed, 1) if elapsed > 0 else None
    for p in (50, 90, 99):
        v = percentile(lat, p)
        out[f"p{p}_ms"] = round(v * 1000, 3) if v is not None else None
    out["mean_ms"] = round(sum(lat) / len(lat) * 1000, 3) if lat else None
    out["client_cpu_s"] = round(cpu1 - cpu0, 3)
    if pcpu0 is not None and pcpu1 is not None:
        out["pid_cpu_s"] = round(pcpu1 - pcpu0, 3)
        out["pid_cpu_us_per_op"] = round((pcpu1 - pcpu0) / out["count"] * 1e6, 1) if out["count"] else None
    out["client_cpu_us_per_op"] = round((cpu1 - cpu0) / out["count"] * 1e6, 1) if out["count"] else None
    json.dump(out, sys.stdout)
    print()


if __name__ == "__main__":
    main()
