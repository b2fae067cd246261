#!/usr/bin/env bash
# The link users actually have: `aseecr mirror` against `skopeo copy` from a far source.
#
# The source is docker-registry over TLS with Bearer tokens (a token service of its own,
# bench/wan_origin.py) and blob GETs redirected (its `redirect` storage middleware) to a
# second "CDN" endpoint; all three sit behind bench/wan_link.py, a userspace link that
# holds each direction's bytes for half the round trip and caps the rate (this kernel
# has no netem). The destination is a local TLS + htpasswd registry, as in mirror.sh.
#
# Usage: bench/wan.sh [RUNS] [PROFILE...]
#   RUNS      timed runs per tool, case and profile (median reported), default 2
#   PROFILE   RTT_MS/RATE_MBIT, default: 100/100 300/20 (0/10000: the local floor, the
#             same copy with the link adding nothing but its own CPU)
# Env: CASES="big256 small index" (big = 1 GiB: slow on 20 Mbit/s), BENCH_TOOLS="aseecr
# skopeo", ASEECR_BENCH_ARGS (extra aseecr flags), ASEECR (another binary), DEST=layout
# (copy into a fresh OCI layout folder instead of the local registry: the far side alone).
# Per run: wall time, what the link's rate and round trip allow (bytes down / rate + one
# round trip), link utilisation (bytes down / (time x rate)), TCP connections opened
# through the link (registry + CDN + token service), token requests, peak RSS.
set -euo pipefail

