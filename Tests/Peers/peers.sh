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

# ---------------------------------------------------------------- ports ----
# Every port can be overridden by an environment variable of the same name.
# PEERS_PORT_OFFSET shifts every default port (a second set beside a first one).
: "${PEERS_PORT_OFFSET:=0}"
: "${DNS_PORT:=$((15353 + PEERS_PORT_OFFSET))}"
: "${NTP_PORT:=$((11123 + PEERS_PORT_OFFSET))}"
: "${SSH_PORT:=$((12222 + PEERS_PORT_OFFSET))}"
: "${SMTP_PORT:=$((12525 + PEERS_PORT_OFFSET))}"
: "${SMTPS_PORT:=$((12465 + PEERS_PORT_OFFSET))}"
: "${LDAP_PORT:=$((13389 + PEERS_PORT_OFFSET))}"
: "${LDAPS_PORT:=$((13636 + PEERS_PORT_OFFSET))}"
: "${POP3_PORT:=$((11110 + PEERS_PORT_OFFSET))}"
: "${POP3S_PORT:=$((11995 + PEERS_PORT_OFFSET))}"
: "${IMAP_PORT:=$((11143 + PEERS_PORT_OFFSET))}"
: "${IMAPS_PORT:=$((11993 + PEERS_PORT_OFFSET))}"
: "${TLS_PORT:=$((14443 + PEERS_PORT_OFFSET))}"
: "${HTTP_PORT:=$((18080 + PEERS_PORT_OFFSET))}"
: "${HTTPS_PORT:=$((18443 + PEERS_PORT_OFFSET))}"
: "${SYSLOG_TLS_PORT:=$((16514 + PEERS_PORT_OFFSET))}"
: "${RSYNC_PORT:=$((10873 + PEERS_PORT_OFFSET))}"
: "${PROXY_PORT:=$((13128 + PEERS_PORT_OFFSET))}"
: "${PROXY_DENY_PORT:=$((13129 + PEERS_PORT_OFFSET))}"
: "${PEERS_START_TIMEOUT:=20}"

PORT_VARS="DNS_PORT NTP_PORT SSH_PORT SMTP_PORT SMTPS_PORT LDAP_PORT LDAPS_PORT
POP3_PORT POP3S_PORT IMAP_PORT IMAPS_PORT TLS_PORT HTTP_PORT HTTPS_PORT
SYSLOG_TLS_PORT RSYNC_PORT PROXY_PORT PROXY_DENY_PORT"

# name -> "proto:port ..." that must be listening before the peer counts as up
declare -A PEER_PORTS
PEERS="dnsmasq chronyd sshd postfix slapd dovecot nginx syslog-tls rsyncd tinyproxy tinyproxy-deny"

MARKER=".portmatrix-peers"
PLUGINS=/usr/lib/nagios/plugins

die() { echo "peers.sh: $*" >&2; exit 1; }
log() { echo "peers.sh: $*" >&2; }

usage() {
    echo "usage: $0 {start|stop|check} DIR" >&2
    exit 2
}

abspath() {
    case "$1" in
        /*) printf '%s\n' "$1" ;;
        *) printf '%s/%s\n' "$(pwd)" "$1" ;;
    esac
}

have_ipv6_lo() {
    grep -q '^00000000000000000000000000000001 .* lo$' /proc/net/if_inet6 2>/dev/null
}

# ---------------------------------------------------- port inspection -----
# bound_ports: "tcp:PORT" for every listening TCP socket, "udp:PORT" for every
# bound UDP socket (any address), one awk for all
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

# ------------------------------------------------------------- process ----
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
# DIR/logs/NAME.out, pid (CMD itself, not a wrapper) to DIR/NAME.pid
launch() {
    local name=$1; shift
    setsid "$@" </dev/null >>"$D/logs/$name.out" 2>&1 &
    echo $! >"$D/$name.pid"
}

# our daemons' executables (incl. postfix/dovecot helper processes)
is_peer_exe() {
    case "$1" in
        /usr/lib/postfix/sbin/*|/usr/lib/dovecot/*) return 0 ;;
    esac
    case "${1##*/}" in
        dnsmasq|chronyd|sshd|slapd|dovecot|nginx|openssl|rsync|tinyproxy) return 0 ;;
    esac
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
        # openssl: only our s_server, never a client a test is running
        case "$exe:$cmd" in *openssl:*) case "$cmd" in *s_server*) ;; *) continue ;; esac ;; esac
        case "$cmd" in *"$D/"*) echo "$pid"; continue ;; esac
        # children of a live parent are found through their parent; only
        # orphans need the (slower) open-file check
        [ "$ppid" = 1 ] || continue
        if ls -l "$p/fd/" 2>/dev/null | grep -qF -- "-> $D/"; then echo "$pid"; fi
    done
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

