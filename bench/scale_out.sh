#!/usr/bin/env bash
# Scale-out measured on one machine (release build, a private redis-server):
#  1. latency of one request at a time, standalone `serve` vs an API node + one worker (the
#     queue path), p50 and p99 over N requests;
#  2. throughput of N requests from 8 clients with one worker and with two (concurrency 2 each);
#     on one machine both workers share the one Docker engine, so this shows the queue spreads
#     work and costs little, not that a second machine doubles throughput;
#  3. the queue limit: 24 requests at once against `--queue 4`.
# Usage: bash bench/scale_out.sh [N]   (default 100)
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-100}"
cargo build --release --quiet
B="$PWD/target/release/codecage"
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
RP=$(port)
redis-server --port "$RP" --bind 127.0.0.1 --save '' --appendonly no --dir "$work" >/dev/null &
pids+=($!)
BROKER="redis://127.0.0.1:$RP"
started() { # wait for "listening on" in a log
  for _ in $(seq 1 100); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
  echo "bench: $1 did not start" >&2; cat "$1" >&2; exit 1
}
SP=$(port); AP=$(port); QP=$(port)
"$B" serve --listen "127.0.0.1:$SP" --store "$work/s.redb" 2>"$work/standalone.log" & pids+=($!)
"$B" serve --listen "127.0.0.1:$AP" --store "$work/a.redb" --broker "$BROKER" --queue 1000 2>"$work/api.log" & pids+=($!)
"$B" serve --listen "127.0.0.1:$QP" --store "$work/q.redb" --broker "$BROKER" --queue 4 2>"$work/api-q.log" & pids+=($!)
"$B" worker --broker "$BROKER" --node w1 --concurrency 2 2>"$work/w1.log" & pids+=($!)
started "$work/standalone.log" "listening on"; started "$work/api.log" "listening on"
started "$work/api-q.log" "listening on"; started "$work/w1.log" "taking jobs"

load() { # load URL N CLIENTS -> "p50 p99 rps errors"
  python3 - "$1" "$2" "$3" <<'PY'
import json, sys, threading, time, urllib.request, urllib.error
url, n, clients = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
lat, errors, lock, nxt = [], [0], threading.Lock(), [0]
def one(i):
    body = json.dumps({"language": "python", "code": f"print({i})"}).encode()
    t = time.perf_counter()
    try:
        r = urllib.request.urlopen(urllib.request.Request(url, body, {"Content-Type": "application/json"}), timeout=120)
        ok = json.load(r)["stdout"] == f"{i}\n"
    except urllib.error.HTTPError:
        ok = False
    with lock:
        (lat.append(time.perf_counter() - t) if ok else errors.__setitem__(0, errors[0] + 1))
def client():
    while True:
        with lock:
            i = nxt[0]; nxt[0] += 1
        if i >= n: return
        one(i)
for i in range(4): one(10_000 + i)   # warm: images, pools, compile cache
lat.clear(); errors[0] = 0
t0 = time.perf_counter()
ts = [threading.Thread(target=client) for _ in range(clients)]
[t.start() for t in ts]; [t.join() for t in ts]
wall = time.perf_counter() - t0
lat.sort()
p = lambda q: lat[min(len(lat) - 1, int(q * len(lat)))] * 1000 if lat else float("nan")
print(f"{p(0.5):.0f} {p(0.99):.0f} {len(lat) / wall:.1f} {errors[0]}")
PY
}
read -r s50 s99 _ _ <<<"$(load "http://127.0.0.1:$SP/execute" "$N" 1)"
read -r q50 q99 _ _ <<<"$(load "http://127.0.0.1:$AP/execute" "$N" 1)"
read -r _ _ one_rps one_err <<<"$(load "http://127.0.0.1:$AP/execute" "$N" 8)"
"$B" worker --broker "$BROKER" --node w2 --concurrency 2 2>"$work/w2.log" & pids+=($!)
started "$work/w2.log" "taking jobs"
read -r _ _ two_rps two_err <<<"$(load "http://127.0.0.1:$AP/execute" "$N" 8)"
read -r _ _ _ full_err <<<"$(load "http://127.0.0.1:$QP/execute" 24 24)"
python3 - "$s50" "$s99" "$q50" "$q99" "$one_rps" "$two_rps" "$one_err" "$two_err" "$full_err" <<'PY'
import sys
s50, s99, q50, q99, one, two = map(float, sys.argv[1:7])
e1, e2, full = sys.argv[7:]
print("| measure | standalone serve | API node + worker via Redis | ratio |")
print("|---|---|---|---|")
print(f"| latency p50, one request at a time | {s50:.0f} ms | {q50:.0f} ms | {q50 / s50:.2f}x |")
print(f"| latency p99 | {s99:.0f} ms | {q99:.0f} ms | {q99 / s99:.2f}x |")
print()
print("| workers (2 slots each), 8 clients | runs/s | errors |")
print("|---|---|---|")
print(f"| one | {one:.1f} | {e1} |")
print(f"| two (same engine) | {two:.1f} ({two / one:.2f}x) | {e2} |")
print()
print(f"`--queue 4`, 24 requests at once: {full} answered 429 at once, {24 - int(full)} run.")
PY
