#!/usr/bin/env bash
# Make gVisor's runsc available to the Docker engine as the runtime `runsc`, idempotently:
# install Debian's package, add it to /etc/docker/daemon.json (keeping whatever else is there)
# and make dockerd re-read its configuration with SIGHUP (no restart: other containers live on).
#
# The runtime arguments are not optional on this kind of machine: without `--network=none`
# every container fails ("cannot run with network enabled in root network namespace"), and
# without KVM only the ptrace platform works. Our sandboxes have no network anyway.
# Not `--oci-seccomp`: with it this gVisor applies Docker's seccomp profile inside the sandbox but
# answers clone3 with EPERM instead of the profile's ENOSYS, so glibc 2.41's posix_spawn (Python's
# subprocess, gcc running cc1) fails instead of falling back to clone. The program's system calls
# are served by gVisor's kernel, which runs under gVisor's own seccomp filter on the host.
set -euo pipefail

conf=/etc/docker/daemon.json

# Registered with exactly our arguments (any other registration of runsc is redone).
registered() {
  docker info --format '{{json .Runtimes.runsc}}' 2>/dev/null \
    | tr -d ' ' | grep -qF '"runtimeArgs":["--network=none","--platform=ptrace"]}'
}

# Already there: nothing to do (and no root needed).
if command -v runsc >/dev/null 2>&1 && registered; then
  exit 0
fi

if [ "$(id -u)" != 0 ]; then
  echo "ensure-runsc: must run as root (installs a package and edits $conf)" >&2
  exit 1
fi

if ! command -v runsc >/dev/null 2>&1; then
  echo "ensure-runsc: installing runsc from Debian" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq --no-install-recommends runsc >/dev/null \
    || { apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends runsc >/dev/null; }
fi

args='["--network=none", "--platform=ptrace"]'


if ! registered; then
  mkdir -p /etc/docker
  # Merge into the existing file (python3 is on every Debian with docker.io's dependencies;
  # jq is not): other settings and other runtimes stay as they were.
  python3 - "$conf" "$args" <<'PY'
import json, os, sys
path = sys.argv[1]
conf = {}
if os.path.exists(path) and os.path.getsize(path) > 0:
    with open(path) as f:
        conf = json.load(f)
conf.setdefault("runtimes", {})["runsc"] = {
    "path": "/usr/bin/runsc",
    "runtimeArgs": json.loads(sys.argv[2]),
}
tmp = path + ".codecage-tmp"
with open(tmp, "w") as f:
    json.dump(conf, f, indent=2)
    f.write("\n")
os.replace(tmp, path)
PY
  pid=$(pidof dockerd || true)
  if [ -z "$pid" ]; then
    echo "ensure-runsc: no dockerd running to reload $conf" >&2
    exit 1
  fi
  kill -HUP $pid
  for _ in $(seq 1 20); do
    registered && break
    sleep 0.5
  done
fi

if ! registered; then
  echo "ensure-runsc: dockerd did not pick up runsc from $conf" >&2
  exit 1
fi
