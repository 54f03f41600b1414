#!/usr/bin/env bash
# First contact on a fresh machine, in two commands:
#
#   bash quickstart.sh              # the main job: codecage runs examples/hello.py
#   bash quickstart.sh test         # the tests: cargo test
#
# Each sets up what is missing first, and nothing when it is there: a Docker engine (as root on
# Debian: Debian's docker.io, started in the background), the base image debian:trixie-slim
# (made offline with debootstrap from Debian's mirror), and for the tests gVisor's runsc registered
# with the engine, a rootful Podman service, tmux, headless Chromium, redis-server and haproxy.
# Anything else after `bash quickstart.sh` is passed to codecage: `bash quickstart.sh run a.go`.
set -euo pipefail
cd "$(dirname "$0")"

command -v cargo >/dev/null 2>&1 || {
  echo "quickstart: cargo is missing: install Rust (https://rustup.rs or apt-get install cargo) and retry" >&2
  exit 1
}
bash .ci/ensure-docker.sh
bash images/bootstrap-offline.sh

if [ "${1:-}" = test ]; then
  shift
  # gVisor and a rootful Podman for the runtime and engine test groups.
  bash .ci/ensure-runsc.sh
  bash .ci/ensure-podman.sh
  bash .ci/ensure-tools.sh
  status=0
  cargo test "$@" || status=$?
  # The Podman service is the tests' to stop (`.ci/run` keeps it for its leftover check first).
  if [ -z "${CODECAGE_KEEP_PODMAN:-}" ]; then bash .ci/stop-podman.sh; fi
  exit "$status"
fi

cargo build --release --quiet
if [ $# -eq 0 ]; then
  set -- run examples/hello.py
fi
exec target/release/codecage "$@"
