import Foundation
import PortMatrixTestSupport
import PortMatrixSNMP
import Testing

extension SNMPIntegrationTests {
    @Suite struct AgentXModeTests {
        let root = Fixtures.root

        @Test func walkThroughMasterReturnsTheSnapshot() throws {
            let scenario = try Scenario()
            defer { scenario.tearDown() }
            let master = try scenario.master()
            _ = try scenario.agent(scenario.agentXConfiguration(socket: master.socketPath), snapshot: Fixtures.small)

            let walk = try scenario.tool.run("snmpwalk", SNMPTool.v2c(community: master.community, port: master.port) + [root])
            #expect(walk.status == 0, "\(walk.errors)\n\(scenario.logs)")
            #expect(walk.values == Fixtures.expectedWalk(Fixtures.small))
            #expect(walk.lines.count == Fixtures.expectedWalk(Fixtures.small).count, "no duplicates, nothing outside the subtree")
        }

        @Test(arguments: [1, 10, 50])
        func bulkWalkOfDefaultSizedSnapshot(repetitions: Int) throws {
            let scenario = try Scenario()
            defer { scenario.tearDown() }
            let master = try scenario.master()
            let snapshot = Fixtures.generated()
            _ = try scenario.agent(scenario.agentXConfiguration(socket: master.socketPath), snapshot: snapshot)

            let walk = try scenario.tool.run(
                "snmpbulkwalk", SNMPTool.v2c(community: master.community, port: master.port) + ["-Cr\(repetitions)", root])
            #expect(walk.status == 0, "\(walk.errors)")
            #expect(walk.values == Fixtures.expectedWalk(snapshot))
            #expect(walk.lines.count == Fixtures.expectedWalk(snapshot).count)
        }

        @Test func namesResolveFromTheMIB() throws {
            let scenario = try Scenario()
            defer { scenario.tearDown() }
            let master = try scenario.master()
            _ = try scenario.agent(scenario.agentXConfiguration(socket: master.socketPath), snapshot: Fixtures.small)
            let mib = ["-M", TestEnvironment.mibDirectories, "-m", "PORTMATRIX-MIB"]
            let target = ["-v2c", "-c", master.community, "127.0.0.1:\(master.port)"]

            let table = try scenario.tool.run("snmptable", mib + ["-Cf", "|", "-CH"] + target + ["PORTMATRIX-MIB::pmPathTable"])
            #expect(table.status == 0, "\(table.errors)")
            #expect(table.lines.contains(
                "dns-internal|Name resolution|appliance|name-server-internal|tcp/53 udp/53|choice:dns=internal|ok|all 2 checks ok|1764300000 seconds|ok"),
                "\(table.output)")
            #expect(table.lines.contains { $0.hasPrefix("admin-restapi|") && $0.contains("|skipped|") })

