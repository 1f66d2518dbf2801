import Foundation
import PortMatrixTestSupport
import Testing

/// `portmatrix export zabbix` in Debian's real Zabbix 6.0 (server, PHP frontend, PostgreSQL;
/// `Tests/Peers/zabbix.sh`, started once by .ci/run, which exports PORTMATRIX_ZABBIX_DIR): the
/// export imports through `configuration.import`, creates the host with the template linked,
/// and zabbix_server fills the discovered items with the states a running agent reports.
/// Everything on loopback. Skipped only outside CI when the peer is not running.
@Suite(.serialized, .enabled(if: ProcessInfo.processInfo.environment["PORTMATRIX_ZABBIX_DIR"] != nil
                                 || ProcessInfo.processInfo.environment["CI"] != nil,
                             "no Zabbix peer: Tests/Peers/zabbix.sh start DIR, then PORTMATRIX_ZABBIX_DIR=DIR"))
struct ZabbixServerTests {
    static let environment = ProcessInfo.processInfo.environment

    /// The JSON-RPC API of the peer's frontend, through curl.
    struct API {
        var url: String
        var token = ""

        init() throws {
            let dir = try #require(ZabbixServerTests.environment["PORTMATRIX_ZABBIX_DIR"], "CI must start Tests/Peers/zabbix.sh and export PORTMATRIX_ZABBIX_DIR")
            let text = try String(contentsOfFile: dir + "/zabbix.env", encoding: .utf8)
            var values: [String: String] = [:]
            for line in text.split(separator: "\n") {
                let parts = line.split(separator: "=", maxSplits: 1).map(String.init)
                if parts.count == 2 { values[parts[0]] = parts[1] }
            }
            url = try #require(values["ZABBIX_API_URL"])
            let login = try call("user.login", ["user": values["ZABBIX_USER"] ?? "Admin", "password": values["ZABBIX_PASSWORD"] ?? "zabbix"])
            token = try #require(login as? String, "user.login: \(String(describing: login))")
        }

