#!/usr/bin/env bash
# Create the base image `debian:trixie-slim` without a registry: debootstrap a minimal trixie from
# Debian's mirror and `docker import` it. For air-gapped machines and CI; on a normal machine Docker
# pulls the base from Docker Hub and this script is not needed.
#
# The engine is the one DOCKER_HOST names: Podman's service too (`docker import` through its
# Docker-compatible API works, tested with Podman 4.3). Without a docker CLI, `podman` itself is
# used (a Podman-only machine); it reaches the local Podman's storage, or CONTAINER_HOST's.
set -euo pipefail

IMAGE="${1:-debian:trixie-slim}"
MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"

if command -v docker >/dev/null 2>&1; then
  cli=docker
elif command -v podman >/dev/null 2>&1; then
  cli=podman
else
  echo "bootstrap-offline: neither docker nor podman is installed" >&2
  exit 1
fi

if "$cli" image inspect "$IMAGE" >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "bootstrap-offline: debootstrap needs root; run as root or 'docker pull $IMAGE'" >&2
  exit 1
fi
if ! command -v debootstrap >/dev/null 2>&1; then
  echo "bootstrap-offline: installing debootstrap" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >/dev/null \
    || { apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >/dev/null; }
fi

dir=$(mktemp -d /tmp/codecage-rootfs.XXXXXX)
trap 'rm -rf "$dir"' EXIT
echo "bootstrap-offline: debootstrap trixie into $dir" >&2
debootstrap --variant=minbase trixie "$dir" "$MIRROR" >/dev/null
# Keep the image small and make apt inside builds behave like the official slim image.
rm -rf "$dir"/var/cache/apt/archives/*.deb "$dir"/var/lib/apt/lists/*
tar -C "$dir" -c . | "$cli" import -c 'CMD ["bash"]' - "$IMAGE" >/dev/null
echo "bootstrap-offline: created $IMAGE" >&2
