# tinyproxy, twice: an HTTP proxy on PROXY_PORT allowing CONNECT to every port (no
# ConnectPort lines), and one on PROXY_DENY_PORT allowing CONNECT to 443 only, so CONNECT
# to our high ports gets "403 Access violation".
peer_port PROXY_PORT 13128 tcp
peer_port PROXY_DENY_PORT 13129 tcp
peer_exe tinyproxy

tinyproxy_config() {
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
}

tinyproxy_start() {
    launch tinyproxy /usr/bin/tinyproxy -d -c "$D/tinyproxy.conf"
    expect tinyproxy "tcp:$PROXY_PORT"
    launch tinyproxy-deny /usr/bin/tinyproxy -d -c "$D/tinyproxy-deny.conf"
    expect tinyproxy-deny "tcp:$PROXY_DENY_PORT"
}

tinyproxy_check() {
    local out
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
}
