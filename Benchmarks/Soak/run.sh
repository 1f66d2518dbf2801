#!/usr/bin/env bash
# Soak: the agent under concurrent NRPE (TLS, real check_nrpe) and SNMP (real snmpbulkwalk
# through snmpd's AgentX) load while loopback peers flap, for DURATION seconds (default 600).
# Every response is validated; the agent's resident memory and open descriptors are sampled.
# Not part of CI (it takes minutes). Root, after `scripts/install-deps test`:
#
#   swift build -c release --product portmatrix
#   Benchmarks/Soak/run.sh [seconds] [portmatrix binary]
#
# Exit status 1 when a response was invalid or descriptors/memory grew; the summary is
# Markdown, recorded in docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/../.."

DURATION=${1:-600}
BIN=${2:-.build/release/portmatrix}
NRPE_WORKERS=${NRPE_WORKERS:-4}
SNMP_WORKERS=${SNMP_WORKERS:-2}
FLAP_SECONDS=${FLAP_SECONDS:-20}
SAMPLE_SECONDS=${SAMPLE_SECONDS:-10}
WARMUP=${WARMUP:-60}
ROOT_OID=1.3.6.1.4.1.8072.9999.9999.5666
[ -x "$BIN" ] || { echo "soak: build it first: swift build -c release --product portmatrix" >&2; exit 2; }
[ "$DURATION" -gt "$WARMUP" ] || { echo "soak: DURATION ($DURATION s) must be longer than WARMUP ($WARMUP s)" >&2; exit 2; }

WORK=$(mktemp -d /tmp/portmatrix-soak.XXXXXX)
PEERS=$(mktemp -d /tmp/portmatrix-soak-peers.XXXXXX)
PIDS=()
cleanup() {
    touch "$WORK/stop"
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    # Nothing may stay frozen by the flapper.
    for name in dnsmasq sshd; do
        [ -f "$PEERS/$name.pid" ] && kill -CONT "$(cat "$PEERS/$name.pid")" 2>/dev/null || true
    done
    sleep 1
    for pid in "${PIDS[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
    Tests/Peers/peers.sh stop "$PEERS" >/dev/null 2>&1 || true
    [ -n "${KEEP:-}" ] || rm -rf "$WORK" "$PEERS"
}
trap cleanup EXIT
trap "exit 130" INT TERM

free_port() { python3 -c "import socket;s=socket.socket(socket.AF_INET,socket.$1);s.bind(('127.0.0.1',0));print(s.getsockname()[1])"; }

mkdir -p "$WORK/results"
Tests/Peers/peers.sh start "$PEERS" >/dev/null 2>&1 || PEERS_PORT_OFFSET=20000 Tests/Peers/peers.sh start "$PEERS" >/dev/null
# shellcheck disable=SC1091
. "$PEERS/peers.env"
# shellcheck source=Benchmarks/loopback-site.sh
. Benchmarks/loopback-site.sh

SNMP_PORT=$(free_port SOCK_DGRAM)
NRPE_PORT=$(free_port SOCK_STREAM)
STATUS_PORT=$(free_port SOCK_STREAM)
cat >"$WORK/snmpd.conf" <<CONF
master agentx
agentXSocket $WORK/agentx.sock
agentXPerms 0660 0770
agentaddress udp:127.0.0.1:$SNMP_PORT
rocommunity public 127.0.0.1
CONF
SNMP_PERSISTENT_DIR=$WORK/snmpd-state /usr/sbin/snmpd -f -C -c "$WORK/snmpd.conf" -m "" -Lf "$WORK/snmpd.log" &
PIDS+=($!)

# Every probed path on a peer (Benchmarks/loopback-site.sh), checked every 5 s.
{
    loopback_site
    cat <<CONF
schedule: { interval: 5s, timeout: 2s }
nrpe: { listen: ["127.0.0.1:$NRPE_PORT"], state_directory: $WORK/nrpe-state, max_connections: 64 }
snmp: { mode: agentx, agentx_socket: $WORK/agentx.sock, ping_interval: 1s, state_directory: $WORK/snmp-state }
agent: { user: root }
status_endpoint: { listen: ["127.0.0.1:$STATUS_PORT"] }
CONF
} >"$WORK/site.yaml"
"$BIN" agent --config "$WORK/site.yaml" >"$WORK/agent.log" 2>&1 &
AGENT=$!
PIDS+=("$AGENT")

