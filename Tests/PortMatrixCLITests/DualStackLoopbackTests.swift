import Foundation
import PortMatrixTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A host name with an IPv4 and an IPv6 loopback address is probed on both (design §8,
/// `address_families`). `portmatrix check` runs in a mount namespace of its own whose
/// /etc/hosts names `localhost` 127.0.0.1 and ::1 (this host's may list only one); the
/// network stays the host's loopback, where the peers listen: postfix on both, slapd on
/// 127.0.0.1 only.
@Suite(.enabled(if: Peers.shared?.values["PEERS_IPV6"] == "1" && geteuid() == 0
                    && FileManager.default.isExecutableFile(atPath: "/usr/bin/unshare"),
                "needs the real peers with IPv6, root and unshare(1) for a private /etc/hosts"))
struct DualStackLoopbackTests {
    static let unshare = "/usr/bin/unshare"
    let peers = Peers.shared!

    func port(_ name: String) throws -> Int { try #require(peers.port(name), "peers.env has no \(name)") }

    /// The checks of `check --format json` by path id.
    func run(_ configuration: String) throws -> [String: [[String: Any]]] {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let hosts = dir.appendingPathComponent("hosts")
        try "127.0.0.1 localhost\n::1 localhost\n".write(to: hosts, atomically: true, encoding: .utf8)
        let file = try writeFile(configuration, "site.yaml", in: dir)
        let result = try CLIRunner.tool(Self.unshare, [
            "--mount", "--propagation", "private", "sh", "-c", "mount --bind \"$0\" /etc/hosts && exec \"$@\"", hosts.path,
            CLIRunner.executable.path, "check", "--config", file.path, "--format", "json",
            "--path", "smtp-to-mailserver", "--path", "keyserver-ldap-internal", "--path", "smtp-out-smarthost",
        ])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any],
                                  "\(result.stdout) \(result.stderr)")
        let paths = object["paths"] as? [[String: Any]] ?? []
        return Dictionary(paths.map { ($0["id"] as? String ?? "", $0["checks"] as? [[String: Any]] ?? []) },
                          uniquingKeysWith: { first, _ in first })
    }

    @Test func localhostIsProbedOnBothAddresses() throws {
        let checks = try run("""
            roles: [appliance]
            choices: { mail_inbound: direct, mail_outbound: smarthost }
            features: [keyserver-query]
            hosts:
              email-server: ["localhost:\(try port("SMTP_PORT"))"]
              ldap-server-internal: [localhost]
              smarthost: ["localhost:\(try port("LDAP_PORT"))"]
            schedule: { interval: 30s, timeout: 5s }
            paths:
              smtp-to-mailserver: { endpoints: ["tcp/\(try port("SMTP_PORT")):smtp"] }
              keyserver-ldap-internal: { endpoints: ["tcp/\(try port("LDAP_PORT")):ldap"] }
              smtp-out-smarthost: { endpoints: ["tcp/\(try port("LDAP_PORT")):tcp"], address_families: any }
            """)

        // postfix listens on both: OK, one entry per address.
        let smtp = try #require(checks["smtp-to-mailserver"]?.first)
        #expect(smtp["status"] as? String == "ok", "\(smtp)")
        let addresses = try #require(smtp["addresses"] as? [[String: Any]], "\(smtp)")
        #expect(Set(addresses.compactMap { $0["address"] as? String }) == ["127.0.0.1", "::1"])
        #expect(Set(addresses.compactMap { $0["family"] as? String }) == ["ipv4", "ipv6"])
        #expect(addresses.allSatisfy { $0["status"] as? String == "ok" && $0["latency_ms"] is Double })

        // slapd only on 127.0.0.1: with `all` (the default) the ::1 refusal is the finding.
        let ldap = try #require(checks["keyserver-ldap-internal"]?.first)
        #expect(ldap["status"] as? String == "critical", "\(ldap)")
        #expect(ldap["reason"] as? String == "refused")
        let message = ldap["message"] as? String ?? ""
        #expect(message.contains("IPv6 ::1: connection refused") && message.contains("IPv4 127.0.0.1: ok"), "\(message)")
        let ldapAddresses = ldap["addresses"] as? [[String: Any]] ?? []
        #expect(ldapAddresses.first { $0["address"] as? String == "::1" }?["reason"] as? String == "refused")

        // The same port with `any`: one passing address is enough, the message still names ::1.
        let any = try #require(checks["smtp-out-smarthost"]?.first)
        #expect(any["status"] as? String == "ok", "\(any)")
        #expect((any["message"] as? String ?? "").contains("IPv6 ::1: connection refused"))
    }
}
