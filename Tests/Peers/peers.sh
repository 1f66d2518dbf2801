#!/usr/bin/env bash
# portmatrix test peers: real Debian daemons on loopback high ports.
#
#   peers.sh start DIR   generate CA/certs + configs under DIR, start all peers,
#                        wait until they answer, write DIR/peers.env
#   peers.sh check DIR   probe every peer with a real client, one line each
#   peers.sh stop  DIR   stop everything started from DIR (always exits 0)
#
# Needs root (sshd privsep, privilege drops of dovecot/nginx/postfix) and the
# packages in packages.txt. See README.md.
set -u
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$HERE/lib.sh"

# The peers, in start and check order: each is peer.d/NAME.sh, which declares its ports
# and executables and defines NAME_config, NAME_start, NAME_check and, where it has them,
# NAME_ready and NAME_env ('-' in NAME is '_' in the function names). See README.md.
PEER_LIST=(
    dnsmasq
    chrony
    sshd
    postfix
    slapd
    dovecot
    nginx
    syslog-tls
    rsyncd
    tinyproxy
)

# PEERS_PORT_OFFSET shifts every default port (a second set beside a first one); every
# port can also be set by an environment variable of its own name.
: "${PEERS_PORT_OFFSET:=0}"
: "${PEERS_START_TIMEOUT:=20}"
MARKER=".portmatrix-peers"
PLUGINS=/usr/lib/nagios/plugins

# ------------------------------------------------------------ registry -----
PORT_VARS=""            # every port variable: peers.env and the free-port check
declare -A PORT_PROTOS  # port variable -> "udp tcp" as the free-port check sees it
declare -A UNIT_PORTS   # peer -> its port variables
PEER_EXES=()            # "EXE [ARGS_GLOB]" of every peer
declare -A PEER_PORTS   # started process -> "proto:port ..." bound (and TCP ones accepting) when up
PEERS=""                # started processes, as named by launch / their pid file

# peer_port VAR DEFAULT PROTO...: VAR is DEFAULT + PEERS_PORT_OFFSET unless set already
peer_port() {
    local var=$1 default=$2; shift 2
    [ -n "${!var:-}" ] || printf -v "$var" '%s' $((default + PEERS_PORT_OFFSET))
    PORT_VARS="$PORT_VARS $var"
    PORT_PROTOS[$var]="$*"
    UNIT_PORTS[$UNIT]="${UNIT_PORTS[$UNIT]:-} $var"
}

# peer_exe EXE [ARGS_GLOB]: a process of ours runs EXE (a file name or a path, globs allowed,
# as /proc/PID/exe names it: symlinks resolved); with ARGS_GLOB only when its command line
# matches. That is how stop finds leftovers.
peer_exe() { PEER_EXES+=("$*"); }

# expect NAME "PROTO:PORT ...": the process NAME counts as up once these are bound
expect() { PEERS="$PEERS $1"; PEER_PORTS[$1]=$2; }

# if_v6 TEXT: TEXT when ::1 listeners are wanted (for configs)
if_v6() { [ "$V6" = 1 ] && printf '%s\n' "$*"; return 0; }

# hook PEER NAME: run PEER's function NAME if it has one
hook() {
    local fn="${1//-/_}_$2"
    declare -F "$fn" >/dev/null || return 0
    "$fn"
}

for UNIT in "${PEER_LIST[@]}"; do
    [ -f "$HERE/peer.d/$UNIT.sh" ] || die "peer.d/$UNIT.sh is missing"
    . "$HERE/peer.d/$UNIT.sh"
    for f in config start check; do
        declare -F "${UNIT//-/_}_$f" >/dev/null || die "peer.d/$UNIT.sh defines no ${UNIT//-/_}_$f"
    done
done
unset UNIT f

usage() {
    echo "usage: $0 {start|stop|check} DIR" >&2
    exit 2
}

# ------------------------------------------------------------- process ----
is_peer_exe() {  # EXE [COMMAND-LINE]
    local entry pat args
    for entry in "${PEER_EXES[@]}"; do
        pat=${entry%% *}; args=""
        [ "$pat" = "$entry" ] || args=${entry#* }
        case "$pat" in
            */*) [[ $1 == $pat ]] || continue ;;
            *) [[ ${1##*/} == $pat ]] || continue ;;
        esac
        [ -z "$args" ] || [ $# -lt 2 ] || [[ $2 == $args ]] || continue
        return 0
    done
    return 1
}