        /// The method's `result`; an API `error` fails the test with its message.
        @discardableResult
        func call(_ method: String, _ params: Any) throws -> Any {
            var request: [String: Any] = ["jsonrpc": "2.0", "method": method, "params": params, "id": 1]
            if !token.isEmpty { request["auth"] = token }
            let dir = try CLIRunner.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: dir) }
            let body = dir.appendingPathComponent("request.json")
            try JSONSerialization.data(withJSONObject: request).write(to: body)
            let result = try runToolBlocking("/usr/bin/curl", ["-sS", "--max-time", "60", "-H", "Content-Type: application/json-rpc",
                                                                "--data-binary", "@\(body.path)", url])
            try #require(result.status == 0, "curl \(method): \(result.stderr)")
            let answer = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "\(result.stdout)")
            if let error = answer["error"] { Issue.record("\(method): \(error)") }
            return try #require(answer["result"], "\(method): \(result.stdout)")
        }
    }

    @Test func importedTemplateDiscoversThePathsAndHoldsTheAgentsStates() async throws {
        let api = try API()
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let statusPort = try freePort(), nrpePort = try freePort()
        let peer = try TCPListener()  // licence-ssh probes it: one path ok, the others critical or unknown
        defer { peer.close() }
        let config = dir.appendingPathComponent("agent.yaml")
        try """
        roles: [appliance]
        choices: { ntp: internal }
        hosts: { vendor-servers: [127.0.0.1], name-server-internal: ["127.0.0.1:1"] }
        paths: { licence-ssh: { endpoints: ["tcp/\(peer.port):tcp"] } }
        schedule: { interval: 5s, timeout: 1s, jitter: 0s }
        nrpe: { listen: ["127.0.0.1:\(nrpePort)"], tls: { mode: off } }
        snmp: { mode: off }
        status_endpoint: { listen: ["127.0.0.1:\(statusPort)"] }
        agent: { user: root }
        """.write(to: config, atomically: true, encoding: .utf8)
        let log = dir.appendingPathComponent("agent.log")
        let agent = try CLIRunner.spawn(CLIRunner.executable.path, ["agent", "--config", config.path], in: log.deletingLastPathComponent(), output: log)
        defer { agent.terminate(signal: SIGKILL) }

        // The export as an operator runs it; the schedule's 5 s become the template's interval macro.
        let hostName = "portmatrix-test-\(getpid())"
        let export = try CLIRunner.run(["export", "zabbix", "--config", config.path, "--host-name", hostName, "--address", "127.0.0.1"])
        try #require(export.status == 0, "\(export.stderr)")
        #expect(export.stdout.contains("value: '5s'"))
        let rules: [String: Any] = [
            "groups": ["createMissing": true],
            "templates": ["createMissing": true, "updateExisting": true],
            "hosts": ["createMissing": true, "updateExisting": true],
            "templateLinkage": ["createMissing": true],
            "items": ["createMissing": true, "updateExisting": true],
            "discoveryRules": ["createMissing": true, "updateExisting": true],
            "triggers": ["createMissing": true, "updateExisting": true],
            "valueMaps": ["createMissing": true, "updateExisting": true],
        ]
        let imported = try api.call("configuration.import", ["format": "yaml", "source": export.stdout, "rules": rules])
        #expect(imported as? Bool == true)
        let hosts = try #require(try api.call("host.get", ["filter": ["host": [hostName]], "output": ["hostid"],
                                                           "selectParentTemplates": ["name"]]) as? [[String: Any]])
        let host = try #require(hosts.first, "the import created no host \(hostName)")
        let hostID = try #require(host["hostid"] as? String)
        defer { _ = try? api.call("host.delete", [hostID]) }
        #expect((host["parentTemplates"] as? [[String: Any]])?.compactMap { $0["name"] as? String } == ["portmatrix by HTTP"])

        // Importing again updates: one template, the same items.
        #expect(try api.call("configuration.import", ["format": "yaml", "source": export.stdout, "rules": rules]) as? Bool == true)
        let templates = try #require(try api.call("template.get", ["filter": ["host": ["portmatrix by HTTP"]], "output": ["templateid"],
                                                                   "selectItems": "count", "selectDiscoveries": "count"]) as? [[String: Any]])
        #expect(templates.count == 1)
        #expect(templates.first?["items"] as? String == "5")
        #expect(templates.first?["discoveries"] as? String == "1")

        // Zabbix polls the agent, discovers the applicable paths and fills their items.
        func agentDocument() async throws -> [String: Any]? {
            let fetched = try await runTool("/usr/bin/curl", ["-sS", "--max-time", "5", "http://127.0.0.1:\(statusPort)/status.json"])
            return try? JSONSerialization.jsonObject(with: Data(fetched.stdout.utf8)) as? [String: Any]
        }
        func items() throws -> [String: String] {
            let list = try #require(try api.call("item.get", ["hostids": hostID, "output": ["key_", "lastvalue", "lastclock", "state", "error"]])
                                    as? [[String: Any]])
            var values: [String: String] = [:]
            for item in list where item["lastclock"] as? String != "0" {
                if let key = item["key_"] as? String { values[key] = item["lastvalue"] as? String }
            }
            return values
        }
        var applicable: [String: String] = [:]
        var values: [String: String] = [:]
        let complete = try await pollUntil(timeout: 120, every: 1) {
            if let document = try await agentDocument(), ((document["engine"] as? [String: Any])?["cycles"] as? Int ?? 0) >= 1 {
                applicable = Dictionary(uniqueKeysWithValues: (document["paths"] as? [[String: Any]] ?? []).compactMap { path in
                    guard let id = path["id"] as? String, let status = path["status"] as? String, status != "skipped" else { return nil }
                    return (id, status)
                })
            }
            values = try items()
            return !applicable.isEmpty && applicable.keys.allSatisfy { values["portmatrix.path.status[\($0)]"] != nil }
                && values["portmatrix.compliance"] != nil
        }
        let agentLog = CLIRunner.text(log)
        let serverLog = (Self.environment["PORTMATRIX_ZABBIX_DIR"]).flatMap { try? String(contentsOfFile: $0 + "/server/zabbix_server.log", encoding: .utf8) }
        try #require(complete, "Zabbix has \(values.keys.sorted()) for \(applicable.keys.sorted()); agent log: \(agentLog)\nserver log tail: \(serverLog?.suffix(3000) ?? "")")

        // Each discovered path holds the agent's state as a Nagios code, and only applicable paths were discovered.
        let codes = ["ok": "0", "warning": "1", "critical": "2", "unknown": "3"]
        let discovered = Set(values.keys.filter { $0.hasPrefix("portmatrix.path.status[") })
        #expect(discovered == Set(applicable.keys.map { "portmatrix.path.status[\($0)]" }))
        for (id, status) in applicable {
            #expect(values["portmatrix.path.status[\(id)]"] == codes[status], "\(id): agent \(status)")
        }
        #expect(applicable["licence-ssh"] == "ok")
        #expect(values["portmatrix.path.status[licence-ssh]"] == "0")
        #expect(applicable["ntp-internal"] == "critical")
        #expect(values["portmatrix.path.status[ntp-internal]"] == "2")
        #expect(values["portmatrix.path.message[ntp-internal]"]?.contains("127.0.0.1:1") == true, "\(values)")
        #expect(values["portmatrix.compliance"] == "2")
        #expect(Int(values["portmatrix.cycles"] ?? "") ?? 0 >= 1)

        // The critical path's trigger fired; the ok path's did not.
        var names: [String] = []
        try await pollUntil(timeout: 30, every: 1) {
            let problems = try #require(try api.call("trigger.get", ["hostids": hostID, "filter": ["value": 1],
                                                                     "output": ["description"], "expandDescription": true]) as? [[String: Any]])
            names = problems.compactMap { $0["description"] as? String }
            return names.contains("portmatrix path ntp-internal is critical")
        }
        #expect(names.contains("portmatrix path ntp-internal is critical"), "\(names)")
        #expect(!names.contains { $0.contains("licence-ssh") }, "\(names)")
    }
}
