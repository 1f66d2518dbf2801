# dovecot: POP3 and IMAP with STLS/STARTTLS on POP3_PORT/IMAP_PORT, implicit TLS on
# POP3S_PORT/IMAPS_PORT; user probe/probe, plaintext login only after TLS.
# Its login processes run as dovenull and helpers as dovecot (package users);
# instance_name keeps it apart from a system dovecot.
peer_port POP3_PORT 11110 tcp
peer_port POP3S_PORT 11995 tcp
peer_port IMAP_PORT 11143 tcp
peer_port IMAPS_PORT 11993 tcp
peer_exe dovecot
peer_exe '/usr/lib/dovecot/*'   # its helpers

dovecot_config() {
    mkdir -p "$D/dovecot-base" "$D/dovecot-state" "$D/mail"
    chown nobody:nogroup "$D/mail"
    cat >"$D/dovecot.passwd" <<EOF
probe:{PLAIN}probe:65534:65534::$D/mail/probe::
EOF
    cat >"$D/dovecot.conf" <<EOF
protocols = pop3 imap
listen = 127.0.0.1$(if_v6 ", ::1")
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
}

dovecot_start() {
    launch dovecot /usr/sbin/dovecot -F -c "$D/dovecot.conf"
    expect dovecot "tcp:$POP3_PORT tcp:$POP3S_PORT tcp:$IMAP_PORT tcp:$IMAPS_PORT"
}

dovecot_env() {
    echo "MAIL_USER=probe"
    echo "MAIL_PASSWORD=probe"
}

dovecot_check() {
    local out
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
}
