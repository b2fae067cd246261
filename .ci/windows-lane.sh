#!/usr/bin/env bash
# The Windows lane: build the Windows binary and run the integration tests with
# aseecr.exe under wine as the program under test (the test harness itself stays a
# Linux program). See docs/decisions.md and tests/windows-skips.txt.
#
#   .ci/windows-lane.sh [ARGS FOR THE TEST BINARY...]   e.g. `.ci/windows-lane.sh windows::`
#
# It tests the release build, the .exe CI ships in the Windows zip (after
# scripts/package-windows.sh the build is already there). WINDOWS_LANE_PROFILE=debug
# tests a debug build instead: quicker to rebuild after a change (no LTO link).
#
# Needs root or sudo for apt-get when wine or mingw is missing. Everything it makes
# lives in target/windows-lane/ (the wine prefix is reused across runs).
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive CARGO_TERM_COLOR=${CARGO_TERM_COLOR:-never}

started=$(date +%s)
stamp() { echo "windows-lane: $* ($(($(date +%s) - started)) s)"; }

packages=(wine wine64 gcc-mingw-w64-x86-64 docker-registry skopeo e2fsprogs ca-certificates docker.io podman)
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
rustup target list --installed | grep -qx x86_64-pc-windows-gnu || rustup target add x86_64-pc-windows-gnu
stamp "tools ready"

profile=${WINDOWS_LANE_PROFILE:-release}
case $profile in
  release) cargo build --locked --release --target x86_64-pc-windows-gnu ;;
  debug) cargo build --locked --target x86_64-pc-windows-gnu ;;
  *) echo "windows-lane: WINDOWS_LANE_PROFILE is release or debug, not \`$profile\`" >&2; exit 2 ;;
esac
stamp "aseecr.exe ($profile) built"

lane=$PWD/target/windows-lane
exe_dir=$PWD/target/x86_64-pc-windows-gnu/$profile
helpers=$lane/helpers
mkdir -p "$lane" "$helpers"
# wine 8 lacks bcryptprimitives.dll, which Rust's std imports ProcessPrng from; a
# DLL next to the .exe is found first. Test-only, like the credential helper.
x86_64-w64-mingw32-gcc -O2 -Wall -Wextra -Werror -shared -o "$exe_dir/bcryptprimitives.dll" \
  tests/wine/processprng.c -ladvapi32
x86_64-w64-mingw32-gcc -O2 -Wall -Wextra -Werror -o "$helpers/docker-credential-testfile.exe" \
  tests/wine/docker-credential-testfile.c

wine=/usr/lib/wine/wine64
[ -x "$wine" ] || wine=$(command -v wine64)
wineserver=/usr/lib/wine/wineserver64
[ -x "$wineserver" ] || wineserver=$(command -v wineserver)
export WINEPREFIX=$lane/prefix WINEDEBUG=-all WINELOADER=$wine
# No Mono or Gecko: console programs need neither, and fetching them would hang.
export WINEDLLOVERRIDES="mscoree=;mshtml="

# wine's sockets live in the wineserver: it must run here, in this network
# namespace, not be a stray one left by an earlier run.
"$wineserver" -k 2>/dev/null || true
trap '"$wineserver" -k 2>/dev/null || true' EXIT
if [ ! -f "$WINEPREFIX/system.reg" ]; then
  "$wine" wineboot --init >"$lane/wineboot.log" 2>&1 </dev/null
  "$wineserver" -w
  stamp "wine prefix created"
fi
"$wineserver" -p
# The first wine process starts services.exe and friends, which inherit its stdio
# and live as long as the wineserver: start them here, with no pipes, so no test
# waits for EOF on a pipe they hold.
(unset SSL_CERT_FILE SSL_CERT_DIR; "$wine" "$exe_dir/aseecr.exe" --version) >"$lane/warmup.log" 2>&1 </dev/null ||
  { cat "$lane/warmup.log"; echo "windows-lane: aseecr.exe does not start under wine" >&2; exit 1; }
stamp "wine ready: $(tr -d '\r' <"$lane/warmup.log")"

cat >"$lane/aseecr" <<EOF
#!/bin/sh
# Written by .ci/windows-lane.sh: aseecr.exe under wine, as the tests' program.
# SSL_CERT_FILE/DIR would make rustls read only those and never the Windows store.
unset SSL_CERT_FILE SSL_CERT_DIR
# shellcheck source=scripts/kubectl.sh
. scripts/kubectl.sh
export WINEPREFIX='$WINEPREFIX' WINEDEBUG=-all WINELOADER='$wine' WINEDLLOVERRIDES='$WINEDLLOVERRIDES'
exec '$wine' '$exe_dir/aseecr.exe' "\$@"
EOF
chmod +x "$lane/aseecr"

# The harness reads these (tests/util/mod.rs): the program, that it is Windows,
# and where the test credential helper is.
export ASEECR_TEST_BIN=$lane/aseecr ASEECR_TEST_WINDOWS=1 ASEECR_TEST_WIN_HELPERS=$helpers
unset SSL_CERT_FILE SSL_CERT_DIR
# Linux-only tests (tests/windows-skips.txt) are filtered out by the runner, so its count
# shows them as such; the Windows-only tests, ignored in the Linux run, are included.
# Each name must be one test, and no other test's name may contain it (`--skip` matches
# substrings).
cargo test --locked --test integration --no-run
listed=$(cargo test --locked --test integration -- --list --include-ignored 2>/dev/null | sed -n 's/: test$//p')
skips=()
while IFS= read -r name; do
  [ -n "$name" ] || continue
  full=$(grep -E "(^|::)${name}$" <<<"$listed" || true)
  containing=$(grep -cF -- "$name" <<<"$listed" || true)
  if [ "$(grep -c . <<<"$full")" -ne 1 ] || [ "$containing" -ne 1 ]; then
    echo "windows-lane: tests/windows-skips.txt names \`$name\`, which is not exactly one test name" >&2
    exit 1
  fi
  skips+=(--skip "$full")
done < <(sed -n 's/^\([a-z0-9_]*\):.*/\1/p' tests/windows-skips.txt)
stamp "$(( ${#skips[@]} / 2 )) Linux-only tests left out (tests/windows-skips.txt)"
cargo test --locked --test integration -- --include-ignored "${skips[@]}" "$@"
stamp "integration tests passed under wine"