# ------------------------------------------------------------- certs ------
gen_certs() {
    local ssl="$D/ssl"
    mkdir -p "$ssl"
    cat >"$ssl/ca.ext" <<EOF
basicConstraints=critical,CA:TRUE
keyUsage=critical,keyCertSign,cRLSign
subjectKeyIdentifier=hash
EOF
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
        -keyout "$D/ca.key" -out "$D/ca.pem" \
        -subj "/O=portmatrix test/CN=portmatrix test CA" \
        -addext "basicConstraints=critical,CA:TRUE" \
        -addext "keyUsage=critical,keyCertSign,cRLSign" \
        >/dev/null 2>"$D/logs/openssl.log" || return 1
    openssl req -new -newkey rsa:2048 -nodes -sha256 \
        -keyout "$D/server.key" -out "$ssl/server.csr" \
        -subj "/O=portmatrix test/CN=localhost" \
        >/dev/null 2>>"$D/logs/openssl.log" || return 1
    openssl x509 -req -in "$ssl/server.csr" -CA "$D/ca.pem" -CAkey "$D/ca.key" \
        -CAcreateserial -CAserial "$ssl/ca.srl" -days 365 -sha256 \
        -extfile "$ssl/server.ext" -out "$D/server.pem" \
        >/dev/null 2>>"$D/logs/openssl.log" || return 1
    cat "$D/server.pem" "$D/ca.pem" >"$D/server-chain.pem"
    chmod 600 "$D/ca.key" "$D/server.key"
    chmod 644 "$D/ca.pem" "$D/server.pem" "$D/server-chain.pem"
}

