#!/usr/bin/env bash
# A real Zabbix 6.0 (Debian's zabbix-server-pgsql and zabbix-frontend-php) on loopback, for the
# `portmatrix export zabbix` test: its own PostgreSQL 15 cluster, apache with mod_php serving the
# frontend's API, and zabbix_server, everything under DIR.
#
#   zabbix.sh start DIR   initdb, load schema/images/data (about 35 s), start postgres, apache and
#                         zabbix_server, wait until the API answers; write DIR/zabbix.env
#   zabbix.sh stop  DIR   stop everything started from DIR (always exits 0)
#
# Needs root. Nothing system-wide changes: the frontend reads its configuration from the fixed
# path /etc/zabbix/zabbix.conf.php, so apache runs in a mount namespace of its own where DIR's
# copy of /etc/zabbix is bind-mounted over it.
set -u
LOG_CLOCK=1
. "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

: "${PEERS_PORT_OFFSET:=0}"
: "${ZABBIX_DB_PORT:=$((15432 + PEERS_PORT_OFFSET))}"
: "${ZABBIX_WEB_PORT:=$((18090 + PEERS_PORT_OFFSET))}"
: "${ZABBIX_SERVER_PORT:=$((10151 + PEERS_PORT_OFFSET))}"  # zabbix_server takes 1024-32767
: "${ZABBIX_START_TIMEOUT:=60}"

PGBIN=/usr/lib/postgresql/15/bin
SQL=/usr/share/zabbix-server-pgsql
DB_PASSWORD=portmatrix-test

as_postgres() { runuser -u postgres -- "$@"; }

api() {  # api METHOD PARAMS [AUTH]: the JSON-RPC answer on stdout
    local auth=""
    [ -n "${3:-}" ] && auth=",\"auth\":\"$3\""
    curl -sS --max-time 20 -H 'Content-Type: application/json-rpc' \
        -d "{\"jsonrpc\":\"2.0\",\"method\":\"$1\",\"params\":$2,\"id\":1$auth}" \
        "http://127.0.0.1:$ZABBIX_WEB_PORT/zabbix/api_jsonrpc.php"
}

