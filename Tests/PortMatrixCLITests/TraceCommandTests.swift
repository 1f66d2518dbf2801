import Foundation
import Testing

/// `portmatrix trace` refuses what it cannot trace, exit 2 with the reason, before sending anything.
@Suite struct TraceCommandTests {
    func run(_ arguments: [String], site extra: String = "") throws -> CLIRunner.Result {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("site.yaml")
        try """
        choices: { dns: internal }
        hosts: { email-server: ["127.0.0.1:1", "mail.example.test"], name-server-internal: ["127.0.0.1"] }
        \(extra)
        """.write(to: file, atomically: true, encoding: .utf8)
        return try CLIRunner.run(["trace"] + arguments + ["--config", file.path])
    }

    @Test(arguments: [("0", "--max-hops 0 is out of range 1-64"), ("65", "--max-hops 65 is out of range 1-64")])
    func maxHopsOutOfRange(_ value: String, _ reason: String) throws {
        let result = try run(["smtp-to-mailserver", "--max-hops", value])
        #expect(result.status == 2)
        #expect(result.stderr.contains(reason), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    @Test func unknownPathHasADidYouMean() throws {
        let result = try run(["smtp-to-mailservr"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("no path 'smtp-to-mailservr'; did you mean 'smtp-to-mailserver'?"), "\(result.stderr)")
    }

    @Test func targetNotOfThePath() throws {
        let result = try run(["smtp-to-mailserver", "--target", "10.9.9.9:25"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("--target 10.9.9.9:25 is not a target of path smtp-to-mailserver; its targets: 127.0.0.1:1, mail.example.test:25"),
                "\(result.stderr)")
        let port = try run(["smtp-to-mailserver", "--target", "127.0.0.1:25"])
        #expect(port.status == 2, "the host is a target, but not on that port")
        let malformed = try run(["smtp-to-mailserver", "--target", "a b"])
        #expect(malformed.status == 2)
        #expect(malformed.stderr.contains("--target 'a b' is not HOST or HOST:PORT"))
    }

    @Test func listenerPathIsNotProbedFromHere() throws {
        let result = try run(["smtp-from-mailserver"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("path smtp-from-mailserver is not probed from here"), "\(result.stderr)")
    }

    /// A path whose target role has no hosts configured has nothing to send a packet to.
    @Test func pathWithoutHostsHasNothingToTrace() throws {
        let result = try run(["keyserver-ldap-internal"], site: "features: [keyserver-query]")
        #expect(result.status == 2)
        #expect(result.stderr.contains("path keyserver-ldap-internal has no hosts for ldap-server-internal: nothing to trace"), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    @Test func skippedPathSaysWhy() throws {
        let result = try run(["smtp-in-internet"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("path smtp-in-internet does not apply here: choice mail_inbound not set"), "\(result.stderr)")
    }

    @Test func unknownFormat() throws {
        let result = try run(["smtp-to-mailserver", "--format", "xml"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("--format must be text or json"))
    }

    /// A name that does not resolve cannot be traced: an error (exit 3), not a verdict.
    @Test func unresolvableTargetIsAnError() throws {
        let result = try run(["smtp-to-mailserver", "--target", "mail.example.test"])
        #expect(result.status == 3)
        #expect(result.stderr.contains("mail.example.test does not resolve"), "\(result.stderr)")
    }

    /// A source_address this host does not have: the socket cannot bind, so nothing is sent; an
    /// error (exit 3) naming the check, not a verdict about the network.
    @Test func sourceAddressNotLocalIsAnError() throws {
        let result = try run(["smtp-to-mailserver", "--target", "127.0.0.1:1"], site: "source_address: 192.0.2.77")
        #expect(result.status == 3)
        #expect(result.stderr.contains("trace 127.0.0.1:1 (tcp/1): source address is not local"), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    /// Loopback: the target answers at hop 1; a closed port is refused, which counts as reached.
    @Test func loopbackIsReachedAtHopOne() throws {
        let result = try run(["smtp-to-mailserver", "--target", "127.0.0.1:1", "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let trace = try #require((object["traces"] as? [[String: Any]])?.first)
        #expect(trace["outcome"] as? String == "refused")
        #expect((trace["hops"] as? [[String: Any]])?.count == 1)
    }
}

/// The trace settings are validated like every other section.
@Suite struct TraceSettingsTests {
    @Test(arguments: [
        ("trace: { concurrency: 0 }", "concurrency"), ("trace: { interval: 10s }", "trace.interval must be at least 1m"),
        ("trace: { hop_timeout: 1h }", "trace.hop_timeout must be between 100ms and 10s"), ("trace: { max_hops: 65 }", "max_hops"),
        ("trace: { concurency: 2 }", "did you mean 'concurrency'?"),
    ])
    func badValuesAreErrors(_ yaml: String, _ expected: String) throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("site.yaml")
        try "choices: { dns: internal }\n\(yaml)\n".write(to: file, atomically: true, encoding: .utf8)
        let result = try CLIRunner.run(["config", "validate", file.path])
        #expect(result.status == 2)
        #expect(result.stderr.contains(expected) || result.stdout.contains(expected), "\(result.stdout) \(result.stderr)")
    }
}

/// `plan --format firewall-request`: every probe of a site not yet live, each resolved address.
@Suite struct PlanFirewallRequestTests {
    @Test func everyProbeIsARowAndMarkdownNeedsTheFormat() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("site.yaml")
        try """
        choices: { dns: internal }
        hosts: { email-server: ["127.0.0.1:2525"], name-server-internal: ["127.0.0.1"] }
        """.write(to: file, atomically: true, encoding: .utf8)
        let csv = try CLIRunner.run(["plan", "--config", file.path, "--format", "firewall-request"])
        #expect(csv.status == 0, "\(csv.stderr)")
        let lines = csv.stdout.components(separatedBy: "\r\n")
        #expect(lines.first == "source_address,destination_address,destination_name,protocol,port,purpose,verdict,where_it_died")
        #expect(lines.contains("127.0.0.1,127.0.0.1,127.0.0.1,tcp,2525,Email communication,planned,"), "\(lines)")
        let markdown = try CLIRunner.run(["plan", "--config", file.path, "--format", "firewall-request", "--markdown"])
        #expect(markdown.stdout.hasPrefix("| source address | destination address |"))
        let stray = try CLIRunner.run(["plan", "--config", file.path, "--markdown"])
        #expect(stray.status != 0)
        #expect(stray.stderr.contains("--markdown goes with --format firewall-request"))
    }
}
