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
#
# WAN=1 models a far source and destinations on their own LAN devices (as root, with ip
# and tc): each registry runs in its own network namespace (bench/common.sh), the
# source's link shaped to SRC_RATE (default 200mbit), each destination's to DST_RATE
# (default 1gbit); SRC_DELAY (e.g. 10ms) adds a round trip to the source's link and needs
# the netem qdisc. The registries share this machine's CPUs unless DST_CPU=N caps each
# destination registry at N cores in a cgroup of its own (a device's own CPU). The table gains the
# client's CPU seconds (user + system, GNU time) and the three destination registries'
# CPU seconds; each fan-out run gets a line with the seconds at which the source answered
# its last blob GET and each destination its manifest PUT. Then, per case, one more fan-out run with $DST2's link at
# SLOW_RATE (default SRC_RATE / 5; SLOW_RATE=none skips it): do the fast destinations
# finish when they would without it?
#   WAN=1 SRC_RATE=500mbit bench/fanout.sh 1 big
set -euo pipefail

RUNS=${1:-3}
shift || true
CASES=("$@")
[ ${#CASES[@]} -gt 0 ] || CASES=(big small)
ROOT=$(cd "$(dirname "$0")/.." && pwd)
ASEECR=${ASEECR:-$ROOT/target/release/aseecr}
[ -x "$ASEECR" ] || (cd "$ROOT" && cargo build --release --quiet)
WAN=${WAN:-0}
SRC_RATE=${SRC_RATE:-200mbit} SRC_DELAY=${SRC_DELAY:-} DST_RATE=${DST_RATE:-1gbit}
# shellcheck source=bench/common.sh
. "$ROOT/bench/common.sh"
if [ -z "${SLOW_RATE:-}" ]; then
  SLOW_RATE=$(( $(bits "$SRC_RATE") / 5000 ))kbit
  [ "${SLOW_RATE%000kbit}" = "$SLOW_RATE" ] || SLOW_RATE=${SLOW_RATE%000kbit}mbit
fi

# Client CPU (user + system) of every aseecr and skopeo run, a line each, in $WORK/cpu.
timed() { /usr/bin/time -a -o "$WORK/cpu" -f '%U %S' "$@"; }
aseecr() {
  ASEECR_CONFIG_DIR=$WORK/aseecr DOCKER_CONFIG=$WORK/docker ASEECR_PASSWORD=$PASSWORD \
    timed "$ASEECR" -q mirror --src-plain-http --dst-ca-cert "$WORK/cert.pem" -u "$USER_NAME" "$@" >/dev/null
}
skopeo_to() { # shape registry
  timed skopeo --insecure-policy copy --all --quiet --src-tls-verify=false \
    --dest-cert-dir "$WORK/certs.d" --dest-authfile "$WORK/auth.json" \
    "docker://$SRC_ADDR/bench/$1:1" "docker://$2/bench/$1:1"
}
run() { # way shape
  local src=$SRC_ADDR/bench/$2:1
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

# CPU seconds (user + system) the three destination registries have used so far.
dst_cpu() {
  local pid ticks=0
  for pid in "${DST_PIDS[@]}"; do ticks=$(( ticks + $(awk '{print $14 + $15}' "/proc/$pid/stat") )); done
  echo "scale=2; $ticks / $(getconf CLK_TCK)" | bc
}
# Seconds from START at which the source answered its last blob GET and each destination
# its last manifest PUT, from the registries' logs: " src 40.9 dst 41.2 dst1 41.3 dst2 41.5".
finished() { # start
  local name method path at
  for name in src dst dst1 dst2; do
    method=PUT path=/manifests/
    [ "$name" != src ] || method=GET path=/blobs/
    at=$(awk -v m="http.request.method=$method" -v p="$path" \
      '/msg="response completed"/ && index($0, m) && index($0, p) { t = $1 } END { print t }' "$WORK/$name.log" |
      sed -n 's/^time="\([^"]*\)"$/\1/p')
    if [ -n "$at" ]; then
      printf ' %s %.1f' "$name" "$(echo "$(date -d "$at" +%s.%N) - $1" | bc)"
    else
      printf ' %s -' "$name"
    fi
  done
  echo
}
timed_run() { # way shape cost: fresh destinations, one timed run, one line in $WORK/results
  local before start end cpu
  start_dst "$3" 0; start_dst "$3" 1; start_dst "$3" 2
  before=$(source_bytes)
  : > "$WORK/cpu"
  start=$(date +%s.%N)
  run "$1" "$2"
  end=$(date +%s.%N)
  cpu=$(awk '{s += $1 + $2} END {printf "%.2f", s}' "$WORK/cpu")
  echo "$(echo "$end - $start" | bc) $(( $(source_bytes) - before )) $cpu $(dst_cpu)" >> "$WORK/results"
  [ "$WAN" != 1 ] || [ "$1" != fanout ] || echo "$2 fanout: finished at$(finished "$start")" >> "$WORK/finish"
}

if [ "$WAN" = 1 ]; then
  for case in "${CASES[@]}"; do build "$case"; done # before the links are shaped
  shape src "$SRC_RATE" "$SRC_DELAY"
  for link in dst dst1 dst2; do shape "$link" "$DST_RATE"; done
  echo "WAN: source link $SRC_RATE${SRC_DELAY:+ + $SRC_DELAY round trip}, destination links $DST_RATE${DST_CPU:+, each destination registry capped at $DST_CPU cores}; load:$(uptime | sed 's/.*load average://')"
  printf '%-6s %-10s %10s %14s %12s %12s\n' case way "median s" "source MiB" "client CPU s" "dst CPU s"
else
  printf '%-6s %-10s %10s %14s\n' case way "median s" "source MiB"
fi
for case in "${CASES[@]}"; do
  cost=10
  [ "$case" = big ] && cost=5
  [ "$WAN" = 1 ] || build "$case"
  : > "$WORK/finish"
  for way in fanout aseecr-x3 skopeo-x3 single; do
    : > "$WORK/results"
    for _ in $(seq "$RUNS"); do timed_run "$way" "$case" "$cost"; done
    for column in 1 2 3 4; do
      awk -v c="$column" '{print $c}' "$WORK/results" | median > "$WORK/median-$column"
    done
    secs=$(cat "$WORK/median-1")
    echo "$secs" > "$WORK/$case-$way"
    printf '%-6s %-10s %10.2f %14.1f' "$case" "$way" "$secs" "$(echo "$(cat "$WORK/median-2") / 1048576" | bc -l)"
    [ "$WAN" != 1 ] || printf ' %12.2f %12.2f' "$(cat "$WORK/median-3")" "$(cat "$WORK/median-4")"
    echo
  done
  r() { echo "scale=2; $(cat "$WORK/$case-fanout") / $(cat "$WORK/$case-$1")" | bc; }
  echo "$case: fanout / single $(r single)x (target 1.4x), / skopeo-x3 $(r skopeo-x3)x (target 0.4x), / aseecr-x3 $(r aseecr-x3)x"
  [ "$WAN" = 1 ] || continue
  cat "$WORK/finish"
  if [ "$SLOW_RATE" != none ]; then
    shape dst2 "$SLOW_RATE"
    : > "$WORK/results"
    : > "$WORK/finish"
    timed_run fanout "$case" "$cost"
    shape dst2 "$DST_RATE"
    read -r secs bytes cpu dcpu < "$WORK/results"
    printf '%s fanout, %s at %s: %.2f s, source MiB %.1f, client CPU s %s, dst CPU s %s; %s\n' "$case" "$DST2" \
      "$SLOW_RATE" "$secs" "$(echo "$bytes / 1048576" | bc -l)" "$cpu" "$dcpu" "$(sed 's/.*fanout: //' "$WORK/finish")"
  fi
  echo "load:$(uptime | sed 's/.*load average://')"
done
