#!/usr/bin/env bash
# Judge boxes against a container per case, the same binary in the same run (interleaved,
# medians): issue #28's targets.
#   bash bench/judge_box.sh [BIN] [REPS]
# 1. 100 cases of a C++ a+b, `test -j 2`: the built-in comparison, a compiled checker, an
#    interactor (cases a second).
# 2. The per-case overhead: a C program that exits at once, `test -j 1`, 201 cases against 1
#    case; (T201 - T1) / 200 is what one more case costs (the program's own run included).
# 3. `verify` of a package with 20 accepted C submissions x 50 cases, `-j 2`.
# `--container-per-case` is how every case ran before judge boxes (each run a container of its
# own), so its column is "today's build" for these measures.
set -euo pipefail
bin=${1:-target/release/codecage} reps=${2:-3}
bin=$(realpath "$bin")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
cat > sum.cpp <<'CPP'
#include <cstdio>
int main() { long long a, b; if (scanf("%lld %lld", &a, &b) != 2) return 1; printf("%lld\n", a + b); }
CPP
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
printf 'int main(void) { return 0; }\n' > exit0.c
mkdir cases one many
for i in $(seq 100); do echo "$i $i" > "cases/$i.in"; echo $((i + i)) > "cases/$i.out"; done
: > one/1.out
for i in $(seq 201); do : > "many/$i.out"; done
# A Kattis package: 50 secret cases, 20 accepted submissions (the same sum, written 20 ways).
mkdir -p pkg/data/secret pkg/submissions/accepted
printf 'name: sum\n' > pkg/problem.yaml
for i in $(seq 50); do echo "$i $((i * 7))" > "pkg/data/secret/$i.in"; echo $((i * 8)) > "pkg/data/secret/$i.ans"; done
for s in $(seq 20); do
  printf '#include <stdio.h>\n/* submission %d */\nint main(void) { long long a, b; scanf("%%lld %%lld", &a, &b); printf("%%lld\\n", a + b); return 0; }\n' "$s" > "pkg/submissions/accepted/s$s.c"
done

now() { date +%s%N; }
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
ms() { local t; t=$(now); "$@" >/dev/null; echo $(( ($(now) - t) / 1000000 )); }
# Warm up: images, the compile cache, the judge programs' first compile.
"$bin" test sum.cpp --cases cases -j 2 --checker checker.cpp >/dev/null
"$bin" test sum.cpp --cases cases -j 2 --interactor interactor.cpp >/dev/null
"$bin" test exit0.c --cases one -j 1 >/dev/null
"$bin" verify pkg -j 2 >/dev/null

modes=(box perc)
flag() { [ "$1" = perc ] && echo --container-per-case || true; }
for _ in $(seq "$reps"); do
  for m in "${modes[@]}"; do
    f=$(flag "$m")
    ms "$bin" test sum.cpp --cases cases -j 2 $f >> "compare.$m"
    ms "$bin" test sum.cpp --cases cases -j 2 --checker checker.cpp $f >> "checker.$m"
    ms "$bin" test sum.cpp --cases cases -j 2 --interactor interactor.cpp $f >> "interactor.$m"
    ms "$bin" test exit0.c --cases one -j 1 $f >> "one.$m"
    ms "$bin" test exit0.c --cases many -j 1 $f >> "many.$m"
    ms "$bin" verify pkg -j 2 $f >> "verify.$m"
  done
done
rate() { awk -v n="$1" -v m="$2" 'BEGIN { printf "%.1f", n * 1000 / m }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1fx", a / b }'; }
echo "| measure (median of $reps) | container per case | judge boxes | speed-up |"
echo "|---|---|---|---|"
for kind in compare checker interactor; do
  p=$(median < "$kind.perc") b=$(median < "$kind.box")
  echo "| 100 cases C++ a+b, -j 2, $kind | $p ms ($(rate 100 "$p") cases/s) | $b ms ($(rate 100 "$b") cases/s) | $(ratio "$p" "$b") |"
done
for m in "${modes[@]}"; do
  o=$(median < "one.$m") n=$(median < "many.$m")
  echo "$m $(awk -v a="$o" -v b="$n" 'BEGIN { printf "%.1f", (b - a) / 200 }')" >> overhead
done
p=$(awk '$1 == "perc" { print $2 }' overhead) b=$(awk '$1 == "box" { print $2 }' overhead)
echo "| one more case (exit at once), -j 1 | $p ms | $b ms | $(ratio "$p" "$b") |"
p=$(median < verify.perc) b=$(median < verify.box)
echo "| verify, 20 submissions x 50 cases, -j 2 | $p ms | $b ms | $(ratio "$p" "$b") |"
