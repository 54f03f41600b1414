#!/usr/bin/env bash
# Hello world in every compiled language, first and second run of the same unchanged file: an
# older build of codecage (no compile cache, compilers at the program's CPU quota), this build
# (a fresh compile cache for the first run, the same cache for the second) and one hardened
# `docker run` that compiles and runs in one container. Python's hello world is the yardstick.
# Medians of REPS, in the same run.
#   bash bench/compile.sh OLD_BIN NEW_BIN [REPS]
set -euo pipefail
old=$(realpath "$1") new=$(realpath "$2") reps=${3:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
printf 'print("Hello, World!")\n' > hello.py
printf '#include <stdio.h>\nint main(void) { puts("Hello, World!"); return 0; }\n' > hello.c
printf '#include <iostream>\nint main() { std::cout << "Hello, World!" << std::endl; }\n' > hello.cpp
printf 'public class Hello { public static void main(String[] a) { System.out.println("Hello, World!"); } }\n' > Hello.java
printf 'package main\nimport "fmt"\nfunc main() { fmt.Println("Hello, World!") }\n' > hello.go
printf 'fn main() { println!("Hello, World!"); }\n' > hello.rs
printf 'const greeting: string = "Hello, World!";\nconsole.log(greeting);\n' > hello.ts
now() { date +%s%N; }
ms() { local t; t=$(now); "$@" > /dev/null 2>&1 < /dev/null; echo $(( ($(now) - t) / 1000000 )); }
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
tag() { "$new" languages | awk -v l="$1" '$1 == l { print $NF == "yes" || $NF == "no" ? $(NF-1) : $NF }'; }

# One container that compiles and runs, as hardened as codecage's sandboxes, with every core.
docker_run() {
  local lang=$1 file=$2 script=$3
  docker run --rm -i --network none --cap-drop ALL --security-opt no-new-privileges --read-only \
    --user 10001:10001 --pids-limit 128 --memory 1g --memory-swap 1g --cpus "$(nproc)" --init \
    --ipc none --log-driver none --tmpfs /work:rw,exec,size=256m,uid=10001,gid=10001 --tmpfs /tmp:rw,nosuid,size=256m,uid=10001,gid=10001 \
    -e HOME=/tmp -e GOCACHE=/tmp/go-cache -w /work --entrypoint sh "$(tag "$lang")" \
    -c "cat > $file && $script" < "$file"
}
declare -A script=(
  [c]='gcc -O2 -o m hello.c && ./m'
  [cpp]='g++ -O2 -o m hello.cpp && ./m'
  [java]='javac -d . Hello.java && java -cp . Hello'
  [go]='cp -R /opt/go-cache /tmp/go-cache && go build -o m hello.go && ./m'
  [rust]='rustc -O -o m hello.rs && ./m'
  [typescript]='esbuild hello.ts --outdir=. --format=cjs --platform=node --log-level=warning && node hello.js'
)
declare -A file=([python]=hello.py [c]=hello.c [cpp]=hello.cpp [java]=Hello.java [go]=hello.go [rust]=hello.rs [typescript]=hello.ts)
langs="python c cpp java go rust typescript"
for l in $langs; do   # warm up: images built for both builds
  "$old" run "${file[$l]}" > /dev/null 2>&1; "$new" run --no-cache "${file[$l]}" > /dev/null 2>&1
done
echo "| language | old 1st | old 2nd | new 1st | new 2nd | new 2nd / python | docker run (compile + run) |"
echo "|---|---|---|---|---|---|---|"
py=""
for l in $langs; do
  : > o1; : > o2; : > n1; : > n2; : > d
  for i in $(seq "$reps"); do
    ms "$old" run "${file[$l]}" >> o1; ms "$old" run "${file[$l]}" >> o2
    export CODECAGE_COMPILE_CACHE="$work/cache-$l-$i"
    ms "$new" run "${file[$l]}" >> n1; ms "$new" run "${file[$l]}" >> n2
    unset CODECAGE_COMPILE_CACHE
    if [ "$l" != python ]; then ms docker_run "$l" "${file[$l]}" "${script[$l]}" >> d; fi
  done
  n2m=$(median < n2); [ -z "$py" ] && py=$n2m
  dm=$( [ "$l" = python ] && echo "-" || echo "$(median < d) ms")
  echo "| $l | $(median < o1) ms | $(median < o2) ms | $(median < n1) ms | $n2m ms | $(awk -v a="$n2m" -v b="$py" 'BEGIN { printf "%.2fx", a / b }') | $dm |"
done
