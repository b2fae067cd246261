#!/usr/bin/env bash
# Benchmark `aseecr usage` and `aseecr prune --all-repositories REGISTRY --keep 3 --yes`
# against skopeo-based scripts doing the same jobs, on one local registry shaped like
# the device's: TLS and htpasswd with bcrypt cost 10 (Go's default; about 50 ms of
# server CPU per authenticated request), 20 repositories x 10 tags, every tag its own
# image on three shared base layers, created one hour apart.
#
# Usage: bench/prune.sh [RUNS] [CASE...]
#   RUNS   timed runs per tool and case (median reported), default 1
#   CASE   usage | prune (default: both)
# Tools: `aseecr`; `skopeo`, the script the issue compares with (usage: `skopeo
# inspect --raw` per tag and `skopeo inspect --config --raw` per image; prune: `skopeo
# list-tags`, `skopeo inspect` per tag, `skopeo delete` per tag to delete); and for usage
# `skopeo_raw`, the same script without the config reads, which sizes do not need.
# Env: BENCH_TOOLS="aseecr skopeo" to time only some tools; ASEECR to time another
# binary; REPOS and TAGS (default 20 and 10).
#
# Requests are counted from the registry's access log (one line per request it
# answered, 401s included); time is wall-clock time of the whole job; registry CPU is
# the user + system time the registry process spent meanwhile (/proc). Before every
# prune run the registry is stopped, its storage restored from a pristine copy, and
# started again, so every run starts from the same 200 tags.
# Needs: docker-registry, skopeo, apache2-utils (htpasswd), openssl, curl, python3 (3.9+),
# bc. Prints a table; copy it into docs/benchmarks.md.
set -euo pipefail

