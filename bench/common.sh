# Shared by the bench scripts: a work folder, a certificate, htpasswd files
# (bcrypt cost 5 and 10), a plain-HTTP anonymous source registry on
# 127.0.0.1:$SRC_PORT (access log in $WORK/src.log), and `start_dst COST [I]`, which
# starts a fresh TLS + htpasswd destination registry at $DST (or $DST1, $DST2) with an
# access log in $WORK/dst.log (dst1.log, dst2.log); auth.json
# for skopeo, a curl config for raw requests. `build SHAPE` pushes
# a bench/make_image.py image to the source as bench/SHAPE:1; `median` reads numbers.
# Source it after setting ROOT.
WORK=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$WORK"' EXIT
USER_NAME=bench
PASSWORD=bench-password-$$
export _CONTAINERS_ROOTLESS_UID=65534 XDG_DATA_HOME=$WORK/xdg TMPDIR=$WORK

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# --- certificates and credentials -------------------------------------------
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=127.0.0.1" \
  -addext "subjectAltName=IP:127.0.0.1" -keyout "$WORK/key.pem" -out "$WORK/cert.pem" 2>/dev/null
mkdir -p "$WORK/certs.d" && cp "$WORK/cert.pem" "$WORK/certs.d/ca.crt"
for cost in 5 10; do
  printf '%s\n' "$PASSWORD" | htpasswd -iBC "$cost" -c "$WORK/htpasswd-$cost" "$USER_NAME" 2>/dev/null
done

# --- registries ---------------------------------------------------------------
SRC_PORT=$(free_port)
mkdir -p "$WORK/src"
cat > "$WORK/src.yml" <<EOF
version: 0.1
log: {level: info, formatter: text, accesslog: {disabled: false}}
storage: {filesystem: {rootdirectory: $WORK/src}, delete: {enabled: true}}
http: {addr: 127.0.0.1:$SRC_PORT, secret: bench}
EOF
/usr/bin/docker-registry serve "$WORK/src.yml" >"$WORK/src.log" 2>&1 &

# Destinations: $DST (index 0, log $WORK/dst.log), and $DST1, $DST2 for fan-out runs
# (logs $WORK/dst1.log, $WORK/dst2.log), all with the same certificate and login.
DST_PORTS=("$(free_port)" "$(free_port)" "$(free_port)")
DST=127.0.0.1:${DST_PORTS[0]}
DST1=127.0.0.1:${DST_PORTS[1]}
DST2=127.0.0.1:${DST_PORTS[2]}
DST_PIDS=("" "" "")
start_dst() { # cost [index]
  local i=${2:-0} name addr
  name=dst$([ "$i" = 0 ] || echo "$i")
  addr=127.0.0.1:${DST_PORTS[$i]}
  [ -z "${DST_PIDS[$i]}" ] || { kill "${DST_PIDS[$i]}"; wait "${DST_PIDS[$i]}" 2>/dev/null || true; }
  rm -rf "${WORK:?}/$name"; mkdir -p "$WORK/$name"
  cat > "$WORK/$name.yml" <<EOF
version: 0.1
log: {level: info, formatter: text, accesslog: {disabled: false}}
storage: {filesystem: {rootdirectory: $WORK/$name}, delete: {enabled: true}}
http: {addr: $addr, secret: bench, tls: {certificate: $WORK/cert.pem, key: $WORK/key.pem}}
auth: {htpasswd: {realm: bench, path: $WORK/htpasswd-$1}}
EOF
  : > "$WORK/$name.log"
  /usr/bin/docker-registry serve "$WORK/$name.yml" >>"$WORK/$name.log" 2>&1 &
  DST_PIDS[i]=$!
  for _ in $(seq 100); do curl -sk "https://$addr/v2/" -o /dev/null && return; sleep 0.05; done
  echo "destination registry $addr did not start" >&2; exit 1
}
for _ in $(seq 100); do curl -s "http://127.0.0.1:$SRC_PORT/v2/" -o /dev/null && break; sleep 0.05; done

AUTH=$(printf '%s:%s' "$USER_NAME" "$PASSWORD" | base64 -w0)
printf '{"auths":{"%s":{"auth":"%s"},"%s":{"auth":"%s"},"%s":{"auth":"%s"}}}' \
  "$DST" "$AUTH" "$DST1" "$AUTH" "$DST2" "$AUTH" > "$WORK/auth.json"
chmod 600 "$WORK/auth.json"
mkdir -p "$WORK/curl" && printf 'user = "%s:%s"\n' "$USER_NAME" "$PASSWORD" > "$WORK/curl/netrc.cfg"

# --- images -----------------------------------------------------------------
build() { # shape
  python3 "$ROOT/bench/make_image.py" "$WORK/layout-$1" "$1" 1
  skopeo --insecure-policy copy --all --quiet --dest-tls-verify=false \
    "oci:$WORK/layout-$1:latest" "docker://127.0.0.1:$SRC_PORT/bench/$1:1"
  rm -rf "$WORK/layout-$1"
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