RUNS=${1:-2}
shift || true
PROFILES=("$@")
[ ${#PROFILES[@]} -gt 0 ] || PROFILES=(100/100 300/20)
read -r -a CASES <<<"${CASES:-big256 small index}"
read -r -a TOOLS <<<"${BENCH_TOOLS:-aseecr skopeo}"

ROOT=$(cd "$(dirname "$0")/.." && pwd)
ASEECR=${ASEECR:-$ROOT/target/release/aseecr}
[ -x "$ASEECR" ] || (cd "$ROOT" && cargo build --release --quiet)
# shellcheck source=bench/common.sh
. "$ROOT/bench/common.sh"

# --- the far site: token service, CDN, registry (sharing the local source's storage) ---
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=wan-bench-token" \
  -keyout "$WORK/token-key.pem" -out "$WORK/token-cert.pem" 2>/dev/null
TOKEN_PORT=$(free_port) CDN_PORT=$(free_port) FAR_PORT=$(free_port)
LINK_TOKEN=$(free_port) LINK_CDN=$(free_port) LINK_FAR=$(free_port)
: > "$WORK/tokens.log"
python3 "$ROOT/bench/wan_origin.py" token "$TOKEN_PORT" "$WORK/token-key.pem" \
  "$WORK/token-cert.pem" wan-bench "$WORK/tokens.log" &
python3 "$ROOT/bench/wan_origin.py" cdn "$CDN_PORT" "$WORK/src" &
cat > "$WORK/far.yml" <<EOF
version: 0.1
log: {level: warn, formatter: text, accesslog: {disabled: true}}
storage: {filesystem: {rootdirectory: $WORK/src}}
http: {addr: 127.0.0.1:$FAR_PORT, secret: bench, tls: {certificate: $WORK/cert.pem, key: $WORK/key.pem}}
auth: {token: {realm: "http://127.0.0.1:$LINK_TOKEN/token", service: wan-bench, issuer: wan-bench, rootcertbundle: $WORK/token-cert.pem}}
middleware: {storage: [{name: redirect, options: {baseurl: "http://127.0.0.1:$LINK_CDN/"}}]}
EOF
/usr/bin/docker-registry serve "$WORK/far.yml" >"$WORK/far.log" 2>&1 &
for _ in $(seq 100); do curl -sk "https://127.0.0.1:$FAR_PORT/v2/" -o /dev/null && break; sleep 0.05; done
FAR=127.0.0.1:$LINK_FAR
LINK_PID=
link_up() { # rtt_ms rate_mbit
  python3 "$ROOT/bench/wan_link.py" --rtt-ms "$1" --rate-mbit "$2" --stats "$WORK/link.json" \
    "$LINK_FAR=127.0.0.1:$FAR_PORT" "$LINK_CDN=127.0.0.1:$CDN_PORT" "$LINK_TOKEN=127.0.0.1:$TOKEN_PORT" \
    2>>"$WORK/link.log" &
  LINK_PID=$!
  for _ in $(seq 100); do curl -sk "https://$FAR/v2/" -o /dev/null && return; sleep 0.05; done
  echo "the link did not start" >&2; exit 1
}
link_down() { # prints "connections bytes_down" (the probe's connection not counted)
  kill "$LINK_PID"; wait "$LINK_PID" 2>/dev/null || true
  python3 -c 'import json,sys; s=json.load(open(sys.argv[1])).values(); print(sum(l["accepted"] for l in s) - 1, sum(l["down"] for l in s))' "$WORK/link.json"
}

# The destination: the local registry, or with DEST=layout a layout folder made anew.
DEST=${DEST:-registry}
target() { # tool shape
  if [ "$DEST" = layout ]; then
    rm -rf "$WORK/out-$1" && echo "oci:$WORK/out-$1:$2"
  else
    echo "$DST/bench/$2:1"
  fi
}
run_aseecr() { # shape
  ASEECR_CONFIG_DIR=$WORK/aseecr DOCKER_CONFIG=$WORK/docker ASEECR_PASSWORD=$PASSWORD \
    "$ASEECR" mirror -q ${ASEECR_BENCH_ARGS:-} --src-ca-cert "$WORK/cert.pem" \
    --dst-ca-cert "$WORK/cert.pem" -u "$USER_NAME" "$FAR/bench/$1:1" "$(target aseecr "$1")" >/dev/null
}
run_skopeo() { # shape
  local to
  to=$(target skopeo "$1")
  [ "$DEST" = layout ] || to=docker://$to
  skopeo --insecure-policy copy --all --quiet --src-cert-dir "$WORK/certs.d" \
    --dest-cert-dir "$WORK/certs.d" --dest-authfile "$WORK/auth.json" \
    "docker://$FAR/bench/$1:1" "$to"
}
export -f target run_aseecr run_skopeo
export WORK FAR DST ASEECR USER_NAME PASSWORD ASEECR_BENCH_ARGS DEST

# One timed run: "seconds peak_rss_kib connections bytes_down tokens".
timed() { # tool shape rtt rate
  local start end tokens stats
  tokens=$(wc -l < "$WORK/tokens.log")
  link_up "$3" "$4"
  start=$(date +%s.%N)
  /usr/bin/time -f '%M' -o "$WORK/rss" bash -c "run_$1 $2"
  end=$(date +%s.%N)
  stats=$(link_down)
  echo "$(echo "$end - $start" | bc) $(cat "$WORK/rss") $stats $(( $(wc -l < "$WORK/tokens.log") - tokens ))"
}

printf '%-9s %-7s %-7s %8s %8s %6s %6s %7s %8s\n' profile case tool "median s" "link s" util conns tokens "RSS MiB"
for profile in "${PROFILES[@]}"; do
  rtt=${profile%/*} rate=${profile#*/}
  for case in "${CASES[@]}"; do
    [ -n "$(curl -s "http://$SRC_ADDR/v2/bench/$case/tags/list" | grep -o '"1"')" ] || build "$case"
    for tool in "${TOOLS[@]}"; do
      : > "$WORK/results"
      for _ in $(seq "$RUNS"); do
        start_dst 5
        timed "$tool" "$case" "$rtt" "$rate" >> "$WORK/results"
      done
      secs=$(awk '{print $1}' "$WORK/results" | median)
      rss=$(awk '{print $2}' "$WORK/results" | median)
      conns=$(awk '{print $3}' "$WORK/results" | median)
      bytes=$(awk '{print $4}' "$WORK/results" | median)
      tokens=$(awk '{print $5}' "$WORK/results" | median)
      ideal=$(echo "$bytes * 8 / ($rate * 1000000) + $rtt / 1000" | bc -l)
      util=$(echo "100 * $bytes * 8 / ($secs * $rate * 1000000)" | bc -l)
      printf '%-9s %-7s %-7s %8.2f %8.2f %5.0f%% %6s %6s %7.1f\n' "${rtt}ms/${rate}M" "$case" "$tool" \
        "$secs" "$ideal" "$util" "$conns" "$tokens" "$(echo "$rss / 1024" | bc -l)"
    done
  done
done
