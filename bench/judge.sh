#!/usr/bin/env bash
# What a checker and an interactor cost: 100 cases of a Python sum graded with `codecage test -j 2`
# by the built-in comparison, by a C++ testlib-style checker (a second sandbox per case) and with a
# C++ interactor (two sandboxes at once per case), in the same run, medians.
#   bash bench/judge.sh [BIN] [REPS]
set -euo pipefail
bin=${1:-target/release/codecage} reps=${2:-3}
bin=$(realpath "$bin")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
printf 'a, b = map(int, input().split())\nprint(a + b)\n' > sum.py
cat > checker.cpp <<'CPP'
#include <fstream>
int main(int, char** argv) {
    std::ifstream out(argv[2]), ans(argv[3]);
    long long got = 0, want = 0;
    if (!(out >> got)) return 2;
    ans >> want;
    return got == want ? 0 : 1;
}
CPP
cat > interactor.cpp <<'CPP'
#include <fstream>
#include <iostream>
int main(int, char** argv) {
    std::ifstream in(argv[1]);
    long long a = 0, b = 0, got = 0;
    in >> a >> b;
    std::cout << a << " " << b << std::endl;
    if (!(std::cin >> got)) return 2;
    return got == a + b ? 0 : 1;
}
CPP
mkdir cases
for i in $(seq 100); do echo "$i $i" > "cases/$i.in"; echo $((i + i)) > "cases/$i.out"; done
now() { date +%s%N; }
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
# Warm up: images and the judge programs' first compile.
"$bin" test sum.py --cases cases -j 2 --checker checker.cpp >/dev/null
"$bin" test sum.py --cases cases -j 2 --interactor interactor.cpp >/dev/null
: > compare; : > checker; : > interactor
for _ in $(seq "$reps"); do
  t=$(now); "$bin" test sum.py --cases cases -j 2 >/dev/null; echo $(( ($(now) - t) / 1000000 )) >> compare
  t=$(now); "$bin" test sum.py --cases cases -j 2 --checker checker.cpp >/dev/null; echo $(( ($(now) - t) / 1000000 )) >> checker
  t=$(now); "$bin" test sum.py --cases cases -j 2 --interactor interactor.cpp >/dev/null; echo $(( ($(now) - t) / 1000000 )) >> interactor
done
c=$(median < compare)
echo "| judged by (100 cases, -j 2, median of $reps) | wall | cases/s | vs comparison |"
echo "|---|---|---|---|"
for kind in compare checker interactor; do
  m=$(median < "$kind")
  echo "| $kind | $m ms | $(awk -v m="$m" 'BEGIN { printf "%.1f", 100000 / m }') | $(awk -v a="$c" -v b="$m" 'BEGIN { printf "%.2fx", b / a }') |"
done
