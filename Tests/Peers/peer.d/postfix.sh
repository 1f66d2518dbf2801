# postfix: SMTP with STARTTLS on SMTP_PORT, implicit TLS (wrapper mode) on SMTPS_PORT.
# Accepts mail for portmatrix.test and discards it; never relays or delivers anywhere
# (every other transport is error:). (opensmtpd 6.8.0p2 in Debian 12 cannot complete a
# TLS handshake with OpenSSL 3: "SSL routines::EVP lib", OpenSMTPD issues #1171/#1239.)
peer_port SMTP_PORT 12525 tcp
peer_port SMTPS_PORT 12465 tcp
peer_exe '/usr/lib/postfix/sbin/*'

postfix_config() {
    postfix_dirs "$D"
    {
        postfix_main_cf "$D"
        cat <<EOF
myhostname = localhost
mydomain = portmatrix.test
myorigin = \$myhostname
mydestination =
inet_interfaces = 127.0.0.1$(if_v6 ", [::1]")
inet_protocols = $( [ "$V6" = 1 ] && echo all || echo ipv4 )
mynetworks = 127.0.0.0/8$(if_v6 " [::1]/128")
relay_domains = portmatrix.test
transport_maps = inline:{ portmatrix.test=discard: }
default_transport = error:portmatrix test peer never relays
relay_transport = error:portmatrix test peer never relays
local_transport = error:portmatrix test peer has no local delivery
smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination
smtpd_banner = \$myhostname ESMTP portmatrix-test-peer
smtpd_tls_cert_file = $D/server-chain.pem
smtpd_tls_key_file = $D/server.key
smtpd_tls_security_level = may
smtpd_tls_loglevel = 1
smtpd_tls_protocols = >=TLSv1.2
smtpd_tls_mandatory_protocols = >=TLSv1.2
smtputf8_enable = no
message_size_limit = 1048576
EOF
    } >"$D/postfix/main.cf"
    {
        postfix_master_cf
        cat <<EOF
proxywrite unix -       -       n       -       1       proxymap
127.0.0.1:$SMTP_PORT inet n - n - - smtpd
127.0.0.1:$SMTPS_PORT inet n - n - - smtpd -o smtpd_tls_wrappermode=yes -o smtpd_tls_security_level=encrypt
$(if_v6 "[::1]:$SMTP_PORT inet n - n - - smtpd")
EOF
    } >"$D/postfix/master.cf"
    postfix_settle "$D"
}

postfix_start() {
    launch postfix /usr/lib/postfix/sbin/master -d -c "$D/postfix"
    expect postfix "tcp:$SMTP_PORT tcp:$SMTPS_PORT"
}

postfix_check() {
    local out
    out=$("$PLUGINS/check_smtp" -H 127.0.0.1 -p "$SMTP_PORT" -S -t 10 2>&1)
    [ $? = 0 ] && ok smtp-starttls || fail smtp-starttls "$out"
    tls_check smtp-starttls-verify "$SMTP_PORT" -starttls smtp
    tls_check smtps "$SMTPS_PORT"
    out=$(printf 'Subject: portmatrix peers check\r\n\r\nhello\r\n' |
        curl -sS -m 10 --ssl-reqd --cacert "$CA_FILE" --resolve "localhost:$SMTP_PORT:127.0.0.1" \
            --mail-from check@portmatrix.test --mail-rcpt sink@portmatrix.test -T - \
            "smtp://localhost:$SMTP_PORT/" 2>&1)
    [ $? = 0 ] && ok smtp-accept || fail smtp-accept "$out"
}
