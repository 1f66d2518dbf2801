import PortMatrixTestSupport
import Foundation
import PortMatrixSNMP
import Testing

extension SNMPIntegrationTests {
    @Suite struct MasterModeTests {
        let root = Fixtures.root
        static let user = SNMPAgentConfiguration.User(
            name: "nms", authentication: .sha256, authenticationPassphrase: "auth-secret-1", privacy: .aes,
            privacyPassphrase: "priv-secret-1")

        func masterConfiguration(_ scenario: Scenario, port: UInt16, trapPort: UInt16? = nil) -> SNMPAgentConfiguration {
            SNMPAgentConfiguration(
                mode: .master, listen: ["udp:127.0.0.1:\(port)"],
                communities: [.init(name: "pmread", source: "127.0.0.1/32"), .init(name: "elsewhere", source: "192.0.2.0/24")],
                users: [Self.user], trapSinks: trapPort.map { [.init(address: "udp:127.0.0.1:\($0)", community: "traps")] } ?? [],
                stateDirectory: scenario.directory.appendingPathComponent("agent-state").path, systemContact: "ops@example.org",
                systemLocation: "lab")
        }

        func v3(_ port: UInt16, level: String = "authPriv", authPass: String = "auth-secret-1", user: String = "nms") -> [String] {
            var arguments = ["-v3", "-l", level, "-u", user, "-m", "", "-On", "-Oq", "-t", "1", "-r", "0"]
            if level != "noAuthNoPriv" { arguments += ["-a", "SHA-256", "-A", authPass] }
            if level == "authPriv" { arguments += ["-x", "AES", "-X", "priv-secret-1"] }
            return arguments + ["127.0.0.1:\(port)"]
        }