# ------------------------------------------------------------ configs -----
write_configs() {
    local v6=0
    have_ipv6_lo && v6=1

    # --- dnsmasq: authoritative-ish local zone, no upstream at all
    # big.portmatrix.test: 6 TXT records of ~250 bytes each (~1.5 KB answer),
    # larger than 512 and than the usual 1232-byte EDNS size -> TC over UDP.
    # (one record per line: dnsmasq limits the length of a config line)
    local big="" i pad
    pad=$(printf '%0240d' 0 | tr 0 x)
    for i in 1 2 3 4 5 6; do
        big="${big}txt-record=big.portmatrix.test,\"chunk$i-$pad\""$'\n'
    done
    cat >"$D/dnsmasq.conf" <<EOF
port=$DNS_PORT
listen-address=127.0.0.1
$( [ $v6 = 1 ] && echo "listen-address=::1" )
bind-interfaces
no-resolv
no-poll
no-hosts
no-negcache
user=dnsmasq
pid-file=$D/run/dnsmasq.pid
log-facility=$D/logs/dnsmasq.log
log-queries
local=/portmatrix.test/
host-record=portmatrix.test,127.0.0.1
host-record=localhost.portmatrix.test,127.0.0.1
txt-record=portmatrix.test,"v=portmatrix-test"
${big%?}
EOF

    # --- chrony: serve local clock only, never adjust it (-x)
    cat >"$D/chrony.conf" <<EOF
port $NTP_PORT
bindaddress 127.0.0.1
allow 127.0.0.1
local stratum 8
cmdport 0
pidfile $D/run/chronyd.pid
logdir $D/logs
EOF

    # --- sshd
    ssh-keygen -q -t ed25519 -N '' -C portmatrix-peers -f "$D/ssh_host_ed25519_key" >/dev/null
    cat >"$D/sshd_config" <<EOF
Port $SSH_PORT
ListenAddress 127.0.0.1
$( [ $v6 = 1 ] && echo "ListenAddress ::1" )
HostKey $D/ssh_host_ed25519_key
PidFile $D/run/sshd.pid
UsePAM no
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin no
AuthorizedKeysFile none
StrictModes no
PrintMotd no
LogLevel INFO
EOF

    # --- postfix: STARTTLS on SMTP_PORT, implicit TLS (wrapper mode) on
    #     SMTPS_PORT. Accepts mail for portmatrix.test and discards it; never
    #     relays or delivers anywhere (all other transports are error:).
    #     (opensmtpd 6.8.0p2 in Debian 12 cannot complete a TLS handshake with
    #     OpenSSL 3: "SSL routines::EVP lib", OpenSMTPD issues #1171/#1239.)
    local pf="$D/postfix" sp="$D/postfix-spool" q
    mkdir -p "$pf" "$D/postfix-data" "$sp/pid"
    chown root:root "$sp" "$sp/pid"
    for q in active bounce corrupt defer deferred flush hold incoming private saved trace; do
        mkdir -p "$sp/$q"; chown postfix:root "$sp/$q"; chmod 700 "$sp/$q"
    done
    mkdir -p "$sp/maildrop" "$sp/public"
    chown postfix:postdrop "$sp/maildrop" "$sp/public"
    chmod 730 "$sp/maildrop"; chmod 710 "$sp/public"
    chown postfix:postfix "$D/postfix-data"; chmod 700 "$D/postfix-data"
    cat >"$pf/main.cf" <<EOF
compatibility_level = 3.6
queue_directory = $sp
data_directory = $D/postfix-data
command_directory = /usr/sbin
daemon_directory = /usr/lib/postfix/sbin
shlib_directory = /usr/lib/postfix
meta_directory = /etc/postfix
mail_owner = postfix
setgid_group = postdrop
maillog_file = $D/logs/postfix.log
maillog_file_prefixes = $D/logs
myhostname = localhost
mydomain = portmatrix.test
myorigin = \$myhostname
mydestination =
inet_interfaces = 127.0.0.1$( [ $v6 = 1 ] && echo ", [::1]" )
inet_protocols = $( [ $v6 = 1 ] && echo all || echo ipv4 )
mynetworks = 127.0.0.0/8$( [ $v6 = 1 ] && echo " [::1]/128" )
relay_domains = portmatrix.test
transport_maps = inline:{ portmatrix.test=discard: }
default_transport = error:portmatrix test peer never relays
relay_transport = error:portmatrix test peer never relays
local_transport = error:portmatrix test peer has no local delivery
alias_maps =
alias_database =
smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination
smtpd_peername_lookup = no
smtp_dns_support_level = disabled
smtpd_banner = \$myhostname ESMTP portmatrix-test-peer
smtpd_tls_cert_file = $D/server-chain.pem
smtpd_tls_key_file = $D/server.key
smtpd_tls_security_level = may
smtpd_tls_loglevel = 1
smtpd_tls_protocols = >=TLSv1.2
smtpd_tls_mandatory_protocols = >=TLSv1.2
biff = no
smtputf8_enable = no
message_size_limit = 1048576
EOF
    cat >"$pf/master.cf" <<EOF
# service type  private unpriv  chroot  wakeup  maxproc command
127.0.0.1:$SMTP_PORT inet n - n - - smtpd
127.0.0.1:$SMTPS_PORT inet n - n - - smtpd -o smtpd_tls_wrappermode=yes -o smtpd_tls_security_level=encrypt
$( [ $v6 = 1 ] && echo "[::1]:$SMTP_PORT inet n - n - - smtpd" )
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
proxywrite unix -       -       n       -       1       proxymap
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
EOF

    # --- slapd (old-style slapd.conf, mdb backend)
    mkdir -p "$D/ldap-db"
    cat >"$D/slapd.conf" <<EOF
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
pidfile $D/run/slapd.pid
argsfile $D/run/slapd.args
modulepath /usr/lib/ldap
moduleload back_mdb
TLSCACertificateFile $D/ca.pem
TLSCertificateFile $D/server.pem
TLSCertificateKeyFile $D/server.key
loglevel stats
database mdb
maxsize 10485760
suffix "dc=portmatrix,dc=test"
rootdn "cn=admin,dc=portmatrix,dc=test"
rootpw portmatrix
directory $D/ldap-db
access to * by * read
EOF
    cat >"$D/ldap-base.ldif" <<EOF
dn: dc=portmatrix,dc=test
objectClass: dcObject
objectClass: organization
dc: portmatrix
o: portmatrix test

dn: cn=probe,dc=portmatrix,dc=test
objectClass: inetOrgPerson
cn: probe
sn: probe
mail: probe@portmatrix.test
EOF

    # --- dovecot: POP3/IMAP with STLS/STARTTLS + POP3S/IMAPS
    mkdir -p "$D/dovecot-base" "$D/dovecot-state" "$D/mail"
    chown nobody:nogroup "$D/mail"
    cat >"$D/dovecot.passwd" <<EOF
probe:{PLAIN}probe:65534:65534::$D/mail/probe::
EOF
    cat >"$D/dovecot.conf" <<EOF
protocols = pop3 imap
listen = 127.0.0.1$( [ $v6 = 1 ] && echo ", ::1" )
base_dir = $D/dovecot-base
state_dir = $D/dovecot-state
instance_name = portmatrix-peers
log_path = $D/logs/dovecot.log
info_log_path = $D/logs/dovecot.log
ssl = yes
ssl_cert = <$D/server-chain.pem
ssl_key = <$D/server.key
ssl_min_protocol = TLSv1.2
disable_plaintext_auth = yes
auth_mechanisms = plain
first_valid_uid = 1
passdb {
  driver = passwd-file
  args = scheme=PLAIN $D/dovecot.passwd
}
userdb {
  driver = passwd-file
  args = $D/dovecot.passwd
}
mail_location = maildir:~/Maildir
service pop3-login {
  inet_listener pop3 {
    port = $POP3_PORT
  }
  inet_listener pop3s {
    port = $POP3S_PORT
    ssl = yes
  }
}
service imap-login {
  inet_listener imap {
    port = $IMAP_PORT
  }
  inet_listener imaps {
    port = $IMAPS_PORT
    ssl = yes
  }
}
service stats {
  unix_listener stats-writer {
    mode = 0666
  }
}
EOF

    # --- nginx: HTTP, HTTPS, and a raw TLS listener (stream module)
    mkdir -p "$D/nginx/tmp"
    local l6http="" l6https="" l6tls=""
    if [ $v6 = 1 ]; then
        l6http="listen [::1]:$HTTP_PORT;"
        l6https="listen [::1]:$HTTPS_PORT ssl;"
        l6tls="listen [::1]:$TLS_PORT ssl;"
    fi
    cat >"$D/nginx.conf" <<EOF
load_module /usr/lib/nginx/modules/ngx_stream_module.so;
daemon off;
master_process on;
worker_processes 1;
user nobody nogroup;
pid $D/run/nginx.pid;
error_log $D/logs/nginx-error.log info;
events { worker_connections 256; }
http {
    access_log $D/logs/nginx-access.log;
    client_body_temp_path $D/nginx/tmp/body;
    proxy_temp_path $D/nginx/tmp/proxy;
    default_type text/plain;
    server_tokens off;
    ssl_certificate $D/server-chain.pem;
    ssl_certificate_key $D/server.key;
    ssl_protocols TLSv1.2 TLSv1.3;
    server {
        listen 127.0.0.1:$HTTP_PORT;
        $l6http
        server_name localhost;
        location / { return 200 "portmatrix http ok\n"; }
    }
    server {
        listen 127.0.0.1:$HTTPS_PORT ssl;
        $l6https
        server_name localhost;
        location / { return 200 "portmatrix https ok\n"; }
    }
}
stream {
    server {
        listen 127.0.0.1:$TLS_PORT ssl;
        $l6tls
        ssl_certificate $D/server-chain.pem;
        ssl_certificate_key $D/server.key;
        ssl_protocols TLSv1.2 TLSv1.3;
        return "portmatrix tls ok\n";
    }
}
EOF

    # --- rsync daemon
    mkdir -p "$D/rsync-pub"
    echo "portmatrix" >"$D/rsync-pub/README"
    cat >"$D/rsyncd.conf" <<EOF
pid file = $D/run/rsyncd.pid
log file = $D/logs/rsyncd.log
use chroot = no
uid = nobody
gid = nogroup
max connections = 20
motd file = /dev/null

[pub]
    path = $D/rsync-pub
    comment = portmatrix test module
    read only = yes
EOF

    # --- tinyproxy: one allowing CONNECT anywhere (no ConnectPort lines),
    #     one that only allows CONNECT to port 443 ("proxy denied").
    local name port extra
    for name in tinyproxy tinyproxy-deny; do
        if [ $name = tinyproxy ]; then port=$PROXY_PORT; extra="";
        else port=$PROXY_DENY_PORT; extra="ConnectPort 443"; fi
        cat >"$D/$name.conf" <<EOF
User nobody
Group nogroup
Port $port
Listen 127.0.0.1
BindSame no
Timeout 30
LogFile "$D/logs/$name.log"
LogLevel Info
PidFile "$D/run/$name.pid"
MaxClients 50
Allow 127.0.0.1
ViaProxyName "portmatrix-$name"
DisableViaHeader no
$extra
EOF
    done
    # tinyproxy drops to nobody before opening its log
    touch "$D/logs/tinyproxy.log" "$D/logs/tinyproxy-deny.log"
    chown nobody:nogroup "$D/logs/tinyproxy.log" "$D/logs/tinyproxy-deny.log"

    # --- syslog over TLS: openssl s_server prints received frames to its log.
    # stdin is a FIFO opened read-write so it never sees EOF (s_server quits
    # on stdin EOF).
    mkfifo "$D/run/syslog-tls.stdin"
}

