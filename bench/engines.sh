#!/usr/bin/env bash
# `codecage run hello.py` on Docker and on rootful Podman's Docker-compatible service, interleaved
# in the same run: medians and the ratio for docs/runtimes-and-engines.md. Podman must answer on PODMAN_HOST
# (`bash .ci/ensure-podman.sh`) and have the Python image (the `engines` tests load it).
#   bash bench/engines.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-11}
podman_host=${PODMAN_HOST:-unix:///run/codecage-podman/podman.sock}
cargo build --release -q
bin=target/release/codecage
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf 'import sys\nprint("Hello,", sys.stdin.read().strip())\n' > "$work/hello.py"

now() { date +%s%N; }
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
docker_run() { echo World | DOCKER_HOST=unix:///var/run/docker.sock "$bin" run "$work/hello.py" > /dev/null; }
podman_run() { echo World | DOCKER_HOST="$podman_host" "$bin" run "$work/hello.py" > /dev/null; }

docker_run; podman_run   # warm up
: > "$work/docker"; : > "$work/podman"
for _ in $(seq "$runs"); do
  t=$(now); docker_run; echo $(( ($(now) - t) / 1000000 )) >> "$work/docker"
  t=$(now); podman_run; echo $(( ($(now) - t) / 1000000 )) >> "$work/podman"
done
d=$(median < "$work/docker"); p=$(median < "$work/podman")
echo "| runs | Docker p50 | Podman (rootful) p50 | ratio |"
echo "|---|---|---|---|"
echo "| $runs | ${d} ms | ${p} ms | $(awk -v p="$p" -v d="$d" 'BEGIN { printf "%.2fx", p / d }') |"
