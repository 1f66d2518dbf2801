import Foundation
import PortMatrixTestSupport
import Testing

/// `check --format checkmk|prtg`, the agent's Checkmk spool file and `/prtg.json`, with the real
/// executable; outputs read back by Checkmk's documented local-check grammar and PRTG's schema.
@Suite(.serialized, .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/curl")))
struct MonitoringFormatsTests {
    /// licence-ssh probes a loopback listener (ok); ntp-internal has a closed port (critical).
    static func site(_ dir: URL, peer: TCPListener, extra: String = "") throws -> URL {
        let config = dir.appendingPathComponent("site.yaml")
        try """
        roles: [appliance]
        choices: { ntp: internal }
        features: [nrpe]
        hosts: { vendor-servers: [127.0.0.1], name-server-internal: ["127.0.0.1:1"] }
        paths: { licence-ssh: { endpoints: ["tcp/\(peer.port):tcp"] } }
        schedule: { interval: 2s, timeout: 1s, jitter: 0s }
        nrpe: { listen: [] }
        snmp: { mode: off }
        agent: { user: root }
        \(extra)
        """.write(to: config, atomically: true, encoding: .utf8)
        return config
    }

    @Test func checkPrintsCheckmkLocalChecksAndPRTGJSON() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let peer = try TCPListener()
        defer { peer.close() }
        let config = try Self.site(dir, peer: peer)

        let checkmk = try CLIRunner.run(["check", "--config", config.path, "--format", "checkmk"])
        let services = try CheckmkLocalGrammar.parse(checkmk.stdout)
        let byName = Dictionary(uniqueKeysWithValues: services.map { ($0.name, $0) })
        #expect(byName["portmatrix licence-ssh"]?.state == 0)
        #expect(byName["portmatrix licence-ssh"]?.metrics.first?.name == "tcp_tcp_127_0_0_1_\(peer.port)_time")
        #expect(byName["portmatrix ntp-internal"]?.state == 2)
        #expect(byName["portmatrix compliance"]?.state == 2)
        #expect(byName["portmatrix agent"] != nil)
        #expect(checkmk.status == 2)  // the plugin's exit code, as for nagios and json

        let prtg = try CLIRunner.run(["check", "--config", config.path, "--format", "prtg"])
        #expect(prtg.status == 0)  // PRTG takes a non-zero exit as a broken script; states are in the channels
        #expect(PRTGSchema.violations(prtg.stdout) == [])
        #expect(prtg.stdout.contains("{\"channel\":\"licence-ssh\",\"notifychanged\":1,\"unit\":\"Custom\",\"value\":0,\"valuelookup\":\"portmatrix.state\"}"))
        #expect(prtg.stdout.contains("{\"channel\":\"ntp-internal\",\"notifychanged\":1,\"unit\":\"Custom\",\"value\":2,\"valuelookup\":\"portmatrix.state\"}"))

        // A broken configuration: the error form for PRTG, an UNKNOWN service for Checkmk.
        let broken = dir.appendingPathComponent("broken.yaml")
        try "roles: [applianc]\n".write(to: broken, atomically: true, encoding: .utf8)
        let prtgError = try CLIRunner.run(["check", "--config", broken.path, "--format", "prtg"])
        #expect(PRTGSchema.violations(prtgError.stdout) == [])
        #expect(prtgError.stdout.hasPrefix("{\"prtg\":{\"error\":1,\"text\":\"portmatrix: configuration error: "))
        #expect(prtgError.stdout.contains("unknown role 'applianc'"))
        let checkmkError = try CLIRunner.run(["check", "--config", broken.path, "--format", "checkmk"])
        #expect(checkmkError.status == 3)
        let errorServices = try CheckmkLocalGrammar.parse(checkmkError.stdout)
        #expect(errorServices.map(\.state) == [3])
        #expect(errorServices.first?.text.contains("unknown role 'applianc'") == true)
    }

    @Test func anUnknownFormatListsTheValidOnes() throws {
        let result = try CLIRunner.run(["check", "--format", "zabbix"])
        #expect(result.status == 64)
        for format in ["nagios", "json", "table", "dot", "checkmk", "prtg"] { #expect(result.stderr.contains(format), "\(result.stderr)") }
        let yaml = try CLIRunner.run(["check", "--format", "yaml"])
        #expect(yaml.status == 64)
        #expect(yaml.stderr.contains("--format must be one of nagios, json, table, dot, checkmk, prtg"), "\(yaml.stderr)")
    }

    @Test func spoolFileNamesMustCarryTheirMaximumAge() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let config = dir.appendingPathComponent("c.yaml")
        try "checkmk: { spool_file: /var/lib/check_mk_agent/spool/portmatrix }\n".write(to: config, atomically: true, encoding: .utf8)
        let bad = try CLIRunner.run(["config", "validate", config.path])
        #expect(bad.status == 2)
        #expect(bad.stdout.contains("c.yaml:1:24: checkmk.spool_file: 'portmatrix' must start with the maximum age in seconds, e.g. 180_portmatrix"), "\(bad.stdout)")
        try "checkmk: { spool_file: spool/180_portmatrix }\n".write(to: config, atomically: true, encoding: .utf8)
        #expect(try CLIRunner.run(["config", "validate", config.path]).stdout.contains("c.yaml:1:24: checkmk.spool_file: 'spool/180_portmatrix' is not an absolute path"))
        try "checkmk: { spool_file: /var/lib/check_mk_agent/spool/180_portmatrix }\n".write(to: config, atomically: true, encoding: .utf8)
        #expect(try CLIRunner.run(["config", "validate", config.path]).status == 0)
    }

    /// The spool file is replaced every cycle; a directory that is missing, then a file where
    /// the directory should be, is logged once per error, and the agent serves on throughout.
    @Test func agentWritesTheSpoolFileAndSurvivesAnUnwritableOne() async throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let peer = try TCPListener()
        defer { peer.close() }
        let statusPort = try freePort()
        let spoolDir = dir.appendingPathComponent("spool")
        let spool = spoolDir.appendingPathComponent("6_portmatrix")
        let config = try Self.site(dir, peer: peer, extra: """
        status_endpoint: { listen: ["127.0.0.1:\(statusPort)"] }
        checkmk: { spool_file: "\(spool.path)" }
        """)
        let log = dir.appendingPathComponent("agent.log")
        let agent = try CLIRunner.spawn(CLIRunner.executable.path, ["agent", "--config", config.path], in: log.deletingLastPathComponent(), output: log)
        defer { agent.terminate(signal: SIGKILL) }
        func agentLog() -> String { CLIRunner.text(log) }
        func lines(_ text: String) -> Int { agentLog().components(separatedBy: "\n").filter { $0.contains(text) }.count }
        func cycles() async throws -> Int {
            let json = try await runTool("/usr/bin/curl", ["-sS", "--max-time", "5", "http://127.0.0.1:\(statusPort)/status.json"])
            let object = try? JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
            return (object?["engine"] as? [String: Any])?["cycles"] as? Int ?? 0
        }
        func waitForCycles(_ count: Int) async throws -> Bool {
            try await pollUntil(timeout: 30, every: 0.2) { try await cycles() >= count }
        }

        // No directory: one error line over several cycles, and the endpoint answers.
        try #require(try await waitForCycles(3), "log: \(agentLog())")
        #expect(agent.isRunning)
        #expect(lines("cannot create \(spoolDir.path)/.6_portmatrix.tmp: No such file or directory") == 1, "\(agentLog())")
        let prtg = try await runTool("/usr/bin/curl", ["-sS", "--max-time", "5", "http://127.0.0.1:\(statusPort)/prtg.json"])
        #expect(PRTGSchema.violations(prtg.stdout) == [])
        #expect(prtg.stdout.contains("\"channel\":\"licence-ssh\""))

        // The directory appears: the file is written, parses, and recovery is logged once.
        try FileManager.default.createDirectory(at: spoolDir, withIntermediateDirectories: true)
        #expect(eventually(timeout: 30) { FileManager.default.fileExists(atPath: spool.path) }, "\(agentLog())")
        let text = try String(contentsOf: spool, encoding: .utf8)
        let services = try CheckmkLocalGrammar.parse(text)
        #expect(services.first { $0.name == "portmatrix licence-ssh" }?.state == 0)
        #expect(services.first { $0.name == "portmatrix ntp-internal" }?.state == 2)
        #expect(eventually(timeout: 10) { lines("written again") == 1 })
        // Only the file itself in the directory: the temporary one is renamed away.
        #expect(try FileManager.default.contentsOfDirectory(atPath: spoolDir.path) == ["6_portmatrix"])

        // A different error (a file where the directory was): logged once more, still serving.
        try FileManager.default.removeItem(at: spoolDir)
        try "not a directory".write(to: spoolDir, atomically: true, encoding: .utf8)
        let before = try await cycles()
        try #require(try await waitForCycles(before + 3))
        #expect(lines("/.6_portmatrix.tmp: Not a directory") == 1, "\(agentLog())")
        #expect(lines("No such file or directory") == 1)
        #expect(agent.isRunning)
    }
}
