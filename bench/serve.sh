#!/usr/bin/env bash
# `codecage serve` with its warm pool against the hardened `docker run --rm -i`, on this machine in
# the same run: p50 latency of POST /execute (Python hello world) at concurrency 1 and where it
# goes (the request log's spans), p50/p99 under 20 concurrent clients, and throughput at
# concurrency 1, 4 and 8.
#   bash bench/serve.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-21}
cargo build --release -q
bin=$PWD/target/release/codecage
work=$(mktemp -d)
"$bin" images build python >/dev/null 2>&1
image=$("$bin" languages | awk '$1 == "python" { print $4 }')
printf 'print("Hello, World!")\n' > "$work/hello.py"

"$bin" serve --listen 127.0.0.1:0 --pool 2 --max-concurrent 16 --queue 64 --sessions-per-token 64 2> "$work/serve.log" &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 50); do grep -q "listening on" "$work/serve.log" && break; sleep 0.1; done
url=$(sed -n 's/^codecage: listening on //p' "$work/serve.log" | head -1)
export url work image
idle_rss=$(awk '/VmRSS/ { print $2 }' "/proc/$server/status")

now() { date +%s%N; }
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
execute() {
  curl -sf "$url/execute" -d '{"language": "python3", "code": "print(\"Hello, World!\")"}' > /dev/null
}
docker_run() {
  docker run --rm -i --network none --cap-drop ALL --security-opt no-new-privileges --read-only \
    --user 10001:10001 --pids-limit 64 --memory 256m --memory-swap 256m --cpus 0.5 --init \
    --ipc none --log-driver none --tmpfs /tmp:rw,noexec,nosuid,size=64m \
    --entrypoint python3 "$image" - < "$work/hello.py" > /dev/null
}
export -f execute

execute; execute; docker_run   # warm up (fills the pool)
: > "$work/d"; : > "$work/s"
for _ in $(seq "$runs"); do
  t=$(now); docker_run; echo $(( ($(now) - t) / 1000000 )) >> "$work/d"
  sleep 0.3   # let the pool refill, as it would between requests
  t=$(now); execute; echo $(( ($(now) - t) / 1000000 )) >> "$work/s"
done
d=$(median < "$work/d"); s=$(median < "$work/s")
# 20 clients at once, 10 requests each: most miss the pool (2 ready per language) and start cold.
: > "$work/c"
seq 200 | xargs -P 20 -I{} curl -sf -o /dev/null -w '%{time_total}\n' "$url/execute" \
  -d '{"language": "python3", "code": "print(\"Hello, World!\")"}' >> "$work/c"
pct() { awk '{ printf "%d\n", $1 * 1000 }' "$work/c" | sort -n | awk -v p="$1" '{ a[NR] = $1 } END { i = int(NR * p / 100 + 0.999); print a[i < 1 ? 1 : i] }'; }
echo "| runs | docker run --rm -i p50 | POST /execute p50 (warm pool) | ratio | 20 clients: p50 | p99 |"
echo "|---|---|---|---|---|---|"
echo "| $runs | ${d} ms | ${s} ms | $(awk -v a="$s" -v b="$d" 'BEGIN { printf "%.2fx", a / b }') | $(pct 50) ms | $(pct 99) ms |"
echo
# Where a sequential pooled request's time went: each step's median over those requests.
python3 - "$work/serve.log" "$runs" <<'PY'
import json, statistics, sys
lines = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
seq = [l["spans"] for l in lines if l.get("path") == "/execute" and "spans" in l][2:2 + int(sys.argv[2])]
steps = sorted({k for s in seq for k in s}, key=lambda k: -statistics.median(s.get(k, 0) for s in seq))
print("| step | " + " | ".join(steps) + " |")
print("|---" * (len(steps) + 1) + "|")
print("| p50 ms | " + " | ".join(f"{statistics.median(s.get(k, 0) for s in seq):.1f}" for k in steps) + " |")
PY
echo
# CPU: the server's own ticks against all busy ticks on the machine while it works.
ticks() { awk '{ print $14 + $15 }' "/proc/$server/stat"; }
busy() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat; }
echo "| concurrency | requests | runs/s | codecage's share of the CPU spent |"
echo "|---|---|---|---|"
for c in 1 4 8; do
  n=40
  s0=$(ticks); b0=$(busy); t=$(now)
  seq "$n" | xargs -P "$c" -I{} bash -c execute
  rate=$(awk -v n="$n" -v ns="$(( $(now) - t ))" 'BEGIN { printf "%.1f", n / (ns / 1e9) }')
  share=$(awk -v s="$(( $(ticks) - s0 ))" -v b="$(( $(busy) - b0 ))" 'BEGIN { printf "%.1f%%", 100 * s / b }')
  echo "| $c | $n | $rate | $share |"
done
echo
echo "idle server RSS: $((idle_rss / 1024)) MiB"
if python3 -c 'import websocket' 2>/dev/null || pip install -q websocket-client >/dev/null 2>&1; then
  echo
  python3 "$PWD/bench/session.py" "$url" "$server"
fi
