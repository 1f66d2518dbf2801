# Shell functions the test peer scripts share (peers.sh, peer.d/*.sh, zabbix.sh,
# Tests/World/world.sh). Sourced, never run; bash only. A script sources it by its own path:
#   . "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"
# The functions that start or stop daemons work in the directory $D of the calling script.

# ---------------------------------------------------------------- output ---
# Messages name the script; LOG_CLOCK=1 puts the time of day into log lines.
PROG=${0##*/}
die() { echo "$PROG: $*" >&2; exit 1; }
log() { echo "$PROG: ${LOG_CLOCK:+$(date +%T) }$*" >&2; }

# abspath PATH: PATH made absolute against the current directory (not resolved further).
abspath() {
    case "$1" in
        /*) printf '%s\n' "$1" ;;
        *) printf '%s/%s\n' "$(pwd)" "$1" ;;
    esac
}

have_ipv6_lo() {
    grep -q '^00000000000000000000000000000001 .* lo$' /proc/net/if_inet6 2>/dev/null
}

# ------------------------------------------------------------------ ports ---
# bound_ports: "tcp:PORT" for every listening TCP socket, "udp:PORT" for every
# bound UDP socket (any address), space-separated; one awk for all.
bound_ports() {
    awk 'function hex(h,  i, v) { v = 0; h = toupper(h)
                                  for (i = 1; i <= length(h); i++) v = v * 16 + index("0123456789ABCDEF", substr(h, i, 1)) - 1
                                  return v }
         FNR == 1 { proto = (FILENAME ~ /udp/) ? "udp" : "tcp"; next }
         proto == "udp" || $4 == "0A" { n = split($2, a, ":"); printf "%s:%d\n", proto, hex(a[n]) }' \
        /proc/net/tcp /proc/net/tcp6 /proc/net/udp /proc/net/udp6 2>/dev/null | sort -u | tr '\n' ' '
}

tcp_connects() {
    timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null
}

# -------------------------------------------------------------- processes ---
# alive = exists and is not a zombie (our init may reap exited daemons late).
# No fork: this runs in tight loops on a possibly overloaded machine.
pid_alive() {
    local line st
    [ -n "${1:-}" ] || return 1
    read -r line 2>/dev/null <"/proc/$1/stat" || return 1
    st=${line##*) }; st=${st%% *}
    [ "$st" != Z ] && [ "$st" != X ]
}

# launch NAME CMD...: start CMD in its own session, stdout/stderr to
# $D/logs/NAME.out, pid (CMD itself, not a wrapper) to $D/NAME.pid
launch() {
    local name=$1; shift
    setsid "$@" </dev/null >>"$D/logs/$name.out" 2>&1 &
    echo $! >"$D/$name.pid"
}

# descendants PID...: all (transitive) children of the given pids
descendants() {
    ps -eo pid=,ppid= 2>/dev/null | awk -v roots=" $* " '
        { pid[NR]=$1; ppid[NR]=$2 }
        END {
            split(roots, r, " "); for (i in r) keep[r[i]]=1
            do { added=0
                 for (i=1;i<=NR;i++) if ((ppid[i] in keep) && !(pid[i] in keep)) { keep[pid[i]]=1; print pid[i]; added=1 }
            } while (added)
        }'
}

# wait_gone SECONDS PID...: wait until none of PIDs is alive; print survivors
wait_gone() {
    local secs=$1 i pid alive; shift
    for i in $(seq $((secs * 10))); do
        alive=""
        for pid in "$@"; do pid_alive "$pid" && alive="$alive $pid"; done
        [ -z "$alive" ] && return 0
        set -- $alive
        sleep 0.1
    done
    echo "$@"
}

# ------------------------------------------------------------ certificates ---
# make_certs DIR: a throw-away CA (DIR/ca.pem, ca.key) and a server certificate it signs
# (DIR/server.pem, server.key; server-chain.pem = server + CA), CN=localhost with SANs
# localhost, 127.0.0.1 and ::1; openssl's messages in DIR/logs/openssl.log.
make_certs() {
    local dir=$1 ssl="$1/ssl"
    mkdir -p "$ssl" "$dir/logs"
    cat >"$ssl/server.ext" <<EOF
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid
subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1
EOF
    # CA key EC P-256 (cheap to generate on a loaded machine); the server key
    # stays RSA 2048, what most real gateways present.
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -sha256 -days 365 \
        -keyout "$dir/ca.key" -out "$dir/ca.pem" \
        -subj "/O=portmatrix test/CN=portmatrix test CA" \
        -addext "basicConstraints=critical,CA:TRUE" \
        -addext "keyUsage=critical,keyCertSign,cRLSign" \
        >/dev/null 2>"$dir/logs/openssl.log" || return 1
    openssl req -new -newkey rsa:2048 -nodes -sha256 \
        -keyout "$dir/server.key" -out "$ssl/server.csr" \
        -subj "/O=portmatrix test/CN=localhost" \
        >/dev/null 2>>"$dir/logs/openssl.log" || return 1
    openssl x509 -req -in "$ssl/server.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" \
        -CAcreateserial -CAserial "$ssl/ca.srl" -days 365 -sha256 \
        -extfile "$ssl/server.ext" -out "$dir/server.pem" \
        >/dev/null 2>>"$dir/logs/openssl.log" || return 1
    cat "$dir/server.pem" "$dir/ca.pem" >"$dir/server-chain.pem"
    chmod 600 "$dir/ca.key" "$dir/server.key"
    chmod 644 "$dir/ca.pem" "$dir/server.pem" "$dir/server-chain.pem"
}

# ---------------------------------------------------------------- postfix ---
# Postfix run from a directory of its own, as root, never chrooted: its queue under
# DIR/postfix-spool (with the owners postfix expects: user postfix, group postdrop, both
# created by the package), its state in DIR/postfix-data, its log in DIR/logs/postfix.log.
# /etc/postfix is only read (meta_directory).

# postfix_dirs DIR: the queue and data directories
postfix_dirs() {
    local sp="$1/postfix-spool" q
    mkdir -p "$1/postfix" "$1/postfix-data" "$sp/pid" "$sp/maildrop" "$sp/public"
    chown root:root "$sp" "$sp/pid"
    for q in active bounce corrupt defer deferred flush hold incoming private saved trace; do
        mkdir -p "$sp/$q"; chown postfix:root "$sp/$q"; chmod 700 "$sp/$q"
    done
    chown postfix:postdrop "$sp/maildrop" "$sp/public"
    chmod 730 "$sp/maildrop"; chmod 710 "$sp/public"
    chown postfix:postfix "$1/postfix-data"; chmod 700 "$1/postfix-data"
}

# postfix_main_cf DIR: main.cf lines for the layout above, no aliases, no look-ups;
# the caller appends its own (listeners, names, TLS, transports)
postfix_main_cf() {
    cat <<EOF
compatibility_level = 3.6
queue_directory = $1/postfix-spool
data_directory = $1/postfix-data
command_directory = /usr/sbin
daemon_directory = /usr/lib/postfix/sbin
shlib_directory = /usr/lib/postfix
meta_directory = /etc/postfix
mail_owner = postfix
setgid_group = postdrop
maillog_file = $1/logs/postfix.log
maillog_file_prefixes = $1/logs
alias_maps =
alias_database =
smtpd_peername_lookup = no
smtp_dns_support_level = disabled
biff = no
EOF
}

# postfix_master_cf: master.cf lines of the internal services, none chrooted; the caller
# adds its smtpd listeners and any further service its transports use
postfix_master_cf() {
    cat <<'EOF'
# service type  private unpriv  chroot  wakeup  maxproc command
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
tlsmgr    unix  -       -       n       1000?   1       tlsmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
EOF
}

# postfix_settle DIR: postfix reads a main.cf changed in the last second or two again,
# every 300 ms, until it has not changed for that long (dict_load_file, "let it settle"):
# up to 2 s of start. Dating the new file back skips that.
postfix_settle() {
    touch -d "@$(( $(date +%s) - 10 ))" "$1/postfix/main.cf"
}
