#!/usr/bin/env bash
# Stop the `podman system service` that `.ci/ensure-podman.sh` started (it leaves a marker file),
# so the test run leaves no process behind. A service started some other way is left alone.
set -euo pipefail
dir=/run/codecage-podman
[ -f "$dir/started-by-ensure-podman" ] || exit 0
# Podman re-executes itself once started, so its pid is found by its command line, which names
# codecage's own socket.
pattern="podman system service --time=0 unix://$dir/podman.sock"
pkill -f "$pattern" 2>/dev/null || true
for _ in $(seq 1 50); do
  pgrep -f "$pattern" >/dev/null || break
  sleep 0.2
done
pkill -9 -f "$pattern" 2>/dev/null || true
rm -f "$dir/started-by-ensure-podman" "$dir/podman.sock"