# pids of peer daemons that belong to DIR: their command line mentions DIR,
# or they hold a file under DIR open (orphaned workers after an unclean stop,
# e.g. an nginx worker whose master got SIGKILL). Never this script.
dir_pids() {
    local p pid exe cmd line st ppid args
    # one ls for all processes (a fork per process is slow on a busy machine)
    # shellcheck disable=SC2012
    ls -l /proc/[0-9]*/exe 2>/dev/null | awk '
        { i = index($0, " -> "); if (!i) next
          path = substr($0, i + 4); sub(/ \(deleted\)$/, "", path)
          n = split(substr($0, 1, i - 1), w, " "); split(w[n], a, "/"); print a[3], path }' |
    while read -r pid exe; do
        p=/proc/$pid
        [ "$pid" = "$$" ] && continue
        is_peer_exe "$exe" || continue
        read -r line 2>/dev/null <"$p/stat" || continue
        st=${line##*) }; ppid=${st#* }; ppid=${ppid%% *}; st=${st%% *}
        [ "$st" = Z ] && continue
        mapfile -d '' args 2>/dev/null <"$p/cmdline" || continue
        cmd="${args[*]}"
        is_peer_exe "$exe" "$cmd" || continue
        case "$cmd" in *"$D/"*) echo "$pid"; continue ;; esac
        # children of a live parent are found through their parent; only
        # orphans need the (slower) open-file check
        [ "$ppid" = 1 ] || continue
        if ls -l "$p/fd/" 2>/dev/null | grep -qF -- "-> $D/"; then echo "$pid"; fi
    done
}

