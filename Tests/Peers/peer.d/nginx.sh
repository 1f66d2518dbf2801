# nginx: plain TLS on TLS_PORT (stream module: handshake, one line, close), HTTP on
# HTTP_PORT and HTTPS on HTTPS_PORT (GET / -> 200). -e keeps the early error log in DIR
# (never /var/log/nginx); workers run as nobody.
peer_port TLS_PORT 14443 tcp
peer_port HTTP_PORT 18080 tcp
peer_port HTTPS_PORT 18443 tcp
peer_exe nginx

nginx_config() {
    mkdir -p "$D/nginx/tmp"
    local l6http="" l6https="" l6tls=""
    if [ "$V6" = 1 ]; then
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
}

nginx_start() {
    launch nginx /usr/sbin/nginx -p "$D/nginx/" -e "$D/logs/nginx-error.log" -c "$D/nginx.conf"
    expect nginx "tcp:$HTTP_PORT tcp:$HTTPS_PORT tcp:$TLS_PORT"
}

nginx_check() {
    local out
    tls_check tls "$TLS_PORT"
    out=$(curl -sS -m 5 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$HTTP_PORT/" 2>&1)
    [ "$out" = 200 ] && ok http || fail http "status '$out'"
    out=$(curl -sS -m 5 --cacert "$CA_FILE" -o /dev/null -w '%{http_code}' "https://localhost:$HTTPS_PORT/" \
        --resolve "localhost:$HTTPS_PORT:127.0.0.1" 2>&1)
    [ "$out" = 200 ] && ok https || fail https "status '$out'"
}
