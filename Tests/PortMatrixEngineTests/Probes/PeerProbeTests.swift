@testable import PortMatrixEngine
import PortMatrixModel
import PortMatrixTestSupport
import Testing

/// Every probe against a real daemon from `Tests/Peers/peers.sh` on loopback.
@Suite(.enabled(if: Peers.shared != nil, "real peers unavailable: set PORTMATRIX_PEERS_DIR or add Tests/Peers/peers.sh (see Support/Peers.swift)"))
struct PeerProbeTests {
    let peers = Peers.shared!

    func port(_ name: String) throws -> Int {
        try #require(peers.port(name), "peers.env has no \(name)")
    }

    @Test func tcpConnectsToSSHD() async throws {
        let outcome = await Probing.run("tcp", port: try port("SSH_PORT"))
        #expect(outcome.status == .ok, "\(outcome.message)")
    }

    @Test func sshReadsOpenSSHIdentification() async throws {
        let outcome = await Probing.run("ssh", port: try port("SSH_PORT"))
        #expect(outcome.status == .ok, "\(outcome.message)")
        #expect(outcome.observations.banner?.hasPrefix("SSH-2.0-OpenSSH") == true)
    }

    @Test func smtpUpgradesWithStartTLSOnPostfix() async throws {
        let outcome = await Probing.run("smtp", port: try port("SMTP_PORT"))
        #expect(outcome.status == .ok, "\(outcome.message)")
        #expect(outcome.observations.smtp?.starttls == true)
        #expect(outcome.observations.tls?.daysLeft != nil)
        // After TLS Postfix no longer offers STARTTLS.
        #expect(outcome.observations.smtp?.extensions.contains("STARTTLS") == false)
    }

    @Test func smtpVerifiesAgainstTheTestCA() async throws {
        let caFile = try #require(peers.caFile)
        let outcome = await Probing.run("smtp", port: try port("SMTP_PORT")) {
            $0.starttls = .required
            $0.verifyCertificate = true
            $0.caFile = caFile
        }
        #expect(outcome.status == .ok, "\(outcome.message)")
        #expect(outcome.observations.tls?.verified == true)
    }

    @Test func smtpWithoutTrustIsCertInvalid() async throws {
        let outcome = await Probing.run("smtp", port: try port("SMTP_PORT")) {
            $0.verifyCertificate = true
            $0.caFile = "/etc/ssl/certs/ca-certificates.crt"
        }
        #expect(outcome.reason == .certInvalid, "\(outcome.message)")
    }

    @Test(.enabled(if: Probing.hasIPv6Loopback, "no ::1 on this host"))
    func smtpOverIPv6Loopback() async throws {
        let outcome = await Probing.run("smtp", host: "::1", port: try port("SMTP_PORT")) { $0.starttls = .off }
        #expect(outcome.status == .ok, "\(outcome.message)")
        #expect(outcome.observations.peerAddress?.hasPrefix("[::1]") == true)
    }

    @Test func tlsHandshakeWithNginx() async throws {
        let outcome = await Probing.run("tls", port: try port("TLS_PORT"))
        #expect(outcome.status == .ok, "\(outcome.message)")
        #expect(outcome.observations.tls?.version?.hasPrefix("TLSv1.") == true)
        #expect((outcome.observations.tls?.daysLeft ?? -1) > 0)
    }

    @Test func httpStatusFromNginx() async throws {
        let outcome = await Probing.run("http", port: try port("HTTP_PORT"))
        #expect(outcome.status == .ok, "\(outcome.message)")
        #expect(outcome.observations.http?.statusCode != nil)
    }

    @Test func httpsStatusFromNginx() async throws {
        let outcome = await Probing.run("https", port: try port("HTTPS_PORT"))
        #expect(outcome.status == .ok, "\(outcome.message)")
        #expect(outcome.observations.http?.statusCode != nil)
        #expect(outcome.observations.tls != nil)
    }

    @Test func dnsOverUDPAndTCPWithDnsmasq() async throws {
        let name = try #require(peers.values["DNS_NAME"], "peers.env has no DNS_NAME")
        for transport in [Transport.udp, .tcp] {
            let outcome = await Probing.run("dns", port: try port("DNS_PORT"), transport: transport) {
                $0.dnsQueryName = name
                $0.dnsQueryType = "A"
            }
            #expect(outcome.status == .ok, "\(transport): \(outcome.message)")
            #expect(outcome.observations.dns?.rcode == "NOERROR")
            #expect(outcome.observations.dns?.truncated == false)
        }
    }