do_start() {
    [ "$(id -u)" -eq 0 ] || die "must run as root"
    case "$DIR" in *[[:space:]]*) die "DIR must not contain whitespace (it goes into the daemons' configurations unquoted)" ;; esac
    for f in "$PGBIN/initdb" /usr/sbin/zabbix_server /usr/sbin/apache2 /usr/lib/apache2/modules/libphp8.2.so \
             "$SQL/schema.sql.gz" /usr/share/zabbix/api_jsonrpc.php /usr/bin/curl /usr/bin/unshare; do
        [ -e "$f" ] || die "$f is missing (scripts/install-deps test)"
    done
    local port used
    used=" $(bound_ports) "
    for port in "$ZABBIX_DB_PORT" "$ZABBIX_WEB_PORT" "$ZABBIX_SERVER_PORT"; do
        [[ $used == *" tcp:$port "* ]] && die "port $port is in use (another Zabbix peer?): set PEERS_PORT_OFFSET"
    done
    mkdir -p "$DIR" || die "cannot create $DIR"
    [ -e "$DIR/pg" ] && die "$DIR already holds a Zabbix peer: stop it first"
    # postgres and www-data must reach their files under DIR.
    chmod 0755 "$DIR"
    mkdir -p "$DIR/pg" "$DIR/pgsock" "$DIR/pglog" "$DIR/etc" "$DIR/run"
    chown postgres:postgres "$DIR/pg" "$DIR/pgsock" "$DIR/pglog"

    # ---- PostgreSQL: a throwaway cluster (no fsync), loopback and DIR's socket only.
    log "initdb"
    as_postgres "$PGBIN/initdb" -D "$DIR/pg" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$DIR/initdb.log" 2>&1 \
        || die "initdb failed: $(tail -5 "$DIR/initdb.log")"
    as_postgres "$PGBIN/pg_ctl" -D "$DIR/pg" -l "$DIR/pglog/postgres.log" -w -t 30 \
        -o "-p $ZABBIX_DB_PORT -k $DIR/pgsock -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
        start >/dev/null || die "postgres did not start: $(tail -5 "$DIR/pglog/postgres.log")"
    psql_as() { local user=$1; shift; psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$ZABBIX_DB_PORT" -U "$user" "$@"; }
    psql_as postgres -d postgres -c "CREATE ROLE zabbix LOGIN PASSWORD '$DB_PASSWORD'" -c "CREATE DATABASE zabbix OWNER zabbix" \
        || die "cannot create the zabbix role and database"
    log "loading the schema, images and data"
    for part in schema images data; do
        zcat "$SQL/$part.sql.gz" | psql_as zabbix -d zabbix -1 >/dev/null 2>>"$DIR/load.log" \
            || die "loading $part.sql failed: $(tail -5 "$DIR/load.log")"
    done

    # ---- The frontend: DIR/etc is /etc/zabbix inside apache's mount namespace.
    cat >"$DIR/etc/zabbix.conf.php" <<EOF
<?php
\$DB['TYPE'] = 'POSTGRESQL';
\$DB['SERVER'] = '127.0.0.1';
\$DB['PORT'] = '$ZABBIX_DB_PORT';
\$DB['DATABASE'] = 'zabbix';
\$DB['USER'] = 'zabbix';
\$DB['PASSWORD'] = '$DB_PASSWORD';
\$DB['SCHEMA'] = '';
\$DB['ENCRYPTION'] = false;
\$DB['KEY_FILE'] = '';
\$DB['CERT_FILE'] = '';
\$DB['CA_FILE'] = '';
\$DB['VERIFY_HOST'] = false;
\$DB['CIPHER_LIST'] = '';
\$DB['VAULT_URL'] = '';
\$DB['VAULT_DB_PATH'] = '';
\$DB['VAULT_TOKEN'] = '';
\$DB['DOUBLE_IEEE754'] = true;
\$ZBX_SERVER = '127.0.0.1';
\$ZBX_SERVER_PORT = '$ZABBIX_SERVER_PORT';
\$ZBX_SERVER_NAME = 'portmatrix-test';
\$IMAGE_FORMAT_DEFAULT = IMAGE_FORMAT_PNG;
EOF
    chmod 0644 "$DIR/etc/zabbix.conf.php"
    cat >"$DIR/apache2.conf" <<EOF
ServerRoot /etc/apache2
ServerName 127.0.0.1
Listen 127.0.0.1:$ZABBIX_WEB_PORT
PidFile $DIR/run/apache2.pid
Mutex file:$DIR/run default
DefaultRuntimeDir $DIR/run
ErrorLog $DIR/apache-error.log
LogLevel warn
User www-data
Group www-data
LoadModule mpm_prefork_module /usr/lib/apache2/modules/mod_mpm_prefork.so
LoadModule authz_core_module /usr/lib/apache2/modules/mod_authz_core.so
LoadModule alias_module /usr/lib/apache2/modules/mod_alias.so
LoadModule dir_module /usr/lib/apache2/modules/mod_dir.so
LoadModule mime_module /usr/lib/apache2/modules/mod_mime.so
LoadModule php_module /usr/lib/apache2/modules/libphp8.2.so
StartServers 2
MinSpareServers 1
MaxSpareServers 3
TypesConfig /etc/mime.types
DirectoryIndex index.php
<FilesMatch "\.php\$">
    SetHandler application/x-httpd-php
</FilesMatch>
<Directory />
    AllowOverride None
    Require all denied
</Directory>
Include /etc/apache2/conf-available/zabbix-frontend-php.conf
EOF
    log "starting apache on 127.0.0.1:$ZABBIX_WEB_PORT"
    unshare --mount --propagation private sh -c 'mount --bind "$1/etc" /etc/zabbix && exec /usr/sbin/apache2 -f "$1/apache2.conf" -k start' \
        sh "$DIR" || die "apache did not start: $(tail -5 "$DIR/apache-error.log" 2>/dev/null)"
    # -k start returns before the pid file is written: stop needs it.
    for _ in $(seq 1 100); do [ -s "$DIR/run/apache2.pid" ] && break; sleep 0.1; done

    # ---- zabbix_server: loopback, its files in DIR, the configuration cache refreshed every second.
    mkdir -p "$DIR/server"
    chown zabbix:zabbix "$DIR/server"
    cat >"$DIR/zabbix_server.conf" <<EOF
ListenIP=127.0.0.1
ListenPort=$ZABBIX_SERVER_PORT
SourceIP=127.0.0.1
LogFile=$DIR/server/zabbix_server.log
LogFileSize=0
PidFile=$DIR/server/zabbix_server.pid
SocketDir=$DIR/server
DBHost=127.0.0.1
DBPort=$ZABBIX_DB_PORT
DBName=zabbix
DBUser=zabbix
DBPassword=$DB_PASSWORD
User=zabbix
CacheUpdateFrequency=1
StartPollers=1
StartPollersUnreachable=1
StartHTTPPollers=1
StartPreprocessors=1
StartLLDProcessors=1
StartTrappers=2
StartPingers=0
StartDiscoverers=0
StartDBSyncers=1
StartEscalators=1
StartAlerters=1
StartTimers=1
HousekeepingFrequency=0
Timeout=5
EOF
    log "starting zabbix_server"
    /usr/sbin/zabbix_server -c "$DIR/zabbix_server.conf" || die "zabbix_server did not start"

    # ---- Up once the API answers a login and the server has started its pollers.
    local deadline=$((SECONDS + ZABBIX_START_TIMEOUT)) answer=""
    until answer=$(api user.login '{"user":"Admin","password":"zabbix"}' 2>/dev/null) && [[ "$answer" == *'"result":"'* ]] \
          && grep -q "started \[http poller #1\]" "$DIR/server/zabbix_server.log" 2>/dev/null; do
        [ $SECONDS -lt $deadline ] || die "Zabbix did not come up in ${ZABBIX_START_TIMEOUT}s: API said '${answer:-nothing}'; server log: $(tail -5 "$DIR/server/zabbix_server.log" 2>/dev/null)"
        sleep 0.5
    done
    cat >"$DIR/zabbix.env" <<EOF
ZABBIX_API_URL=http://127.0.0.1:$ZABBIX_WEB_PORT/zabbix/api_jsonrpc.php
ZABBIX_USER=Admin
ZABBIX_PASSWORD=zabbix
ZABBIX_SERVER_LOG=$DIR/server/zabbix_server.log
EOF
    log "up: $(api apiinfo.version '[]')"
}

