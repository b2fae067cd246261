#!/usr/bin/env bash
# Run aseecr's tests on a fresh Debian or Ubuntu machine: install the real
# servers and clients the tests drive (CNCF distribution's docker-registry,
# skopeo as an independent client, docker.io's dockerd and podman to load the
# archives aseecr writes), then run the test suite. It calls apt-get (through
# sudo when not root) only when a package is missing. Three tests need root (a
# private dockerd, small tmpfs mounts): as another user they are left out with the
# runner's --skip, listed in tests/root-only.txt, and said so before the run; the
# runner counts them as filtered out.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(docker-registry skopeo e2fsprogs ca-certificates docker.io podman time openssl)
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

# shellcheck source=scripts/kubectl.sh
. scripts/kubectl.sh

skips=()
if [ "$(id -u)" -ne 0 ]; then
  # Each name must be one test, and no other test's name may contain it (`--skip`
  # matches substrings), as in .ci/windows-lane.sh.
  listed=$(cargo test --locked --all-targets -- --list 2>/dev/null | sed -n 's/: test$//p')
  echo "test.sh: not running as root, so leaving out the tests that need root (tests/root-only.txt):"
  while IFS= read -r line; do
    name=${line%%:*}
    reason=${line#*: }
    full=$(grep -E "(^|::)${name}$" <<<"$listed" || true)
    containing=$(grep -cF -- "$name" <<<"$listed" || true)
    if [ "$(grep -c . <<<"$full")" -ne 1 ] || [ "$containing" -ne 1 ]; then
      echo "test.sh: tests/root-only.txt names \`$name\`, which is not exactly one test name" >&2
      exit 1
    fi
    skips+=(--skip "$full")
    echo "  skipped $full: $reason"
  done < <(grep -E '^[a-z0-9_]+:' tests/root-only.txt)
  echo "test.sh: run as root to include them; the runner counts them as filtered out"
fi

cargo test --locked --all-targets -- ${skips[@]+"${skips[@]}"}
