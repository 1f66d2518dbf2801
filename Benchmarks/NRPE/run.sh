#!/bin/sh
# NRPE load: portmatrix's listener (NRPELoad serve) against Debian's nrpe 4.1.0 daemon, both
# on loopback, plaintext and TLS, at concurrency 1, 8 and 32, with raw v4 queries.
# Usage: Benchmarks/NRPE/run.sh [seconds-per-level]   (from the package root; Debian 12 with
# nagios-nrpe-server and monitoring-plugins-basic installed; nothing else may use ports 15680-15687)
#
# With PORTMATRIX=<release portmatrix binary> and PEERS_DIR=<a running Tests/Peers set> it
# compares the agent's built-in `check_portmatrix` (answered from the engine's snapshot) with
# nrpe running check_dummy instead, plus `_NRPE_CHECK` on the same agent, with each server's
# CPU per request (utime+stime from /proc before and after each level). PORTMATRIX_BEFORE=
# <another build> adds that build's agent, measured level by level beside the first.
# NRPELOAD=<binary> skips building NRPELoad.
set -eu
seconds=${1:-5}
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
chmod 755 "$work"
pids=""
cleanup() { for pid in $pids; do kill "$pid" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
# A signal ends the run (through cleanup, once): a trap that only cleaned up would go on
# measuring servers it had just killed.
trap 'exit 130' INT TERM

# utime+stime (+ reaped children: nrpe forks per connection) of a process, in clock ticks.
cpu_ticks() { awk '{ print $14 + $15 + $16 + $17 }' "/proc/$1/stat"; }

# One level against one server: NRPELoad's table row plus the server's CPU per request.
level() {  # name pid port tls command concurrency
  before=$(cpu_ticks "$2")
  row=$("$load" load --port "$3" --tls "$4" --command "$5" --concurrency "$6" --seconds "$seconds" | tail -n 1)
  after=$(cpu_ticks "$2")
  requests=$(echo "$row" | awk -F'|' '{ gsub(/ /, "", $6); print $6 }')
  ms=$(awk -v t=$((after - before)) -v n="$requests" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.3f", (n > 0 ? t / hz * 1000 / n : 0) }')
  echo "| $1 $row $ms |"
}

# The agent (PORTMATRIX, and PORTMATRIX_BEFORE if given) on the peers of PEERS_DIR with the
# site of Benchmarks/loopback-site.sh (every probed path on a peer): one cycle at start, none during the
# run (interval 1 h), plaintext and TLS listeners; then each level against every server in turn.
builtins() {
  : "${PEERS_DIR:?PEERS_DIR must name a running Tests/Peers set (Tests/Peers/peers.sh start DIR)}"
  # shellcheck disable=SC1091
  . "$PEERS_DIR/peers.env"
  # shellcheck source=Benchmarks/loopback-site.sh
  . "$root/Benchmarks/loopback-site.sh"
  servers=""
  port=15684
  for build in after before; do
    bin=$PORTMATRIX; [ "$build" = before ] && bin=${PORTMATRIX_BEFORE:-}
    [ -n "$bin" ] || continue
    for mode in off on; do
      {
        loopback_site
        cat <<CFG
schedule: { interval: 3600s, timeout: 2s, jitter: 0s }
nrpe: { listen: ["127.0.0.1:$port"], tls: { mode: $mode }, state_directory: $work/nrpe-state-$build-$mode, max_connections: 64 }
snmp: { mode: off }
agent: { user: root }
CFG
      } > "$work/site-$build-$mode.yaml"
      "$bin" agent --config "$work/site-$build-$mode.yaml" > "$work/agent-$build-$mode.log" 2>&1 &
      pids="$pids $!"
      servers="$servers portmatrix-$build,$!,$port,$mode"
      port=$((port + 1))
    done
  done
  # The first cycle has run when check_agent reports it.
  for server in $servers; do
    set -- $(echo "$server" | tr , ' ')
    plain=""; [ "$4" = off ] && plain=-n
    i=0
    until /usr/lib/nagios/plugins/check_nrpe -H 127.0.0.1 -p "$3" $plain -c check_agent 2>/dev/null | grep -q "last cycle"; do
      i=$((i + 1)); [ $i -lt 100 ] || { echo "no cycle from $1 on port $3" >&2; cat "$work"/agent-*.log >&2; exit 2; }
      sleep 0.2
    done
  done
  echo "# $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $seconds s per level"
  echo "# check_portmatrix answer: $(/usr/lib/nagios/plugins/check_nrpe -H 127.0.0.1 -p 15684 -n -c check_portmatrix | wc -c) bytes"
  for tls in off on; do
    nrpe_port=15682; nrpe_pid=$(cat "$work/nrpe-plain.pid")
    if [ "$tls" = on ]; then nrpe_port=15683; nrpe_pid=$(cat "$work/nrpe-tls.pid"); fi
    echo "## TLS $tls"
    echo "| server | target port | TLS | command | concurrency | requests | errors | req/s | p50 ms | p99 ms | server CPU ms/request |"
    echo "|---|---|---|---|---|---|---|---|---|---|---|"
    for concurrency in 1 8 32; do
      level nrpe-4.1.0 "$nrpe_pid" "$nrpe_port" "$tls" check_dummy "$concurrency"
      for server in $servers; do
        set -- $(echo "$server" | tr , ' ')
        [ "$4" = "$tls" ] || continue
        level "$1" "$2" "$3" "$tls" check_portmatrix "$concurrency"
        level "$1" "$2" "$3" "$tls" _NRPE_CHECK "$concurrency"
      done
    done
  done
}

if [ -n "${NRPELOAD:-}" ]; then
  load=$NRPELOAD
else
  swift build -c release --product NRPELoad --package-path "$root" >&2
  load="$root/.build/release/NRPELoad"
fi

# Debian's daemon: same commands, own config, plaintext (-n) on 15682, TLS on 15683. Without
# ssl_cert_file nrpe offers anonymous DH only, which BoringSSL (NRPELoad's client) lacks, so
# it gets a P-256 certificate like the one portmatrix generates.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj /CN=nrpe-bench \
  -keyout "$work/nrpe-key.pem" -out "$work/nrpe-cert.pem" 2>/dev/null
chmod 644 "$work/nrpe-key.pem" "$work/nrpe-cert.pem"
for mode in plain tls; do
  port=15682; [ "$mode" = tls ] && port=15683
  cat > "$work/nrpe-$mode.cfg" <<CFG
server_address=127.0.0.1
server_port=$port
nrpe_user=nagios
nrpe_group=nagios
pid_file=$work/nrpe-$mode.pid
allowed_hosts=127.0.0.1
command_timeout=10
connection_timeout=30
command[check_dummy]=/usr/lib/nagios/plugins/check_dummy 0 OK
ssl_cert_file=$work/nrpe-cert.pem
ssl_privatekey_file=$work/nrpe-key.pem
CFG
  chmod 644 "$work/nrpe-$mode.cfg"
  if [ "$mode" = plain ]; then /usr/sbin/nrpe -c "$work/nrpe-$mode.cfg" -n -d; else /usr/sbin/nrpe -c "$work/nrpe-$mode.cfg" -d; fi
done
sleep 1
pids="$pids $(cat "$work/nrpe-plain.pid") $(cat "$work/nrpe-tls.pid")"

if [ -n "${PORTMATRIX:-}" ]; then
  builtins
  exit 0
fi

# portmatrix: plaintext on 15680, TLS (generated P-256 certificate) on 15681.
"$load" serve --port 15680 --tls off --command "check_dummy=/usr/lib/nagios/plugins/check_dummy 0 OK" --state "$work/state" > "$work/serve-plain.log" 2>&1 &
pids="$pids $!"
"$load" serve --port 15681 --tls on --command "check_dummy=/usr/lib/nagios/plugins/check_dummy 0 OK" --state "$work/state" > "$work/serve-tls.log" 2>&1 &
pids="$pids $!"
sleep 2

echo "# $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $seconds s per level"
for command in _NRPE_CHECK check_dummy; do
  for target in "portmatrix 15680 off" "nrpe-4.1.0 15682 off" "portmatrix 15681 on" "nrpe-4.1.0 15683 on"; do
    set -- $target
    echo "## $1, TLS $3, $command"
    "$load" load --port "$2" --tls "$3" --command "$command" --concurrency 1,8,32 --seconds "$seconds"
  done
done