    /// dnsmasq without upstream refuses recursion for the root: a server that answers but does
    /// not serve is critical.
    @Test func dnsRefusedByDnsmasqIsCritical() async throws {
        let outcome = await Probing.run("dns", port: try port("DNS_PORT"), transport: .udp)
        #expect(outcome.status == .critical)
        #expect(outcome.reason == .protocolError)
        #expect(outcome.observations.dns?.rcode == "REFUSED")
    }

    @Test func dnsTruncatedAnswerFallsBackToTCP() async throws {
        let name = try #require(peers.values["DNS_BIG_TXT_NAME"], "peers.env has no DNS_BIG_TXT_NAME")
        let outcome = await Probing.run("dns", port: try port("DNS_PORT"), transport: .udp) {
            $0.dnsQueryName = name
            $0.dnsQueryType = "TXT"
        }
        #expect(outcome.status == .ok, "\(outcome.message)")
        #expect(outcome.observations.dns?.truncated == true)
        #expect((outcome.observations.dns?.answers ?? 0) > 0)
    }

    @Test func sntpWithChrony() async throws {
        let outcome = await Probing.run("sntp", port: try port("NTP_PORT"), transport: .udp)
        // chrony on a test box may be unsynchronised (leap 3): the exchange itself must work.
        #expect(outcome.observations.ntp != nil, "\(outcome.message)")
        #expect(outcome.observations.udp == .answered)
        #expect(outcome.status == .ok || outcome.reason == .protocolError)
    }

    @Test func ldapAnonymousBindOnSlapd() async throws {
        let outcome = await Probing.run("ldap", port: try port("LDAP_PORT"))
        #expect(outcome.status == .ok, "\(outcome.message)")
    }

    @Test func ldapStartTLSWhenRequired() async throws {
        let outcome = await Probing.run("ldap", port: try port("LDAP_PORT")) { $0.starttls = .required }
        #expect(outcome.status == .ok, "\(outcome.message)")
        #expect(outcome.observations.tls != nil)
    }

    @Test func ldapsBindOnSlapd() async throws {
        let outcome = await Probing.run("ldaps", port: try port("LDAPS_PORT"))
        #expect(outcome.status == .ok, "\(outcome.message)")
        #expect(outcome.observations.tls != nil)
    }

    @Test func pop3WithSTLSOnDovecot() async throws {
        let outcome = await Probing.run("pop3", port: try port("POP3_PORT"))
        #expect(outcome.status == .ok, "\(outcome.message)")
        #expect(outcome.observations.tls != nil)
    }

    @Test func pop3sOnDovecot() async throws {
        let outcome = await Probing.run("pop3s", port: try port("POP3S_PORT"))
        #expect(outcome.status == .ok, "\(outcome.message)")
        #expect(outcome.observations.banner?.hasPrefix("+OK") == true)
    }

    @Test func imapWithStartTLSOnDovecot() async throws {
        let outcome = await Probing.run("imap", port: try port("IMAP_PORT"))
        #expect(outcome.status == .ok, "\(outcome.message)")
        #expect(outcome.observations.tls != nil)
    }

    @Test func imapsOnDovecot() async throws {
        let outcome = await Probing.run("imaps", port: try port("IMAPS_PORT"))
        #expect(outcome.status == .ok, "\(outcome.message)")
        #expect(outcome.observations.banner?.hasPrefix("* OK") == true)
    }

    @Test func syslogTLSHandshake() async throws {
        let outcome = await Probing.run("syslog-tls", port: try port("SYSLOG_TLS_PORT"))
        #expect(outcome.status == .ok, "\(outcome.message)")
        #expect(outcome.observations.tls?.subject != nil)
    }

    @Test func rsyncDaemonGreeting() async throws {
        let outcome = await Probing.run("rsync", port: try port("RSYNC_PORT"))
        #expect(outcome.status == .ok, "\(outcome.message)")
        #expect(outcome.observations.banner?.hasPrefix("@RSYNCD: ") == true)
    }

    @Test func sshThroughTinyproxy() async throws {
        let proxy = ProxyEndpoint(host: "127.0.0.1", port: try port("PROXY_PORT"))
        let outcome = await Probing.run("ssh", port: try port("SSH_PORT"), proxy: proxy)
        #expect(outcome.status == .ok, "\(outcome.message)")
        #expect(outcome.observations.route == "proxy")
    }

    @Test func denyingTinyproxyIsProxyDenied() async throws {
        let proxy = ProxyEndpoint(host: "127.0.0.1", port: try port("PROXY_DENY_PORT"))
        let outcome = await Probing.run("ssh", port: try port("SSH_PORT"), proxy: proxy)
        #expect(outcome.reason == .proxyDenied, "\(outcome.message)")
    }
}
