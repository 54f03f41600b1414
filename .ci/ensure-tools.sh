#!/usr/bin/env bash
# Make sure the tools the test suite drives are installed: tmux (the terminal tests), headless
# Chromium (the web page tests), redis-server and haproxy (the scale-out tests). As root on Debian they are installed from Debian's packages;
# otherwise a missing tool is an error that names the package.
set -euo pipefail

missing=""
command -v tmux >/dev/null 2>&1 || missing="$missing tmux"
command -v chromium >/dev/null 2>&1 || missing="$missing chromium"
command -v redis-server >/dev/null 2>&1 || missing="$missing redis-server"
command -v haproxy >/dev/null 2>&1 || missing="$missing haproxy"
[ -z "$missing" ] && exit 0

if [ "$(id -u)" != 0 ]; then
  echo "ensure-tools: the tests need:$missing; install them (sudo apt-get install$missing) and retry" >&2
  exit 1
fi
echo "ensure-tools: installing$missing from Debian" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -qq --no-install-recommends $missing >/dev/null \
  || { apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends $missing >/dev/null; }
