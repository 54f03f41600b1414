#!/usr/bin/env python3
"""Keystroke round trip on a terminal: `codecage run` in TTY mode against a bare `docker run -it`
attach of the same program in the same image, interleaved, in the same run.

Each contender runs under its own pseudo-terminal (both put it in raw mode). The program sets its
TTY raw, prints READY, then echoes every byte it reads; we time from writing one byte to the
master until its echo comes back.

    python3 bench/keystroke.py CODECAGE_BIN IMAGE [KEYSTROKES]
"""

import os
import pty
import select
import statistics
import sys
import tempfile
import time

PROGRAM = """import os, sys, tty
tty.setraw(0)
os.write(1, b"READY\\n")
while True:
    c = os.read(0, 1)
    if not c or c == b"q":
        break
    os.write(1, c)
"""


def start(argv):
    pid, fd = pty.fork()
    if pid == 0:
        os.execvp(argv[0], argv)
    buf = b""
    deadline = time.time() + 120
    while b"READY" not in buf:
        if time.time() > deadline:
            raise SystemExit(f"{argv[0]}: no READY within 120 s: {buf!r}")
        r, _, _ = select.select([fd], [], [], 1)
        if r:
            buf += os.read(fd, 65536)
    return pid, fd


def keystroke(fd, ch):
    t = time.perf_counter()
    os.write(fd, ch)
    got = b""
    while ch not in got:
        r, _, _ = select.select([fd], [], [], 10)
        if not r:
            raise SystemExit("no echo within 10 s")
        got += os.read(fd, 65536)
    return time.perf_counter() - t


def stop(pid, fd):
    os.write(fd, b"q")
    try:
        while os.read(fd, 65536):
            pass
    except OSError:
        pass
    os.waitpid(pid, 0)
    os.close(fd)


def pct(samples, p):
    s = sorted(samples)
    return s[min(len(s) - 1, int(len(s) * p))] * 1000


def main():
    binary, image = sys.argv[1], sys.argv[2]
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 200
    work = tempfile.mkdtemp()
    path = os.path.join(work, "echo.py")
    with open(path, "w") as f:
        f.write(PROGRAM)
    os.chmod(work, 0o755)
    os.chmod(path, 0o644)
    contenders = {
        "docker run -it (bare attach)": [
            "docker", "run", "--rm", "-it", "--network", "none", "--cap-drop", "ALL",
            "--read-only", "--user", "10001:10001", "--init", "--log-driver", "none",
            "-v", f"{path}:/echo.py:ro", "--entrypoint", "python3", image, "/echo.py",
        ],
        "codecage run (TTY)": [binary, "run", "--tty", "--time-limit", "10m", path],
    }
    running = {name: start(argv) for name, argv in contenders.items()}
    samples = {name: [] for name in contenders}
    letters = b"abcdefghijklmnoprstuvwxyz"  # not q: it ends the program
    for _ in range(5):  # warm up
        for name, (_, fd) in running.items():
            keystroke(fd, b"w")
    for i in range(n):
        ch = letters[i % len(letters):i % len(letters) + 1]
        for name, (_, fd) in running.items():  # interleaved
            try:
                samples[name].append(keystroke(fd, ch))
            except OSError as e:
                raise SystemExit(f"{name} ended after {i} keystrokes: {e}")
    for name, (pid, fd) in running.items():
        stop(pid, fd)
    base = samples["docker run -it (bare attach)"]
    print("| contender | keystrokes | p50 | p99 | p50 vs bare attach |")
    print("|---|---|---|---|---|")
    for name, s in samples.items():
        print(
            f"| {name} | {n} | {pct(s, 0.5):.2f} ms | {pct(s, 0.99):.2f} ms | "
            f"{statistics.median(s) / statistics.median(base):.2f}x |"
        )


if __name__ == "__main__":
    main()
