#!/usr/bin/env bash
# Benchmark the air-gap round trip: registry -> oci-archive file -> registry, for
# the 1 GiB image (8 incompressible layers of 128 MiB), aseecr against skopeo
# doing the same two steps, on the same local registries in the same run (a
# plain-HTTP anonymous source; a TLS + htpasswd destination, bcrypt cost 5).
# Each step is timed separately with its peak RSS (GNU time).
#
# Usage: bench/archive.sh [RUNS]   (median of RUNS, default 3)
# Env: ASEECR to time another binary. Needs what bench/mirror.sh needs.
# Prints a table; copy it into docs/benchmarks.md.
set -euo pipefail

RUNS=${1:-3}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
ASEECR=${ASEECR:-$ROOT/target/release/aseecr}
[ -x "$ASEECR" ] || (cd "$ROOT" && cargo build --release --quiet)
# shellcheck source=bench/common.sh
. "$ROOT/bench/common.sh"

SRC=127.0.0.1:$SRC_PORT/bench/big:1
aseecr=(env "ASEECR_CONFIG_DIR=$WORK/aseecr" "DOCKER_CONFIG=$WORK/docker" "ASEECR_PASSWORD=$PASSWORD" "$ASEECR" -q)
step() { # tool step: one timed step, prints "seconds peak_rss_kib"
  local archive=$WORK/bundle-$1.tar start end
  case $1-$2 in
    aseecr-export) set -- "${aseecr[@]}" mirror --src-plain-http "$SRC" "oci-archive:$archive:bench/big:1" ;;
    aseecr-import) set -- "${aseecr[@]}" mirror --dst-ca-cert "$WORK/cert.pem" -u "$USER_NAME" \
      "oci-archive:$archive:bench/big:1" "$DST/bench/big:1" ;;
    skopeo-export) set -- skopeo --insecure-policy copy --quiet --src-tls-verify=false \
      "docker://$SRC" "oci-archive:$archive:bench/big:1" ;;
    skopeo-import) set -- skopeo --insecure-policy copy --quiet --dest-cert-dir "$WORK/certs.d" \
      --dest-authfile "$WORK/auth.json" "oci-archive:$archive:bench/big:1" "docker://$DST/bench/big:1" ;;
  esac
  start=$(date +%s.%N)
  /usr/bin/time -f '%M' -o "$WORK/rss" "$@" >/dev/null
  end=$(date +%s.%N)
  echo "$(echo "$end - $start" | bc) $(cat "$WORK/rss")"
}

build big
printf '%-7s %-7s %10s %12s\n' tool step "median s" "peak RSS MiB"
for tool in aseecr skopeo; do
  : > "$WORK/export" ; : > "$WORK/import"
  for _ in $(seq "$RUNS"); do
    rm -f "$WORK/bundle-$tool.tar"
    step "$tool" export >> "$WORK/export"
    start_dst 5
    step "$tool" import >> "$WORK/import"
  done
  for s in export import; do
    printf '%-7s %-7s %10.2f %12.1f\n' "$tool" "$s" \
      "$(awk '{print $1}' "$WORK/$s" | median)" "$(echo "$(awk '{print $2}' "$WORK/$s" | median) / 1024" | bc -l)"
  done
  paste "$WORK/export" "$WORK/import" | awk '{print $1 + $3}' | median > "$WORK/total-$tool"
  printf '%-7s %-7s %10.2f\n' "$tool" total "$(cat "$WORK/total-$tool")"
done
echo "aseecr / skopeo, round trip: $(echo "scale=2; $(cat "$WORK/total-aseecr") / $(cat "$WORK/total-skopeo")" | bc)x (target 0.8x); peak RSS target 16 MiB"
