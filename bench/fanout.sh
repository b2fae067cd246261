#!/usr/bin/env bash
# Benchmark one source to three destinations: `aseecr mirror SRC --to A --to B --to C`
# against three sequential `aseecr mirror` runs and three sequential `skopeo copy`
# runs, and a single-destination `aseecr mirror` for scale, on the same local
# registries in the same run (a plain-HTTP anonymous source with an access log; three
# TLS + htpasswd destinations). Reports wall time and the blob bytes the source sent
# (from its access log).
#
# Usage: bench/fanout.sh [RUNS] [CASE...]   (median of RUNS, default 3; CASE big|small)
# Env: ASEECR to time another binary. Needs what bench/mirror.sh needs.
# Prints a table; copy it into docs/benchmarks.md.
set -euo pipefail

RUNS=${1:-3}
shift || true
CASES=("$@")
[ ${#CASES[@]} -gt 0 ] || CASES=(big small)
ROOT=$(cd "$(dirname "$0")/.." && pwd)
ASEECR=${ASEECR:-$ROOT/target/release/aseecr}
[ -x "$ASEECR" ] || (cd "$ROOT" && cargo build --release --quiet)
# shellcheck source=bench/common.sh
. "$ROOT/bench/common.sh"

aseecr() {
  ASEECR_CONFIG_DIR=$WORK/aseecr DOCKER_CONFIG=$WORK/docker ASEECR_PASSWORD=$PASSWORD \
    "$ASEECR" -q mirror --src-plain-http --dst-ca-cert "$WORK/cert.pem" -u "$USER_NAME" "$@" >/dev/null
}
skopeo_to() { # shape registry
  skopeo --insecure-policy copy --all --quiet --src-tls-verify=false \
    --dest-cert-dir "$WORK/certs.d" --dest-authfile "$WORK/auth.json" \
    "docker://127.0.0.1:$SRC_PORT/bench/$1:1" "docker://$2/bench/$1:1"
}
run() { # way shape
  local src=127.0.0.1:$SRC_PORT/bench/$2:1
  case $1 in
    fanout) aseecr "$src" --to "$DST" --to "$DST1" --to "$DST2" ;;
    aseecr-x3) for d in "$DST" "$DST1" "$DST2"; do aseecr "$src" "$d/bench/$2:1"; done ;;
    skopeo-x3) for d in "$DST" "$DST1" "$DST2"; do skopeo_to "$2" "$d"; done ;;
    single) aseecr "$src" "$DST/bench/$2:1" ;;
  esac
}
# Blob bytes the source has sent so far (GETs of blobs, 2xx, from its access log).
source_bytes() {
  awk '/"GET \/v2\/[^"]*\/blobs\/sha256:/ { for (i = 1; i < NF; i++) if ($i ~ /^2[0-9][0-9]$/ && $(i+1) ~ /^[0-9]+$/) { s += $(i+1); break } } END { printf "%.0f\n", s }' "$WORK/src.log"
}

printf '%-6s %-10s %10s %14s\n' case way "median s" "source MiB"
for case in "${CASES[@]}"; do
  cost=10
  [ "$case" = big ] && cost=5
  build "$case"
  for way in fanout aseecr-x3 skopeo-x3 single; do
    : > "$WORK/results"
    for _ in $(seq "$RUNS"); do
      start_dst "$cost" 0; start_dst "$cost" 1; start_dst "$cost" 2
      before=$(source_bytes)
      start=$(date +%s.%N)
      run "$way" "$case"
      end=$(date +%s.%N)
      echo "$(echo "$end - $start" | bc) $(( $(source_bytes) - before ))" >> "$WORK/results"
    done
    secs=$(awk '{print $1}' "$WORK/results" | median)
    bytes=$(awk '{print $2}' "$WORK/results" | median)
    echo "$secs" > "$WORK/$case-$way"
    printf '%-6s %-10s %10.2f %14.1f\n' "$case" "$way" "$secs" "$(echo "$bytes / 1048576" | bc -l)"
  done
  r() { echo "scale=2; $(cat "$WORK/$case-fanout") / $(cat "$WORK/$case-$1")" | bc; }
  echo "$case: fanout / single $(r single)x (target 1.4x), / skopeo-x3 $(r skopeo-x3)x (target 0.4x), / aseecr-x3 $(r aseecr-x3)x"
done
