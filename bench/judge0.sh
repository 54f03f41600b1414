#!/usr/bin/env bash
# The Judge0 API's cost on `codecage serve`, in one run on this machine:
#  1. p50 latency of POST /judge0/submissions?wait=true against POST /execute for the same
#     program (Python hello world), interleaved, on the same server;
#  2. 1,000 submissions at once (50 batches of 20, posted concurrently): every one answered and
#     finished, none lost, and serve's peak memory (VmHWM) before and after.
#   bash bench/judge0.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-31}
cargo build --release -q
bin=$PWD/target/release/codecage
work=$(mktemp -d)
"$bin" images build python >/dev/null 2>&1

"$bin" serve --listen 127.0.0.1:0 --pool 2 --max-concurrent 4 --queue 64 \
  --store "$work/store.redb" --judge0-queue 1000 2> "$work/serve.log" &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 50); do grep -q "listening on" "$work/serve.log" && break; sleep 0.1; done
url=$(sed -n 's/^codecage: listening on //p' "$work/serve.log" | head -1)

now() { date +%s%N; }
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
execute() {
  curl -sf "$url/execute" -d '{"language": "python3", "code": "print(\"Hello, World!\")"}' > /dev/null
}
judge0() {
  curl -sf "$url/judge0/submissions?wait=true" -H 'content-type: application/json' \
    -d '{"language_id": 71, "source_code": "print(\"Hello, World!\")"}' | grep -q '"id":3'
}

execute; judge0; execute; judge0   # warm up (fills the pool)
: > "$work/e"; : > "$work/j"
for _ in $(seq "$runs"); do
  sleep 0.3   # let the pool refill, as it would between requests
  t=$(now); execute; echo $(( ($(now) - t) / 1000000 )) >> "$work/e"
  sleep 0.3
  t=$(now); judge0; echo $(( ($(now) - t) / 1000000 )) >> "$work/j"
done
e=$(median < "$work/e"); j=$(median < "$work/j")
echo "| runs | POST /execute p50 | POST /judge0/submissions?wait=true p50 | ratio |"
echo "|---|---|---|---|"
echo "| $runs | ${e} ms | ${j} ms | $(awk -v a="$j" -v b="$e" 'BEGIN { printf "%.2fx", a / b }') |"
echo

before=$(awk '/VmHWM/ { print $2 }' "/proc/$server/status")
python3 - "$url" <<'PY'
import json, sys, time, urllib.request
from concurrent.futures import ThreadPoolExecutor

url = sys.argv[1] + "/judge0"

def call(method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url + path, data=data, method=method,
                                 headers={"content-type": "application/json"})
    with urllib.request.urlopen(req, timeout=600) as r:
        return r.status, json.load(r)

def batch(b):
    subs = [{"language_id": 71, "source_code": f"print({b * 20 + i})"} for i in range(20)]
    status, answer = call("POST", "/submissions/batch", {"submissions": subs})
    assert status == 201, (status, answer)
    return [a["token"] for a in answer]

t0 = time.time()
with ThreadPoolExecutor(50) as pool:
    tokens = [t for ts in pool.map(batch, range(50)) for t in ts]
accepted = time.time() - t0
assert len(tokens) == len(set(tokens)) == 1000
outputs = {}
while len(outputs) < 1000:
    left = [t for t in tokens if t not in outputs]
    for i in range(0, len(left), 20):
        chunk = left[i:i + 20]
        _, got = call("GET", "/submissions/batch?fields=token,stdout,status_id&tokens=" + ",".join(chunk))
        for sub in got["submissions"]:
            assert sub is not None, "a submission was lost"
            if sub["status_id"] > 2:
                outputs[sub["token"]] = sub
    time.sleep(0.5)
done = time.time() - t0
right = sum(outputs[t]["stdout"] == f"{i}\n" and outputs[t]["status_id"] == 3
            for i, t in enumerate(tokens))
print(f"| submissions | queued in | all finished in | accepted with the right output | lost |")
print(f"|---|---|---|---|---|")
print(f"| 1000 | {accepted:.1f} s | {done:.1f} s | {right} | {1000 - len(outputs)} |")
PY
after=$(awk '/VmHWM/ { print $2 }' "/proc/$server/status")
echo
echo "serve peak RSS (VmHWM): ${before} KiB before, ${after} KiB after the 1,000"
