import Foundation
import PortMatrixTestSupport
import Testing

/// `portmatrix check` end to end: a site whose every probed path points at the real daemons
/// of Tests/Peers on loopback gives OK; listener paths are judged from this host's sockets.
@Suite(.enabled(if: Peers.shared != nil, "real peers unavailable: set PORTMATRIX_PEERS_DIR or add Tests/Peers/peers.sh"))
struct LoopbackSiteTests {
    let peers = Peers.shared!

    /// Paths where the appliance (or its cluster roles) is the source: probed against the peers.
    static let probedPaths = [
        "licence-ssh", "smtp-to-mailserver", "smtp-out-smarthost", "dns-internal", "fetchmail", "cluster-ssh",
        "frontend-backend-ssh", "frontend-state-ssh", "gina-satellite-smtp", "ntp-internal", "syslog", "mpki",
        "ocsp-crl", "keyserver-ldap-internet", "keyserver-ldap-internal", "sspm-sms",
    ]

    func port(_ name: String) throws -> Int { try #require(peers.port(name), "peers.env has no \(name)") }

    func siteConfiguration() throws -> String {
        let ca = try #require(peers.caFile)
        return """
        roles: [appliance, frontend, gina-frontend]
        choices: { mail_inbound: direct, mail_outbound: smarthost, dns: internal, ntp: internal }
        features: [fetchmail, cluster, frontend-backend, gina-satellite, syslog, mpki, ocsp-crl, keyserver-query, sspm]
        hosts:
          vendor-servers: ["127.0.0.1:\(try port("SSH_PORT"))"]
          email-server: ["127.0.0.1:\(try port("SMTP_PORT"))"]
          smarthost: ["[::1]:\(try port("SMTP_PORT"))"]
          name-server-internal: ["127.0.0.1:\(try port("DNS_PORT"))"]
          cluster-peer: ["127.0.0.1:\(try port("SSH_PORT"))"]
          backend: ["[::1]:\(try port("SSH_PORT"))"]
          syslog-server: [127.0.0.1]
          ldap-server-internal: [localhost]
          internet: [127.0.0.1]
        proxy: { url: "http://127.0.0.1:\(try port("PROXY_PORT"))" }
        schedule: { interval: 30s, timeout: 5s }
        paths:
          licence-ssh: { via_proxy: always }
          smtp-out-smarthost: { probe: { starttls: required, verify_certificate: true, ca_file: \(ca), server_name: localhost } }
          dns-internal: { probe: { query_name: portmatrix.test, query_type: A } }
          ntp-internal: { targets: ["127.0.0.1:\(try port("NTP_PORT"))"] }
          fetchmail:
            endpoints: ["tcp/\(try port("POP3S_PORT")):pop3s", "tcp/\(try port("IMAPS_PORT")):imaps", "tcp/\(try port("POP3_PORT")):pop3", "tcp/\(try port("IMAP_PORT")):imap"]
          syslog: { endpoints: ["tcp/\(try port("SYSLOG_TLS_PORT")):syslog-tls"] }
          mpki: { targets: ["127.0.0.1:\(try port("HTTPS_PORT"))"], via_proxy: always }
          ocsp-crl: { endpoints: ["tcp/\(try port("HTTPS_PORT")):https", "tcp/\(try port("HTTP_PORT")):http"] }
          keyserver-ldap-internet: { endpoints: ["tcp/\(try port("LDAP_PORT")):ldap", "tcp/\(try port("LDAPS_PORT")):ldaps"] }
          # `localhost` may also be ::1 (Debian's /etc/hosts), where slapd does not listen.
          keyserver-ldap-internal: { endpoints: ["tcp/\(try port("LDAP_PORT")):ldap", "tcp/\(try port("LDAPS_PORT")):ldaps"], address_families: ipv4 }
          sspm-sms: { targets: ["127.0.0.1:\(try port("TLS_PORT"))"] }
        """
    }

    @Test func everyProbedPathIsOKAgainstTheRealPeers() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = try writeFile(siteConfiguration(), "site.yaml", in: dir)
        let selection = Self.probedPaths.flatMap { ["--path", $0] }

        let nagios = try CLIRunner.run(["check", "--config", file.path] + selection)
        #expect(nagios.status == 0, "\(nagios.stdout)")
        #expect(nagios.stdout.hasPrefix("PORTMATRIX OK - \(Self.probedPaths.count) of \(Self.probedPaths.count) paths compliant"))

        let json = try CLIRunner.run(["check", "--config", file.path, "--format", "json"] + selection)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let paths = try #require(object["paths"] as? [[String: Any]])
        #expect(paths.count == Self.probedPaths.count)
        var checks: [String: [[String: Any]]] = [:]
        for path in paths {
            let id = path["id"] as? String ?? "?"
            #expect(path["status"] as? String == "ok", "\(id): \(path["message"] ?? "")")
            checks[id] = path["checks"] as? [[String: Any]] ?? []
        }
        // What was seen on the wire, per protocol.
        let smtp = try #require(checks["smtp-out-smarthost"]?.first)
        #expect((smtp["smtp"] as? [String: Any])?["starttls"] as? Bool == true)
        #expect(((smtp["tls"] as? [String: Any])?["days_left"] as? Int ?? -1) > 300)
        #expect((smtp["tls"] as? [String: Any])?["verified"] as? Bool == true)
        let ntp = try #require(checks["ntp-internal"]?.first?["ntp"] as? [String: Any])
        #expect(ntp["stratum"] as? Int != nil)
        let dns = try #require(checks["dns-internal"])
        #expect(Set(dns.compactMap { $0["transport"] as? String }) == ["tcp", "udp"])
        #expect(dns.allSatisfy { ($0["dns"] as? [String: Any])?["rcode"] as? String == "NOERROR" })
        #expect(checks["licence-ssh"]?.first?["route"] as? String == "proxy")
        #expect((checks["licence-ssh"]?.first?["banner"] as? String)?.hasPrefix("SSH-2.0-") == true)
        #expect(checks["fetchmail"]?.count == 4)
        #expect(checks["fetchmail"]?.allSatisfy { $0["status"] as? String == "ok" } == true)
    }

