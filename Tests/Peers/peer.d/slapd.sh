# slapd: LDAP with StartTLS on LDAP_PORT, LDAPS on LDAPS_PORT; slapd.conf-style config,
# an mdb database dc=portmatrix,dc=test with cn=probe, anonymous read.
peer_port LDAP_PORT 13389 tcp
peer_port LDAPS_PORT 13636 tcp
peer_exe slapd

slapd_config() {
    mkdir -p "$D/ldap-db"
    cat >"$D/slapd.conf" <<EOF
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
pidfile $D/run/slapd.pid
argsfile $D/run/slapd.args
modulepath /usr/lib/ldap
moduleload back_mdb
TLSCACertificateFile $D/ca.pem
TLSCertificateFile $D/server.pem
TLSCertificateKeyFile $D/server.key
loglevel stats
database mdb
maxsize 10485760
suffix "dc=portmatrix,dc=test"
rootdn "cn=admin,dc=portmatrix,dc=test"
rootpw portmatrix
directory $D/ldap-db
access to * by * read
EOF
    cat >"$D/ldap-base.ldif" <<EOF
dn: dc=portmatrix,dc=test
objectClass: dcObject
objectClass: organization
dc: portmatrix
o: portmatrix test

dn: cn=probe,dc=portmatrix,dc=test
objectClass: inetOrgPerson
cn: probe
sn: probe
mail: probe@portmatrix.test
EOF
}

slapd_start() {
    slapadd -q -f "$D/slapd.conf" -l "$D/ldap-base.ldif" >>"$D/logs/slapadd.log" 2>&1 \
        || log "slapadd failed (see $D/logs/slapadd.log); slapd will run with an empty DB"
    launch slapd /usr/sbin/slapd -d 0 -f "$D/slapd.conf" \
        -h "ldap://127.0.0.1:$LDAP_PORT/ ldaps://127.0.0.1:$LDAPS_PORT/"
    expect slapd "tcp:$LDAP_PORT tcp:$LDAPS_PORT"
}

slapd_env() {
    echo "LDAP_BASE_DN=dc=portmatrix,dc=test"
}

slapd_check() {
    local out
    export LDAPTLS_CACERT="$CA_FILE" LDAPTLS_REQCERT=demand
    out=$(timeout 10 ldapsearch -LLL -x -H "ldap://127.0.0.1:$LDAP_PORT" -s base -b "" namingContexts 2>&1)
    echo "$out" | grep -q "namingContexts: $LDAP_BASE_DN" && ok ldap || fail ldap "$(echo "$out" | head -1)"
    out=$(timeout 10 ldapsearch -LLL -ZZ -x -H "ldap://127.0.0.1:$LDAP_PORT" -s base -b "" namingContexts 2>&1)
    echo "$out" | grep -q "namingContexts: $LDAP_BASE_DN" && ok ldap-starttls || fail ldap-starttls "$(echo "$out" | head -1)"
    out=$(timeout 10 ldapsearch -LLL -x -H "ldaps://127.0.0.1:$LDAPS_PORT" -s base -b "" namingContexts 2>&1)
    echo "$out" | grep -q "namingContexts: $LDAP_BASE_DN" && ok ldaps || fail ldaps "$(echo "$out" | head -1)"
}
