#!/usr/bin/env bash
# Build the Debian package with cargo-deb, install it with dpkg, check the installed
# binary, man page and completions, then remove the package again.
# Needs root or sudo (dpkg -i). Refuses to run when an aseecr package is already
# installed, so it never removes one it did not install.
set -euo pipefail
cd "$(dirname "$0")/.."

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"

fail() { echo "package-check: $*" >&2; exit 1; }

if dpkg-query -W -f='${Status}' aseecr 2>/dev/null | grep -q "ok installed"; then
  fail "an aseecr package is already installed; remove it first (dpkg -r aseecr)"
fi

if ! cargo deb --version >/dev/null 2>&1; then
  cargo install cargo-deb --locked
fi

version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)
# cargo-deb prints the path of the package it wrote as its last line.
deb=$(cargo deb -- --locked | tail -n 1)
[ -f "$deb" ] || fail "cargo deb did not report a package file (got \`$deb\`)"
echo "package-check: built $deb"

contents=$(dpkg-deb --contents "$deb")
for path in ./usr/bin/aseecr \
  ./usr/share/bash-completion/completions/aseecr \
  ./usr/share/zsh/vendor-completions/_aseecr \
  ./usr/share/fish/vendor_completions.d/aseecr.fish \
  ./usr/share/man/man1/aseecr.1.gz; do
  grep -q " $path\$" <<<"$contents" || fail "the package lacks $path"
done

scratch=$(mktemp -d)
installed=false
cleanup() {
  if $installed; then
    $sudo dpkg -r aseecr >/dev/null
  fi
  rm -rf "$scratch"
}
trap cleanup EXIT

$sudo dpkg -i "$deb"
installed=true

# The binary, from the installed path.
[ "$(/usr/bin/aseecr --version)" = "aseecr $version" ] || fail "/usr/bin/aseecr --version: $(/usr/bin/aseecr --version)"
config_path=$(ASEECR_CONFIG_DIR="$scratch/config" DOCKER_CONFIG="$scratch/docker" /usr/bin/aseecr config path)
[ "$config_path" = "$scratch/config/config.json" ] || fail "aseecr config path printed \`$config_path\`"
ASEECR_CONFIG_DIR="$scratch/config" /usr/bin/aseecr completions bash >"$scratch/aseecr.bash"
cmp -s "$scratch/aseecr.bash" completions/aseecr.bash || fail "the installed binary's bash completions differ from completions/aseecr.bash"

# Files that landed, compared with the committed copies. Minimal images may tell dpkg
# to skip /usr/share/man (path-exclude in /etc/dpkg/dpkg.cfg.d); say so instead of failing.
landed() {
  local installed_path=$1 committed=$2
  if [ ! -e "$installed_path" ]; then
    if grep -qs "^path-exclude.*${installed_path%/*/*}" /etc/dpkg/dpkg.cfg.d/*; then
      echo "package-check: $installed_path skipped by a dpkg path-exclude rule on this machine"
      return
    fi
    fail "$installed_path did not land"
  fi
  case $installed_path in
    *.gz) gzip -dc "$installed_path" >"$scratch/landed" ;;
    *) cp "$installed_path" "$scratch/landed" ;;
  esac
  cmp -s "$scratch/landed" "$committed" || fail "$installed_path differs from $committed"
}
landed /usr/share/bash-completion/completions/aseecr completions/aseecr.bash
landed /usr/share/zsh/vendor-completions/_aseecr completions/_aseecr
landed /usr/share/fish/vendor_completions.d/aseecr.fish completions/aseecr.fish
landed /usr/share/man/man1/aseecr.1.gz packaging/man/aseecr.1

# The installed bash completion completes a subcommand.
completed=$(bash -c 'source /usr/share/bash-completion/completions/aseecr
  COMP_WORDS=(aseecr compl); COMP_CWORD=1; COMP_LINE="aseecr compl"; COMP_POINT=${#COMP_LINE}
  _aseecr aseecr compl aseecr; echo "${COMPREPLY[*]}"')
[ "$completed" = "completions" ] || fail "bash completion of \`aseecr compl\` gave \`$completed\`"

# The man page renders, when man is installed.
if command -v man >/dev/null; then
  man -l /usr/share/man/man1/aseecr.1.gz 2>/dev/null | grep -q "COMMANDS" || fail "man cannot render aseecr.1.gz"
fi

$sudo dpkg -r aseecr >/dev/null
installed=false
[ ! -e /usr/bin/aseecr ] || fail "/usr/bin/aseecr is still there after dpkg -r"
echo "package-check: aseecr $version installs, runs and removes cleanly"
