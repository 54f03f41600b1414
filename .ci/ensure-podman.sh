#!/usr/bin/env bash
# Make a rootful Podman answer the Docker API on its own socket, for the `podman` test group
# (tests/engines.rs), idempotently: install Debian's podman and catatonit (the init binary
# `HostConfig.Init` needs: without it every create fails with "container-init binary not found"),
# then start `podman system service` on /run/codecage-podman/podman.sock unless it answers.
# Podman keeps its own image store: the tests load the images they need from Docker themselves.
set -euo pipefail

sock=/run/codecage-podman/podman.sock
log=/var/log/codecage-podman.log
marker=/run/codecage-podman/started-by-ensure-podman

answers() {
  timeout 10 podman --remote --url "unix://$sock" version >/dev/null 2>&1
}

# Already there: nothing to do (and no root needed).
if command -v catatonit >/dev/null 2>&1 && command -v newuidmap >/dev/null 2>&1 && answers; then
  exit 0
fi

if [ "$(id -u)" != 0 ]; then
  echo "ensure-podman: must run as root (installs packages, serves a rootful Podman)" >&2
  exit 1
fi

missing=""
command -v podman >/dev/null 2>&1 || missing="$missing podman"
command -v catatonit >/dev/null 2>&1 || missing="$missing catatonit"
# newuidmap/newgidmap, for the rootless test (a user with subuids runs its own Podman).
command -v newuidmap >/dev/null 2>&1 || missing="$missing uidmap"
if [ -n "$missing" ]; then
  echo "ensure-podman: installing$missing from Debian" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq --no-install-recommends $missing >/dev/null \
    || { apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends $missing >/dev/null; }
fi


if ! answers; then
  mkdir -p "$(dirname "$sock")"
  rm -f "$sock"
  echo "ensure-podman: starting podman system service on $sock" >&2
  # --time=0: serve until killed, not only for five seconds after the last request. From `/`:
  # conmon needs the service's working directory to exist for as long as it serves, and a
  # checkout it was started in may be deleted ("Failed to get working directory").
  # The marker tells `.ci/stop-podman.sh` that this script started it, so it may stop it.
  (cd / && nohup podman system service --time=0 "unix://$sock" >"$log" 2>&1 &)
  touch "$marker"
  for _ in $(seq 1 30); do
    answers && break
    sleep 1
  done
fi

if ! answers; then
  echo "ensure-podman: podman system service did not answer on $sock; see $log" >&2
  exit 1
fi