do_stop() {
    [ -d "$D" ] || return 0
    local f pid roots="" kids left
    for f in "$D"/*.pid; do
        [ -f "$f" ] || continue
        read -r pid 2>/dev/null <"$f" || continue
        # a stale pid file may name a recycled pid: only kill our daemons
        pid_alive "$pid" && is_peer_exe "$(readlink "/proc/$pid/exe" 2>/dev/null)" &&
            roots="$roots $pid"
    done
    # processes naming DIR whose pid files are gone (e.g. after an unclean stop)
    roots="$roots $(dir_pids)"
    roots=$(echo $roots | tr ' ' '\n' | sort -un | tr '\n' ' ')
    [ -z "${roots// /}" ] && { rm -f "$D"/*.pid; return 0; }
    # children (dovecot/postfix/nginx workers) do not carry DIR in argv
    kids=$(descendants $roots)
    kill -TERM $roots 2>/dev/null
    left=$(wait_gone 5 $roots $kids)
    if [ -n "$left" ]; then
        log "killing leftovers with SIGKILL: $left"
        kill -KILL $left 2>/dev/null
        wait_gone 2 $left >/dev/null
    fi
    rm -f "$D"/*.pid
    return 0
}

# ------------------------------------------------------------- start ------
wait_all() {
    local deadline=$(( $(date +%s) + PEERS_START_TIMEOUT ))
    local pending="$PEERS" name still spec proto port ok failed=""
    local used
    while [ -n "$pending" ]; do
        still=""
        used=" $(bound_ports) "
        for name in $pending; do
            if ! pid_alive "$(cat "$D/$name.pid" 2>/dev/null)"; then
                failed="$failed $name"
                log "$name exited during startup; last log lines:"
                tail -n 15 "$D/logs/$name.out" >&2 2>/dev/null
                continue
            fi
            ok=1
            for spec in ${PEER_PORTS[$name]}; do
                proto=${spec%%:*}; port=${spec#*:}
                [[ $used == *" $proto:$port "* ]] || { ok=0; break; }
                if [ "$proto" = tcp ]; then
                    tcp_connects "$port" || { ok=0; break; }
                fi
            done
            [ $ok = 1 ] || still="$still $name"
        done
        pending=$still
        [ -z "$pending" ] && break
        if [ "$(date +%s)" -ge "$deadline" ]; then
            for name in $pending; do
                log "$name did not come up within ${PEERS_START_TIMEOUT}s (${PEER_PORTS[$name]}); last log lines:"
                tail -n 15 "$D/logs/$name.out" >&2 2>/dev/null
            done
            failed="$failed $pending"
            break
        fi
        sleep 0.2
    done
    [ -z "$failed" ] || { log "failed peers:$failed"; return 1; }
    # A peer's own readiness beyond its ports (NAME_ready): a bounded wait, not an error.
    local unit i
    for unit in "${PEER_LIST[@]}"; do
        for i in $(seq 40); do
            hook "$unit" ready && break
            [ "$(date +%s)" -ge "$deadline" ] && break
            sleep 0.25
        done
    done
    return 0
}

write_env() {
    local unit v
    {
        echo "# generated by Tests/Peers/peers.sh start on $(date -u +%Y-%m-%dT%H:%M:%SZ)"
        echo "PEERS_DIR=$D"
        echo "PEERS_HOST=127.0.0.1"
        echo "PEERS_IPV6=$V6"
        echo "CA_FILE=$D/ca.pem"
        echo "SERVER_CERT_FILE=$D/server.pem"
        echo "SERVER_KEY_FILE=$D/server.key"
        for unit in "${PEER_LIST[@]}"; do
            hook "$unit" env
            for v in ${UNIT_PORTS[$unit]:-}; do echo "$v=${!v}"; done
        done
    } >"$D/peers.env.tmp" && mv "$D/peers.env.tmp" "$D/peers.env"
}

elapsed() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}'; }
PHASES=""
phase() {
    PHASES="${PHASES:+$PHASES, }$1 $(elapsed "$T_PHASE")s"
    T_PHASE=$(date +%s.%N)
}

cmd_start() {
    T_START=$(date +%s.%N); T_PHASE=$T_START
    [ "$(id -u)" = 0 ] || die "must run as root (sshd privsep, privilege drops)"
    if [ -e "$D" ]; then
        if [ -f "$D/$MARKER" ]; then
            do_stop
            rm -rf "$D"
        elif [ -d "$D" ] && [ -z "$(ls -A "$D")" ]; then
            :
        else
            die "$D exists and is not a peers dir (no $MARKER); refusing to touch it"
        fi
    fi
    # refuse early if a port is taken by someone else
    local v proto busy="" used
    used=" $(bound_ports) "
    for v in $PORT_VARS; do
        for proto in ${PORT_PROTOS[$v]}; do
            [[ $used == *" $proto:${!v} "* ]] && busy="$busy $v=${!v}/$proto"
        done
    done
    [ -z "$busy" ] || die "ports already in use:$busy (override with env vars of the same name)"

    phase cleanup
    mkdir -p "$D/logs" "$D/run" || die "cannot create $D"
    chmod 755 "$D"   # dovecot/nginx workers run unprivileged and need to traverse it
    # ...and so must every directory above it (postfix dies silently otherwise).
    local above
    above=$(dirname "$D")
    while [ "$above" != / ]; do
        [ "$(( 0$(stat -c %a "$above") & 01 ))" -ne 0 ] ||
            die "$above (above $D) is not searchable by other users (mode $(stat -c %a "$above")); the peers run as their own users: use a directory like \$(mktemp -d)"
        above=$(dirname "$above")
    done
    touch "$D/$MARKER"
    make_certs "$D" || die "certificate generation failed (see $D/logs/openssl.log)"
    phase certs
    V6=0
    have_ipv6_lo && V6=1
    local unit
    for unit in "${PEER_LIST[@]}"; do
        hook "$unit" config || die "writing the configuration of $unit failed"
    done
    phase configs
    for unit in "${PEER_LIST[@]}"; do hook "$unit" start; done
    phase launch
    if ! wait_all; then
        do_stop
        die "start failed; logs in $D/logs"
    fi
    phase wait
    write_env
    log "all peers up in $(elapsed "$T_START") s ($PHASES); env in $D/peers.env"
}

# ------------------------------------------------------------- check ------
RESULT=0
ok() { echo "ok $1"; }
fail() { echo "FAIL $1 $2"; RESULT=1; }

# tls_check NAME PORT [extra s_client args...]: handshake + chain verification
tls_check() {
    local name=$1 port=$2 out; shift 2
    out=$(timeout 10 openssl s_client -brief -connect "127.0.0.1:$port" -CAfile "$CA_FILE" \
        -verify_return_error -verify_ip 127.0.0.1 -servername localhost "$@" </dev/null 2>&1 | tr -d '\0')
    if echo "$out" | grep -q '^CONNECTION ESTABLISHED' && echo "$out" | grep -q '^Verification: OK'; then ok "$name"
    else fail "$name" "$(echo "$out" | grep -m1 -iE 'error|verify|refused|didn' || echo 'no TLS handshake')"; fi
}

cmd_check() {
    [ -f "$D/peers.env" ] || { echo "FAIL peers no $D/peers.env (not started?)"; exit 1; }
    # shellcheck disable=SC1091
    . "$D/peers.env"
    local unit
    for unit in "${PEER_LIST[@]}"; do hook "$unit" check; done
    exit $RESULT
}

# -------------------------------------------------------------- main ------
[ $# -eq 2 ] || usage
D=$(abspath "$2")
D=${D%/}
[ -n "$D" ] && [ "$D" != / ] || die "refusing DIR '/'"
case "$D" in *[[:space:]]*) die "DIR must not contain whitespace (it goes into peers.env unquoted)" ;; esac
case "$1" in
    start) cmd_start ;;
    stop) do_stop; exit 0 ;;
    check) cmd_check ;;
    *) usage ;;
esac