# ------------------------------------------------------------- start ------
start_all() {
    # /run/sshd: sshd's compiled-in privilege separation dir, must exist
    mkdir -p /run/sshd && chmod 755 /run/sshd

    launch dnsmasq /usr/sbin/dnsmasq --keep-in-foreground --conf-file="$D/dnsmasq.conf"
    PEER_PORTS[dnsmasq]="udp:$DNS_PORT tcp:$DNS_PORT"

    launch chronyd /usr/sbin/chronyd -x -d -u _chrony -f "$D/chrony.conf"
    PEER_PORTS[chronyd]="udp:$NTP_PORT"

    launch sshd /usr/sbin/sshd -D -e -f "$D/sshd_config"
    PEER_PORTS[sshd]="tcp:$SSH_PORT"

    launch postfix /usr/lib/postfix/sbin/master -d -c "$D/postfix"
    PEER_PORTS[postfix]="tcp:$SMTP_PORT tcp:$SMTPS_PORT"

    slapadd -q -f "$D/slapd.conf" -l "$D/ldap-base.ldif" >>"$D/logs/slapadd.log" 2>&1 \
        || log "slapadd failed (see $D/logs/slapadd.log); slapd will run with an empty DB"
    launch slapd /usr/sbin/slapd -d 0 -f "$D/slapd.conf" \
        -h "ldap://127.0.0.1:$LDAP_PORT/ ldaps://127.0.0.1:$LDAPS_PORT/"
    PEER_PORTS[slapd]="tcp:$LDAP_PORT tcp:$LDAPS_PORT"

    launch dovecot /usr/sbin/dovecot -F -c "$D/dovecot.conf"
    PEER_PORTS[dovecot]="tcp:$POP3_PORT tcp:$POP3S_PORT tcp:$IMAP_PORT tcp:$IMAPS_PORT"

    launch nginx /usr/sbin/nginx -p "$D/nginx/" -e "$D/logs/nginx-error.log" -c "$D/nginx.conf"
    PEER_PORTS[nginx]="tcp:$HTTP_PORT tcp:$HTTPS_PORT tcp:$TLS_PORT"

    setsid openssl s_server -accept "127.0.0.1:$SYSLOG_TLS_PORT" \
        -cert "$D/server.pem" -key "$D/server.key" -cert_chain "$D/ca.pem" \
        -quiet -naccept 1000000 \
        <>"$D/run/syslog-tls.stdin" >>"$D/logs/syslog-tls.out" 2>&1 &
    echo $! >"$D/syslog-tls.pid"
    PEER_PORTS[syslog-tls]="tcp:$SYSLOG_TLS_PORT"

    launch rsyncd /usr/bin/rsync --daemon --no-detach --config="$D/rsyncd.conf" \
        --port="$RSYNC_PORT" --address=127.0.0.1
    PEER_PORTS[rsyncd]="tcp:$RSYNC_PORT"

    launch tinyproxy /usr/bin/tinyproxy -d -c "$D/tinyproxy.conf"
    PEER_PORTS[tinyproxy]="tcp:$PROXY_PORT"
    launch tinyproxy-deny /usr/bin/tinyproxy -d -c "$D/tinyproxy-deny.conf"
    PEER_PORTS[tinyproxy-deny]="tcp:$PROXY_DENY_PORT"
}

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
    # chrony's local reference needs a moment before it reports a stratum
    # (check_ntp_time refuses an unsynchronised server). Bounded wait.
    local i
    for i in $(seq 40); do
        chrony_synced && break
        [ "$(date +%s)" -ge "$deadline" ] && break
        sleep 0.25
    done
    return 0
}