    @Test func aStoppedPeerTurnsItsPathCritical() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("site.yaml")
        // A port where nothing listens stands for a stopped daemon.
        let closed = try siteConfiguration().replacingOccurrences(
            of: "email-server: [\"127.0.0.1:\(try port("SMTP_PORT"))\"]", with: "email-server: [\"127.0.0.1:1\"]")
        try closed.write(to: file, atomically: true, encoding: .utf8)
        let result = try CLIRunner.run(["check", "--config", file.path, "--path", "smtp-to-mailserver", "--path", "licence-ssh"])
        #expect(result.status == 2)
        #expect(result.stdout.hasPrefix("PORTMATRIX CRITICAL - 1 of 2 paths compliant; smtp-to-mailserver critical"))
        #expect(result.stdout.contains("[CRITICAL] smtp-to-mailserver: smtp tcp://127.0.0.1:1:"))
    }

    @Test func listenerPathsAreJudgedFromThisHostsSockets() throws {
        // A socket of this test on loopback: present, but unreachable from the network.
        let listener = try TCPListener()
        defer { listener.close() }
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("site.yaml")
        try """
        roles: [appliance]
        features: [nrpe, keyserver-smime]
        paths:
          nrpe: { endpoints: ["tcp/\(listener.port)"] }
          keyserver-smime: { endpoints: ["tcp/1"] }
        """.write(to: file, atomically: true, encoding: .utf8)
        let result = try CLIRunner.run(["check", "--config", file.path, "--path", "nrpe", "--path", "keyserver-smime", "--format", "json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let paths = try #require(object["paths"] as? [[String: Any]])
        let nrpe = try #require(paths.first { $0["id"] as? String == "nrpe" })
        #expect(nrpe["status"] as? String == "warning")
        #expect((nrpe["message"] as? String)?.contains("127.0.0.1") == true)
        let smime = try #require(paths.first { $0["id"] as? String == "keyserver-smime" })
        #expect(smime["status"] as? String == "critical")
        #expect((smime["checks"] as? [[String: Any]])?.first?["reason"] as? String == "not_listening")
        #expect(result.status == 2)

        let listeners = try CLIRunner.run(["listeners", "--config", file.path, "--format", "json"])
        let report = try #require(try JSONSerialization.jsonObject(with: Data(listeners.stdout.utf8)) as? [String: Any])
        let expected = try #require(report["expected"] as? [[String: Any]])
        let mine = try #require(expected.first { $0["path_id"] as? String == "nrpe" })
        let found = try #require((mine["listeners"] as? [[String: Any]])?.first)
        #expect(found["pid"] as? Int == Int(getpid()), "the owner of the socket is this test process")
    }
}
