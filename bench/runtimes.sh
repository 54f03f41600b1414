#!/usr/bin/env bash
# What gVisor costs, measured side by side with the engine's default runtime in the same run:
# hello-world latency (`codecage run hello.py`), a CPU-bound C program and a syscall-heavy Python
# program, each under runc and under runsc, interleaved. Prints medians and the ratios for
# docs/runtimes-and-engines.md. runsc must be registered (`bash .ci/ensure-runsc.sh` as root).
#   bash bench/runtimes.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-11}
cargo build --release -q
bin=target/release/codecage
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf 'print("Hello, World!")\n' > "$work/hello.py"
# ~1 s of integer work at one core under runc, no system calls in the loop.
cat > "$work/cpu.c" <<'C'
#include <stdio.h>
int main(void) {
    unsigned long x = 1;
    for (unsigned long i = 0; i < 1500000000UL; i++) x = x * 6364136223846793005UL + i;
    printf("%lu\n", x & 1);
    return 0;
}
C
# 20000 small writes to a file and reads back: every one a system call the Sentry serves.
cat > "$work/syscalls.py" <<'PY'
import os
fd = os.open('/tmp/f', os.O_CREAT | os.O_RDWR)
for _ in range(20000):
    os.pwrite(fd, b'x' * 64, 0)
    os.pread(fd, 64, 0)
print('done')
PY
"$bin" images build python c >/dev/null 2>&1

now() { date +%s%N; }
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
run() { # RUNTIME FILE
  local rt=()
  [ "$1" = default ] || rt=(--runtime "$1")
  # The compile cache is on: the C program is compiled once per runtime, then only run.
  "$bin" run -q "${rt[@]}" --time-limit 60s "$2" < /dev/null > /dev/null
}

printf '| program | runc p50 | runsc p50 | ratio |\n|---|---|---|---|\n'
for program in hello.py cpu.c syscalls.py; do
  for rt in default runsc; do run "$rt" "$work/$program"; done   # warm up (and compile)
  : > "$work/default"; : > "$work/runsc"
  for _ in $(seq "$runs"); do
    for rt in default runsc; do
      t=$(now); run "$rt" "$work/$program"; echo $(( ($(now) - t) / 1000000 )) >> "$work/$rt"
    done
  done
  d=$(median < "$work/default"); g=$(median < "$work/runsc")
  printf '| %s | %s ms | %s ms | %s |\n' "$program" "$d" "$g" \
    "$(awk -v g="$g" -v d="$d" 'BEGIN { printf "%.2fx", g / d }')"
done
