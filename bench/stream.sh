#!/usr/bin/env bash
# Streaming throughput through a Python passthrough program: codecage against the hardened
# `docker run -i` (same image, same limits, log driver off), interleaved, medians of RUNS each, at
# the default 0.5-CPU quota and at 2 CPUs (where the program is no longer the bottleneck and the
# plumbing is measured); a plain pipe for scale; codecage's peak RSS.
#   bash bench/stream.sh [MiB] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
mib=${1:-256}
runs=${2:-3}
cargo build --release -q
bin=$PWD/target/release/codecage
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf 'import sys, shutil\nshutil.copyfileobj(sys.stdin.buffer, sys.stdout.buffer, 1 << 20)\n' > "$work/pass.py"
chmod 755 "$work"; chmod 644 "$work/pass.py"
"$bin" images build python >/dev/null 2>&1
image=$("$bin" languages | awk '$1 == "python" { print $4 }')
now() { date +%s%N; }
rate() { awk -v m="$mib" -v ns="$1" 'BEGIN { printf "%.0f", m / (ns / 1e9) }'; }
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

docker_pass() {
  head -c "${mib}M" /dev/zero | docker run --rm -i --network none --cap-drop ALL --read-only \
    --security-opt no-new-privileges --user 10001:10001 --memory 256m --memory-swap 256m \
    --cpus "$1" --init --log-driver none --ipc none \
    -v "$work/pass.py:/p.py:ro" --entrypoint python3 "$image" /p.py | wc -c > /dev/null
}
codecage_pass() {
  head -c "${mib}M" /dev/zero | /usr/bin/time -f %M -o "$work/rss" \
    "$bin" run --cpus "$1" --output-limit 4g "$work/pass.py" | wc -c > /dev/null
}

t=$(now); head -c "${mib}M" /dev/zero | cat | wc -c > /dev/null; pipe=$(( $(now) - t ))
echo "| CPUs for the program | MiB | plain pipe | docker run -i (median of $runs) | codecage run (median of $runs) | codecage / docker | codecage peak RSS |"
echo "|---|---|---|---|---|---|---|"
for cpus in 0.5 2; do
  docker_pass "$cpus"; codecage_pass "$cpus"   # warm up
  : > "$work/d"; : > "$work/c"
  for _ in $(seq "$runs"); do
    t=$(now); docker_pass "$cpus"; echo $(( $(now) - t )) >> "$work/d"
    t=$(now); codecage_pass "$cpus"; echo $(( $(now) - t )) >> "$work/c"
  done
  d=$(median < "$work/d"); c=$(median < "$work/c")
  echo "| $cpus | $mib | $(rate $pipe) MiB/s | $(rate "$d") MiB/s | $(rate "$c") MiB/s | $(awk -v a="$d" -v b="$c" 'BEGIN { printf "%.2fx", a / b }') | $(( $(cat "$work/rss") / 1024 )) MiB |"
done
