#!/usr/bin/env bash
# CPU per check: portmatrix probes in-process (ProbeBench) against monitoring-plugins run
# by fork+exec, both against the same loopback peers of Tests/Peers/peers.sh.
#
#   [CONFIG=release|debug] [PROBEBENCH=path] Benchmarks/Probes/run.sh PEERS_DIR [ITERATIONS]
#
# PROBEBENCH names an already built ProbeBench (e.g. from another --scratch-path) and skips the build.
# PEERS_DIR holds peers.env (as written by `Tests/Peers/peers.sh start PEERS_DIR`).
# Prints one line per check: name, CPU ms per check, wall ms per check.
set -euo pipefail
dir=${1:?usage: $0 PEERS_DIR [ITERATIONS]}
n=${2:-200}
root=$(cd "$(dirname "$0")/../.." && pwd)
plugins=/usr/lib/nagios/plugins
# shellcheck disable=SC1091
set -a; . "$dir/peers.env"; set +a

config=${CONFIG:-release}
bench=${PROBEBENCH:-}
if [ -z "$bench" ]; then
    swift build -c "$config" --product ProbeBench --package-path "$root" >&2
    bench=$(swift build -c "$config" --product ProbeBench --package-path "$root" --show-bin-path)/ProbeBench
fi

# plugin NAME COMMAND...: runs COMMAND n times, prints CPU (user+sys of the children) and wall per run.
plugin() {
    local name=$1; shift
    local out
    out=$( { /usr/bin/time -f '%U %S %e' bash -c 'for ((i = 0; i < '"$n"'; i++)); do "$@" >/dev/null || true; done' _ "$@"; } 2>&1 >/dev/null | tail -1)
    awk -v name="$name" -v n="$n" '{ printf "%-26s cpu_ms_per_check=%.3f wall_ms_per_check=%.3f\n", name, ($1 + $2) * 1000 / n, $3 * 1000 / n }' <<<"$out"
}

# ours NAME PROBE PORT TRANSPORT [OPTION=VALUE...]: n checks in one ProbeBench process.
ours() {
    local name=$1 probe=$2 port=$3 transport=$4
    shift 4
    printf '%-26s ' "portmatrix $name"
    "$bench" "$probe" 127.0.0.1 "$port" "$transport" "$n" "$@" | sed 's/^[^ ]* //'
}

ours "tcp" tcp "$SSH_PORT" tcp
plugin "check_tcp" "$plugins/check_tcp" -H 127.0.0.1 -p "$SSH_PORT"
ours "ssh" ssh "$SSH_PORT" tcp
plugin "check_ssh" "$plugins/check_ssh" -H 127.0.0.1 -p "$SSH_PORT"
ours "smtp (no TLS)" smtp "$SMTP_PORT" tcp starttls=off
plugin "check_smtp" "$plugins/check_smtp" -H 127.0.0.1 -p "$SMTP_PORT"
ours "smtp (STARTTLS)" smtp "$SMTP_PORT" tcp starttls=required
plugin "check_smtp -S" "$plugins/check_smtp" -H 127.0.0.1 -p "$SMTP_PORT" -S
ours "sntp" sntp "$NTP_PORT" udp
plugin "check_ntp_time" "$plugins/check_ntp_time" -H 127.0.0.1 -p "$NTP_PORT" -q
# The test zone: dnsmasq refuses recursion for the root.
ours "dns (udp)" dns "$DNS_PORT" udp "name=$DNS_NAME" type=A
plugin "check_dig" "$plugins/check_dig" -H 127.0.0.1 -p "$DNS_PORT" -l "$DNS_NAME" -T A
