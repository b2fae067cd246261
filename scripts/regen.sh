#!/usr/bin/env bash
# Rewrite the committed shell completions (completions/) and man page
# (packaging/man/aseecr.1) from the current command line. Run it after changing
# anything in src/cli/, and commit the result; tests/packaging.rs fails until then.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build --quiet --bin aseecr

# Generated output does not depend on the environment, but `aseecr` reads its
# config file on start: point it at an empty directory so a local one cannot interfere.
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
export ASEECR_CONFIG_DIR="$scratch/config" DOCKER_CONFIG="$scratch/docker"

generate() {
  local target=$1
  shift
  cargo run --quiet --bin aseecr -- "$@" >"$scratch/out"
  mkdir -p "$(dirname "$target")"
  if ! cmp -s "$scratch/out" "$target"; then
    mv "$scratch/out" "$target"
    echo "updated $target"
  fi
}

generate completions/aseecr.bash completions bash
generate completions/_aseecr completions zsh
generate completions/aseecr.fish completions fish
generate completions/_aseecr.ps1 completions powershell
generate completions/aseecr.elv completions elvish
generate packaging/man/aseecr.1 man