            let checks = try scenario.tool.run("snmptable", mib + ["-Cf", "|", "-CH"] + target + ["PORTMATRIX-MIB::pmCheckTable"])
            // pmCheckTrace is the last column: empty when not traced.
            #expect(checks.lines.contains("0.0.0.0|tcp|443|warning|certExpiring|20000 microseconds|20 days|?|3 runs|0 seconds|"), "\(checks.output)")
            #expect(checks.lines.contains { $0.hasPrefix("pool.ntp.org|udp|123|critical|connectTimeout|") && $0.contains("|-2500 microseconds|")
                && $0.hasSuffix("|dropped after hop 3 (192.0.2.1)") })

            let scalars = try scenario.tool.run("snmpget", mib + ["-Oq"] + target + [
                "PORTMATRIX-MIB::pmOverallStatus.0", "PORTMATRIX-MIB::pmPathsCritical.0", "PORTMATRIX-MIB::pmAgentVersion.0",
            ])
            #expect(scalars.lines == [
                "PORTMATRIX-MIB::pmOverallStatus.0 warning", "PORTMATRIX-MIB::pmPathsCritical.0 1 paths",
                "PORTMATRIX-MIB::pmAgentVersion.0 0.1.0-test",
            ], "\(scalars.errors)")
        }

        @Test func absentInstancesAndObjectsAreReportedAsSuch() throws {
            let scenario = try Scenario()
            defer { scenario.tearDown() }
            let master = try scenario.master()
            _ = try scenario.agent(scenario.agentXConfiguration(socket: master.socketPath), snapshot: Fixtures.small)
            let get = try scenario.tool.run("snmpget", SNMPTool.v2c(community: master.community, port: master.port) + [
                "\(root).1.3.1.8.1.1", "\(root).1.2.1.2.99", "\(root).1.2.1.2.1",
            ])
            #expect(get.lines == [
                ".\(root).1.3.1.8.1.1 No Such Instance currently exists at this OID",
                ".\(root).1.2.1.2.99 No Such Instance currently exists at this OID",
                ".\(root).1.2.1.2.1 \"dns-internal\"",
            ], "\(get.errors)")
        }

        @Test func reconnectsWhenTheMasterRestarts() throws {
            let scenario = try Scenario()
            defer { scenario.tearDown() }
            let master = try scenario.master()
            let agent = try scenario.agent(scenario.agentXConfiguration(socket: master.socketPath), snapshot: Fixtures.small)
            let probe = SNMPTool.v2c(community: master.community, port: master.port, timeout: 1, retries: 0) + ["\(root).1.2.1.2.1"]
            #expect(try scenario.tool.run("snmpget", probe).output.contains("dns-internal"))

            master.kill()  // the AgentX socket vanishes under the agent
            #expect(eventually { (try? agent.health()["connected"] as? Bool) == false }, "\(scenario.logs)")
            #expect(agent.isRunning)

            try master.start()
            let back = try eventually(timeout: 30) { try scenario.tool.run("snmpget", probe).output.contains("dns-internal") }
            #expect(back, "\(scenario.logs)")
            #expect(try agent.health()["connected"] as? Bool == true)
        }

        @Test func attachesWhenStartedBeforeTheMaster() throws {
            let scenario = try Scenario()
            defer { scenario.tearDown() }
            let master = try scenario.master(start: false)
            let agent = try scenario.agent(scenario.agentXConfiguration(socket: master.socketPath), snapshot: Fixtures.small)
            let health = try agent.health()
            #expect(health["connected"] as? Bool == false)
            #expect(health["state"] as? String == "running")

            try master.start()
            let probe = SNMPTool.v2c(community: master.community, port: master.port, timeout: 1, retries: 0) + ["\(root).1.1.9.0"]
            let attached = try eventually(timeout: 30) { try scenario.tool.run("snmpget", probe).output.contains("0.1.0-test") }
            #expect(attached, "\(scenario.logs)")
        }

        @Test func statusChangeIsNotifiedThroughTheMaster() throws {
            let scenario = try Scenario()
            defer { scenario.tearDown() }
            let receiver = try scenario.trapReceiver()
            let master = try scenario.master(trapPort: receiver.port)
            let agent = try scenario.agent(scenario.agentXConfiguration(socket: master.socketPath), snapshot: Fixtures.small)

            let changed = Fixtures.changing(Fixtures.small, path: 1, to: .critical, message: "certificate expired")
            try agent.publish(changed)

            let received = eventually { receiver.process.output.contains(".\(root).0.1") }
            #expect(received, "\(scenario.logs)")
            let trap = receiver.process.output
            #expect(trap.contains(".\(root).1.2.1.2.2 = STRING: \"gina-https\""), "\(trap)")
            #expect(trap.contains(".\(root).1.2.1.11.2 = INTEGER: 2"))
            #expect(trap.contains(".\(root).1.2.1.8.2 = INTEGER: 3"))
            #expect(trap.contains(".\(root).1.2.1.9.2 = STRING: \"certificate expired\""))

            // The tables follow the new snapshot, with the previous status the engine recorded.
            let walk = try scenario.tool.run("snmpwalk", SNMPTool.v2c(community: master.community, port: master.port) + [root])
            #expect(walk.values == Fixtures.expectedWalk(changed))
            #expect(walk.values[".\(root).1.2.1.11.2"] == "\(MIBStatus.warning.rawValue)")
        }
    }
}