chrony_synced() {
    "$PLUGINS/check_ntp_time" -H 127.0.0.1 -p "$NTP_PORT" -t 2 -q >/dev/null 2>&1 ||
        "$PLUGINS/check_ntp_time" -H 127.0.0.1 -p "$NTP_PORT" -t 2 -w 3600 -c 7200 >/dev/null 2>&1
}

write_env() {
    local v
    {
        echo "# generated by Tests/Peers/peers.sh start on $(date -u +%Y-%m-%dT%H:%M:%SZ)"
        echo "PEERS_DIR=$D"
        echo "PEERS_HOST=127.0.0.1"
        echo "PEERS_IPV6=$(have_ipv6_lo && echo 1 || echo 0)"
        echo "CA_FILE=$D/ca.pem"
        echo "SERVER_CERT_FILE=$D/server.pem"
        echo "SERVER_KEY_FILE=$D/server.key"
        echo "SSH_HOST_KEY_PUB=$D/ssh_host_ed25519_key.pub"
        echo "DNS_NAME=portmatrix.test"
        echo "DNS_BIG_TXT_NAME=big.portmatrix.test"
        echo "LDAP_BASE_DN=dc=portmatrix,dc=test"
        echo "MAIL_USER=probe"
        echo "MAIL_PASSWORD=probe"
        echo "RSYNC_MODULE=pub"
        for v in $PORT_VARS; do echo "$v=${!v}"; done
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
    local v busy="" used
    used=" $(bound_ports) "
    for v in $PORT_VARS; do
        case "$v" in
            DNS_PORT|NTP_PORT) [[ $used == *" udp:${!v} "* ]] && busy="$busy $v=${!v}/udp" ;;
        esac
        case "$v" in
            NTP_PORT) ;;
            *) [[ $used == *" tcp:${!v} "* ]] && busy="$busy $v=${!v}/tcp" ;;
        esac
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
    gen_certs || die "certificate generation failed (see $D/logs/openssl.log)"
    phase certs
    ( set -e; write_configs ) || die "writing configs failed"
    phase configs
    start_all
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
    local out

    # DNS
    out=$(dig +short +time=2 +tries=1 @127.0.0.1 -p "$DNS_PORT" portmatrix.test A 2>&1)
    [ "$out" = 127.0.0.1 ] && ok dns-udp || fail dns-udp "got '$out'"
    out=$(dig +short +tcp +time=2 +tries=1 @127.0.0.1 -p "$DNS_PORT" portmatrix.test A 2>&1)
    [ "$out" = 127.0.0.1 ] && ok dns-tcp || fail dns-tcp "got '$out'"
    out=$(dig +noedns +ignore +time=2 +tries=1 @127.0.0.1 -p "$DNS_PORT" big.portmatrix.test TXT 2>&1)
    echo "$out" | grep -q 'flags:.* tc' && ok dns-udp-truncated || fail dns-udp-truncated "no TC flag on big TXT"
    out=$(dig +tcp +time=2 +tries=1 @127.0.0.1 -p "$DNS_PORT" big.portmatrix.test TXT 2>&1)
    if echo "$out" | grep -q 'ANSWER: [1-9]' && [ "$(echo "$out" | sed -n 's/.*MSG SIZE  rcvd: \([0-9]*\).*/\1/p')" -gt 512 ]
    then ok dns-tcp-big; else fail dns-tcp-big "big TXT over TCP not > 512 bytes"; fi
    out=$(dig +time=2 +tries=1 @127.0.0.1 -p "$DNS_PORT" nonexistent.portmatrix.test A 2>&1)
    echo "$out" | grep -q 'status: NXDOMAIN' && ok dns-nxdomain || fail dns-nxdomain "expected NXDOMAIN"

    # NTP
    out=$("$PLUGINS/check_ntp_time" -H 127.0.0.1 -p "$NTP_PORT" -t 5 2>&1)
    [ $? = 0 ] && ok ntp || fail ntp "$out"

    # SSH
    out=$(timeout 10 ssh-keyscan -T 5 -t ed25519 -p "$SSH_PORT" 127.0.0.1 2>/dev/null)
    if echo "$out" | grep -qF "$(cut -d' ' -f2 "$SSH_HOST_KEY_PUB")"; then ok ssh
    else fail ssh "ssh-keyscan did not return our host key"; fi
    out=$("$PLUGINS/check_ssh" -H 127.0.0.1 -p "$SSH_PORT" -t 5 2>&1)
    [ $? = 0 ] && ok ssh-banner || fail ssh-banner "$out"

    # SMTP
    out=$("$PLUGINS/check_smtp" -H 127.0.0.1 -p "$SMTP_PORT" -S -t 10 2>&1)
    [ $? = 0 ] && ok smtp-starttls || fail smtp-starttls "$out"
    tls_check smtp-starttls-verify "$SMTP_PORT" -starttls smtp
    tls_check smtps "$SMTPS_PORT"
    out=$(printf 'Subject: portmatrix peers check\r\n\r\nhello\r\n' |
        curl -sS -m 10 --ssl-reqd --cacert "$CA_FILE" --resolve "localhost:$SMTP_PORT:127.0.0.1" \
            --mail-from check@portmatrix.test --mail-rcpt sink@portmatrix.test -T - \
            "smtp://localhost:$SMTP_PORT/" 2>&1)
    [ $? = 0 ] && ok smtp-accept || fail smtp-accept "$out"

    # LDAP
    export LDAPTLS_CACERT="$CA_FILE" LDAPTLS_REQCERT=demand
    out=$(timeout 10 ldapsearch -LLL -x -H "ldap://127.0.0.1:$LDAP_PORT" -s base -b "" namingContexts 2>&1)
    echo "$out" | grep -q "namingContexts: $LDAP_BASE_DN" && ok ldap || fail ldap "$(echo "$out" | head -1)"
    out=$(timeout 10 ldapsearch -LLL -ZZ -x -H "ldap://127.0.0.1:$LDAP_PORT" -s base -b "" namingContexts 2>&1)
    echo "$out" | grep -q "namingContexts: $LDAP_BASE_DN" && ok ldap-starttls || fail ldap-starttls "$(echo "$out" | head -1)"
    out=$(timeout 10 ldapsearch -LLL -x -H "ldaps://127.0.0.1:$LDAPS_PORT" -s base -b "" namingContexts 2>&1)
    echo "$out" | grep -q "namingContexts: $LDAP_BASE_DN" && ok ldaps || fail ldaps "$(echo "$out" | head -1)"

    # POP3 / IMAP
    out=$("$PLUGINS/check_pop" -H 127.0.0.1 -p "$POP3_PORT" -t 5 2>&1)
    [ $? = 0 ] && ok pop3 || fail pop3 "$out"
    tls_check pop3-stls "$POP3_PORT" -starttls pop3
    tls_check pop3s "$POP3S_PORT"
    out=$(curl -sS -m 10 --ssl-reqd --cacert "$CA_FILE" --resolve "localhost:$POP3_PORT:127.0.0.1" \
        -u "$MAIL_USER:$MAIL_PASSWORD" "pop3://localhost:$POP3_PORT/" 2>&1)
    [ $? = 0 ] && ok pop3-login || fail pop3-login "$out"
    out=$("$PLUGINS/check_imap" -H 127.0.0.1 -p "$IMAP_PORT" -t 5 2>&1)
    [ $? = 0 ] && ok imap || fail imap "$out"
    tls_check imap-starttls "$IMAP_PORT" -starttls imap
    tls_check imaps "$IMAPS_PORT"
    out=$(curl -sS -m 10 --cacert "$CA_FILE" --resolve "localhost:$IMAPS_PORT:127.0.0.1" \
        -u "$MAIL_USER:$MAIL_PASSWORD" "imaps://localhost:$IMAPS_PORT/" 2>&1)
    echo "$out" | grep -q INBOX && ok imaps-login || fail imaps-login "$out"

    # plain TLS, HTTP(S), syslog TLS
    tls_check tls "$TLS_PORT"
    out=$(curl -sS -m 5 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$HTTP_PORT/" 2>&1)
    [ "$out" = 200 ] && ok http || fail http "status '$out'"
    out=$(curl -sS -m 5 --cacert "$CA_FILE" -o /dev/null -w '%{http_code}' "https://localhost:$HTTPS_PORT/" \
        --resolve "localhost:$HTTPS_PORT:127.0.0.1" 2>&1)
    [ "$out" = 200 ] && ok https || fail https "status '$out'"
    tls_check syslog-tls "$SYSLOG_TLS_PORT"

    # rsync banner
    out=$(timeout 3 bash -c "exec 3<>/dev/tcp/127.0.0.1/$RSYNC_PORT; head -c 20 <&3" 2>/dev/null | tr -d '\0' | head -1)
    case "$out" in
        "@RSYNCD: "*) ok rsync ;;
        *) fail rsync "banner '$out'" ;;
    esac

    # HTTP CONNECT proxy (allowed) and a proxy that denies CONNECT
    out=$(curl -sS -m 10 -p -x "http://127.0.0.1:$PROXY_PORT" --cacert "$CA_FILE" -o /dev/null \
        -w '%{http_code}' "https://localhost:$HTTPS_PORT/" 2>&1)
    [ "$out" = 200 ] && ok proxy-connect || fail proxy-connect "curl via CONNECT: '$out'"
    out=$(timeout 10 openssl s_client -brief -proxy "127.0.0.1:$PROXY_PORT" -connect "127.0.0.1:$TLS_PORT" \
        -CAfile "$CA_FILE" -verify_return_error </dev/null 2>&1)
    echo "$out" | grep -q '^CONNECTION ESTABLISHED' && ok proxy-connect-tls || fail proxy-connect-tls "s_client via proxy failed"
    out=$(curl -sS -m 10 -p -x "http://127.0.0.1:$PROXY_DENY_PORT" --cacert "$CA_FILE" -o /dev/null \
        -w '%{http_code}' "https://localhost:$HTTPS_PORT/" 2>&1)
    case "$out" in
        *403*) ok proxy-deny ;;
        *) fail proxy-deny "expected CONNECT to be refused with 403, got '$out'" ;;
    esac

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
