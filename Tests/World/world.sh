#!/usr/bin/env bash
# portmatrix routed test world: three network namespaces and a real nftables firewall.
#
#   world.sh up PREFIX    build PREFIX-gw, PREFIX-fw, PREFIX-far, start the far side's
#                         daemons, write /tmp/PREFIX-world/world.env, print its path
#   world.sh down PREFIX  stop the daemons, delete the namespaces (always exits 0)
#
#   PREFIX-gw  10.10.1.2  fd10:1::2   where the probes run (`ip netns exec PREFIX-gw ...`)
#   PREFIX-fw  10.10.1.1  fd10:1::1 | 10.10.2.1 fd10:2::1   router, nftables (table inet world)
#   PREFIX-far 10.10.2.2  fd10:2::2   postfix, openssl s_server, dnsmasq
#
# The gateway's /etc/netns/PREFIX-gw/hosts names the far side `mx.world` (A and AAAA).
# What the firewall does to each far-side port is in `ruleset` below and in world.env.
# Needs root, iproute2, nftables, postfix, openssl, dnsmasq.
set -u
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$HERE/../Peers/lib.sh"

usage() { echo "usage: $0 {up|down} PREFIX" >&2; exit 2; }

[ $# -eq 2 ] || usage
VERB=$1 P=$2
case "$P" in *[!a-z0-9-]*|"") die "PREFIX must be lower-case letters, digits and dashes" ;; esac
[ ${#P} -le 20 ] || die "PREFIX must be at most 20 characters"
GW=$P-gw FW=$P-fw FAR=$P-far
D=/tmp/$P-world

in_ns() { local ns=$1; shift; ip netns exec "$ns" "$@"; }

# ------------------------------------------------------------- firewall ---
# One rule per world case, in the forward chain of the router. Ports on the far side:
ruleset() {
    cat <<'EOF'
table inet world {
    chain forward {
        type filter hook forward priority filter; policy accept;
        # drop: no answer at all
        tcp dport 22 drop
        udp dport 5353 drop
        # a firewall that says no (ICMP 3/13, ICMPv6 1/1)
        meta l4proto { tcp, udp } th dport 24 reject with icmpx type admin-prohibited
        # a router without a way on
        meta nfproto ipv4 tcp dport 587 reject with icmp type host-unreachable
        meta nfproto ipv6 tcp dport 587 reject with icmpv6 type addr-unreachable
        meta nfproto ipv4 tcp dport 588 reject with icmp type net-unreachable
        meta nfproto ipv6 tcp dport 588 reject with icmpv6 type no-route
        # a reset in the name of the far side
        tcp dport 2526 reject with tcp reset
        # dual-stack name: its IPv6 path is dropped, IPv4 is open
        ip6 daddr fd10:2::2 tcp dport 25 drop
        # path MTU black hole: full-size segments toward the gateway vanish, no ICMP
        tcp sport 8443 meta length > 1280 drop
    }
}
EOF
}

# --------------------------------------------------------------- far side -
write_far() {
    mkdir -p "$D/logs" "$D/run"
    chmod 755 "$D"
    openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 365 -keyout "$D/server.key" -out "$D/server.pem" \
        -subj "/O=portmatrix world/CN=mx.world" -addext "subjectAltName=DNS:mx.world,IP:10.10.2.2,IP:fd10:2::2" \
        >/dev/null 2>"$D/logs/openssl.log" || return 1
    chmod 644 "$D/server.pem"; chmod 600 "$D/server.key"

    # postfix: STARTTLS on 25; on 2525 the same server with STARTTLS stripped from EHLO (what
    # a misconfigured or downgrading middlebox leaves). Never delivers anything.
    postfix_dirs "$D"
    {
        postfix_main_cf "$D"
        cat <<EOF
myhostname = mx.world
mydestination =
inet_interfaces = all
inet_protocols = all
mynetworks = 10.10.0.0/16 [fd10::]/16
default_transport = error:world never relays
relay_transport = error:world never relays
local_transport = error:world has no local delivery
smtpd_banner = \$myhostname ESMTP portmatrix-world
smtpd_tls_cert_file = $D/server.pem
smtpd_tls_key_file = $D/server.key
smtpd_tls_security_level = may
EOF
    } >"$D/postfix/main.cf"
    {
        postfix_master_cf
        cat <<'EOF'
smtp      unix  -       -       n       -       -       smtp
relay     unix  -       -       n       -       -       smtp
local     unix  -       n       n       -       -       local
lmtp      unix  -       -       n       -       -       lmtp
25        inet  n       -       n       -       -       smtpd
2525      inet  n       -       n       -       -       smtpd -o smtpd_discard_ehlo_keywords=starttls
EOF
    } >"$D/postfix/master.cf"
    postfix_settle "$D"
}

far() {  # NAME COMMAND...: launch in the far namespace (pid in $D/NAME.pid)
    local name=$1; shift
    launch "$name" ip netns exec "$FAR" "$@"
}

start_far() {
    far postfix /usr/lib/postfix/sbin/master -d -c "$D/postfix"
    # TLS on 443 (open path) and 8443 (behind the MTU black hole); one IPv4 server each.
    local port
    for port in 443 8443; do
        far "tls-$port" openssl s_server -accept "10.10.2.2:$port" -cert "$D/server.pem" -key "$D/server.key" \
            -quiet -naccept 1000000
    done
    far dnsmasq /usr/sbin/dnsmasq --keep-in-foreground --no-resolv --no-hosts --no-poll --port=53 \
        --bind-interfaces --listen-address=10.10.2.2 --listen-address=fd10:2::2 --user=dnsmasq \
        --pid-file="$D/run/dnsmasq.daemon.pid" --log-facility="$D/logs/dnsmasq.log" \
        --local=/world/ --host-record=mx.world,10.10.2.2,fd10:2::2
    # ...and the same answer on udp/5353, which the firewall drops.
    far dnsmasq-5353 /usr/sbin/dnsmasq --keep-in-foreground --no-resolv --no-hosts --no-poll --port=5353 \
        --bind-interfaces --listen-address=10.10.2.2 --user=dnsmasq --pid-file="$D/run/dnsmasq2.daemon.pid" \
        --log-facility="$D/logs/dnsmasq-5353.log" --local=/world/ --host-record=mx.world,10.10.2.2,fd10:2::2
}

wait_far() {  # every far-side listener bound (ss in the far namespace; the firewall is not crossed)
    local want="tcp:25 tcp:2525 tcp:443 tcp:8443 udp:53 udp:5353" have spec
    for _ in $(seq 100); do
        have=" $(in_ns "$FAR" ss -Hlntu | awk '{split($5,a,":"); print $1 ":" a[length(a)]}' | tr '\n' ' ') "
        local missing=""
        for spec in $want; do [[ $have == *" $spec "* ]] || missing="$missing $spec"; done
        [ -z "$missing" ] && return 0
        sleep 0.1
    done
    log "far side not up, missing:$missing"
    tail -n 20 "$D"/logs/*.out >&2
    return 1
}

# ----------------------------------------------------------------- up -----
link() {  # NS-A IF-A ADDR4-A ADDR6-A NS-B IF-B ADDR4-B ADDR6-B
    ip link add "$2" netns "$1" type veth peer name "$6" netns "$5" || return 1
    in_ns "$1" ip addr add "$3/24" dev "$2" && in_ns "$1" ip -6 addr add "$4/64" dev "$2" nodad &&
    in_ns "$5" ip addr add "$7/24" dev "$6" && in_ns "$5" ip -6 addr add "$8/64" dev "$6" nodad &&
    in_ns "$1" ip link set "$2" up && in_ns "$5" ip link set "$6" up
}

cmd_up() {
    [ "$(id -u)" = 0 ] || die "must run as root (namespaces, nftables, daemons)"
    cmd_down
    local ns
    for ns in "$GW" "$FW" "$FAR"; do
        ip netns add "$ns" || die "cannot create namespace $ns"
        in_ns "$ns" ip link set lo up
    done
    link "$GW" gw0 10.10.1.2 fd10:1::2 "$FW" fw0 10.10.1.1 fd10:1::1 || die "link gw-fw failed"
    link "$FW" fw1 10.10.2.1 fd10:2::1 "$FAR" far0 10.10.2.2 fd10:2::2 || die "link fw-far failed"
    in_ns "$GW" ip route add default via 10.10.1.1 && in_ns "$GW" ip -6 route add default via fd10:1::1 &&
    in_ns "$FAR" ip route add default via 10.10.2.1 && in_ns "$FAR" ip -6 route add default via fd10:2::1 ||
        die "routes failed"
    # Forwarding on; no ICMP rate limit, so back-to-back checks all get their answer at once.
    in_ns "$FW" sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1 net.ipv4.icmp_ratelimit=0 net.ipv6.icmp.ratelimit=0 ||
        die "forwarding failed"
    ruleset | in_ns "$FW" nft -f - || die "nftables ruleset failed"
    # A narrow source-port range in the gateway, so spoof-icmp.py can quote every 4-tuple a
    # probe may use (the spoofing test); 100 ports are plenty for one check at a time.
    in_ns "$GW" sysctl -qw net.ipv4.ip_local_port_range="40000 40099" || die "port range failed"
    mkdir -p "/etc/netns/$GW"
    printf '127.0.0.1 localhost\n::1 localhost\n10.10.2.2 mx.world\nfd10:2::2 mx.world\n' >"/etc/netns/$GW/hosts"
    write_far || die "far-side configuration failed"
    start_far
    wait_far || { cmd_down; die "far side did not start"; }
    cat >"$D/world.env" <<EOF
# generated by Tests/World/world.sh up $P
WORLD_PREFIX=$P
WORLD_DIR=$D
GATEWAY_NS=$GW
FIREWALL_NS=$FW
FAR_NS=$FAR
GATEWAY_IPV4=10.10.1.2
GATEWAY_IPV6=fd10:1::2
FIREWALL_IPV4=10.10.1.1
FIREWALL_IPV6=fd10:1::1
FAR_IPV4=10.10.2.2
FAR_IPV6=fd10:2::2
DUAL_STACK_NAME=mx.world
CA_FILE=$D/server.pem
SMTP_PORT=25
SMTP_NO_STARTTLS_PORT=2525
TLS_PORT=443
MTU_BLACKHOLE_TLS_PORT=8443
DNS_PORT=53
DROPPED_TCP_PORT=22
DROPPED_UDP_PORT=5353
CLOSED_UDP_PORT=54
CLOSED_TCP_PORT=2527
GATEWAY_PORT_LOW=40000
GATEWAY_PORT_HIGH=40099
SPOOF_ICMP=$HERE/spoof-icmp.py
ADMIN_PROHIBITED_PORT=24
HOST_UNREACHABLE_PORT=587
NET_UNREACHABLE_PORT=588
TCP_RESET_PORT=2526
EOF
    echo "$D/world.env"
}

# --------------------------------------------------------------- down -----
cmd_down() {
    local f pid ns
    for f in "$D"/*.pid; do
        [ -f "$f" ] || continue
        read -r pid <"$f" 2>/dev/null || continue
        kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null
    done
    # whatever still runs in the namespaces (postfix children, dnsmasq) goes with them
    for ns in "$FAR" "$FW" "$GW"; do
        ip netns pids "$ns" 2>/dev/null | xargs -r kill -KILL 2>/dev/null
        ip netns del "$ns" 2>/dev/null
        rm -rf "/etc/netns/$ns"
    done
    rm -rf "$D"
    return 0
}

case "$VERB" in
    up) cmd_up ;;
    down) cmd_down ;;
    *) usage ;;
esac
