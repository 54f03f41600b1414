#!/usr/bin/env bash
# Make sure a Docker engine answers. On a fresh Debian machine (as root) install Debian's docker.io
# and start dockerd in the background; elsewhere just fail with a message saying what to do.
set -euo pipefail

if timeout 10 docker info >/dev/null 2>&1; then
  exit 0
fi

if [ "$(id -u)" != 0 ]; then
  echo "ensure-docker: no Docker engine answers and we are not root; start Docker and retry" >&2
  exit 1
fi

if ! command -v dockerd >/dev/null 2>&1; then
  echo "ensure-docker: installing docker.io from Debian" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends docker.io iptables >/dev/null
fi

if ! pgrep -x dockerd >/dev/null 2>&1; then
  echo "ensure-docker: starting dockerd" >&2
  mkdir -p /var/log
  nohup dockerd >/var/log/codecage-dockerd.log 2>&1 &
fi

for _ in $(seq 1 60); do
  if timeout 5 docker info >/dev/null 2>&1; then
    exit 0
  fi
  sleep 1
done
echo "ensure-docker: dockerd did not answer within 60 s; see /var/log/codecage-dockerd.log" >&2
exit 1