RUNS=${1:-1}
shift || true
CASES=("$@")
[ ${#CASES[@]} -gt 0 ] || CASES=(usage prune)
REPOS=${REPOS:-20}
TAGS=${TAGS:-10}
KEEP=3

missing=()
for tool in docker-registry skopeo htpasswd openssl curl python3 bc; do
  command -v "$tool" >/dev/null || missing+=("$tool")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "missing: ${missing[*]}" >&2
  echo "on Debian/Ubuntu: sudo apt-get install docker-registry skopeo apache2-utils openssl curl python3 bc" >&2
  exit 1
fi

ROOT=$(cd "$(dirname "$0")/.." && pwd)
ASEECR=${ASEECR:-$ROOT/target/release/aseecr}
[ -x "$ASEECR" ] || (cd "$ROOT" && cargo build --release --quiet)
WORK=$(mktemp -d)
REG_PID=
stop_registry() {
  [ -z "$REG_PID" ] || { kill "$REG_PID" 2>/dev/null || true; wait "$REG_PID" 2>/dev/null || true; }
  REG_PID=
}
trap 'stop_registry; rm -rf "$WORK"' EXIT
USER_NAME=bench
PASSWORD=bench-password-$$
export _CONTAINERS_ROOTLESS_UID=65534 XDG_DATA_HOME=$WORK/xdg TMPDIR=$WORK

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# --- certificate and credentials (as the test harness: TLS, htpasswd bcrypt) ---
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=127.0.0.1" \
  -addext "subjectAltName=IP:127.0.0.1" -keyout "$WORK/key.pem" -out "$WORK/cert.pem" 2>/dev/null
mkdir -p "$WORK/certs.d" && cp "$WORK/cert.pem" "$WORK/certs.d/ca.crt"
printf '%s\n' "$PASSWORD" | htpasswd -iBC 10 -c "$WORK/htpasswd" "$USER_NAME" 2>/dev/null

PORT=$(free_port)
REG=127.0.0.1:$PORT
# start_registry tls|plain: the same storage, with TLS + htpasswd or plain and anonymous.
start_registry() {
  stop_registry
  local http="{addr: $REG, secret: bench}" auth="" scheme=http
  if [ "$1" = tls ]; then
    http="{addr: $REG, secret: bench, tls: {certificate: $WORK/cert.pem, key: $WORK/key.pem}}"
    auth="auth: {htpasswd: {realm: bench, path: $WORK/htpasswd}}"
    scheme=https
  fi
  cat > "$WORK/registry.yml" <<EOF
version: 0.1
log: {level: info, formatter: text, accesslog: {disabled: false}}
storage: {filesystem: {rootdirectory: $WORK/storage}, delete: {enabled: true}}
http: $http
$auth
EOF
  : > "$WORK/registry.log"
  docker-registry serve "$WORK/registry.yml" >>"$WORK/registry.log" 2>&1 &
  REG_PID=$!
  for _ in $(seq 200); do curl -sk "$scheme://$REG/v2/" -o /dev/null && return; sleep 0.05; done
  echo "registry did not start:" >&2; cat "$WORK/registry.log" >&2; exit 1
}

# --- the repositories: filled anonymously, then served with TLS and bcrypt -----
mkdir -p "$WORK/storage"
start_registry plain
python3 "$ROOT/bench/make_repositories.py" "$REG" "$REPOS" "$TAGS"
stop_registry
cp -a "$WORK/storage" "$WORK/pristine"
start_registry tls

AUTH=$(printf '%s:%s' "$USER_NAME" "$PASSWORD" | base64 -w0)
printf '{"auths":{"%s":{"auth":"%s"}}}' "$REG" "$AUTH" > "$WORK/auth.json"
chmod 600 "$WORK/auth.json"
printf 'user = "%s:%s"\n' "$USER_NAME" "$PASSWORD" > "$WORK/curl.cfg"

# --- aseecr ------------------------------------------------------------------
aseecr() {
  ASEECR_CONFIG_DIR=$WORK/aseecr DOCKER_CONFIG=$WORK/docker ASEECR_PASSWORD=$PASSWORD \
    "$ASEECR" --ca-cert "$WORK/cert.pem" -u "$USER_NAME" "$@"
}
run_aseecr_usage() { aseecr usage "$REG" --format json > "$WORK/out.json"; }
run_aseecr_prune() { aseecr prune --all-repositories "$REG" --keep "$KEEP" --yes -q > /dev/null; }

# --- the skopeo scripts --------------------------------------------------------
sk() { skopeo --insecure-policy "$@" --cert-dir "$WORK/certs.d" --authfile "$WORK/auth.json"; }
# skopeo has no catalog command: one GET with curl.
catalog() {
  curl -s --cacert "$WORK/cert.pem" -K "$WORK/curl.cfg" "https://$REG/v2/_catalog?n=1000" |
    python3 -c 'import json,sys; print("\n".join(json.load(sys.stdin)["repositories"]))'
}
tags_of() { sk list-tags "docker://$REG/$1" | python3 -c 'import json,sys; print("\n".join(json.load(sys.stdin)["Tags"]))'; }

# usage: every manifest read once per tag, saved; then one python run sums sizes per
# repository and over all, each blob once (the same numbers aseecr prints).
run_skopeo_usage() {
  rm -rf "$WORK/manifests"; mkdir -p "$WORK/manifests"
  local i=0
  for repo in $(catalog); do
    for tag in $(tags_of "$repo"); do
      i=$((i + 1))
      sk inspect --raw "docker://$REG/$repo:$tag" > "$WORK/manifests/$i"
      echo "$repo" > "$WORK/manifests/$i.repo"
      if [ "${1:-configs}" = configs ]; then sk inspect --config --raw "docker://$REG/$repo:$tag" > /dev/null; fi
    done
  done
  python3 - "$WORK/manifests" > "$WORK/out-skopeo.json" <<'PY'
import glob, hashlib, json, os, sys
repos, total = {}, {}
for path in glob.glob(os.path.join(sys.argv[1], "*[0-9]")):
    raw = open(path, "rb").read()
    m = json.loads(raw)
    blobs = repos.setdefault(open(path + ".repo").read().strip(), {})
    blobs["sha256:" + hashlib.sha256(raw).hexdigest()] = len(raw)
    for d in [m["config"]] + m["layers"]:
        blobs[d["digest"]] = d["size"]
for blobs in repos.values():
    total.update(blobs)
print(json.dumps({"total": {"size": sum(total.values())},
                  "repositories": {r: sum(b.values()) for r, b in repos.items()}}))
PY
}

run_skopeo_raw_usage() { run_skopeo_usage manifests-only; }

# prune: per repository, every tag inspected for its creation time, all but the
# newest $KEEP deleted (every tag is its own digest here, so deleting by tag removes
# that tag only).
run_skopeo_prune() {
  for repo in $(catalog); do
    for tag in $(tags_of "$repo"); do
      echo "$(sk inspect --format '{{.Created}}' "docker://$REG/$repo:$tag") $tag"
    done | sort -r | tail -n +"$((KEEP + 1))" | awk '{print $NF}' | while read -r tag; do
      sk delete "docker://$REG/$repo:$tag"
    done
  done
}

requests() { grep -cE '"(GET|HEAD|POST|PUT|PATCH|DELETE) /v2/' "$WORK/registry.log" || true; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
remaining_tags() {
  local n=0
  for repo in $(catalog); do
    n=$((n + $(curl -s --cacert "$WORK/cert.pem" -K "$WORK/curl.cfg" "https://$REG/v2/$repo/tags/list" |
      python3 -c 'import json,sys; print(len(json.load(sys.stdin).get("tags") or []))')))
  done
  echo "$n"
}

# CPU seconds (user + system) the registry has used so far.
registry_cpu() { awk -v tck="$(getconf CLK_TCK)" '{printf "%.2f\n", ($14 + $15) / tck}' "/proc/$REG_PID/stat"; }
# One timed run: prints "seconds requests registry_cpu_seconds".
timed() { # tool case
  local before start end cpu
  before=$(requests)
  cpu=$(registry_cpu)
  start=$(date +%s.%N)
  "run_$1_$2"
  end=$(date +%s.%N)
  echo "$(echo "$end - $start" | bc) $(( $(requests) - before )) $(echo "$(registry_cpu) - $cpu" | bc)"
}

TOTAL_TAGS=$((REPOS * TAGS))
printf 'registry: %s repositories x %s tags (%s tags, %s distinct digests), bcrypt cost 10, TLS\n' \
  "$REPOS" "$TAGS" "$TOTAL_TAGS" "$TOTAL_TAGS"
printf '%-6s %-10s %9s %9s %8s %13s  %s\n' case tool "median s" requests target "registry CPU" check
for case in "${CASES[@]}"; do
  case $case in
    usage) deletions=0 ;;
    prune) deletions=$((REPOS * (TAGS - KEEP))) ;;
    *) echo "unknown case $case" >&2; exit 2 ;;
  esac
  # tags + distinct digests + deletions + repositories + 4 per untagged tag + 2
  target=$((TOTAL_TAGS + TOTAL_TAGS + deletions + REPOS + 2))
  tools=(aseecr skopeo)
  [ "$case" = usage ] && tools+=(skopeo_raw)
  if [ -n "${BENCH_TOOLS:-}" ]; then read -r -a tools <<<"$BENCH_TOOLS"; fi
  for tool in "${tools[@]}"; do
    if [ "$tool:$case" = aseecr:prune ] && ! "$ASEECR" prune --help >/dev/null 2>&1; then
      printf '%-6s %-10s %9s %9s %8s %13s  %s\n' "$case" "$tool" - - "$target" - "skipped: this aseecr has no prune command"
      continue
    fi
    : > "$WORK/results"
    for _ in $(seq "$RUNS"); do
      if [ "$case" = prune ]; then
        stop_registry; rm -rf "$WORK/storage"; cp -a "$WORK/pristine" "$WORK/storage"; start_registry tls
      fi
      timed "$tool" "$case" >> "$WORK/results"
    done
    secs=$(awk '{print $1}' "$WORK/results" | median)
    reqs=$(awk '{print $2}' "$WORK/results" | median)
    cpu=$(awk '{print $3}' "$WORK/results" | median)
    case $case in
      usage)
        if [ "$tool" = aseecr ]; then
          check="total $(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["total"]["size"])' "$WORK/out.json") bytes"
        else
          check="total $(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["total"]["size"])' "$WORK/out-skopeo.json") bytes"
        fi ;;
      prune) check="$(remaining_tags) tags left (expected $((REPOS * KEEP)))" ;;
    esac
    printf '%-6s %-10s %9.2f %9s %8s %13.2f  %s\n' "$case" "$tool" "$secs" "$reqs" "$target" "$cpu" "$check"
  done
done