# Stops a daemon by its pid file, only when that pid still runs the expected program.
stop_pid() {
    local file=$1 program=$2 pid
    [ -s "$file" ] || return 0
    pid=$(head -1 "$file")
    pid_alive "$pid" || return 0
    case "$(readlink "/proc/$pid/exe" 2>/dev/null)" in
        *"$program") kill -TERM "$pid" 2>/dev/null ;;
        *) return 0 ;;
    esac
    [ -z "$(wait_gone 10 "$pid")" ] || kill -KILL "$pid" 2>/dev/null
}

do_stop() {
    [ -d "$DIR" ] || return 0
    stop_pid "$DIR/server/zabbix_server.pid" zabbix_server
    stop_pid "$DIR/run/apache2.pid" apache2
    if [ -s "$DIR/pg/postmaster.pid" ]; then
        as_postgres "$PGBIN/pg_ctl" -D "$DIR/pg" -m immediate -w -t 20 stop >/dev/null 2>&1 \
            || stop_pid "$DIR/pg/postmaster.pid" postgres
    fi
    # Daemons whose pid file is missing (a start stopped half-way) still name DIR in their arguments.
    local pid left=""
    for pid in $(ls /proc | grep -E '^[0-9]+$'); do
        [ "$pid" = "$$" ] && continue
        { tr '\0' ' ' <"/proc/$pid/cmdline"; } 2>/dev/null | grep -qF "$DIR/" && left="$left $pid"
    done
    if [ -n "$left" ]; then
        kill -TERM $left 2>/dev/null
        left=$(wait_gone 1 $left)
        [ -z "$left" ] || kill -KILL $left 2>/dev/null
    fi
    rm -rf "$DIR/pg" "$DIR/pgsock" "$DIR/pglog" "$DIR/etc" "$DIR/run" "$DIR/server" "$DIR"/*.conf "$DIR"/*.log "$DIR/zabbix.env"
    rmdir "$DIR" 2>/dev/null
    return 0
}

[ $# -eq 2 ] || { echo "usage: $0 {start|stop} DIR" >&2; exit 2; }
DIR=$(abspath "$2")
case "$1" in
    start) do_start ;;
    stop) do_stop; exit 0 ;;
    *) echo "usage: $0 {start|stop} DIR" >&2; exit 2 ;;
esac
