#!/usr/bin/env bash
# Start-up of a hello world through `codecage run`, per language, in one run so the ratios to
# Python are taken under the same load (issue #32: JavaScript, Java and C# within 1.5x Python).
# Compiled languages are timed on their second run (the compile cache holds them), which is what
# a user who runs a program twice sees. Runs are interleaved, one of each language per round, so
# drift in the engine or the machine's load affects every language alike.
#   bash bench/startup.sh [BIN] [RUNS]
# BIN defaults to a fresh release build; RUNS to 11. Prints wall-time p50 (what the user waits,
# codecage's own work included), the sandbox's CPU time p50 (`cpu_ms` of --json: the runtime's
# own start-up, which the quota throttles) and the wall ratio to Python.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -ge 1 ] && [ -n "$1" ]; then
  bin=$1
else
  cargo build --release -q
  bin=target/release/codecage
fi
runs=${2:-11}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

printf 'print("Hello, World!")\n' > "$work/hello.py"
printf 'console.log("Hello, World!");\n' > "$work/hello.js"
printf 'const greeting: string = "Hello, World!";\nconsole.log(greeting);\n' > "$work/hello.ts"
printf 'public class Main {\n  public static void main(String[] args) {\n    System.out.println("Hello, World!");\n  }\n}\n' > "$work/Main.java"
printf 'using System;\nclass Hello {\n  static void Main() {\n    Console.WriteLine("Hello, World!");\n  }\n}\n' > "$work/hello.cs"
langs=(hello.py hello.js hello.ts Main.java hello.cs)
names=("hello.py" "hello.js" "hello.ts (2nd run)" "Java (2nd run)" "C# (2nd run)")

now() { date +%s%N; }
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

# Warm up: build images if needed, fill the compile cache, and check each hello says hello.
for f in "${langs[@]}"; do
  out=$("$bin" run -q "$work/$f" < /dev/null)
  [ "$out" = "Hello, World!" ] || { echo "$f printed '$out'" >&2; exit 1; }
done

for f in "${langs[@]}"; do : > "$work/$f.wall"; : > "$work/$f.cpu"; done
for _ in $(seq "$runs"); do
  for f in "${langs[@]}"; do
    t=$(now)
    "$bin" run -q --json "$work/$f.json" "$work/$f" < /dev/null > /dev/null
    echo $(( ($(now) - t) / 1000000 )) >> "$work/$f.wall"
    sed -n 's/.*"cpu_ms":\([0-9]*\).*/\1/p' "$work/$f.json" >> "$work/$f.cpu"
  done
done

py=$(median < "$work/hello.py.wall")
echo "| runs $runs, load average $(cut -d' ' -f1-3 /proc/loadavg) | p50 wall | p50 CPU in the sandbox | wall / Python |"
echo "|---|---|---|---|"
for i in "${!langs[@]}"; do
  f=${langs[$i]}
  w=$(median < "$work/$f.wall"); c=$(median < "$work/$f.cpu")
  echo "| ${names[$i]} | ${w} ms | ${c:-?} ms | $(awk -v w="$w" -v p="$py" 'BEGIN { printf "%.2fx", w / p }') |"
done
