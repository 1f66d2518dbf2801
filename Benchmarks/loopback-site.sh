# The site whose every probed path is on a loopback peer of Tests/Peers (modelled on
# Tests/PortMatrixCLITests/LoopbackSiteTests.swift, which differs in a few options), for Benchmarks/Soak and Benchmarks/NRPE.
# Sourced, never run. loopback_site prints its YAML from the variables of a sourced
# peers.env; the caller appends what it measures with: schedule, nrpe, snmp, agent...
loopback_site() {
    cat <<CONF
roles: [appliance, frontend, gina-frontend]
choices: { mail_inbound: direct, mail_outbound: smarthost, dns: internal, ntp: internal }
features: [fetchmail, cluster, frontend-backend, gina-satellite, syslog, mpki, ocsp-crl, keyserver-query, sspm, nrpe, snmp]
hosts:
  vendor-servers: ["127.0.0.1:$SSH_PORT"]
  email-server: ["127.0.0.1:$SMTP_PORT"]
  smarthost: ["127.0.0.1:$SMTP_PORT"]
  name-server-internal: ["127.0.0.1:$DNS_PORT"]
  cluster-peer: ["127.0.0.1:$SSH_PORT"]
  backend: ["127.0.0.1:$SSH_PORT"]
  syslog-server: [127.0.0.1]
  ldap-server-internal: [127.0.0.1]
  internet: [127.0.0.1]
proxy: { url: "http://127.0.0.1:$PROXY_PORT" }
paths:
  licence-ssh: { via_proxy: always }
  smtp-out-smarthost: { probe: { starttls: required, verify_certificate: true, ca_file: $CA_FILE, server_name: localhost } }
  dns-internal: { probe: { query_name: portmatrix.test, query_type: A } }
  ntp-internal: { targets: ["127.0.0.1:$NTP_PORT"] }
  fetchmail: { endpoints: ["tcp/$POP3S_PORT:pop3s", "tcp/$IMAPS_PORT:imaps", "tcp/$POP3_PORT:pop3", "tcp/$IMAP_PORT:imap"] }
  syslog: { endpoints: ["tcp/$SYSLOG_TLS_PORT:syslog-tls"] }
  mpki: { targets: ["127.0.0.1:$HTTPS_PORT"], via_proxy: always }
  ocsp-crl: { endpoints: ["tcp/$HTTPS_PORT:https", "tcp/$HTTP_PORT:http"] }
  keyserver-ldap-internet: { endpoints: ["tcp/$LDAP_PORT:ldap", "tcp/$LDAPS_PORT:ldaps"] }
  keyserver-ldap-internal: { endpoints: ["tcp/$LDAP_PORT:ldap", "tcp/$LDAPS_PORT:ldaps"] }
  sspm-sms: { targets: ["127.0.0.1:$TLS_PORT"] }
CONF
}
