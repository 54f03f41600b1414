#!/usr/bin/env bash
# Two builds of codecage side by side on this machine in the same run: a Python hello world through
# `codecage run` (pipe mode) and 100 cases graded with `codecage test -j 2`, interleaved, medians.
# Used to check that a refactoring did not make codecage slower.
#   bash bench/versions.sh OLD_BIN NEW_BIN [RUNS] [GRADE_REPS]
set -euo pipefail
old=$1 new=$2 runs=${3:-31} reps=${4:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf 'print("Hello, World!")\n' > "$work/hello.py"
printf 'a, b = map(int, input().split())\nprint(a + b)\n' > "$work/sum.py"
mkdir "$work/cases"
for i in $(seq 100); do echo "$i $i" > "$work/cases/$i.in"; echo $((i + i)) > "$work/cases/$i.out"; done
"$new" images build python >/dev/null 2>&1
now() { date +%s%N; }
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
for b in "$old" "$new"; do "$b" run "$work/hello.py" >/dev/null; done   # warm up
: > "$work/run-old"; : > "$work/run-new"
for i in $(seq "$runs"); do
  # Alternate who goes first, so drift in the engine affects both alike.
  if [ $((i % 2)) = 0 ]; then order="old new"; else order="new old"; fi
  for which in $order; do
    bin=$old; [ "$which" = new ] && bin=$new
    t=$(now); "$bin" run "$work/hello.py" < /dev/null > /dev/null; echo $(( ($(now) - t) / 1000000 )) >> "$work/run-$which"
  done
done
: > "$work/grade-old"; : > "$work/grade-new"
for i in $(seq "$reps"); do
  for which in old new; do
    bin=$old; [ "$which" = new ] && bin=$new
    t=$(now); (cd "$work" && "$bin" test sum.py --cases cases -j 2 >/dev/null); echo $(( ($(now) - t) / 1000000 )) >> "$work/grade-$which"
  done
done
ro=$(median < "$work/run-old"); rn=$(median < "$work/run-new")
go=$(median < "$work/grade-old"); gn=$(median < "$work/grade-new")
echo "| measure | old | new | new/old |"
echo "|---|---|---|---|"
echo "| run hello.py p50 ($runs runs each) | $ro ms | $rn ms | $(awk -v a="$ro" -v b="$rn" 'BEGIN { printf "%.2fx", b / a }') |"
echo "| test -j 2, 100 cases, median of $reps | $go ms | $gn ms | $(awk -v a="$go" -v b="$gn" 'BEGIN { printf "%.2fx", b / a }') |"
