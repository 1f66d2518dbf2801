# rsync --daemon: banner "@RSYNCD: 31.0" on RSYNC_PORT, a read-only module pub.
peer_port RSYNC_PORT 10873 tcp
peer_exe rsync

rsyncd_config() {
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
}

rsyncd_start() {
    launch rsyncd /usr/bin/rsync --daemon --no-detach --config="$D/rsyncd.conf" \
        --port="$RSYNC_PORT" --address=127.0.0.1
    expect rsyncd "tcp:$RSYNC_PORT"
}

rsyncd_env() {
    echo "RSYNC_MODULE=pub"
}

rsyncd_check() {
    local out
    out=$(timeout 3 bash -c "exec 3<>/dev/tcp/127.0.0.1/$RSYNC_PORT; head -c 20 <&3" 2>/dev/null | tr -d '\0' | head -1)
    case "$out" in
        "@RSYNCD: "*) ok rsync ;;
        *) fail rsync "banner '$out'" ;;
    esac
}
