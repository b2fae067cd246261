# shellcheck shell=bash
# Shared by the bench scripts: a work folder, a certificate, htpasswd files
# (bcrypt cost 5 and 10), a plain-HTTP anonymous source registry at $SRC_ADDR
# (127.0.0.1:$SRC_PORT; access log in $WORK/src.log), and `start_dst COST [I]`, which
# starts a fresh TLS + htpasswd destination registry at $DST (or $DST1, $DST2) with an
# access log in $WORK/dst.log (dst1.log, dst2.log); auth.json
# for skopeo, a curl config for raw requests. `build SHAPE` pushes
# a bench/make_image.py image to the source as bench/SHAPE:1; `median` reads numbers.
# With WAN=1 (needs root, ip and tc), each registry runs in its own network namespace
# behind a veth pair to this one (source 10.203.0.2, destinations 10.203.1.2, .2.2,
# .3.2), unshaped until `shape LINK RATE [DELAY]` (LINK src, dst, dst1, dst2).
# With DST_CPU=N (cores, e.g. 0.5; needs root and the cpu cgroup controller), each
# destination registry runs in a cgroup of its own capped at N cores, a device of its own
# as far as CPU goes: what one destination gets does not shrink when the others work.
# Source it after setting ROOT.
WORK=$(mktemp -d)
NETNS=() VETHS=() # namespaces and links made here, deleted on exit (the links at once:
# a namespace without processes goes a few seconds after `ip netns del`)
CGROUPS=() # cgroups made here (DST_CPU), removed on exit
cleanup() {
  # shellcheck disable=SC2046 # one word per job
  kill $(jobs -p) 2>/dev/null || true
  wait 2>/dev/null || true
  local name
  for name in "${VETHS[@]}"; do ip link del "$name" 2>/dev/null || true; done
  for name in "${NETNS[@]}"; do ip netns del "$name" 2>/dev/null || true; done
  for name in "${CGROUPS[@]}"; do rmdir "$name" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT
USER_NAME=bench
PASSWORD=bench-password-$$
export _CONTAINERS_ROOTLESS_UID=65534 XDG_DATA_HOME=$WORK/xdg TMPDIR=$WORK

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# --- network namespaces (WAN=1) -----------------------------------------------
# Registry LINK listens on ${HOSTS[LINK]}; `${IN[LINK]} command` runs command there.
declare -A HOSTS=([src]=127.0.0.1 [dst]=127.0.0.1 [dst1]=127.0.0.1 [dst2]=127.0.0.1)
declare -A IN=([src]=env [dst]=env [dst1]=env [dst2]=env)
declare -A VETH=() # link -> "root-side-interface namespace"
netns_links() { # one namespace and veth pair per registry
  local n=0 link ns veth
  for link in src dst dst1 dst2; do
    ns=aseecr-bench-$$-$link
    veth=ab$$v$n # 15 characters at most
    ip netns add "$ns"
    NETNS+=("$ns")
    ip link add "$veth" type veth peer name eth0 netns "$ns"
    VETHS+=("$veth")
    ip addr add "10.203.$n.1/30" dev "$veth"
    ip link set "$veth" up
    ip -n "$ns" addr add "10.203.$n.2/30" dev eth0
    ip -n "$ns" link set eth0 up
    ip -n "$ns" link set lo up
    HOSTS[$link]=10.203.$n.2
    IN[$link]="ip netns exec $ns"
    VETH[$link]="$veth $ns"
    n=$((n + 1))
  done
}
[ "${WAN:-0}" != 1 ] || netns_links
bits() { # a tc rate (200mbit, 1gbit, 40000kbit) in bit/s
  local n=${1%%[a-zA-Z]*}
  case ${1#"$n"} in
    bit | '') echo "$n" ;; kbit) echo $((n * 1000)) ;; mbit) echo $((n * 1000000)) ;;
    gbit) echo $((n * 1000000000)) ;; *) echo "unknown rate unit in $1 (bit, kbit, mbit, gbit)" >&2; exit 1 ;;
  esac
}
# Shape LINK to RATE both ways (a token bucket on each end: the burst 4 ms of RATE, at
# least 64 KiB, so segmentation offload's 64 KiB packets pass whole; a queue of 25 ms).
# DELAY (e.g. 10ms) is added to the round trip on the way from the namespace out (for
# the source: the download direction); it needs the netem qdisc, which some kernels lack.
shape() { # link rate [delay]
  local veth ns burst
  read -r veth ns <<<"${VETH[$1]}"
  burst=$(( $(bits "$2") / 8 / 250 ))
  [ "$burst" -ge 65536 ] || burst=65536
  tc qdisc replace dev "$veth" root tbf rate "$2" burst "$burst" latency 25ms
  if [ -n "${3:-}" ]; then
    tc -n "$ns" qdisc replace dev eth0 root netem delay "$3" rate "$2" limit 100000 || {
      echo "SRC_DELAY/DST_DELAY need the netem qdisc (sch_netem), which this kernel lacks" >&2; exit 1; }
  else
    tc -n "$ns" qdisc replace dev eth0 root tbf rate "$2" burst "$burst" latency 25ms
  fi
}

