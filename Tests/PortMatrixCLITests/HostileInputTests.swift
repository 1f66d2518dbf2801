import Foundation
import PortMatrixTestSupport
import Testing

/// Issue 12 items 11-13 against the running agent: traps carry their sink's own community (real
/// snmptrapd), the status endpoint refuses a rebinding Host (real curl), and hostile configuration
/// files are refused by `config validate`, at start and on SIGHUP. Loopback only.
@Suite(.serialized, .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/curl")))
struct HostileInputTests {
    static let pmRoot = "1.3.6.1.4.1.8072.9999.9999.5666"

    func spawnAgent(_ config: URL, log: URL) throws -> Spawned {
        try CLIRunner.spawn(CLIRunner.executable.path, ["agent", "--config", config.path], in: log.deletingLastPathComponent(), output: log)
    }

    /// Before: every trap went out with the first read community (or `public`), so a trap
    /// receiver, or anyone on its path, learnt a credential that reads the MIB.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/sbin/snmptrapd")))
    func trapsCarryTheSinksOwnCommunityNeverTheReadOne() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let snmpPort = try freePort(SOCK_DGRAM), ownPort = try freePort(SOCK_DGRAM), readPort = try freePort(SOCK_DGRAM)
        let peer = try TCPListener()
        var peerOpen = true
        defer { if peerOpen { peer.close() } }
        // Two receivers: one accepts only the sink's community, one only the read community.
        var receivers: [(log: URL, process: Spawned)] = []
        defer { receivers.forEach { $0.process.terminate() } }
        for (name, port, community) in [("own", ownPort, "trapsecret"), ("read", readPort, "pmread")] {
            let conf = dir.appendingPathComponent("\(name).conf"), log = dir.appendingPathComponent("\(name).log")
            try "authCommunity log \(community)\n".write(to: conf, atomically: true, encoding: .utf8)
            let state = dir.appendingPathComponent("\(name)-state")
            try FileManager.default.createDirectory(at: state, withIntermediateDirectories: true)
            receivers.append((log, try CLIRunner.spawn("/usr/sbin/snmptrapd", ["-f", "-Lo", "-On", "-C", "-c", conf.path, "-m", "",
                                                                           "-F", "%P %v\n", "udp:127.0.0.1:\(port)"],
                                                   environment: ["SNMP_PERSISTENT_DIR": state.path, "MIBS": ""], in: dir, output: log)))
        }
        #expect(eventually(timeout: 10) { receivers.allSatisfy { CLIRunner.text($0.log).contains("NET-SNMP version") } })
        let config = dir.appendingPathComponent("agent.yaml")
        try """
        roles: [appliance]
        choices: { ntp: internal }
        features: [snmp]
        hosts: { vendor-servers: [127.0.0.1], name-server-internal: ["127.0.0.1:1"] }
        paths: { licence-ssh: { endpoints: ["tcp/\(peer.port):tcp"] } }
        schedule: { interval: 2s, timeout: 1s, jitter: 0s }
        nrpe: { listen: [] }
        snmp:
          mode: master
          listen: ["udp:127.0.0.1:\(snmpPort)"]
          communities: [{ name: pmread, source: 127.0.0.1 }]
          trap_sinks:
            - { address: "udp:127.0.0.1:\(ownPort)", community: trapsecret }
            - { address: "udp:127.0.0.1:\(readPort)", community: trapsecret }
          state_directory: \(dir.path)/snmp
        agent: { user: root }
        """.write(to: config, atomically: true, encoding: .utf8)
        let log = dir.appendingPathComponent("agent.log")
        let agent = try spawnAgent(config, log: log)
        defer { agent.terminate(signal: SIGKILL) }

        // licence-ssh is ok once the first cycle is in the MIB (pmPathStatus ok = 1).
        var index = ""
        let ready = eventually(timeout: 30, every: 0.3) {
            let ids = (try? CLIRunner.tool("/usr/bin/snmpwalk", ["-v2c", "-c", "pmread", "-On", "-Oq", "127.0.0.1:\(snmpPort)", "\(Self.pmRoot).1.2.1.2"]))?.stdout ?? ""
            guard let line = ids.split(separator: "\n").first(where: { $0.hasSuffix("\"licence-ssh\"") }),
                  let oid = line.split(separator: " ").first else { return false }
            index = String(oid.split(separator: ".").last ?? "")
            let status = (try? CLIRunner.tool("/usr/bin/snmpget", ["-v2c", "-c", "pmread", "-On", "-Oqv", "127.0.0.1:\(snmpPort)", "\(Self.pmRoot).1.2.1.8.\(index)"]))?.stdout
            return status?.trimmingCharacters(in: .whitespacesAndNewlines) == "1"
        }
        try #require(ready, "licence-ssh never ok: \(CLIRunner.text(log))")
        peer.close()
        peerOpen = false
        // ok -> critical: pmPathStatusChange to both sinks, with trapsecret.
        let own = receivers[0].log, read = receivers[1].log
        let arrived = eventually(timeout: 30, every: 0.3) { CLIRunner.text(own).contains("\"licence-ssh\"") }
        #expect(arrived, "no trap at the sink: \(CLIRunner.text(own))\n\(CLIRunner.text(log))")
        let line = CLIRunner.text(own).split(separator: "\n").first { $0.contains("\"licence-ssh\"") } ?? ""
        #expect(line.hasPrefix("TRAP2, SNMP v2c, community trapsecret "), "\(line)")
        #expect(line.contains(".\(Self.pmRoot).0.1"))
        // Sent in the same moment to the receiver that knows only the read community: nothing.
        #expect(eventually(timeout: 5) { CLIRunner.text(log).contains("licence-ssh: ok -> critical") })
        #expect(!CLIRunner.text(read).contains(Self.pmRoot), "\(CLIRunner.text(read))")
        #expect(!CLIRunner.text(read).contains("pmread"))
    }

    @Test func validateRefusesASinkWithoutItsOwnCommunity() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let cases = [
            ("snmp:\n  trap_sinks: [\"udp:192.0.2.5:162\"]\n", "2:16", "snmp.trap_sinks[0]: trap sink 'udp:192.0.2.5:162' has no community"),
            ("snmp:\n  trap_sinks: [{ address: \"udp:192.0.2.5:162\" }]\n", "2:16", "has no community; add community: NAME"),
            ("snmp:\n  communities: [{ name: pmread }]\n  trap_sinks: [{ address: \"udp:192.0.2.5:162\", community: pmread }]\n", "3:59",
             "'pmread' is a read community"),
            ("snmp:\n  trap_sinks: [{ address: \"udp:192.0.2.5:162\", community: pmread }]\n  communities: [{ name: pmread }]\n", "2:59",
             "'pmread' is a read community"),
            ("snmp:\n  trap_sinks: [{ address: \"udp:192.0.2.5:162\", community: public }]\n", "2:59", "'public' is everyone's default community"),
        ]
        for (yaml, position, message) in cases {
            let file = try writeFile(yaml, "site.yaml", in: dir)
            let result = try CLIRunner.run(["config", "validate", file.path])
            #expect(result.status == 2)
            #expect(result.stdout.hasPrefix("\(file.path):\(position): "), "\(result.stdout)")
            #expect(result.stdout.contains(message), "\(result.stdout)")
        }
    }

    /// Before: any Host was answered, so a web page that rebinds its own name to 127.0.0.1
    /// read /status.json from the browser of anyone on this machine.
    @Test func theAgentsStatusEndpointRefusesARebindingHost() async throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let statusPort = try freePort()
        let config = dir.appendingPathComponent("agent.yaml")
        let base = """
        roles: [appliance]
        schedule: { interval: 60s, timeout: 1s, jitter: 0s }
        nrpe: { listen: [] }
        snmp: { mode: off }
        agent: { user: root }

        """
        try (base + "status_endpoint: { listen: [\"127.0.0.1:\(statusPort)\"] }\n").write(to: config, atomically: true, encoding: .utf8)
        let log = dir.appendingPathComponent("agent.log")
        let agent = try spawnAgent(config, log: log)
        defer { agent.terminate(signal: SIGKILL) }
        func curl(_ arguments: [String]) async throws -> String {
            try await runTool("/usr/bin/curl", ["-s", "--max-time", "5", "-o", "/dev/null", "-w", "%{http_code}"] + arguments).stdout
        }
        let url = "http://127.0.0.1:\(statusPort)/status.json"
        let up = try await pollUntil(timeout: 20, every: 0.2) { try await curl([url]) == "200" }
        try #require(up, "\(CLIRunner.text(log))")
        #expect(try await curl(["--resolve", "evil.example:\(statusPort):127.0.0.1", "http://evil.example:\(statusPort)/status.json"]) == "421")
        #expect(try await curl(["-H", "Host: evil.example", url]) == "421")
        #expect(try await curl(["-H", "Host: 192.0.2.1:\(statusPort)", url]) == "421")
        #expect(try await curl(["--resolve", "localhost:\(statusPort):127.0.0.1", "http://localhost:\(statusPort)/metrics"]) == "200")
        #expect(CLIRunner.text(log).contains("refused 127.0.0.1"), "one log line per refusal")

        // A reload that opens it to a monitoring network: IP literals and a chosen name answer.
        try (base + """
        status_endpoint: { listen: ["127.0.0.1:\(statusPort)"], allowed_hosts: [192.0.2.0/24], server_names: [status.example.internal] }

        """).write(to: config, atomically: true, encoding: .utf8)
        kill(agent.pid, SIGHUP)
        let opened = try await pollUntil(timeout: 20, every: 0.2) { try await curl(["-H", "Host: 192.0.2.1:\(statusPort)", url]) == "200" }
        #expect(opened, "\(CLIRunner.text(log))")
        #expect(try await curl(["-H", "Host: status.example.internal", url]) == "200")
        #expect(try await curl(["-H", "Host: evil.example", url]) == "421")
    }

    /// Before: the 1 MiB + 1 file was parsed, and the billion laughs kept Yams hashing for
    /// hours (measured: 24 s at 7 levels, x9 per level; this one has 10).
    @Test func hostileConfigurationsAreRefusedByValidateStartAndReload() async throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var laughs = "a0: &a0 [x, x, x, x, x, x, x, x, x]\n"
        for level in 1...10 {
            laughs += "a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 9).joined(separator: ", ") + "]\n"
        }
        laughs += "? *a10\n: x\n"
        let hostile: [(name: String, text: String, message: String)] = [
            ("big.yaml", "roles: [appliance]\n#" + String(repeating: "x", count: (1 << 20) - 20) + "\n",
             ":0:0: configuration file is too large: the file has 1048577 bytes; at most 1 MiB (1048576 bytes) is read"),
            ("laughs.yaml", laughs, ":7:10: invalid YAML: the document has more than 1000000 nodes with its aliases expanded"),
            ("complex.yaml", "roles: [appliance]\n? [a, b]\n: x\n", ":2:3: invalid YAML: a list as a key; keys must be plain names"),
        ]
        for file in hostile {
            let path = try writeFile(file.text, file.name, in: dir)
            let validate = try CLIRunner.run(["config", "validate", path.path])
            #expect(validate.status == 2, "\(file.name)")
            #expect(validate.stdout.hasPrefix("\(path.path)\(file.message)"), "\(file.name): \(validate.stdout)")
            let start = try CLIRunner.run(["agent", "--config", path.path])
            #expect(start.status == 2, "\(file.name): \(start.stdout) \(start.stderr)")
            #expect(start.stderr.contains("\(path.path)\(file.message)"), "\(file.name): \(start.stderr)")
        }

        // Reload: each is refused and the running configuration keeps serving.
        let statusPort = try freePort()
        let config = dir.appendingPathComponent("agent.yaml")
        let good = """
        roles: [appliance]
        schedule: { interval: 60s, timeout: 1s, jitter: 0s }
        nrpe: { listen: [] }
        snmp: { mode: off }
        agent: { user: root }
        status_endpoint: { listen: ["127.0.0.1:\(statusPort)"] }

        """
        try good.write(to: config, atomically: true, encoding: .utf8)
        let log = dir.appendingPathComponent("agent.log")
        let agent = try spawnAgent(config, log: log)
        defer { agent.terminate(signal: SIGKILL) }
        let url = "http://127.0.0.1:\(statusPort)/status.json"
        func served() async throws -> Bool {
            try await runTool("/usr/bin/curl", ["-s", "--max-time", "5", "-o", "/dev/null", "-w", "%{http_code}", url]).stdout == "200"
        }
        let up = try await pollUntil(timeout: 20, every: 0.2) { try await served() }
        try #require(up, "\(CLIRunner.text(log))")
        for (count, file) in hostile.enumerated() {
            try FileManager.default.removeItem(at: config)
            try FileManager.default.copyItem(at: dir.appendingPathComponent(file.name), to: config)
            kill(agent.pid, SIGHUP)
            #expect(eventually(timeout: 20, every: 0.2) {
                CLIRunner.text(log).components(separatedBy: "reload refused, the running configuration stays").count - 1 == count + 1
            }, "\(file.name): \(CLIRunner.text(log))")
            #expect(CLIRunner.text(log).contains("\(config.path)\(file.message)"), "\(file.name)")
            #expect(try await served(), "\(file.name): the running configuration stays")
        }
        #expect(agent.isRunning)
    }
}
