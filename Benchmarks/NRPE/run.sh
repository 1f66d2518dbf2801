#!/bin/sh
# NRPE load: portmatrix's listener (NRPELoad serve) against Debian's nrpe 4.1.0 daemon, both
# on loopback, plaintext and TLS, at concurrency 1, 8 and 32, with raw v4 queries.
# Usage: Benchmarks/NRPE/run.sh [seconds-per-level]   (from the package root; Debian 12 with
# nagios-nrpe-server and monitoring-plugins-basic installed; nothing else may use ports 15680-15683)
set -eu
seconds=${1:-5}
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
chmod 755 "$work"
pids=""
cleanup() { for pid in $pids; do kill "$pid" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT INT TERM

swift build -c release --product NRPELoad --package-path "$root" >&2
load="$root/.build/release/NRPELoad"

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
