#!/usr/bin/env bash
# Build the Windows release archive: aseecr.exe (release, x86_64-pc-windows-gnu), the
# PowerShell completions, README.md with its docs/ pages and the licence texts, in one folder of the
# archive's name, as the winget and Scoop manifests expect (packaging/README.md).
#
#   scripts/package-windows.sh     # writes dist/aseecr-<version>-x86_64-pc-windows-gnu.zip
#
# The archive is reproducible: the same inputs give the same bytes (sorted entries,
# every timestamp the last commit's, fixed modes, no extra attributes), checked by
# zipping twice. Needs mingw (the linker) and zip; installs them with apt when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive

target=x86_64-pc-windows-gnu
packages=(zip gcc-mingw-w64-x86-64)
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
echo "package-windows: release aseecr.exe built ($(($(date +%s) - started)) s)"

version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)
name=aseecr-$version-$target
dist=${DIST_DIR:-dist}
mkdir -p "$dist"
dist=$(cd "$dist" && pwd)

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
stage=$scratch/$name
mkdir -p "$stage/completions"
cp "target/$target/release/aseecr.exe" "$stage/"
cp completions/_aseecr.ps1 "$stage/completions/"
cp README.md LICENSE-MIT LICENSE-APACHE "$stage/"
# README links into docs/: the pages travel with it.
mkdir -p "$stage/docs"
cp docs/*.md "$stage/docs/"

# Reproducible: one timestamp (the last commit's, else a fixed one), fixed modes,
# entries in sorted order, no extra fields (-X), zip's DOS times taken in UTC.
epoch=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || echo 315532800)}
find "$stage" -type d -exec chmod 755 {} +
find "$stage" -type f -exec chmod 644 {} +
chmod 755 "$stage/aseecr.exe"
find "$stage" -exec touch -h -d "@$epoch" {} +

make_zip() {
  rm -f "$1"
  (cd "$scratch" && find "$name" -print | LC_ALL=C sort | TZ=UTC zip -X -q -@ "$1")
}
make_zip "$dist/$name.zip"
make_zip "$scratch/again.zip"
cmp -s "$dist/$name.zip" "$scratch/again.zip" ||
  { echo "package-windows: zipping twice gave different archives" >&2; exit 1; }

# What the manifests rely on: the folder, and the .exe in it.
listing=$(unzip -Z1 "$dist/$name.zip")
for entry in "$name/aseecr.exe" "$name/completions/_aseecr.ps1" "$name/README.md" \
  "$name/docs/guarantees.md" "$name/LICENSE-MIT" "$name/LICENSE-APACHE"; do
  grep -qx "$entry" <<<"$listing" || { echo "package-windows: the archive lacks $entry" >&2; exit 1; }
done
unzip -p "$dist/$name.zip" "$name/aseecr.exe" | cmp -s - "target/$target/release/aseecr.exe" ||
  { echo "package-windows: aseecr.exe in the archive differs from the build" >&2; exit 1; }

echo "package-windows: $dist/$name.zip ($(stat -c %s "$dist/$name.zip") bytes)"
sha256sum "$dist/$name.zip"
