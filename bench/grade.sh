#!/usr/bin/env bash
# How long grading 100 cases takes with `codecage test -j 1` and `-j 2`, against running the
# equivalent hardened `docker run --rm -i` once per case (sequentially and two at a time), on this
# machine in the same run.
# Medians of REPS repetitions, the four contenders interleaved in each.
#   bash bench/grade.sh [CASES] [REPS]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-100}
reps=${2:-3}
cargo build --release -q
bin=$PWD/target/release/codecage
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/cases"
printf 'a, b = map(int, input().split())\nprint(a + b)\n' > "$work/sum.py"
for i in $(seq "$n"); do
  echo "$i $i" > "$work/cases/$i.in"
  echo $((i + i)) > "$work/cases/$i.out"
done
"$bin" images build python >/dev/null 2>&1
image=$("$bin" languages | awk '$1 == "python" { print $4 }')

one_case() {
  docker run --rm -i --network none --cap-drop ALL --security-opt no-new-privileges --read-only \
    --user 10001:10001 --pids-limit 64 --memory 256m --memory-swap 256m --cpus 0.5 --init \
    --ipc none --log-driver none --tmpfs /tmp:rw,noexec,nosuid,size=64m \
    -v "$work/sum.py:/sum.py:ro" --entrypoint python3 "$image" /sum.py < "$work/cases/$1.in" \
    | cmp -s - "$work/cases/$1.out"
}
export -f one_case
export work image

secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", (b - a) / 1e9 }'; }
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
: > "$work/j1"; : > "$work/j2"; : > "$work/d1"; : > "$work/d2"
for _ in $(seq "$reps"); do
  t=$(date +%s%N); (cd "$work" && "$bin" test sum.py --cases cases -j 1 >/dev/null); secs "$t" "$(date +%s%N)" >> "$work/j1"; echo >> "$work/j1"
  t=$(date +%s%N); (cd "$work" && "$bin" test sum.py --cases cases -j 2 >/dev/null); secs "$t" "$(date +%s%N)" >> "$work/j2"; echo >> "$work/j2"
  t=$(date +%s%N); for i in $(seq "$n"); do one_case "$i"; done; secs "$t" "$(date +%s%N)" >> "$work/d1"; echo >> "$work/d1"
  t=$(date +%s%N); seq "$n" | xargs -P 2 -I{} bash -c 'one_case {}'; secs "$t" "$(date +%s%N)" >> "$work/d2"; echo >> "$work/d2"
done
j1=$(median < "$work/j1"); j2=$(median < "$work/j2"); d1=$(median < "$work/d1"); d2=$(median < "$work/d2")
echo "| cases | runs of each | codecage test -j 1 | docker run per case, 1 at a time | codecage test -j 2 | docker run per case, 2 at a time | -j 2 speed-up |"
echo "|---|---|---|---|---|---|---|"
echo "| $n | $reps (medians) | ${j1} s | ${d1} s | ${j2} s | ${d2} s | $(awk -v a="$j1" -v b="$j2" 'BEGIN { printf "%.2fx", a / b }') |"
echo "each run, -j 1 / -j 2: $(paste -sd' ' "$work/j1") / $(paste -sd' ' "$work/j2")"