check_nrpe() { /usr/lib/nagios/plugins/check_nrpe -H 127.0.0.1 -p "$NRPE_PORT" -t 15 "$@"; }
for _ in $(seq 1 150); do
    check_nrpe -c check_agent 2>/dev/null | grep -q "AgentX connected" && break
    sleep 0.2
done
check_nrpe -c check_agent | grep -q "AgentX connected" || { echo "soak: agent did not come up" >&2; cat "$WORK/agent.log" >&2; exit 2; }
curl -sf "http://127.0.0.1:$STATUS_PORT/metrics" >/dev/null 2>&1 || { echo "soak: the status endpoint did not come up" >&2; cat "$WORK/agent.log" >&2; exit 2; }

# Valid NRPE answer: a plugin state (0-3) and a first line a Nagios plugin would print.
nrpe_worker() {
    local out=$WORK/results/nrpe-$1.log commands=("check_portmatrix" "check_path -a licence-ssh" "check_path -a dns-internal"
        "check_listeners" "check_agent" "_NRPE_CHECK")
    local i=0 c text rc
    while [ ! -e "$WORK/stop" ]; do
        c=${commands[$((i++ % ${#commands[@]}))]}
        # shellcheck disable=SC2086
        text=$(check_nrpe -c $c 2>&1) && rc=0 || rc=$?
        if [ "$rc" -le 3 ] && [[ "$(head -n1 <<<"$text")" =~ ^(PORTMATRIX\ (OK|WARNING|CRITICAL|UNKNOWN)\ -\ |NRPE\ v|portmatrix\ ) ]]; then
            echo ok
        else
            echo "bad $c rc=$rc $(head -c 200 <<<"$text" | tr '\n' ' ')"
        fi
    done >"$out"
}

# Valid walk: snmpbulkwalk succeeds and returns at least the scalars and one row per path.
snmp_worker() {
    local out=$WORK/results/snmp-$1.log text rc lines
    while [ ! -e "$WORK/stop" ]; do
        text=$(snmpbulkwalk -v2c -c public -On -Cr25 -t 5 -r 0 "127.0.0.1:$SNMP_PORT" "$ROOT_OID" 2>&1) && rc=0 || rc=$?
        lines=$(grep -c "^\.$ROOT_OID" <<<"$text" || true)
        if [ "$rc" -eq 0 ] && [ "$lines" -ge 100 ] && ! grep -q "Timeout\|No Such" <<<"$text"; then
            echo "ok $lines"
        else
            echo "bad rc=$rc lines=$lines $(tail -n1 <<<"$text")"
        fi
    done >"$out"
}

# Valid: /metrics has probe_success series, /status.json parses and has paths. Each answer is
# read whole before it is judged (a reader that stops early would fail curl, not the agent).
status_worker() {
    local out=$WORK/results/http-1.log metrics json rc1 rc2
    while [ ! -e "$WORK/stop" ]; do
        metrics=$(curl -sS -f -m 5 "http://127.0.0.1:$STATUS_PORT/metrics" 2>&1) && rc1=0 || rc1=$?
        json=$(curl -sS -f -m 5 "http://127.0.0.1:$STATUS_PORT/status.json" 2>&1) && rc2=0 || rc2=$?
        if [ "$rc1" -eq 0 ] && [ "$rc2" -eq 0 ] && grep -q "^probe_success{" <<<"$metrics" \
           && python3 -c 'import json,sys; assert json.load(sys.stdin)["paths"]' <<<"$json" 2>/dev/null; then
            echo ok
        else
            echo "bad metrics rc=$rc1 json rc=$rc2 $(head -c 120 <<<"$metrics" | tr '\n' ' ')"
        fi
        sleep 0.2
    done >"$out"
}

# Flapping: dnsmasq and sshd freeze (probes time out: hung peers) and thaw, alternately.
flapper() {
    local names=(dnsmasq sshd) i=0 pid
    while [ ! -e "$WORK/stop" ]; do
        pid=$(cat "$PEERS/${names[$((i % 2))]}.pid")
        kill -STOP "$pid"; echo "$(date +%s) stop ${names[$((i % 2))]}"
        sleep "$FLAP_SECONDS"
        kill -CONT "$pid"; echo "$(date +%s) cont ${names[$((i % 2))]}"
        sleep "$FLAP_SECONDS"
        i=$((i + 1))
    done >"$WORK/results/flaps.log"
}

sample() {
    local fds rss threads
    fds=$(ls "/proc/$AGENT/fd" | wc -l)
    rss=$(awk '/^VmRSS/ {print $2}' "/proc/$AGENT/status")
    threads=$(awk '/^Threads/ {print $2}' "/proc/$AGENT/status")
    echo "$(( $(date +%s) - START )) $rss $fds $threads"
}

START=$(date +%s)
for n in $(seq 1 "$NRPE_WORKERS"); do nrpe_worker "$n" & PIDS+=($!); done
for n in $(seq 1 "$SNMP_WORKERS"); do snmp_worker "$n" & PIDS+=($!); done
status_worker &
PIDS+=($!)
flapper & PIDS+=($!)
: >"$WORK/samples"
while [ $(( $(date +%s) - START )) -lt "$DURATION" ]; do
    kill -0 "$AGENT" 2>/dev/null || { echo "soak: the agent died" >&2; tail -n 20 "$WORK/agent.log" >&2; exit 1; }
    sample >>"$WORK/samples"
    sleep "$SAMPLE_SECONDS"
done
sample >>"$WORK/samples"
touch "$WORK/stop"
sleep 3

count() { cat "$WORK"/results/$1-*.log 2>/dev/null | grep -c "^$2" || true; }
nrpe_ok=$(count nrpe ok); nrpe_bad=$(count nrpe bad)
snmp_ok=$(count snmp ok); snmp_bad=$(count snmp bad)
http_ok=$(count http ok); http_bad=$(count http bad)
flaps=$(grep -c stop "$WORK/results/flaps.log" || true)
changes=$(grep -c " -> " "$WORK/agent.log" || true)
read -r base_rss base_fds < <(awk -v w="$WARMUP" '$1 >= w {print $2, $3; exit}' "$WORK/samples")
read -r last_rss last_fds last_threads < <(tail -n1 "$WORK/samples" | awk '{print $2, $3, $4}')
read -r max_rss max_fds < <(awk 'BEGIN{r=0;f=0} {if($2>r)r=$2; if($3>f)f=$3} END{print r, f}' "$WORK/samples")
first_rss=$(head -n1 "$WORK/samples" | awk '{print $2}')

cat <<MD
### Soak: $DURATION s, $(date -u +%Y-%m-%d), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)

Command: \`Benchmarks/Soak/run.sh $DURATION $BIN\` ($NRPE_WORKERS check_nrpe loops over TLS,
$SNMP_WORKERS snmpbulkwalk loops through snmpd/AgentX, 1 curl loop on the status endpoint; dnsmasq and sshd frozen
and thawed alternately every $FLAP_SECONDS s).

| | count |
|---|---|
| NRPE answers valid / invalid | $nrpe_ok / $nrpe_bad |
| SNMP walks valid / invalid | $snmp_ok / $snmp_bad |
| status endpoint valid / invalid | $http_ok / $http_bad |
| peer freezes | $flaps |
| path status changes logged | $changes |

| | at start | after ${WARMUP}s warm-up | at end | max |
|---|---|---|---|---|
| RSS (KiB) | $first_rss | $base_rss | $last_rss | $max_rss |
| open descriptors | $(head -n1 "$WORK/samples" | awk '{print $3}') | $base_fds | $last_fds | $max_fds |
| threads | $(head -n1 "$WORK/samples" | awk '{print $4}') | | $last_threads | |
MD

verdict=0
[ "$nrpe_bad" -eq 0 ] && [ "$snmp_bad" -eq 0 ] && [ "$http_bad" -eq 0 ] || { echo; echo "FAIL: invalid responses"; grep -h "^bad" "$WORK"/results/*.log | sort | uniq -c | sort -rn | head; verdict=1; }
[ "$last_fds" -le $((base_fds + 8)) ] || { echo "FAIL: descriptors grew $base_fds -> $last_fds"; verdict=1; }
[ "$last_rss" -le $((base_rss + base_rss / 5 + 4096)) ] || { echo "FAIL: memory grew $base_rss -> $last_rss KiB"; verdict=1; }
[ "$verdict" = 0 ] && echo && echo "PASS: every response valid; descriptors and memory flat after warm-up"
cp "$WORK/samples" "${SAMPLES_OUT:-/dev/null}" 2>/dev/null || true
exit "$verdict"
