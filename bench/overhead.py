#!/usr/bin/env python3
"""codecage's own overhead over the bare Engine API lifecycle, interleaved in the same run.

The bare contender does one run of the same program with the same hardening the classic way:
create (auto-remove), attach, start, send the program on stdin, read the output to its end, and
learn the exit status, over raw HTTP on the engine's socket, timed inside this process (no process
start, no profile, no image check, no launcher). codecage is timed as a whole process (`codecage
run hello.py`), so everything it adds is in the difference; what it saves in the engine (no
attach: stdio on FIFOs; a one-file program mounted, not sent) counts for it.

    python3 bench/overhead.py CODECAGE_BIN IMAGE [RUNS]
"""

import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

SOCK = "/var/run/docker.sock"
API = "/v1.41"


class UnixHTTP(http.client.HTTPConnection):
    def __init__(self):
        super().__init__("localhost")

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(SOCK)


def call(method, path, body=None):
    conn = UnixHTTP()
    conn.request(method, API + path, body=json.dumps(body) if body is not None else None,
                 headers={"Content-Type": "application/json"})
    response = conn.getresponse()
    data = response.read()
    conn.close()
    if response.status >= 300:
        raise SystemExit(f"{method} {path}: {response.status} {data!r}")
    return json.loads(data) if data else None


def hijack(path):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(SOCK)
    s.sendall(f"POST {API}{path} HTTP/1.1\r\nHost: docker\r\nConnection: Upgrade\r\n"
              "Upgrade: tcp\r\nContent-Length: 0\r\n\r\n".encode())
    head = b""
    while b"\r\n\r\n" not in head:
        head += s.recv(1)
    return s


def bare_run(image):
    body = {
        "Image": image,
        "Entrypoint": ["python3", "-"],
        "User": "10001:10001",
        "WorkingDir": "/work",
        "AttachStdin": True,
        "OpenStdin": True,
        "StdinOnce": True,
        "AttachStdout": True,
        "AttachStderr": True,
        "NetworkDisabled": True,
        "Labels": {"codecage-bench": "1"},
        "HostConfig": {
            "AutoRemove": True, "NetworkMode": "none", "CapDrop": ["ALL"],
            "SecurityOpt": ["no-new-privileges"], "ReadonlyRootfs": True, "Init": True,
            "PidsLimit": 64, "Memory": 256 << 20, "MemorySwap": 256 << 20,
            "NanoCpus": 500_000_000, "IpcMode": "none", "LogConfig": {"Type": "none"},
            "Tmpfs": {"/work": "rw,exec,nosuid,nodev,size=64m", "/tmp": "rw,noexec,nosuid,nodev,size=64m"},
        },
    }
    cid = call("POST", "/containers/create", body)["Id"]
    attach = hijack(f"/containers/{cid}/attach?stream=1&stdin=1&stdout=1&stderr=1")
    status = {}

    def wait():
        status.update(call("POST", f"/containers/{cid}/wait?condition=next-exit"))

    waiter = threading.Thread(target=wait)
    waiter.start()
    call("POST", f"/containers/{cid}/start")
    attach.sendall(b"print('Hello, World!')\n")
    attach.shutdown(socket.SHUT_WR)
    out = b""
    while True:
        chunk = attach.recv(65536)
        if not chunk:
            break
        out += chunk
    attach.close()
    waiter.join()
    if b"Hello, World!" not in out or status.get("StatusCode") != 0:
        raise SystemExit(f"bare run failed: {out!r} {status}")


def main():
    binary, image = sys.argv[1], sys.argv[2]
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 21
    work = tempfile.mkdtemp()
    hello = os.path.join(work, "hello.py")
    with open(hello, "w") as f:
        f.write("print('Hello, World!')\n")

    def codecage():
        done = subprocess.run([binary, "run", hello], stdin=subprocess.DEVNULL,
                              capture_output=True)
        if done.returncode != 0 or done.stdout != b"Hello, World!\n":
            raise SystemExit(f"codecage failed: {done}")

    bare_run(image)
    codecage()  # warm up
    samples = {"bare API lifecycle": [], "codecage run": []}
    contenders = [("bare API lifecycle", lambda: bare_run(image)), ("codecage run", codecage)]
    for i in range(runs):
        # Alternate who goes first: each run's container is still being removed while the next
        # one starts, and that should weigh on both alike.
        for name, f in contenders if i % 2 == 0 else contenders[::-1]:
            t = time.perf_counter()
            f()
            samples[name].append((time.perf_counter() - t) * 1000)
    bare = statistics.median(samples["bare API lifecycle"])
    cc = statistics.median(samples["codecage run"])
    # The engine drifts by tens of milliseconds within a run; each pair ran back to back, so the
    # median of the pairs' differences is the steadier estimate of what codecage adds.
    paired = statistics.median(
        c - b for b, c in zip(samples["bare API lifecycle"], samples["codecage run"])
    )
    print("| runs | bare API lifecycle p50 | codecage run p50 | difference of the p50s"
          " | median of paired differences |")
    print("|---|---|---|---|---|")
    print(f"| {runs} | {bare:.1f} ms | {cc:.1f} ms | {cc - bare:+.1f} ms | {paired:+.1f} ms |")

if __name__ == "__main__":
    main()
