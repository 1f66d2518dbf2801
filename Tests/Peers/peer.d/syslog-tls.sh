# openssl s_server: a TLS listener for syslog over TLS (RFC 5425) on SYSLOG_TLS_PORT;
# whatever a client sends ends up in DIR/logs/syslog-tls.out. One connection at a time.
peer_port SYSLOG_TLS_PORT 16514 tcp
peer_exe openssl "*s_server*"   # never an openssl client a test runs

syslog_tls_config() {
    # s_server quits on EOF of its stdin: a FIFO opened read-write never has one
    mkfifo "$D/run/syslog-tls.stdin"
}

syslog_tls_start() {
    setsid openssl s_server -accept "127.0.0.1:$SYSLOG_TLS_PORT" \
        -cert "$D/server.pem" -key "$D/server.key" -cert_chain "$D/ca.pem" \
        -quiet -naccept 1000000 \
        <>"$D/run/syslog-tls.stdin" >>"$D/logs/syslog-tls.out" 2>&1 &
    echo $! >"$D/syslog-tls.pid"
    expect syslog-tls "tcp:$SYSLOG_TLS_PORT"
}

syslog_tls_check() {
    tls_check syslog-tls "$SYSLOG_TLS_PORT"
}