# --- certificates and credentials -------------------------------------------
SAN=IP:127.0.0.1
[ "${WAN:-0}" != 1 ] || SAN+=,IP:${HOSTS[dst]},IP:${HOSTS[dst1]},IP:${HOSTS[dst2]}
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=127.0.0.1" \
  -addext "subjectAltName=$SAN" -keyout "$WORK/key.pem" -out "$WORK/cert.pem" 2>/dev/null
mkdir -p "$WORK/certs.d" && cp "$WORK/cert.pem" "$WORK/certs.d/ca.crt"
for cost in 5 10; do
  printf '%s\n' "$PASSWORD" | htpasswd -iBC "$cost" -c "$WORK/htpasswd-$cost" "$USER_NAME" 2>/dev/null
done

# --- registries ---------------------------------------------------------------
SRC_PORT=$(free_port)
SRC_ADDR=${HOSTS[src]}:$SRC_PORT
mkdir -p "$WORK/src"
cat > "$WORK/src.yml" <<EOF
version: 0.1
log: {level: info, formatter: text, accesslog: {disabled: false}}
storage: {filesystem: {rootdirectory: $WORK/src}, delete: {enabled: true}}
http: {addr: $SRC_ADDR, secret: bench}
EOF
# shellcheck disable=SC2086 # IN holds a command prefix
${IN[src]} /usr/bin/docker-registry serve "$WORK/src.yml" >"$WORK/src.log" 2>&1 &

# Destinations: $DST (index 0, log $WORK/dst.log), and $DST1, $DST2 for fan-out runs
# (logs $WORK/dst1.log, $WORK/dst2.log), all with the same certificate and login.
DST_PORTS=("$(free_port)" "$(free_port)" "$(free_port)")
DST=${HOSTS[dst]}:${DST_PORTS[0]}
DST1=${HOSTS[dst1]}:${DST_PORTS[1]}
DST2=${HOSTS[dst2]}:${DST_PORTS[2]}
DST_PIDS=("" "" "")
# Put process $1 in the capped cgroup named $2 (DST_CPU cores), made on first use.
cap_cpu() { # pid name
  local v1=/sys/fs/cgroup/cpu v2=/sys/fs/cgroup dir quota
  quota=$(awk -v c="$DST_CPU" 'BEGIN { printf "%d", c * 100000 }')
  if [ -f "$v1/cpu.cfs_quota_us" ]; then
    dir=$v1/aseecr-bench-$$-$2
    [ -d "$dir" ] || { mkdir "$dir"; CGROUPS+=("$dir"); }
    echo 100000 > "$dir/cpu.cfs_period_us"; echo "$quota" > "$dir/cpu.cfs_quota_us"
  elif [ -f "$v2/cgroup.controllers" ]; then
    dir=$v2/aseecr-bench-$$-$2
    [ -d "$dir" ] || { mkdir "$dir"; CGROUPS+=("$dir"); }
    echo "$quota 100000" > "$dir/cpu.max"
  else
    echo "DST_CPU needs the cpu cgroup controller (/sys/fs/cgroup/cpu or cgroup v2)" >&2; exit 1
  fi
  echo "$1" > "$dir/cgroup.procs"
}
start_dst() { # cost [index]
  local i=${2:-0} name addr
  name=dst$([ "$i" = 0 ] || echo "$i")
  addr=${HOSTS[$name]}:${DST_PORTS[$i]}
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
  # shellcheck disable=SC2086
  ${IN[$name]} /usr/bin/docker-registry serve "$WORK/$name.yml" >>"$WORK/$name.log" 2>&1 &
  DST_PIDS[i]=$!
  [ -z "${DST_CPU:-}" ] || cap_cpu "${DST_PIDS[$i]}" "$name"
  for _ in $(seq 100); do curl -sk "https://$addr/v2/" -o /dev/null && return; sleep 0.05; done
  echo "destination registry $addr did not start" >&2; exit 1
}
for _ in $(seq 100); do curl -s "http://$SRC_ADDR/v2/" -o /dev/null && break; sleep 0.05; done

AUTH=$(printf '%s:%s' "$USER_NAME" "$PASSWORD" | base64 -w0)
printf '{"auths":{"%s":{"auth":"%s"},"%s":{"auth":"%s"},"%s":{"auth":"%s"}}}' \
  "$DST" "$AUTH" "$DST1" "$AUTH" "$DST2" "$AUTH" > "$WORK/auth.json"
chmod 600 "$WORK/auth.json"
mkdir -p "$WORK/curl" && printf 'user = "%s:%s"\n' "$USER_NAME" "$PASSWORD" > "$WORK/curl/netrc.cfg"

# --- images -----------------------------------------------------------------
build() { # shape
  python3 "$ROOT/bench/make_image.py" "$WORK/layout-$1" "$1" 1
  skopeo --insecure-policy copy --all --quiet --dest-tls-verify=false \
    "oci:$WORK/layout-$1:latest" "docker://$SRC_ADDR/bench/$1:1"
  rm -rf "$WORK/layout-$1"
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
