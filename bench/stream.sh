#!/usr/bin/env bash
# Streaming throughput (256 MiB through a Python passthrough) with codecage, with the hardened
# `docker run -i`, and through a plain pipe; and codecage's peak RSS while doing it.
#   bash bench/stream.sh [MiB]
set -euo pipefail
cd "$(dirname "$0")/.."
mib=${1:-256}
cargo build --release -q
bin=$PWD/target/release/codecage
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf 'import sys, shutil\nshutil.copyfileobj(sys.stdin.buffer, sys.stdout.buffer, 1 << 20)\n' > "$work/pass.py"
"$bin" images build python >/dev/null 2>&1
image=$("$bin" languages | awk '$1 == "python" { print $4 }')
now() { date +%s%N; }
rate() { awk -v m="$mib" -v ns="$1" 'BEGIN { printf "%.0f", m / (ns / 1e9) }'; }

t=$(now); head -c "${mib}M" /dev/zero | cat | wc -c > /dev/null; pipe=$(( $(now) - t ))
t=$(now)
head -c "${mib}M" /dev/zero | docker run --rm -i --network none --cap-drop ALL --read-only \
  --user 10001:10001 --memory 256m --memory-swap 256m --cpus 0.5 --init --log-driver none \
  -v "$work/pass.py:/p.py:ro" --entrypoint python3 "$image" /p.py | wc -c > /dev/null
docker_ns=$(( $(now) - t ))
t=$(now)
head -c "${mib}M" /dev/zero | /usr/bin/time -f %M -o "$work/rss" "$bin" run --output-limit 4g "$work/pass.py" | wc -c > /dev/null
cc=$(( $(now) - t ))
echo "| MiB | plain pipe | docker run -i | codecage run | codecage / docker | codecage peak RSS |"
echo "|---|---|---|---|---|---|"
echo "| $mib | $(rate $pipe) MiB/s | $(rate $docker_ns) MiB/s | $(rate $cc) MiB/s | $(awk -v a="$docker_ns" -v b="$cc" 'BEGIN { printf "%.2fx", a / b }') | $(( $(cat "$work/rss") / 1024 )) MiB |"
