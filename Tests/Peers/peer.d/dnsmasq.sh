# dnsmasq: DNS on DNS_PORT (udp and tcp), a local zone and no upstream at all.
peer_port DNS_PORT 15353 udp tcp
peer_exe dnsmasq

dnsmasq_config() {
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
$(if_v6 "listen-address=::1")
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
}

dnsmasq_start() {
    launch dnsmasq /usr/sbin/dnsmasq --keep-in-foreground --conf-file="$D/dnsmasq.conf"
    expect dnsmasq "udp:$DNS_PORT tcp:$DNS_PORT"
}

dnsmasq_env() {
    echo "DNS_NAME=portmatrix.test"
    echo "DNS_BIG_TXT_NAME=big.portmatrix.test"
}

dnsmasq_check() {
    local out
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
}
