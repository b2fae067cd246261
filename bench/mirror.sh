#!/usr/bin/env bash
# Benchmark `aseecr mirror` against `skopeo copy` and the raw limit (curl piping
# GET into PUT, in parallel), on the same two local registries in the same run:
# a plain-HTTP anonymous source and a TLS + htpasswd destination.
#
# Usage: bench/mirror.sh [RUNS] [CASE...]
#   RUNS   timed runs per tool and case (median reported), default 3
#   CASE   big | small | noop | index (default: all)
# Env: BENCH_TOOLS="aseecr skopeo" to time only some tools; ASEECR_BENCH_ARGS for extra
# aseecr flags (e.g. "-j 16"); ASEECR to time another binary; ASEECR_OTHER=BINARY and
# BENCH_TOOLS="aseecr other skopeo" to time a second aseecr build (e.g. the one before a
# change) in the same run, side by side; BENCH_METHODS=1 to print
# the destination's requests by method (of each tool's last run) under its line.
# Needs: docker-registry, skopeo, apache2-utils (htpasswd), openssl, curl, python3,
# GNU time (/usr/bin/time). Prints a table; copy it into docs/benchmarks.md.
set -euo pipefail

RUNS=${1:-3}
ASEECR_BENCH_ARGS=${ASEECR_BENCH_ARGS:-}
ASEECR_OTHER=${ASEECR_OTHER:-}
shift || true
CASES=("$@")
[ ${#CASES[@]} -gt 0 ] || CASES=(big small noop index)

ROOT=$(cd "$(dirname "$0")/.." && pwd)
ASEECR=${ASEECR:-$ROOT/target/release/aseecr}
[ -x "$ASEECR" ] || (cd "$ROOT" && cargo build --release --quiet)
# shellcheck source=bench/common.sh
. "$ROOT/bench/common.sh"

# --- tools ------------------------------------------------------------------
run_aseecr() { # shape
  ASEECR_CONFIG_DIR=$WORK/aseecr DOCKER_CONFIG=$WORK/docker ASEECR_PASSWORD=$PASSWORD \
    "$ASEECR" mirror -q ${ASEECR_BENCH_ARGS:-} --src-plain-http --dst-ca-cert "$WORK/cert.pem" -u "$USER_NAME" \
    "127.0.0.1:$SRC_PORT/bench/$1:1" "$DST/bench/$1:1" >/dev/null
}
run_other() { # shape: ASEECR_OTHER, another aseecr binary (an earlier build), same flags
  ASEECR=$ASEECR_OTHER run_aseecr "$1"
}
run_skopeo() { # shape
  skopeo --insecure-policy copy --all --quiet --src-tls-verify=false \
    --dest-cert-dir "$WORK/certs.d" --dest-authfile "$WORK/auth.json" \
    "docker://127.0.0.1:$SRC_PORT/bench/$1:1" "docker://$DST/bench/$1:1"
}
run_raw() { # shape: every blob piped GET -> PUT in parallel, then the manifests
  local src="http://127.0.0.1:$SRC_PORT/v2/bench/$1" dst="https://$DST/v2/bench/$1"
  local top digests
  top=$(curl -s -H 'Accept: application/vnd.oci.image.index.v1+json, application/vnd.oci.image.manifest.v1+json' "$src/manifests/1")
  digests=$(python3 - "$src" <<PY
import json, sys, urllib.request
top = json.loads('''$top''')
src = sys.argv[1]
accept = {"Accept": "application/vnd.oci.image.manifest.v1+json"}
def blobs(m):
    return [m["config"]["digest"]] + [l["digest"] for l in m["layers"]]
out = []
if "manifests" in top:
    for e in top["manifests"]:
        child = json.load(urllib.request.urlopen(urllib.request.Request(src + "/manifests/" + e["digest"], headers=accept)))
        out += blobs(child)
else:
    out += blobs(top)
print("\n".join(dict.fromkeys(out)))
PY
)
  for d in $digests; do
    (
      loc=$(curl -sk -K "$WORK/curl/netrc.cfg" -X POST -D - -o /dev/null "$dst/blobs/uploads/" | tr -d '\r' | sed -n 's/^[Ll]ocation: //p')
      case $loc in http*) ;; *) loc="https://$DST$loc" ;; esac
      curl -s "$src/blobs/$d" | curl -sk -K "$WORK/curl/netrc.cfg" -T - -X PUT -o /dev/null "$loc&digest=$d"
    ) &
  done
  wait
  if echo "$top" | grep -q '"manifests"'; then
    for d in $(echo "$top" | python3 -c 'import json,sys; print(" ".join(e["digest"] for e in json.load(sys.stdin)["manifests"]))'); do
      curl -s -H 'Accept: application/vnd.oci.image.manifest.v1+json' "$src/manifests/$d" |
        curl -sk -K "$WORK/curl/netrc.cfg" -X PUT -H 'Content-Type: application/vnd.oci.image.manifest.v1+json' --data-binary @- -o /dev/null "$dst/manifests/$d"
    done
    echo -n "$top" | curl -sk -K "$WORK/curl/netrc.cfg" -X PUT -H 'Content-Type: application/vnd.oci.image.index.v1+json' --data-binary @- -o /dev/null "$dst/manifests/1"
  else
    echo -n "$top" | curl -sk -K "$WORK/curl/netrc.cfg" -X PUT -H 'Content-Type: application/vnd.oci.image.manifest.v1+json' --data-binary @- -o /dev/null "$dst/manifests/1"
  fi
}

