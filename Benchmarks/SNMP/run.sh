#!/usr/bin/env bash
# Walk-time benchmark of PORTMATRIX-MIB, master and AgentX mode, against snmpd walking its own
# values. Loopback only; every daemon it starts is stopped by pid on exit.
#
#   swift build -c release --product SNMPTestAgent
#   Benchmarks/SNMP/run.sh [.build/release/SNMPTestAgent] [runs]
#
# Prints one line per case: values walked, best and median wall time of `runs` walks, and
# microseconds per value. Results are recorded in docs/benchmarks-snmp.md.
set -euo pipefail

AGENT=${1:-.build/release/SNMPTestAgent}
RUNS=${2:-5}
ROOT=1.3.6.1.4.1.8072.9999.9999.5666
WORK=$(mktemp -d /tmp/pmbench-XXXXXX)
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    sleep 0.5
    for pid in "${PIDS[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
    rm -rf "$WORK"
}
trap cleanup EXIT
trap "exit 130" INT TERM
export SNMPCONFPATH=$WORK SNMP_PERSISTENT_DIR=$WORK MIBS=""

free_port() { python3 -c 'import socket;s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM);s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }

# snapshot PATHS CHECKS FILE: a synthetic snapshot with every column filled.
snapshot() {
    python3 - "$1" "$2" "$3" <<'PY'
import json, sys
paths, checks, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
def check(p, c):
    row = {"target": f"host-{p}-{c}.example", "transport": 1 + c % 2, "port": 1000 + p % 60000, "status": 1 + (p + c) % 4,
           "reason": 1 + (p * c) % 17, "latencyMicroseconds": p * 1000 + c, "consecutiveFailures": c, "lastSuccess": 1764300000}
    if c == 1: row["certificateDays"] = p % 400 - 20
    if c == 2: row["ntpOffsetMicroseconds"] = -p
    return row
snap = {"overallStatus": 3, "lastCycleTime": 1764400000, "lastCycleDurationMilliseconds": 812, "agentVersion": "bench",
        "paths": [{"id": f"path-{p}", "function": f"Function {p}", "source": "appliance", "target": "internet",
                   "endpoints": f"tcp/{p} udp/{p}", "applicability": "required", "status": 1 + p % 4,
                   "message": f"message for path {p}", "lastChange": 1764000000,
                   "checks": [check(p, c) for c in range(1, checks + 1)]} for p in range(1, paths + 1)]}
json.dump(snap, open(out, "w"))
PY
}

# measure LABEL ARGS...: runs the walk RUNS times, prints count, best, median, us/value.
measure() {
    local label=$1; shift
    local times=() count=0
    for _ in $(seq "$RUNS"); do
        local start end
        start=$(date +%s%N)
        count=$("$@" 2>/dev/null | grep -vc "No more variables" || true)
        end=$(date +%s%N)
        times+=($(( (end - start) / 1000 )))
    done
    local sorted best median
    sorted=($(printf '%s\n' "${times[@]}" | sort -n))
    best=${sorted[0]}
    median=${sorted[$(( RUNS / 2 ))]}
    printf '%-44s %7d values  best %8.1f ms  median %8.1f ms  %6.1f us/value\n' \
        "$label" "$count" "$(echo "$best / 1000" | bc -l)" "$(echo "$median / 1000" | bc -l)" "$(echo "$best / $count" | bc -l)"
}

start_snmpd() { # DIR PORT: snmpd as AgentX master and standalone agent with its own MIB modules
    local dir=$1 port=$2
    mkdir -p "$dir"
    cat > "$dir/snmpd.conf" <<CONF
master agentx
agentXSocket $dir/agentx.sock
agentXPerms 0660 0770
agentaddress udp:127.0.0.1:$port
rocommunity public 127.0.0.1
CONF
    SNMP_PERSISTENT_DIR=$dir snmpd -f -C -c "$dir/snmpd.conf" -m "" -p "$dir/snmpd.pid" -Lf "$dir/snmpd.log" -I -smux &
    PIDS+=($!)
    for _ in $(seq 100); do [ -S "$dir/agentx.sock" ] && break; sleep 0.1; done
}

start_agent() { # CONFIG SNAPSHOT: stdin is a FIFO this script holds open, so the agent runs until killed
    local name
    name=$(basename "$1" .json)
    mkfifo "$WORK/$name.in"
    "$AGENT" "$1" "$2" < "$WORK/$name.in" > "$WORK/$name.out" 2> "$WORK/$name.err" &
    PIDS+=($!)
    exec {holder}> "$WORK/$name.in"
    for _ in $(seq 300); do grep -q ready "$WORK/$name.out" 2>/dev/null && break; sleep 0.1; done
    grep -q ready "$WORK/$name.out" || { echo "agent did not start:"; cat "$WORK/$name.out" "$WORK/$name.err"; exit 1; }
}

stop_all() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    sleep 1
    PIDS=()
}

snapshot 40 3 "$WORK/default.json"
snapshot 1000 10 "$WORK/large.json"
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); net-snmp $(snmpd -v | awk '/version/ {print $NF; exit}')"

# Master mode.
for size in default large; do
    port=$(free_port)
    mkdir -p "$WORK/m-$size"
    cat > "$WORK/m-$size.json" <<JSON
{"mode":"master","agentXSocket":"","agentXPingInterval":1,"listen":["udp:127.0.0.1:$port"],
 "communities":[{"name":"public","source":"127.0.0.1"}],"users":[],"trapSinks":[],"rootOID":"$ROOT",
 "stateDirectory":"$WORK/m-$size","systemContact":"","systemLocation":""}
JSON
    start_agent "$WORK/m-$size.json" "$WORK/$size.json"
    measure "master  $size  snmpbulkwalk -Cr50" snmpbulkwalk -v2c -c public -On -Oq -Cr50 -t 3 -r 1 127.0.0.1:$port $ROOT
    measure "master  $size  snmpwalk (GETNEXT)" snmpwalk -v2c -c public -On -Oq -t 3 -r 1 127.0.0.1:$port $ROOT
    stop_all
done

# AgentX mode behind snmpd, and snmpd's own values for comparison.
for size in default large; do
    port=$(free_port)
    start_snmpd "$WORK/s-$size" "$port"
    cat > "$WORK/x-$size.json" <<JSON
{"mode":"agentx","agentXSocket":"$WORK/s-$size/agentx.sock","agentXPingInterval":5,"listen":[],
 "communities":[],"users":[],"trapSinks":[],"rootOID":"$ROOT",
 "stateDirectory":"$WORK/x-$size","systemContact":"","systemLocation":""}
JSON
    start_agent "$WORK/x-$size.json" "$WORK/$size.json"
    measure "agentx  $size  snmpbulkwalk -Cr50" snmpbulkwalk -v2c -c public -On -Oq -Cr50 -t 3 -r 1 127.0.0.1:$port $ROOT
    measure "agentx  $size  snmpwalk (GETNEXT)" snmpwalk -v2c -c public -On -Oq -t 3 -r 1 127.0.0.1:$port $ROOT
    if [ "$size" = default ]; then
        measure "snmpd own values (.1.3.6.1.2) bulk -Cr50" snmpbulkwalk -v2c -c public -On -Oq -Cr50 -t 3 -r 1 127.0.0.1:$port .1.3.6.1.2
        measure "snmpd own values (.1.3.6.1.2) GETNEXT" snmpwalk -v2c -c public -On -Oq -t 3 -r 1 127.0.0.1:$port .1.3.6.1.2
    fi
    stop_all
done
