#!/usr/bin/env bash
# Benchmark copying an image with its referrers: the 4-platform index of
# bench/make_image.py with 3 referrers per platform manifest (an SPDX SBOM and a
# notation-style signature listed in the fallback index `sha256-<hex>`, and a
# cosign `.sig` tag; bench/referrers.py makes them from the specs), from a
# plain-HTTP source registry (Distribution 2.8) to a TLS + htpasswd destination
# (2.8, no referrers API), first copy and no-op rerun:
#   aseecr mirror (referrers by default), and
#   skopeo copy --all with a registries.d `use-sigstore-attachments: true`, the
#   only referrer support skopeo has: it copies cosign `.sig` tags (rebuilding
#   them), not OCI 1.1 referrers or fallback indexes.
# regctl (`regctl image copy --referrers`) is the better match but cannot be
# installed here: it is in neither Debian nor PyPI, and the Go here is too old to
# build it.
#
# Usage: [COST=5] bench/referrers.sh [RUNS]   (RUNS: timed runs per line, median; default 3;
# COST: the destination's htpasswd bcrypt cost, 10 (default) or 5)
# Prints, per tool and run: wall seconds (median), requests to the destination (from
# its access log: exact), and what the destination holds afterwards: fallback
# indexes, their entries, `.sig` tags. Env: ASEECR to time another binary; REQUEST_LOG=FILE
# appends each run's requests to the destination (method, path, status) to FILE.
# Needs what bench/mirror.sh needs.
set -euo pipefail

RUNS=${1:-3}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
ASEECR=${ASEECR:-$ROOT/target/release/aseecr}
[ -x "$ASEECR" ] || (cd "$ROOT" && cargo build --release --quiet)
# shellcheck source=bench/common.sh
. "$ROOT/bench/common.sh"

REPO=bench/signed
mkdir -p "$WORK/registries.d"
printf 'default-docker:\n  use-sigstore-attachments: true\n' > "$WORK/registries.d/default.yaml"

run_aseecr() {
  ASEECR_CONFIG_DIR=$WORK/aseecr DOCKER_CONFIG=$WORK/docker ASEECR_PASSWORD=$PASSWORD \
    "$ASEECR" mirror -q --src-plain-http --dst-ca-cert "$WORK/cert.pem" -u "$USER_NAME" \
    "$SRC_ADDR/$REPO:1" "$DST/$REPO:1" >/dev/null
}
run_skopeo() {
  skopeo --insecure-policy --registries.d "$WORK/registries.d" copy --all --quiet \
    --src-tls-verify=false --dest-cert-dir "$WORK/certs.d" --dest-authfile "$WORK/auth.json" \
    "docker://$SRC_ADDR/$REPO:1" "docker://$DST/$REPO:1"
}
requests() { grep -cE '"(GET|HEAD|POST|PUT|PATCH|DELETE) /v2/' "$WORK/dst.log" || true; }
writes() { grep -cE '"(POST|PUT|PATCH|DELETE) /v2/' "$WORK/dst.log" || true; }
arrived() {
  python3 "$ROOT/bench/referrers.py" count "https://$DST" "$REPO" "$WORK/cert.pem" "$USER_NAME" "$PASSWORD"
}
timed() { # tool: prints "seconds requests writes"
  local before_r before_w start end
  before_r=$(requests) before_w=$(writes)
  start=$(date +%s.%N)
  "run_$1"
  end=$(date +%s.%N)
  echo "$(echo "$end - $start" | bc) $(( $(requests) - before_r )) $(( $(writes) - before_w ))"
  if [ -n "${REQUEST_LOG:-}" ]; then # the run's requests, one line each
    echo "== $1" >> "$REQUEST_LOG"
    grep -oE '"(GET|HEAD|POST|PUT|PATCH|DELETE) /v2/[^"]*" [0-9]+' "$WORK/dst.log" |
      tail -n "$(( $(requests) - before_r ))" >> "$REQUEST_LOG"
  fi
}

python3 "$ROOT/bench/make_image.py" "$WORK/layout" index 1
skopeo --insecure-policy copy --all --quiet --dest-tls-verify=false \
  "oci:$WORK/layout:latest" "docker://$SRC_ADDR/$REPO:1"
rm -rf "$WORK/layout"
python3 "$ROOT/bench/referrers.py" attach "$SRC_ADDR" "$REPO" 1
echo "source: $(curl -s "http://$SRC_ADDR/v2/$REPO/tags/list")" | cut -c1-200 >&2

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) cores)"
printf '%-7s %-6s %9s %9s %7s %9s %8s %5s\n' tool run "median s" requests writes fallback entries .sig
for tool in aseecr skopeo; do
  : > "$WORK/first" && : > "$WORK/noop"
  for _ in $(seq "$RUNS"); do
    start_dst "${COST:-10}"
    timed "$tool" >> "$WORK/first"
    first_arrived=$(arrived)
    timed "$tool" >> "$WORK/noop"
    noop_arrived=$(arrived)
  done
  for run in first noop; do
    secs=$(awk '{print $1}' "$WORK/$run" | median)
    reqs=$(awk '{print $2}' "$WORK/$run" | median)
    w=$(awk '{print $3}' "$WORK/$run" | median)
    what=$first_arrived
    [ "$run" = first ] || what=$noop_arrived
    read -r fallback entries sigs <<<"$what"
    printf '%-7s %-6s %9.2f %9s %7s %9s %8s %5s\n' "$tool" "$run" "$secs" "$reqs" "$w" "$fallback" "$entries" "$sigs"
  done
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
