#!/usr/bin/env bash
# Whether `codecage test -t 1s` gives the same verdicts when cases run at once: a C++ program that
# burns ~0.6 s of CPU, 12 cases, at -j 1, -j 2 and -j 6. Judged by CPU time the verdict should not
# change with load; judged by wall time, -j 6 on two cores would make 0.6 s of CPU take well over
# 1 s of wall time.
#   bash bench/cpu_verdicts.sh [CASES]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-12}
cargo build --release -q
bin=$PWD/target/release/codecage
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/cases"
cat > "$work/burn.cpp" <<'CPP'
#include <ctime>
#include <iostream>
int main() {
    // Spin until this process has used 0.6 s of CPU, whatever the wall clock says.
    volatile unsigned long x = 0;
    while (std::clock() < CLOCKS_PER_SEC * 6 / 10) x = x + 1;
    std::cout << "done" << std::endl;
}
CPP
for i in $(seq "$n"); do
  : > "$work/cases/$i.in"
  echo done > "$work/cases/$i.out"
done
"$bin" images build cpp >/dev/null 2>&1
count() { python3 -c 'import json, sys; r = json.load(open(sys.argv[1])); print(sum(c["verdict"] == sys.argv[2] for c in r["cases"]))' "$work/r.json" "$1"; }
# One row per -j: judged by CPU time (the default), then by wall time on the same core
# (`--wall-time-limit 1s`: the backstop at the limit itself), for contrast.
echo "| -j | CPU-time judged: AC of $n | TLE | whole test | wall-time judged: AC of $n | TLE |"
echo "|---|---|---|---|---|---|"
for j in 1 2 6; do
  t=$(date +%s%N)
  (cd "$work" && "$bin" test burn.cpp --cases cases -t 1s -j "$j" --json r.json >/dev/null) || true
  wall=$(awk -v a="$t" -v b="$(date +%s%N)" 'BEGIN { printf "%.1f", (b - a) / 1e9 }')
  ac=$(count AC); tle=$(count TLE)
  (cd "$work" && "$bin" test burn.cpp --cases cases -t 1s --wall-time-limit 1s -j "$j" \
    --json r.json >/dev/null) || true
  echo "| $j | $ac | $tle | ${wall} s | $(count AC) | $(count TLE) |"
done
