import Foundation
import PortMatrixTestSupport
import Testing

/// `portmatrix export nagios` against Debian's real Nagios 4 core: the objects pass
/// `nagios4 -v`, and a running core checks two real agents (plain and TLS) through them and
/// records in status.dat the states the agents' own `portmatrix check` finds.
@Suite(.serialized, .enabled(if: NagiosCore.available, "nagios4 is not installed (scripts/install-deps test)"))
struct ExportNagiosTests {
    static let examples = ["standalone-smarthost", "cluster-frontend-gina", "monitoring-host"]

    /// The operator's own host definition, as the server usually already has it.
    static func existingHost(_ name: String, address: String = "192.0.2.1") -> String {
        "define host {\n    host_name   \(name)\n    use         generic-host\n    address     \(address)\n}\n"
    }

    static func export(_ arguments: [String]) throws -> String {
        let result = try CLIRunner.run(["export", "nagios"] + arguments)
        #expect(result.status == 0, "portmatrix export nagios \(arguments.joined(separator: " ")): \(result.stderr)")
        return result.stdout
    }

    struct Variant: CustomTestStringConvertible, Sendable {
        var name: String
        var arguments: [String]
        /// The host is defined by the export itself.
        var definesHost: Bool
        /// Contacts come from a template or --contact-groups: Nagios has nothing to warn about.
        var hasContacts = false
        var testDescription: String { name }
    }

    static let variants = [
        Variant(name: "services only", arguments: [], definesHost: false),
        Variant(name: "with host", arguments: ["--with-host", "--address", "10.0.0.5"], definesHost: true),
        Variant(name: "templates", arguments: ["--with-host", "--host-template", "generic-host", "--service-template", "generic-service"],
                definesHost: true, hasContacts: true),
        Variant(name: "contact groups", arguments: ["--with-host", "--contact-groups", "admins"], definesHost: true, hasContacts: true),
        Variant(name: "plaintext, own address and port", arguments: ["--no-tls", "--address", "10.0.0.5", "--nrpe-port", "15666"],
                definesHost: false),
        Variant(name: "client certificate", arguments: ["--client-cert", "/etc/nagios/portmatrix client.pem", "--client-key",
                                                        "/etc/nagios/key$1.pem", "--ca-cert", "/etc/ssl/ca.pem"], definesHost: false),
    ]

