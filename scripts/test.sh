#!/usr/bin/env bash
# Run aseecr's tests on a fresh Debian or Ubuntu machine: install the real
# servers and clients the tests drive (CNCF distribution's docker-registry,
# skopeo as an independent client, docker.io's dockerd and podman to load the
# archives aseecr writes), then run the test suite. Run it as root (or with
# sudo for apt-get): the tests start a private dockerd and mount a small tmpfs.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(docker-registry skopeo e2fsprogs ca-certificates docker.io podman)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y "${missing[@]}"
fi

cargo test --locked --all-targets
