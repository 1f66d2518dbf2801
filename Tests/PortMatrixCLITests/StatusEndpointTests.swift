import Foundation
import PortMatrixTestSupport
import Testing

/// `portmatrix agent` with `status_endpoint` on loopback: /status.json is the document
/// `portmatrix check --format json` prints, /metrics says the same in Prometheus text and
/// promtool accepts it. Real curl as the client; every target is on loopback.
@Suite(.serialized, .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/curl") && Promtool.isInstalled))
struct StatusEndpointTests {
    @Test func agentServesStatusJSONAndMetricsThatAgreeWithCheck() async throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let nrpePort = try freePort(), statusPort = try freePort()
        let peer = try TCPListener()  // licence-ssh probes it: one path is ok
        defer { peer.close() }
        let config = dir.appendingPathComponent("agent.yaml")
        try """
        roles: [appliance]
        choices: { ntp: internal }
        features: [nrpe]
        hosts: { vendor-servers: [127.0.0.1], name-server-internal: ["127.0.0.1:1"] }
        paths: { licence-ssh: { endpoints: ["tcp/\(peer.port):tcp"] } }
        schedule: { interval: 2s, timeout: 1s, jitter: 0s }
        nrpe: { listen: ["127.0.0.1:\(nrpePort)"], tls: { mode: off } }
        snmp: { mode: off }
        status_endpoint: { listen: ["127.0.0.1:\(statusPort)"] }
        agent: { user: root }
        """.write(to: config, atomically: true, encoding: .utf8)
        let log = dir.appendingPathComponent("agent.log")
        let agent = try CLIRunner.spawn(CLIRunner.executable.path, ["agent", "--config", config.path], in: log.deletingLastPathComponent(), output: log)
        defer { agent.terminate(signal: SIGKILL) }
        let base = "http://127.0.0.1:\(statusPort)"
        func agentLog() -> String { CLIRunner.text(log) }

        // Up once /status.json reports a finished cycle.
        var document: [String: Any] = [:]
        let ready = try await pollUntil(timeout: 30, every: 0.3) {
            let fetched = try await runTool("/usr/bin/curl", ["-sS", "--max-time", "5", "\(base)/status.json"])
            guard fetched.status == 0, let object = try? JSONSerialization.jsonObject(with: Data(fetched.stdout.utf8)) as? [String: Any],
                  let engine = object["engine"] as? [String: Any], (engine["cycles"] as? Int ?? 0) >= 1 else { return false }
            document = object
            return true
        }
        try #require(ready, "no cycle on /status.json; log: \(agentLog())")

        // The same document as `portmatrix check --format json`: same keys, same path statuses.
        let check = try CLIRunner.run(["check", "--config", config.path, "--format", "json"])
        let checked = try #require(try JSONSerialization.jsonObject(with: Data(check.stdout.utf8)) as? [String: Any])
        #expect(Set(document.keys) == Set(checked.keys))
        let served = try pathStatuses(document), expected = try pathStatuses(checked)
        #expect(served.count == (try CLIRunner.profilePathCount()))
        #expect(served == expected)
        #expect(served["licence-ssh"] == "ok")
        #expect(document["status"] as? String == checked["status"] as? String)

        // /metrics: promtool accepts it, and every applicable path has the status /status.json gives.
        let metrics = try await runTool("/usr/bin/curl", ["-sS", "--max-time", "10", "-D", dir.appendingPathComponent("headers").path,
                                                          "\(base)/metrics"])
        #expect(metrics.status == 0)
        let headers = try String(contentsOf: dir.appendingPathComponent("headers"), encoding: .utf8).lowercased()
        #expect(headers.contains("content-type: text/plain; version=0.0.4; charset=utf-8"))
        let lint = try await Promtool.checkMetrics(metrics.stdout)
        #expect(lint.status == 0, "promtool: \(lint.stdout)\(lint.stderr)")
        let codes = ["ok": "0", "warning": "1", "critical": "2", "unknown": "3"]
        var metricPaths: [String: String] = [:]
        for line in metrics.stdout.split(separator: "\n") where line.hasPrefix("portmatrix_path_status{path=\"") {
            let id = line.dropFirst("portmatrix_path_status{path=\"".count).prefix { $0 != "\"" }
            metricPaths[String(id)] = String(line.split(separator: " ").last!)
        }
        let applicable = served.filter { $0.value != "skipped" }
        #expect(!applicable.isEmpty)
        #expect(metricPaths == applicable.mapValues { codes[$0] ?? "?" })
        #expect(metrics.stdout.contains("probe_success{path=\"licence-ssh\",check=\"licence-ssh#1\",target=\"127.0.0.1\",transport=\"tcp\",port=\"\(peer.port)\"} 1"))
        #expect(metrics.stdout.contains("portmatrix_build_info{version="))

        // `plan --status` reads the same endpoint: the picture takes the agent's statuses.
        if Graphviz.isInstalled {
            let plan = try CLIRunner.run(["plan", "--config", config.path, "--format", "dot", "--status", "\(base)/status.json"])
            #expect(plan.status == 0, "\(plan.stderr)")
            let drawing = try Graphviz.svg(plan.stdout, in: dir)
            #expect(drawing.edges["licence-ssh"]?.stroke == DotCommandTests.ok)
        }

        // The index names both routes; anything else is 404.
        let index = try await runTool("/usr/bin/curl", ["-sS", "\(base)/"])
        #expect(index.stdout.contains("/status.json") && index.stdout.contains("/metrics"))
        let missing = try await runTool("/usr/bin/curl", ["-sS", "-o", "/dev/null", "-w", "%{http_code}", "\(base)/nope"])
        #expect(missing.stdout == "404")

        kill(agent.pid, SIGTERM)
        #expect(await agent.exitStatus(timeout: 20) == 0)
        #expect(agentLog().contains("status endpoint: listening"))
        #expect(agentLog().contains("stopped"))
    }

    func pathStatuses(_ document: [String: Any]) throws -> [String: String] {
        let paths = try #require(document["paths"] as? [[String: Any]])
        var statuses: [String: String] = [:]
        for path in paths { statuses[try #require(path["id"] as? String)] = path["status"] as? String }
        return statuses
    }
}