        @Test func v2cCommunityIsRestrictedBySourceAndViewIncludesTheSystemGroup() throws {
            let scenario = try Scenario()
            defer { scenario.tearDown() }
            let port = try freeUDPPort()
            _ = try scenario.agent(masterConfiguration(scenario, port: port), snapshot: Fixtures.small)

            let walk = try scenario.tool.run("snmpwalk", SNMPTool.v2c(community: "pmread", port: port) + [root])
            #expect(walk.values == Fixtures.expectedWalk(Fixtures.small), "\(walk.errors)\n\(scenario.logs)")

            let system = try scenario.tool.run("snmpget", SNMPTool.v2c(community: "pmread", port: port) + [
                "1.3.6.1.2.1.1.1.0", "1.3.6.1.2.1.1.2.0", "1.3.6.1.2.1.1.4.0", "1.3.6.1.2.1.1.6.0",
            ])
            #expect(system.lines.count == 4, "\(system.errors)")
            #expect(system.lines.first?.hasPrefix(".1.3.6.1.2.1.1.1.0 \"portmatrix") == true)
            #expect(system.lines.dropFirst().elementsEqual([
                ".1.3.6.1.2.1.1.2.0 .\(root)", ".1.3.6.1.2.1.1.4.0 \"ops@example.org\"", ".1.3.6.1.2.1.1.6.0 \"lab\"",
            ]))
            let uptime = try scenario.tool.run("snmpget", SNMPTool.v2c(community: "pmread", port: port) + ["1.3.6.1.2.1.1.3.0"])
            #expect(uptime.lines.first?.hasPrefix(".1.3.6.1.2.1.1.3.0 ") == true)

            // Read-only view: objects outside it (here snmpEngineID) are not served.
            let outside = try scenario.tool.run("snmpget", SNMPTool.v2c(community: "pmread", port: port) + ["1.3.6.1.6.3.10.2.1.1.0"])
            #expect(outside.output.contains("No Such Object"), "\(outside.output)\(outside.errors)")

            for community in ["public", "elsewhere"] {
                let denied = try scenario.tool.run("snmpget", SNMPTool.v2c(community: community, port: port, timeout: 1, retries: 0) + ["\(root).1.1.1.0"])
                #expect(denied.status != 0)
                #expect(denied.output.isEmpty)
                #expect(denied.errors.contains("Timeout"), "\(denied.errors)")
            }
        }

        @Test func v3AuthPrivUserReadsAndEverythingElseIsRefused() throws {
            let scenario = try Scenario()
            defer { scenario.tearDown() }
            let port = try freeUDPPort()
            _ = try scenario.agent(masterConfiguration(scenario, port: port), snapshot: Fixtures.small)
            let oid = "\(root).1.2.1.2.2"

            let good = try scenario.tool.run("snmpget", v3(port) + [oid])
            #expect(good.lines == [".\(oid) \"gina-https\""], "\(good.errors)\n\(scenario.logs)")

            let wrongPassword = try scenario.tool.run("snmpget", v3(port, authPass: "not-the-secret") + [oid])
            #expect(wrongPassword.status != 0)
            #expect(wrongPassword.errors.contains("Authentication failure"), "\(wrongPassword.errors)")

            for level in ["noAuthNoPriv", "authNoPriv"] {
                let weak = try scenario.tool.run("snmpget", v3(port, level: level) + [oid])
                #expect(weak.status != 0)
                #expect(!weak.output.contains("gina-https"))
                #expect(weak.errors.contains("authorizationError"), "\(level): \(weak.errors)")
            }

            let stranger = try scenario.tool.run("snmpget", v3(port, user: "mallory") + [oid])
            #expect(stranger.status != 0)
            #expect(stranger.errors.contains("Unknown user name"), "\(stranger.errors)")
        }

        /// USM keys are localized into the persistent file at the first start; the second start
        /// must neither lose the user nor duplicate it.
        @Test func v3UserSurvivesARestartWithTheSameState() throws {
            let scenario = try Scenario()
            defer { scenario.tearDown() }
            let port = try freeUDPPort()
            let oid = "\(root).1.1.9.0"
            let first = try scenario.agent(masterConfiguration(scenario, port: port), snapshot: Fixtures.small)
            #expect(try scenario.tool.run("snmpget", v3(port) + [oid]).lines == [".\(oid) \"0.1.0-test\""])
            first.stop()
            #expect(!first.isRunning)

            let second = try scenario.agent(masterConfiguration(scenario, port: port), snapshot: Fixtures.small)
            let again = try scenario.tool.run("snmpget", v3(port) + [oid])
            #expect(again.lines == [".\(oid) \"0.1.0-test\""], "\(again.errors)\n\(scenario.logs)")
            second.stop()
            let persistent = try String(
                contentsOfFile: scenario.directory.appendingPathComponent("agent-state/persist/portmatrix-snmp.conf").path, encoding: .utf8)
            #expect(persistent.components(separatedBy: "usmUser ").count - 1 == 1, "\(persistent)")
        }

        @Test func statusChangeIsSentToTrapSinks() throws {
            let scenario = try Scenario()
            defer { scenario.tearDown() }
            let receiver = try scenario.trapReceiver()
            let port = try freeUDPPort()
            let agent = try scenario.agent(masterConfiguration(scenario, port: port, trapPort: receiver.port), snapshot: Fixtures.small)

            let changed = Fixtures.changing(Fixtures.small, path: 0, to: .critical, message: "udp/53 no answer")
            try agent.publish(changed)

            #expect(eventually { receiver.process.output.contains(".\(root).0.1") }, "\(scenario.logs)")
            let trap = receiver.process.output
            #expect(trap.contains(".\(root).1.2.1.2.1 = STRING: \"dns-internal\""), "\(trap)")
            #expect(trap.contains(".\(root).1.2.1.11.1 = INTEGER: 1"))
            #expect(trap.contains(".\(root).1.2.1.8.1 = INTEGER: 3"))
            #expect(trap.contains(".\(root).1.2.1.9.1 = STRING: \"udp/53 no answer\""))
            #expect(try agent.health()["notificationsSent"] as? Int == 1)
        }

        /// pmPathPreviousStatus is the engine's, not worked out by the agent: a path that changed
        /// before this snapshot shows its previous status at once, and a snapshot that lists no
        /// change sends nothing, however its statuses differ from the last one. (The agent used
        /// to diff snapshots: the walk showed 3 for the first, and the second sent a trap.)
        @Test func previousStatusAndNotificationsAreTheSnapshots() throws {
            let scenario = try Scenario()
            defer { scenario.tearDown() }
            let receiver = try scenario.trapReceiver()
            let port = try freeUDPPort()
            var recorded = Fixtures.small
            recorded.paths[2].previousStatus = .ok  // ntp-internet: critical now, ok before
            let agent = try scenario.agent(masterConfiguration(scenario, port: port, trapPort: receiver.port), snapshot: recorded)
            let previous = ".\(root).1.2.1.11.3"
            let first = try scenario.tool.run("snmpwalk", SNMPTool.v2c(community: "pmread", port: port) + [root])
            #expect(first.values == Fixtures.expectedWalk(recorded), "\(first.errors)\n\(scenario.logs)")
            #expect(first.values[previous] == "\(MIBStatus.ok.rawValue)")

            var unlisted = recorded
            unlisted.paths[0].status = .critical  // dns-internal differs, but no change is listed
            try agent.publish(unlisted)
            let second = try scenario.tool.run("snmpwalk", SNMPTool.v2c(community: "pmread", port: port) + [root])
            #expect(second.values == Fixtures.expectedWalk(unlisted), "\(second.errors)")

            // A listed change is sent; notifications leave in order, so once it is here, one for
            // the unlisted snapshot would be too.
            try agent.publish(Fixtures.changing(unlisted, path: 1, to: .critical, message: "certificate expired"))
            #expect(eventually { receiver.process.output.contains("STRING: \"gina-https\"") }, "\(scenario.logs)")
            #expect(!receiver.process.output.contains("dns-internal"), "\(receiver.process.output)")
            #expect(try agent.health()["notificationsSent"] as? Int == 1)
        }

        @Test func survivesGarbageOversizedRequestsAndHugeBulks() throws {
            let scenario = try Scenario()
            defer { scenario.tearDown() }
            let port = try freeUDPPort()
            let snapshot = Fixtures.generated(paths: 1000, checks: 10)  // 10,000 checks
            let agent = try scenario.agent(masterConfiguration(scenario, port: port), snapshot: snapshot)

            var generator = SystemRandomNumberGenerator()
            try sendDatagram([], toPort: port)
            try sendDatagram([0x30, 0x82, 0xFF, 0xFF, 0x02, 0x01], toPort: port)  // BER length beyond the datagram
            try sendDatagram([0x30, 0x84, 0x7F, 0xFF, 0xFF, 0xFF, 0x02, 0x01, 0x01], toPort: port)
            for _ in 0..<50 {
                try sendDatagram((0..<Int.random(in: 1...1400, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }, toPort: port)
            }
            try sendDatagram([UInt8](repeating: 0x30, count: 65_000), toPort: port)
            // An oversized, well-formed request: far more varbinds than a response can carry.
            let many = Array(repeating: "\(root).1.1.1.0", count: 2000)
            let big = try scenario.tool.run("snmpget", SNMPTool.v2c(community: "pmread", port: port, timeout: 2, retries: 0) + many)
            #expect(big.status != 0 || big.lines.count == 2000, "\(big.errors)")

            let bulk = try scenario.tool.run("snmpbulkget", SNMPTool.v2c(community: "pmread", port: port) + ["-Cn0", "-Cr10000", "\(root).1.3.1.5"])
            #expect(bulk.status == 0, "\(bulk.errors)")
            #expect(bulk.lines.first == ".\(root).1.3.1.5.1.1 \(snapshot.paths[0].checks[0].status.rawValue)")
            #expect(bulk.lines.count > 10, "a bulk answers as many repetitions as fit")

            // The 10,000-row column is served completely and in order.
            let column = try scenario.tool.run("snmpbulkwalk", SNMPTool.v2c(community: "pmread", port: port) + ["-Cr50", "\(root).1.3.1.5"])
            #expect(column.lines.count == 10_000, "\(column.errors)")
            #expect(column.lines.last == ".\(root).1.3.1.5.1000.10 \(snapshot.paths[999].checks[9].status.rawValue)")

            #expect(agent.isRunning)
            let still = try scenario.tool.run("snmpget", SNMPTool.v2c(community: "pmread", port: port) + ["\(root).1.1.2.0"])
            #expect(still.lines == [".\(root).1.1.2.0 1000"], "\(still.errors)\n\(scenario.logs)")
        }
    }
}
