# chronyd: NTP on NTP_PORT (udp), serving its local clock at stratum 8; -x: it never
# adjusts the system clock (and needs no CAP_SYS_TIME), cmdport 0: no control socket.
peer_port NTP_PORT 11123 udp
peer_exe chronyd

chrony_config() {
    cat >"$D/chrony.conf" <<EOF
port $NTP_PORT
bindaddress 127.0.0.1
allow 127.0.0.1
local stratum 8
cmdport 0
pidfile $D/run/chronyd.pid
logdir $D/logs
EOF
}

chrony_start() {
    launch chronyd /usr/sbin/chronyd -x -d -u _chrony -f "$D/chrony.conf"
    expect chronyd "udp:$NTP_PORT"
}

# The local reference needs a moment before it reports a stratum (check_ntp_time refuses
# an unsynchronised server).
chrony_ready() {
    "$PLUGINS/check_ntp_time" -H 127.0.0.1 -p "$NTP_PORT" -t 2 -q >/dev/null 2>&1 ||
        "$PLUGINS/check_ntp_time" -H 127.0.0.1 -p "$NTP_PORT" -t 2 -w 3600 -c 7200 >/dev/null 2>&1
}

chrony_check() {
    local out
    out=$("$PLUGINS/check_ntp_time" -H 127.0.0.1 -p "$NTP_PORT" -t 5 2>&1)
    [ $? = 0 ] && ok ntp || fail ntp "$out"
}