    @Test(arguments: examples)
    func everyExampleConfigurationPassesNagiosVerify(_ example: String) throws {
        let config = CLIRunner.repository.appendingPathComponent("docs/examples/\(example).yaml").path
        for variant in Self.variants {
            let dir = try CLIRunner.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: dir) }
            let objects = try Self.export(["--config", config, "--host-name", "gw1"] + variant.arguments)
            let core = try NagiosCore(dir: dir, objects: (variant.definesHost ? [] : [Self.existingHost("gw1")]) + [objects])
            let result = try core.verify()
            #expect(result.status == 0 && result.stdout.contains("Things look okay"), "\(example), \(variant.name):\n\(result.stdout)")
            // Without contacts Nagios warns about exactly that, and nothing else.
            let warnings = result.stdout.split(separator: "\n").filter { $0.hasPrefix("Warning:") }
            if variant.hasContacts {
                #expect(warnings.isEmpty && result.stdout.contains("Total Warnings: 0"), "\(example), \(variant.name):\n\(result.stdout)")
            } else {
                #expect(warnings.allSatisfy { $0.hasSuffix("has no default contacts or contactgroups defined!") }, "\(example), \(variant.name): \(warnings)")
            }
            // One service per applicable path plus the three built-ins.
            let plan = try CLIRunner.run(["plan", "--config", config, "--format", "json"])
            let applicable = try Self.applicablePaths(plan.stdout)
            #expect(result.stdout.contains("Checked \(applicable.count + 3) services."), "\(example), \(variant.name)")
        }
    }

    /// Several gateways in one Nagios: the command is defined once, so the second export
    /// leaves it out; defining it twice is what Nagios refuses.
    @Test func twoGatewaysShareTheCommand() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let first = CLIRunner.repository.appendingPathComponent("docs/examples/standalone-smarthost.yaml").path
        let second = CLIRunner.repository.appendingPathComponent("docs/examples/cluster-frontend-gina.yaml").path
        let one = try Self.export(["--config", first, "--host-name", "gw1", "--with-host", "--address", "10.0.0.5"])
        let shared = try Self.export(["--config", second, "--host-name", "gw2", "--with-host", "--address", "10.0.0.6", "--no-command"])
        let twice = try Self.export(["--config", second, "--host-name", "gw2", "--with-host", "--address", "10.0.0.6"])

        let good = try NagiosCore(dir: dir.appendingPathComponent("good"), objects: [one, shared]).verify()
        #expect(good.status == 0, "\(good.stdout)")
        let bad = try NagiosCore(dir: dir.appendingPathComponent("bad"), objects: [one, twice]).verify()
        #expect(bad.status != 0)
        #expect(bad.stdout.contains("Duplicate definition found for command 'check_portmatrix_nrpe'"), "\(bad.stdout)")
    }

    /// The end-to-end run: two agents on loopback (plaintext and TLS), both exported into one
    /// Nagios core (one with its host defined elsewhere at an unreachable address, so the
    /// services must use --address; one with --with-host and the address from nrpe.listen).
    @Test func nagiosRecordsTheStatesTheAgentsReport() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let peer = try TCPListener()
        defer { peer.close() }
        let closed = try freePort()

        struct Gateway {
            var host: String
            var config: URL
            var port: Int
            var tls: Bool
        }
        var gateways: [Gateway] = []
        for (host, tls) in [("gw-plain", false), ("gw-tls", true)] {
            let port = try freePort()
            let config = dir.appendingPathComponent("\(host).yaml")
            // licence-ssh reaches the test's own listener (OK); the email server's port is closed
            // (smtp-to-mailserver CRITICAL); no listeners beyond the matrix count against it.
            try """
            roles: [appliance]
            choices: { mail_inbound: direct, mail_outbound: direct, ntp: internal }
            features: [nrpe]
            hosts: { vendor-servers: [127.0.0.1], email-server: ["127.0.0.1:\(closed)"], name-server-internal: ["127.0.0.1:\(closed)"] }
            paths: { licence-ssh: { endpoints: ["tcp/\(peer.port):tcp"] } }
            schedule: { interval: 2s, timeout: 1s, jitter: 0s }
            listeners: { unexpected: ok }
            nrpe: { listen: ["127.0.0.1:\(port)"], tls: { mode: \(tls ? "on" : "off") }, state_directory: \(dir.path)/\(host)-state }
            snmp: { mode: off }
            agent: { user: root }
            """.write(to: config, atomically: true, encoding: .utf8)
            gateways.append(Gateway(host: host, config: config, port: port, tls: tls))
        }

        var agents: [Spawned] = []
        defer { agents.forEach { $0.terminate() } }
        for gateway in gateways {
            let log = dir.appendingPathComponent("\(gateway.host).log").path
            agents.append(try Spawned(executable: CLIRunner.executable.path, arguments: ["agent", "--config", gateway.config.path],
                                      environment: ProcessInfo.processInfo.environment, output: log, errors: log, withInput: false))
        }
        for gateway in gateways {
            var text = ""
            let ready = eventually(timeout: 60, every: 0.3) {
                text = (try? CheckNRPE.run(gateway.port, tls: gateway.tls, ["-c", "check_agent"]).stdout) ?? ""
                return text.hasPrefix("PORTMATRIX OK")
            }
            #expect(ready, "\(gateway.host): check_agent: \(text)")
        }

        // Services only, for a host the server already has (at an address NRPE does not listen on).
        let plainObjects = try Self.export(["--config", gateways[0].config.path, "--host-name", "gw-plain", "--address", "127.0.0.1"])
        // The host too; address, port and TLS from the configuration; the command is defined already.
        let tlsObjects = try Self.export(["--config", gateways[1].config.path, "--host-name", "gw-tls", "--with-host", "--no-command"])
        #expect(plainObjects.contains("-H 127.0.0.1 -p \(gateways[0].port) -n!"))
        #expect(tlsObjects.contains(ExportCommandTests.directive("address", "127.0.0.1")))
        #expect(tlsObjects.contains("-H $HOSTADDRESS$ -p \(gateways[1].port)!"))

        let core = try NagiosCore(dir: dir.appendingPathComponent("nagios"),
                                  objects: [Self.existingHost("gw-plain"), plainObjects, tlsObjects], intervalLength: 1)
        let verify = try core.verify()
        try #require(verify.status == 0, "\(verify.stdout)")

        // What each agent's configuration gives in one cycle of its own.
        var expected: [String: (state: Int, output: String)] = [:]
        for gateway in gateways {
            let check = try CLIRunner.run(["check", "--config", gateway.config.path, "--format", "json"])
            let document = try #require(try JSONSerialization.jsonObject(with: Data(check.stdout.utf8)) as? [String: Any])
            let overall = try Self.state(document["status"])
            #expect(overall == 2, "the closed port makes \(gateway.host) critical")
            expected["\(gateway.host)/portmatrix compliance"] = (overall, "PORTMATRIX \(Self.names[overall]) - ")
            expected["\(gateway.host)/portmatrix agent"] = (0, "PORTMATRIX OK - agent: ")
            let listeners = try CheckNRPE.run(gateway.port, tls: gateway.tls, ["-c", "check_listeners"])
            expected["\(gateway.host)/portmatrix listeners"] = (Int(listeners.status), "PORTMATRIX \(Self.names[Int(listeners.status)]) - listeners: ")
            for path in try #require(document["paths"] as? [[String: Any]]) where path["status"] as? String != "skipped" {
                let id = try #require(path["id"] as? String)
                let state = try Self.state(path["status"])
                expected["\(gateway.host)/portmatrix path \(id)"] = (state, "PORTMATRIX \(Self.names[state]) - \(id): ")
            }
            #expect(expected["\(gateway.host)/portmatrix path licence-ssh"]?.state == 0)
            #expect(expected["\(gateway.host)/portmatrix path smtp-to-mailserver"]?.state == 2)
        }

        let nagios = try core.start()
        defer { nagios.terminate() }
        var recorded: [String: [String: String]] = [:]
        let settled = eventually(timeout: 120, every: 0.5) {
            recorded = core.services()
            return Set(recorded.keys) == Set(expected.keys) && expected.allSatisfy { key, value in
                guard let service = recorded[key] else { return false }
                return service["has_been_checked"] == "1" && service["current_state"] == "\(value.state)"
                    && (service["plugin_output"] ?? "").hasPrefix(value.output)
            }
        }
        #expect(nagios.isRunning, "nagios4 ended: \(CLIRunner.text(core.dir.appendingPathComponent("nagios.out")))")
        #expect(Set(recorded.keys) == Set(expected.keys))
        for (key, value) in expected.sorted(by: { $0.key < $1.key }) {
            let service = recorded[key] ?? [:]
            #expect(service["has_been_checked"] == "1", "\(key) never checked")
            #expect(service["current_state"] == "\(value.state)", "\(key): \(service["plugin_output"] ?? "-")")
            #expect((service["plugin_output"] ?? "").hasPrefix(value.output), "\(key): \(service["plugin_output"] ?? "-")")
        }
        if !settled {
            Issue.record("nagios.log:\n\(CLIRunner.text(core.logFile))")
        }

        kill(nagios.pid, SIGTERM)
        #expect(nagios.wait(timeout: 30) == 0)
        #expect(CLIRunner.text(core.logFile).contains("Caught SIGTERM, shutting down"))
    }

    /// A lab profile whose path id, function and description hold every character Nagios,
    /// Icinga 2 or the shell treat specially.
    static let oddID = "odd id;$x!'\"`\\"
    static func labConfiguration(in dir: URL) throws -> String {
        let profile = dir.appendingPathComponent("lab.yaml")
        try """
        name: lab
        roles:
          - { id: gw, description: The gateway }
          - { id: peer, description: A peer }
        paths:
          - id: 'odd id;$x!''"`\\'
            function: "Semicolons; $MACROS$ and !bangs"
            endpoints: [{ port: tcp/7, probe: tcp }]
            source: gw
            target: peer
            applies: required
            description: "two\\nlines \\"quoted\\" \\\\ and $HOSTADDRESS$"
          - { id: plain, function: Plain, endpoints: [{ port: tcp/9, probe: tcp }], source: gw, target: peer, applies: required }
        """.write(to: profile, atomically: true, encoding: .utf8)
        let config = dir.appendingPathComponent("lab-site.yaml")
        try """
        profile: \(profile.path)
        roles: [gw]
        hosts: { peer: [127.0.0.1] }
        nrpe: { listen: ["127.0.0.1:5666"], tls: { mode: off } }
        snmp: { mode: off }
        """.write(to: config, atomically: true, encoding: .utf8)
        return config.path
    }

    /// Nagios hands check_nrpe the path id exactly: a stand-in check_nrpe prints the arguments
    /// it receives, and status.dat records them.
    @Test func oddPathIDsReachCheckNRPEUnchanged() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let config = try Self.labConfiguration(in: dir)
        let plan = try CLIRunner.run(["plan", "--config", config, "--format", "json"])
        #expect(try Self.applicablePaths(plan.stdout) == [Self.oddID, "plain"], "\(plan.stdout)\(plan.stderr)")
        let stub = dir.appendingPathComponent("check nrpe")
        // Nagios turns ';' into ':' in plugin output, so the arguments go to a file.
        let received = dir.appendingPathComponent("arguments")
        try "#!/bin/sh\nline=\nfor a in \"$@\"; do line=\"$line[$a]\"; done\nprintf '%s\\n' \"$line\" >> '\(received.path)'\necho OK\n"
            .write(to: stub, atomically: true, encoding: .utf8)
        chmod(stub.path, 0o755)
        let objects = try Self.export(["--config", config, "--host-name", "gw1", "--with-host", "--check-nrpe", stub.path])
        let core = try NagiosCore(dir: dir.appendingPathComponent("nagios"), objects: [objects], intervalLength: 1)
        let verify = try core.verify()
        try #require(verify.status == 0, "\(verify.stdout)\n\(objects)")

        let nagios = try core.start()
        defer { nagios.terminate() }
        let key = "gw1/portmatrix path odd id__x_____"
        var recorded: [String: String] = [:]
        let checked = eventually(timeout: 60, every: 0.3) {
            let services = core.services()
            recorded = services[key] ?? [:]
            return recorded["has_been_checked"] == "1" && services["gw1/portmatrix path plain"]?["has_been_checked"] == "1"
        }
        #expect(checked, "\(core.services().keys.sorted())")
        #expect(recorded["plugin_output"] == "OK", "\(recorded)")
        let calls = try String(contentsOf: received, encoding: .utf8).split(separator: "\n")
        #expect(calls.contains("[-H][127.0.0.1][-p][5666][-n][-c][check_path][-a][\(Self.oddID)]"), "\(calls)")
        #expect(calls.contains("[-H][127.0.0.1][-p][5666][-n][-c][check_path][-a][plain]"), "\(calls)")
    }

    static let names = ["OK", "WARNING", "CRITICAL", "UNKNOWN"]

    static func state(_ status: Any?) throws -> Int {
        let text = try #require(status as? String)
        return try #require(["ok": 0, "warning": 1, "critical": 2, "unknown": 3][text], "status '\(text)'")
    }

    /// The ids of `plan --format json` whose path applies here.
    static func applicablePaths(_ planJSON: String) throws -> [String] {
        let document = try #require(try JSONSerialization.jsonObject(with: Data(planJSON.utf8)) as? [String: Any])
        let paths = try #require(document["paths"] as? [[String: Any]])
        return paths.filter { $0["applicable"] as? Bool == true }.compactMap { $0["id"] as? String }
    }
}