requests() { grep -cE '"(GET|HEAD|POST|PUT|PATCH|DELETE) /v2/' "$WORK/dst.log" || true; }
# The destination's requests by method, from line $1 of its access log on.
by_method() { # first-line
  tail -n "+$1" "$WORK/dst.log" | grep -oE '"(GET|HEAD|POST|PUT|PATCH|DELETE) /v2/' |
    tr -d '"' | awk '{n[$1]++} END {for (m in n) printf "%s %d  ", m, n[m]}'
}

# GNU time cannot run shell functions: export them and go through bash -c.
export -f run_aseecr run_other run_skopeo run_raw
export WORK SRC_PORT DST ASEECR USER_NAME PASSWORD ASEECR_BENCH_ARGS ASEECR_OTHER
# One timed run: prints "seconds peak_rss_kib user_s sys_s requests".
timed() { # tool shape
  local before start end lines
  before=$(requests)
  lines=$(wc -l < "$WORK/dst.log")
  start=$(date +%s.%N)
  /usr/bin/time -f '%M %U %S' -o "$WORK/rss" bash -c "run_$1 $2"
  end=$(date +%s.%N)
  by_method $((lines + 1)) > "$WORK/methods"
  echo "$(echo "$end - $start" | bc) $(cat "$WORK/rss") $(( $(requests) - before ))"
}

printf '%-8s %-7s %10s %12s %11s %9s\n' case tool "median s" "peak RSS MiB" "client CPU" requests
for case in "${CASES[@]}"; do
  shape=$case cost=10 noop=0
  case $case in big) cost=5 ;; noop) shape=small noop=1 ;; esac
  [ -n "$(curl -s "http://127.0.0.1:$SRC_PORT/v2/bench/$shape/tags/list" | grep -o '"1"')" ] || build "$shape"
  tools=(aseecr skopeo raw)
  [ "$noop" = 1 ] && tools=(aseecr skopeo)
  if [ -n "${BENCH_TOOLS:-}" ]; then read -r -a tools <<<"$BENCH_TOOLS"; fi
  # The tools take turns run by run, so that a machine busy with something else for a
  # while slows them alike.
  for tool in "${tools[@]}"; do : > "$WORK/results-$tool"; done
  for _ in $(seq "$RUNS"); do
    for tool in "${tools[@]}"; do
      start_dst "$cost"
      [ "$noop" = 1 ] && "run_$tool" "$shape"
      timed "$tool" "$shape" >> "$WORK/results-$tool"
      cp "$WORK/methods" "$WORK/methods-$tool"
    done
  done
  for tool in "${tools[@]}"; do
    results=$WORK/results-$tool
    secs=$(awk '{print $1}' "$results" | median)
    rss=$(awk '{print $2}' "$results" | median)
    cpu=$(awk '{print $3 + $4}' "$results" | median)
    reqs=$(awk '{print $5}' "$results" | median)
    printf '%-8s %-7s %10.2f %12.1f %11.2f %9s\n' "$case" "$tool" "$secs" "$(echo "$rss / 1024" | bc -l)" "$cpu" "$reqs"
    [ -z "${BENCH_METHODS:-}" ] || echo "         each run (s, KiB, user, sys, requests): $(awk '{printf "%.2f/%d/%s/%s/%d  ", $1, $2, $3, $4, $5}' "$results")
         last run's requests: $(cat "$WORK/methods-$tool")"
  done
done
