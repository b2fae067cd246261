#!/usr/bin/env bash
# Rewrite the winget, Scoop and Homebrew manifests under packaging/ for VERSION,
# with the SHA-256 checksums of the release archives in dist/ (or $DIST_DIR).
#
#   scripts/update-packaging.sh 0.2.0                  # every archive must be in dist/
#   scripts/update-packaging.sh 0.2.0 --allow-missing  # placeholder checksum for missing ones
#   scripts/update-packaging.sh 0.2.0 --out DIR        # write the manifests under DIR, not packaging/
#
# The placeholder checksum is 64 zeros: it keeps the manifests schema-valid while
# saying plainly that no archive was hashed. Never publish a manifest holding it.
# Archive names and layout are described in packaging/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."

usage() { echo "usage: $0 VERSION [--allow-missing] [--out DIR]" >&2; exit 2; }
[ $# -ge 1 ] || usage
version=$1
shift
allow_missing=false
out=packaging
while [ $# -gt 0 ]; do
  case $1 in
    --allow-missing) allow_missing=true ;;
    --out)
      [ $# -ge 2 ] || usage
      out=$2
      shift
      ;;
    *) usage ;;
  esac
  shift
done

# Where releases are published; change here (one place) if the project moves.
repository=${ASEECR_REPOSITORY:-https://github.com/aseecr/aseecr}
dist=${DIST_DIR:-dist}
placeholder=0000000000000000000000000000000000000000000000000000000000000000

crate_version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)
if [ "$version" != "$crate_version" ]; then
  echo "error: VERSION \`$version\` is not Cargo.toml's version \`$crate_version\`" >&2
  echo "help: set \`version = \"$version\"\` in Cargo.toml first (tests/packaging.rs checks they agree)" >&2
  exit 1
fi

download="$repository/releases/download/v$version"
missing=()

# archive VAR TARGET EXT: set $VAR to the archive's name and ${VAR}_sha to its checksum.
archive() {
  local name="aseecr-$version-$2.$3" sum=$placeholder
  if [ -f "$dist/$name" ]; then
    sum=$(sha256sum "$dist/$name" | cut -d ' ' -f 1)
  else
    missing+=("$dist/$name")
  fi
  printf -v "$1" '%s' "$name"
  printf -v "$1_sha" '%s' "$sum"
}

archive win_x64 x86_64-pc-windows-gnu zip
archive mac_arm aarch64-apple-darwin tar.gz
archive mac_x64 x86_64-apple-darwin tar.gz
archive linux_arm aarch64-unknown-linux-musl tar.gz
archive linux_x64 x86_64-unknown-linux-musl tar.gz
if [ ${#missing[@]} -gt 0 ]; then
  if ! $allow_missing; then
    printf 'error: release archive `%s` not found\n' "${missing[@]}" >&2
    echo "help: build the archives into $dist/ first, or pass --allow-missing for placeholder checksums" >&2
    exit 1
  fi
  printf 'warning: `%s` not found; its checksum is the placeholder\n' "${missing[@]}" >&2
fi

description="Command-line companion for private edge container registries"
mkdir -p "$out/winget" "$out/scoop" "$out/homebrew"

cat >"$out/winget/Aseecr.Aseecr.yaml" <<YAML
# yaml-language-server: \$schema=https://aka.ms/winget-manifest.version.1.6.0.schema.json
# Written by scripts/update-packaging.sh; edit the script, not this file.
PackageIdentifier: Aseecr.Aseecr
PackageVersion: $version
DefaultLocale: en-US
ManifestType: version
ManifestVersion: 1.6.0
YAML

cat >"$out/winget/Aseecr.Aseecr.installer.yaml" <<YAML
# yaml-language-server: \$schema=https://aka.ms/winget-manifest.installer.1.6.0.schema.json
# Written by scripts/update-packaging.sh; edit the script, not this file.
PackageIdentifier: Aseecr.Aseecr
PackageVersion: $version
InstallerType: zip
NestedInstallerType: portable
NestedInstallerFiles:
  - RelativeFilePath: ${win_x64%.zip}\\aseecr.exe
    PortableCommandAlias: aseecr
Commands:
  - aseecr
Installers:
  - Architecture: x64
    InstallerUrl: $download/$win_x64
    InstallerSha256: ${win_x64_sha^^}
ManifestType: installer
ManifestVersion: 1.6.0
YAML

cat >"$out/winget/Aseecr.Aseecr.locale.en-US.yaml" <<YAML
# yaml-language-server: \$schema=https://aka.ms/winget-manifest.defaultLocale.1.6.0.schema.json
# Written by scripts/update-packaging.sh; edit the script, not this file.
PackageIdentifier: Aseecr.Aseecr
PackageVersion: $version
PackageLocale: en-US
Publisher: aseecr contributors
PackageName: aseecr
PackageUrl: $repository
License: MIT OR Apache-2.0
ShortDescription: $description
Description: >-
  aseecr sets up the hosts entry and certificate trust for a private edge container
  registry (such as Azure Stack Edge's Edge container registry), logs in with
  docker-compatible credentials, mirrors images registry to registry without a Docker
  engine, lists and inspects what is there, and deletes safely.
Moniker: aseecr
Tags:
  - azure-stack-edge
  - container-registry
  - docker
  - oci
  - registry
ReleaseNotesUrl: $repository/releases/tag/v$version
ManifestType: defaultLocale
ManifestVersion: 1.6.0
YAML

cat >"$out/scoop/aseecr.json" <<JSON
{
  "version": "$version",
  "description": "$description",
  "homepage": "$repository",
  "license": "MIT|Apache-2.0",
  "architecture": {
    "64bit": {
      "url": "$download/$win_x64",
      "hash": "$win_x64_sha",
      "extract_dir": "${win_x64%.zip}"
    }
  },
  "bin": "aseecr.exe",
  "checkver": "github",
  "autoupdate": {
    "architecture": {
      "64bit": {
        "url": "$repository/releases/download/v\$version/aseecr-\$version-x86_64-pc-windows-gnu.zip",
        "extract_dir": "aseecr-\$version-x86_64-pc-windows-gnu"
      }
    }
  }
}
JSON

cat >"$out/homebrew/aseecr.rb" <<RUBY
# Written by scripts/update-packaging.sh; edit the script, not this file.
class Aseecr < Formula
  desc "$description"
  homepage "$repository"
  version "$version"
  license any_of: ["MIT", "Apache-2.0"]

  on_macos do
    on_arm do
      url "$download/$mac_arm"
      sha256 "$mac_arm_sha"
    end
    on_intel do
      url "$download/$mac_x64"
      sha256 "$mac_x64_sha"
    end
  end

  on_linux do
    on_arm do
      url "$download/$linux_arm"
      sha256 "$linux_arm_sha"
    end
    on_intel do
      url "$download/$linux_x64"
      sha256 "$linux_x64_sha"
    end
  end

  def install
    bin.install "aseecr"
    man1.install "aseecr.1"
    bash_completion.install "completions/aseecr.bash" => "aseecr"
    zsh_completion.install "completions/_aseecr"
    fish_completion.install "completions/aseecr.fish"
  end

  test do
    assert_match "aseecr #{version}", shell_output("#{bin}/aseecr --version")
  end
end
RUBY

echo "packaging manifests in $out/ now describe aseecr $version" >&2
