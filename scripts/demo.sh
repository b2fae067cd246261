#!/usr/bin/env bash
# Quick start: run aseecr's main job against a local edge-like setup.
#
# Starts two real registries on 127.0.0.1 (Debian's docker-registry): a source
# (plain HTTP, anonymous, like a public registry) holding a sample multi-platform
# image, and an edge-like destination (HTTPS with a self-signed CA:TRUE certificate,
# a bcrypt htpasswd password, deletion enabled, port 31001 when free). Then:
# login -> mirror -> tags -> inspect -> delete -> catalog, in a throwaway config,
# never touching ~/.docker or the system trust store; and ends on what to run
# against a real device.
#
# ASEECR_DEMO_PROFILE=debug builds a debug binary instead of the release one
# (quicker to build, slower to run; the demo's images are small either way).
set -euo pipefail
cd "$(dirname "$0")/.."

need=(docker-registry skopeo apache2-utils openssl curl python3)
missing=()
for p in "${need[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y "${missing[@]}"
fi

# Bold step headings on a terminal only (a log or a pipe gets plain text).
if [ -t 1 ]; then bold=$'\033[1m' plain=$'\033[0m'; else bold="" plain=""; fi
step() { printf '\n%s$ %s%s\n' "$bold" "$*" "$plain"; }
note() { printf '%s\n' "$@" | sed 's/^/# /'; }

profile=${ASEECR_DEMO_PROFILE:-release}
case $profile in
  release)
    note "building aseecr in release mode (cargo build --release): several minutes on two cores" \
      "the first time, seconds once built; ASEECR_DEMO_PROFILE=debug builds a debug binary quicker"
    cargo build --release
    ASEECR=$PWD/target/release/aseecr ;;
  debug)
    note "building aseecr in debug mode (cargo build; ASEECR_DEMO_PROFILE=debug)"
    cargo build
    ASEECR=$PWD/target/debug/aseecr ;;
  *) echo "ASEECR_DEMO_PROFILE must be release or debug, not \`$profile\`" >&2; exit 2 ;;
esac

WORK=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$WORK"' EXIT
export ASEECR_CONFIG_DIR=$WORK/aseecr DOCKER_CONFIG=$WORK/docker
export _CONTAINERS_ROOTLESS_UID=65534 XDG_DATA_HOME=$WORK/xdg TMPDIR=$WORK
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

SRC=127.0.0.1:$(free_port)
if port_free 31001; then EDGE=127.0.0.1:31001; else EDGE=127.0.0.1:$(free_port); fi
USER_NAME=edgeuser
PASSWORD=$(openssl rand -hex 12)

# The device's kind of certificate: self-signed, CA:TRUE, the endpoint in its SANs.
openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=ecr.dbe-demo.microsoftdatabox.com" \
  -addext "subjectAltName=DNS:ecr.dbe-demo.microsoftdatabox.com,IP:127.0.0.1" \
  -addext "basicConstraints=critical,CA:TRUE" \
  -keyout "$WORK/edge.key" -out "$WORK/edge.crt" 2>/dev/null
printf '%s\n' "$PASSWORD" | htpasswd -iBc "$WORK/htpasswd" "$USER_NAME" 2>/dev/null

cat > "$WORK/src.yml" <<YML
version: 0.1
log: {level: error, accesslog: {disabled: true}}
storage: {filesystem: {rootdirectory: $WORK/src}}
http: {addr: $SRC, secret: demo}
YML
cat > "$WORK/edge.yml" <<YML
version: 0.1
log: {level: error, accesslog: {disabled: true}}
storage: {filesystem: {rootdirectory: $WORK/edge}, delete: {enabled: true}}
http: {addr: $EDGE, secret: demo, tls: {certificate: $WORK/edge.crt, key: $WORK/edge.key}}
auth: {htpasswd: {realm: edge, path: $WORK/htpasswd}}
YML
docker-registry serve "$WORK/src.yml" >"$WORK/src.log" 2>&1 &
docker-registry serve "$WORK/edge.yml" >"$WORK/edge.log" 2>&1 &
for _ in $(seq 100); do
  curl -s "http://$SRC/v2/" -o /dev/null && curl -sk "https://$EDGE/v2/" -o /dev/null && break
  sleep 0.1
done

python3 bench/make_image.py "$WORK/layout" sample 7
skopeo --insecure-policy copy --all --quiet --dest-tls-verify=false \
  "oci:$WORK/layout:latest" "docker://$SRC/samples/hello:1.0"
echo "source registry $SRC holds samples/hello:1.0; edge registry is https://$EDGE (user $USER_NAME)"

step aseecr login "$EDGE" -u "$USER_NAME" --password-stdin --ca-cert edge.crt
printf '%s\n' "$PASSWORD" | "$ASEECR" login "$EDGE" -u "$USER_NAME" --password-stdin --ca-cert "$WORK/edge.crt"
step aseecr config set registry "$EDGE"
"$ASEECR" config set registry "$EDGE"
step aseecr mirror --src-plain-http "$SRC/samples/hello:1.0"
note "the source speaks plain HTTP, as this local stand-in for a public registry does: every" \
  "command that talks to it says so once (mcr.microsoft.com and Docker Hub use HTTPS)"
"$ASEECR" mirror --src-plain-http "$SRC/samples/hello:1.0"
step aseecr mirror --src-plain-http "$SRC/samples/hello:1.0" "  # again: up to date, one request to the edge registry"
"$ASEECR" mirror --src-plain-http "$SRC/samples/hello:1.0"
step aseecr mirror --src-plain-http "$SRC/samples/hello:1.0" samples/hello:stable "  # a second tag: every blob is already there"
"$ASEECR" mirror --src-plain-http "$SRC/samples/hello:1.0" samples/hello:stable
step aseecr tags samples/hello
"$ASEECR" tags samples/hello
step aseecr inspect samples/hello:1.0
"$ASEECR" inspect samples/hello:1.0
step aseecr delete samples/hello:1.0 "  # refused: :stable shares the digest"
"$ASEECR" delete samples/hello:1.0 || true
step aseecr delete samples/hello:1.0 samples/hello:stable --yes
"$ASEECR" delete samples/hello:1.0 samples/hello:stable --yes
note "only the index manifest (a few hundred bytes) is freed: deleting a multi-platform image" \
  "removes its index, while its two platform images stay in the registry, untagged, and a" \
  "garbage collection without --delete-untagged (distribution's default) keeps them and their" \
  "layers; one with --delete-untagged frees those too"
step aseecr catalog
"$ASEECR" catalog
note "samples/hello has no tags left but is still listed: distribution 2.8 has no repository" \
  "delete, and its garbage collection (with or without --delete-untagged) frees blobs but" \
  "keeps the repository's folder, so it stays in the catalog until removed from the storage"
echo
echo "done: the registries and this throwaway configuration are removed on exit"
echo
echo "Next, against a real device (the values from its Get-HcsKubernetesContainerRegistryInfo,"
echo "the certificate from its local web UI), after \`cargo install --locked --path .\`:"
echo "  aseecr setup --from-info registry-info.txt --cert ecr.cer --dry-run  # what it would change"
echo "  aseecr setup --from-info registry-info.txt --cert ecr.cer   # hosts entry, trust, login, check"
echo "  aseecr doctor                                               # checks it all again, any time"
echo "setup changes the hosts file and the trust stores, which needs root or Administrator:"
echo "docs/device.md says how to run those steps with sudo and log in as yourself."
