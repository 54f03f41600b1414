#!/usr/bin/env bash
# Load test of `codecage serve` (release build, loopback only): N POST /execute at concurrency C,
# 80% normal programs (hello world, a sum over stdin) and 20% hostile ones (fork bomb, memory
# bomb, busy loop with a 1 s time limit, output flood). Reports throughput, p50/p99 latency,
# responses by status and verdict, codecage's peak memory (VmHWM), and that no container is left.
#   bash bench/load.sh [REQUESTS] [CONCURRENCY]
set -euo pipefail
cd "$(dirname "$0")/.."
requests=${1:-2000}
concurrency=${2:-20}
cargo build --release -q
bin=$PWD/target/release/codecage
work=$(mktemp -d)
"$bin" images build python >/dev/null 2>&1

# Room for the whole client concurrency: runs at once plus a queue; beyond it, 429.
tag=load-$$   # labels this server's containers, to check they are all gone
CODECAGE_TEST_TAG=$tag "$bin" serve --listen 127.0.0.1:0 --max-concurrent 8 --queue 16 2> "$work/serve.log" &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 100); do grep -q "listening on" "$work/serve.log" && break; sleep 0.1; done
url=$(sed -n 's/^codecage: listening on //p' "$work/serve.log" | head -1)

python3 - "$url" "$requests" "$concurrency" <<'PY'
import collections, concurrent.futures, json, random, sys, time, urllib.error, urllib.request

url, total, concurrency = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
normal = [
    ("hello", {"language": "python3", "code": "print('Hello, World!')"}),
    ("sum", {"language": "python3", "code": "import sys\nprint(sum(int(x) for x in sys.stdin.read().split()))", "stdin": " ".join(map(str, range(1000)))}),
]
hostile = [
    ("fork bomb", {"language": "python3", "code": "import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass", "limits": {"time_limit": "1s"}}),
    ("memory bomb", {"language": "python3", "code": "x = bytearray(1 << 30)"}),
    ("busy loop", {"language": "python3", "code": "while True:\n    pass", "limits": {"time_limit": "1s"}}),
    ("output flood", {"language": "python3", "code": "while True:\n    print('y' * 1000)"}),
]
random.seed(8)
jobs = [random.choice(hostile) if random.random() < 0.2 else random.choice(normal) for _ in range(total)]

def run(job):
    kind, body = job
    request = urllib.request.Request(url + "/execute", data=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
    start = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=120) as r:
            status, reply = r.status, json.load(r)
    except urllib.error.HTTPError as e:
        status, reply = e.code, {}
    except Exception as e:
        status, reply = type(e).__name__, {}
    return kind, status, reply.get("verdict"), time.monotonic() - start

start = time.monotonic()
with concurrent.futures.ThreadPoolExecutor(concurrency) as pool:
    results = list(pool.map(run, jobs))
wall = time.monotonic() - start
latencies = sorted(r[3] for r in results if r[1] == 200)
pct = lambda p: latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000
statuses = collections.Counter(str(r[1]) for r in results)
verdicts = collections.Counter((r[0], r[2]) for r in results if r[1] == 200)
print(f"| requests | concurrency | wall | runs/s (200s) | p50 | p99 | responses by status |")
print(f"|---|---|---|---|---|---|---|")
print(f"| {total} | {concurrency} | {wall:.0f} s | {statuses['200'] / wall:.1f} | {pct(0.5):.0f} ms | {pct(0.99):.0f} ms | "
      + ", ".join(f"{s}: {n}" for s, n in sorted(statuses.items())) + " |")
print()
print("verdicts: " + ", ".join(f"{k} {v}: {n}" for (k, v), n in sorted(verdicts.items(), key=str)))
unexpected = {s: n for s, n in statuses.items() if s not in ("200", "429")}
if unexpected:
    print(f"UNEXPECTED responses: {unexpected}")
PY

peak=$(awk '/VmHWM/ { print $2 }' "/proc/$server/status")
echo "codecage peak memory (VmHWM): $((peak / 1024)) MiB"
kill "$server"; wait "$server" 2>/dev/null || true
trap 'rm -rf "$work"' EXIT
for _ in $(seq 30); do [ -z "$(docker ps -aq --filter "label=codecage.tag=$tag")" ] && break; sleep 1; done
left=$(docker ps -aq --filter "label=codecage.tag=$tag" | wc -l)
echo "containers left afterwards: $left"
[ "$left" = 0 ]
