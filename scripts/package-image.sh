#!/usr/bin/env bash
# Build aseecr's container image: the static Linux aseecr (release,
# x86_64-unknown-linux-musl) and the system's CA bundle in one layer, written as an
# OCI archive by aseecr's own layout writer (the hidden `aseecr build-image`), with
# no container engine. The musl build's aseecr builds the image of itself.
#
#   scripts/package-image.sh     # writes dist/aseecr-<version>-image.tar (oci-archive, named aseecr:<version>)
#
# The image is reproducible: every time in it is the last commit's (SOURCE_DATE_EPOCH),
# checked by building it twice. Needs musl-gcc (ring's C code) and the Debian CA
# bundle; installs them with apt when missing. Put it on a device with
#   aseecr mirror oci-archive:dist/aseecr-<version>-image.tar REGISTRY/aseecr:<version>
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive

target=x86_64-unknown-linux-musl
bundle=/etc/ssl/certs/ca-certificates.crt
packages=(musl-tools ca-certificates)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update
  $sudo apt-get install -y "${missing[@]}"
fi
rustup target list --installed | grep -qx "$target" || rustup target add "$target"

started=$(date +%s)
cargo build --locked --release --target "$target"
echo "package-image: static aseecr built ($(($(date +%s) - started)) s)"
program=target/$target/release/aseecr

version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)
revision=$(git rev-parse HEAD 2>/dev/null || echo unknown)
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || echo 315532800)}
dist=${DIST_DIR:-dist}
mkdir -p "$dist"
image=$dist/aseecr-$version-image.tar

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
# Its own config directory: the build reads no user settings. build-image refuses a
# dynamically linked program (the image holds no C library).
export ASEECR_CONFIG_DIR=$scratch/config DOCKER_CONFIG=$scratch/docker

build() {
  "$program" --no-progress build-image --binary "$program" --ca-bundle "$bundle" \
    --image-version "$version" --revision "$revision" "oci-archive:$1:aseecr:$version"
}
digest=$(build "$image")
again=$(build "$scratch/again.tar")
[ "$digest" = "$again" ] || { echo "package-image: two builds differ ($digest, $again)" >&2; exit 1; }
cmp -s "$image" "$scratch/again.tar" || { echo "package-image: the two archives differ" >&2; exit 1; }

# A release file, readable by all (the layout writer creates files private).
chmod 644 "$image"
echo "package-image: wrote $image ($(du -h "$image" | cut -f1), $digest)"
