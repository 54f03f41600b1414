#!/usr/bin/env bash
# Side-by-side latency of `codecage run` against the equivalent hardened `docker run --rm -i`, on
# this machine, in the same run. Prints medians and the ratio; numbers go in bench/README.md.
#   bash bench/run.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-21}
cargo build --release -q
bin=target/release/codecage
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf 'print("Hello, World!")\n' > "$work/hello.py"
"$bin" images build python >/dev/null 2>&1
image=$("$bin" languages | awk '$1 == "python" { print $4 }')

now() { date +%s%N; }
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

docker_run() {
  docker run --rm -i --network none --cap-drop ALL --security-opt no-new-privileges --read-only \
    --user 10001:10001 --pids-limit 64 --memory 256m --memory-swap 256m --cpus 0.5 --init \
    --ipc none --log-driver none --tmpfs /tmp:rw,noexec,nosuid,size=64m \
    --entrypoint python3 "$image" - < "$work/hello.py" > /dev/null
}
codecage_run() {
  "$bin" run "$work/hello.py" < /dev/null > /dev/null
}

for f in docker_run codecage_run; do $f; done   # warm up
: > "$work/docker"; : > "$work/codecage"
for _ in $(seq "$runs"); do
  # Interleaved, so drift in the engine affects both alike.
  t=$(now); docker_run; echo $(( ($(now) - t) / 1000000 )) >> "$work/docker"
  t=$(now); codecage_run; echo $(( ($(now) - t) / 1000000 )) >> "$work/codecage"
done
d=$(median < "$work/docker"); c=$(median < "$work/codecage")
echo "| runs | docker run --rm -i (hardened) p50 | codecage run p50 | ratio |"
echo "|---|---|---|---|"
echo "| $runs | ${d} ms | ${c} ms | $(awk -v c="$c" -v d="$d" 'BEGIN { printf "%.2fx", c / d }') |"
