import Foundation
import PortMatrixTestSupport
import Testing

/// `portmatrix check` in the routed world of Tests/World/world.sh: the binary runs inside the
/// gateway namespace, a real nftables firewall drops, rejects and resets on the way, and real
/// daemons answer on the far side. Each test is one thing a network does to a path, and the
/// verdict an operator should read for it (docs/network-verdicts.md lists them all).
@Suite(.serialized, .enabled(if: World.unavailableReason == nil, "\(World.unavailableReason ?? "")"))
struct RoutedWorldTests {
    let world: World

    /// The world is built by the first world test that runs, once per process.
    init() throws {
        world = try World.located.get()
    }

    /// One path's checks from `check --format json` run in the gateway namespace, with `paths`
    /// as the configuration's `paths:` block (YAML lines, indented by two).
    func checks(_ path: String, hosts: String, paths: String, timeout: String = "3s") throws -> (path: [String: Any], checks: [[String: Any]]) {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("world.yaml")
        try """
        choices: { dns: internal }
        hosts:
        \(hosts)
        schedule: { interval: 30s, timeout: \(timeout) }
        paths:
        \(paths)
        """.write(to: file, atomically: true, encoding: .utf8)
        let (tool, arguments) = world.inGateway([CLIRunner.executable.path, "check", "--config", file.path, "--path", path, "--format", "json"])
        let result = try CLIRunner.tool(tool, arguments)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "\(result.stdout) \(result.stderr)")
        let found = try #require((object["paths"] as? [[String: Any]])?.first { $0["id"] as? String == path })
        return (found, found["checks"] as? [[String: Any]] ?? [])
    }

    /// The only check of smtp-to-mailserver pointed at `target` with one endpoint.
    func tcpCheck(_ target: String, endpoint: String, probe: String = "") throws -> [String: Any] {
        let result = try checks("smtp-to-mailserver", hosts: "  email-server: [\"\(target)\"]",
                                paths: "  smtp-to-mailserver: { endpoints: [\"\(endpoint)\"]\(probe) }")
        return try #require(result.checks.first)
    }

    func port(_ name: String) throws -> String { try world[name] }

    @Test func droppedConnectIsATimeoutThatSaysNoAnswer() throws {
        let check = try tcpCheck(try world["FAR_IPV4"], endpoint: "tcp/\(try port("DROPPED_TCP_PORT")):tcp")
        #expect(check["status"] as? String == "critical")
        #expect(check["reason"] as? String == "connect_timeout")
        #expect((check["message"] as? String ?? "").contains("no answer: dropped on the way, or the host is down"), "\(check)")
    }

    @Test(arguments: ["FAR_IPV4", "FAR_IPV6"])
    func adminProhibitedNamesTheFirewall(_ far: String) throws {
        let check = try tcpCheck(try world[far], endpoint: "tcp/\(try port("ADMIN_PROHIBITED_PORT")):tcp")
        let firewall = try world[far == "FAR_IPV4" ? "FIREWALL_IPV4" : "FIREWALL_IPV6"]
        let icmp = far == "FAR_IPV4" ? "ICMP" : "ICMPv6"
        #expect(check["reason"] as? String == "rejected")
        #expect(check["message"] as? String
            == "rejected by \(firewall) (\(icmp) administratively prohibited): a firewall on the way refuses tcp/\(try port("ADMIN_PROHIBITED_PORT"))")
    }

    @Test func hostUnreachableNamesTheRouter() throws {
        let check = try tcpCheck(try world["FAR_IPV4"], endpoint: "tcp/\(try port("HOST_UNREACHABLE_PORT")):tcp")
        #expect(check["reason"] as? String == "unreachable")
        #expect(check["message"] as? String == "unreachable, reported by \(try world["FIREWALL_IPV4"]) (ICMP host unreachable)")
    }

    @Test func netUnreachableNamesTheRouter() throws {
        let check = try tcpCheck(try world["FAR_IPV6"], endpoint: "tcp/\(try port("NET_UNREACHABLE_PORT")):tcp")
        #expect(check["reason"] as? String == "unreachable")
        #expect(check["message"] as? String == "unreachable, reported by \(try world["FIREWALL_IPV6"]) (ICMPv6 no route to destination)")
    }

    /// A firewall that resets in the far side's name cannot be told from a closed port.
    @Test func tcpResetIsRefused() throws {
        let check = try tcpCheck(try world["FAR_IPV4"], endpoint: "tcp/\(try port("TCP_RESET_PORT")):tcp")
        #expect(check["reason"] as? String == "refused")
        #expect(check["message"] as? String == "connection refused")
    }

    @Test func udpDroppedIsSilentAndUDPClosedNamesTheHost() throws {
        let far = try world["FAR_IPV4"]
        let result = try checks("dns-internal", hosts: "  name-server-internal: [\"\(far)\"]", paths: """
              dns-internal:
                endpoints: ["udp/\(try port("DNS_PORT")):dns", "udp/\(try port("DROPPED_UDP_PORT")):udp", "udp/\(try port("CLOSED_UDP_PORT")):udp", "udp/\(try port("ADMIN_PROHIBITED_PORT")):udp"]
                probe: { query_name: mx.world, query_type: A }
            """)
        let byPort = Dictionary(result.checks.map { ($0["port"] as? Int ?? 0, $0) }, uniquingKeysWith: { first, _ in first })
        #expect(byPort[53]?["status"] as? String == "ok", "\(result.checks)")
        let dropped = try #require(byPort[Int(try port("DROPPED_UDP_PORT")) ?? 0])
        #expect(dropped["udp"] as? String == "no_answer")
        #expect((dropped["message"] as? String ?? "").hasPrefix("no answer: open or filtered"))
        let closed = try #require(byPort[Int(try port("CLOSED_UDP_PORT")) ?? 0])
        #expect(closed["reason"] as? String == "refused")
        #expect(closed["message"] as? String == "closed: \(far) answered ICMP port unreachable")
        let rejected = try #require(byPort[Int(try port("ADMIN_PROHIBITED_PORT")) ?? 0])
        #expect(rejected["reason"] as? String == "rejected")
        #expect((rejected["message"] as? String ?? "").hasPrefix("rejected by \(try world["FIREWALL_IPV4"]) (ICMP administratively prohibited)"))
    }

    /// Someone on the path who knows the 4-tuple of a probe's connect (here: all of them, the
    /// gateway's source ports are narrowed to 100) but not its sequence number floods forged
    /// time-exceeded errors while the probe waits on a dropped port. The kernel counts them as
    /// out-of-window and drops them: the verdict stays "no answer", not "time exceeded".
    @Test func spoofedTimeExceededChangesNothing() async throws {
        let (ip, _) = world.inGateway([])
        _ = try CLIRunner.tool(ip, ["netns", "exec", world.gatewayNamespace, "nstat", "-n"])
        let (tool, arguments) = world.inNamespace("FIREWALL_NS", ["python3", try world["SPOOF_ICMP"], try world["FIREWALL_IPV4"],
            try world["GATEWAY_IPV4"], try world["FAR_IPV4"], try port("DROPPED_TCP_PORT"),
            try world["GATEWAY_PORT_LOW"], try world["GATEWAY_PORT_HIGH"], "2.5"])
        async let spoofer = CLIRunner.toolAsync(tool, arguments)
        let check = try tcpCheck(try world["FAR_IPV4"], endpoint: "tcp/\(try port("DROPPED_TCP_PORT")):tcp")
        let sent = try await spoofer
        #expect(Int(sent.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0 > 0, "\(sent.stderr)")
        #expect(check["reason"] as? String == "connect_timeout")
        #expect(check["message"] as? String == "no answer: dropped on the way, or the host is down")
        let counters = try CLIRunner.tool(ip, ["netns", "exec", world.gatewayNamespace, "nstat", "-az", "TcpExtOutOfWindowIcmps"])
        let dropped = counters.stdout.split(separator: "\n").first { $0.hasPrefix("TcpExtOutOfWindowIcmps") }
            .flatMap { $0.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first }.flatMap { Int($0) } ?? 0
        #expect(dropped > 0, "the forged errors never reached the probe's socket: \(counters.stdout)")
    }

    /// `mx.world` has A and AAAA; the firewall drops IPv6 tcp/25 only. Judged per address:
    /// `all` (the default) is critical and names the IPv6 address, `any` and `ipv4` are OK.
    @Test(arguments: ["", "any", "ipv4"])
    func dualStackNameIsJudgedPerAddress(_ families: String) throws {
        let (v4, v6) = (try world["FAR_IPV4"], try world["FAR_IPV6"])
        let setting = families.isEmpty ? "" : ", address_families: \(families)"
        let result = try checks("smtp-to-mailserver", hosts: "  email-server: [\"\(try world["DUAL_STACK_NAME"])\"]",
                                paths: "  smtp-to-mailserver: { endpoints: [\"tcp/\(try port("SMTP_PORT")):tcp\"]\(setting) }",
                                timeout: "2s")
        let check = try #require(result.checks.first)
        let message = check["message"] as? String ?? ""
        let addresses = check["addresses"] as? [[String: Any]] ?? []
        let byAddress = Dictionary(addresses.map { ($0["address"] as? String ?? "", $0) }, uniquingKeysWith: { first, _ in first })
        #expect(byAddress[v4]?["status"] as? String == "ok", "\(check)")
        #expect(byAddress[v4]?["family"] as? String == "ipv4")
        switch families {
        case "ipv4":
            #expect(check["status"] as? String == "ok", "\(check)")
            #expect(addresses.count == 1)
        default:
            #expect(check["status"] as? String == (families == "any" ? "ok" : "critical"), "\(check)")
            #expect(byAddress[v6]?["family"] as? String == "ipv6")
            #expect(byAddress[v6]?["reason"] as? String == "connect_timeout")
            #expect(message.contains("IPv6 \(v6): no answer: dropped on the way, or the host is down"), "\(message)")
            #expect(message.contains("IPv4 \(v4): ok"), "\(message)")
            if families.isEmpty { #expect(check["reason"] as? String == "connect_timeout") }
        }
    }

    /// Real postfix with `smtpd_discard_ehlo_keywords = starttls`: SMTP expects STARTTLS by default.
    @Test func smtpWithoutStartTLSIsAWarning() throws {
        let check = try tcpCheck(try world["FAR_IPV4"], endpoint: "tcp/\(try port("SMTP_NO_STARTTLS_PORT")):smtp")
        #expect(check["status"] as? String == "warning")
        #expect(check["message"] as? String == "STARTTLS not offered, expected on this path (mx.world ESMTP portmatrix-world)")
        let required = try tcpCheck(try world["FAR_IPV4"], endpoint: "tcp/\(try port("SMTP_NO_STARTTLS_PORT")):smtp", probe: ", probe: { starttls: required }")
        #expect(required["status"] as? String == "critical")
        let open = try tcpCheck(try world["FAR_IPV4"], endpoint: "tcp/\(try port("SMTP_PORT")):smtp")
        #expect(open["status"] as? String == "ok", "\(open)")
    }

    /// The firewall drops full-size segments toward the gateway: connect works, the server's
    /// certificate flight never arrives; with MSS 536 it does.
    @Test func pathMTUBlackHoleIsNamed() throws {
        let check = try tcpCheck(try world["FAR_IPV4"], endpoint: "tcp/\(try port("MTU_BLACKHOLE_TLS_PORT")):tls")
        #expect(check["reason"] as? String == "mtu_blackhole")
        #expect((check["message"] as? String ?? "").hasPrefix("large packets are dropped on the way (works with MSS 536"), "\(check)")
        let open = try tcpCheck(try world["FAR_IPV4"], endpoint: "tcp/\(try port("TLS_PORT")):tls")
        #expect(open["status"] as? String == "ok", "\(open)")
    }
}
