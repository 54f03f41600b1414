"""Session costs of `codecage serve`: memory per live session and the keystroke round trip.

    python3 bench/session.py URL SERVER_PID
Needs `websocket-client` (pip install websocket-client).
"""
import json
import statistics
import sys
import time
import urllib.request

import websocket


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])


def open_session(url, code):
    req = urllib.request.Request(
        url + "/session",
        data=json.dumps({"language": "python", "code": code}).encode(),
        headers={"Content-Type": "application/json"},
    )
    sid = json.load(urllib.request.urlopen(req))["sessionId"]
    ws = websocket.create_connection(url.replace("http", "ws", 1) + "/ws/session/" + sid)
    while json.loads(ws.recv()) != {"type": "state", "state": "running"}:
        pass
    return ws


def main():
    url, pid = sys.argv[1], int(sys.argv[2])
    # Memory per live session: sessions waiting for input.
    n = 8
    before = rss_kib(pid)
    sessions = [open_session(url, "input()\n") for _ in range(n)]
    time.sleep(1)
    during = rss_kib(pid)
    for ws in sessions:
        ws.close()
    # Keystroke round trip: a line to an echoing program and back.
    ws = open_session(url, "import sys\nfor line in sys.stdin:\n    print(line, end='', flush=True)\n")
    samples = []
    for i in range(200):
        t = time.perf_counter()
        ws.send(json.dumps({"type": "input", "data": f"{i}\n"}))
        while True:
            m = json.loads(ws.recv())
            if m["type"] == "stdout":
                break
        samples.append((time.perf_counter() - t) * 1000)
    ws.close()
    samples.sort()
    print(f"| live sessions | server RSS before | with sessions | per session | keystroke round trip p50 | p99 |")
    print("|---|---|---|---|---|---|")
    print(
        f"| {n} | {before / 1024:.1f} MiB | {during / 1024:.1f} MiB | {(during - before) / n:.0f} KiB "
        f"| {statistics.median(samples):.2f} ms | {samples[int(len(samples) * 0.99) - 1]:.2f} ms |"
    )


main()
