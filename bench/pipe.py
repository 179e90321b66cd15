#!/usr/bin/env python3
"""Times a byte stream through a command (a `docker run`), standard library only.

  pipe.py out TIMEOUT -- CMD...      reads CMD's stdout to EOF, counting bytes
  pipe.py in BYTES TIMEOUT -- CMD... writes BYTES zero bytes to CMD's stdin, then waits for exit
  pipe.py run COUNT TIMEOUT -- CMD... runs CMD COUNT times (stdout/stderr discarded)

`out` prints JSON {bytes, wall_s, window_s, rc}: wall = whole command; window = first byte to EOF
(leaves container start-up out). `in` prints {bytes, wall_s, window_s, rc}: window = first 1 MiB
write accepted to command exit. `run` prints {H: {times_s: [...], failures}} per host (stdout/stderr discarded). Every wait is bounded
by TIMEOUT seconds (the command is killed past it, and rc reports -9).
"""
import json
import os
import subprocess
import sys
import threading
import time

CHUNK = 1 << 20


def kill_later(proc, timeout):
    timer = threading.Timer(timeout, proc.kill)
    timer.daemon = True
    timer.start()
    return timer


def mode_out(timeout, cmd):
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stdin=subprocess.DEVNULL)
    timer = kill_later(proc, timeout)
    fd = proc.stdout.fileno()
    total, first = 0, None
    while True:
        data = os.read(fd, CHUNK)
        if not data:
            break
        if first is None:
            first = time.perf_counter()
        total += len(data)
    eof = time.perf_counter()
    rc = proc.wait()
    end = time.perf_counter()
    timer.cancel()
    return {"bytes": total, "wall_s": end - t0, "window_s": (eof - first) if first else None, "rc": rc}


def mode_in(nbytes, timeout, cmd):
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL)
    timer = kill_later(proc, timeout)
    fd = proc.stdin.fileno()
    zeros = bytes(CHUNK)
    view = memoryview(zeros)
    sent, first, err = 0, None, None
    try:
        while sent < nbytes:
            n = os.write(fd, view[:min(CHUNK, nbytes - sent)])
            sent += n
            if first is None:
                first = time.perf_counter()
    except (BrokenPipeError, OSError) as e:
        err = str(e)
    try:
        proc.stdin.close()
    except OSError:
        pass
    rc = proc.wait()
    end = time.perf_counter()
    timer.cancel()
    res = {"bytes": sent, "wall_s": end - t0, "window_s": (end - first) if first else None, "rc": rc}
    if err:
        res["error"] = err
    return res


def mode_run(count, timeout, hosts, cmd):
    res = {h: {"times_s": [], "failures": 0} for h in hosts}
    for _ in range(count):
        for h in hosts:
            t0 = time.perf_counter()
            try:
                rc = subprocess.run([cmd[0], "-H", h] + cmd[1:], stdin=subprocess.DEVNULL,
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                    timeout=timeout).returncode
            except subprocess.TimeoutExpired:
                rc = -9
            if rc == 0:
                res[h]["times_s"].append(time.perf_counter() - t0)
            else:
                res[h]["failures"] += 1
    return res


def main():
    argv = sys.argv[1:]
    if "--" not in argv or not argv:
        sys.exit(__doc__)
    sep = argv.index("--")
    opts, cmd = argv[:sep], argv[sep + 1:]
    mode = opts[0]
    if mode == "out":
        res = mode_out(float(opts[1]), cmd)
    elif mode == "in":
        res = mode_in(int(opts[1]), float(opts[2]), cmd)
    elif mode == "run":
        res = mode_run(int(opts[1]), float(opts[2]), opts[3].split(","), cmd)
    else:
        sys.exit(__doc__)
    print(json.dumps(res))


if __name__ == "__main__":
    main()
