import Foundation
import PortMatrixTestSupport
import Testing

/// `portmatrix agent` as operators run it: real snmpd as AgentX master, real check_nrpe and
/// snmpget as clients, SIGTERM to stop. Every target is on loopback.
@Suite(.serialized, .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/sbin/snmpd")
    && CheckNRPE.isInstalled))
struct AgentProcessTests {
    static let pmRoot = "1.3.6.1.4.1.8072.9999.9999.5666"

    @Test func agentServesNRPEAndSNMPFromOneSnapshotAndStopsOnSIGTERM() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let snmpPort = try freePort(SOCK_DGRAM)
        let nrpePort = try freePort(SOCK_STREAM)
        let trapPort = try freePort(SOCK_DGRAM)
        // A loopback peer owned by the test, to be "stopped" later: licence-ssh probes it with plain TCP.
        let peer = try TCPListener()
        var peerOpen = true
        defer { if peerOpen { peer.close() } }
        try "disableAuthorization yes\n".write(to: dir.appendingPathComponent("snmptrapd.conf"), atomically: true, encoding: .utf8)
        let traps = dir.appendingPathComponent("traps.log")
        let trapd = try CLIRunner.spawn("/usr/sbin/snmptrapd", ["-f", "-Lo", "-On", "-C", "-c", dir.appendingPathComponent("snmptrapd.conf").path,
                                                     "-m", "", "udp:127.0.0.1:\(trapPort)"],
                              environment: ["SNMP_PERSISTENT_DIR": dir.path, "MIBS": ""], in: dir, output: traps)
        defer { trapd.terminate() }
        let socket = dir.appendingPathComponent("agentx.sock").path
        try """
        master agentx
        agentXSocket \(socket)
        agentXPerms 0660 0770
        agentaddress udp:127.0.0.1:\(snmpPort)
        rocommunity public 127.0.0.1
        trap2sink 127.0.0.1:\(trapPort) public
        """.write(to: dir.appendingPathComponent("snmpd.conf"), atomically: true, encoding: .utf8)
        let snmpd = try CLIRunner.spawn("/usr/sbin/snmpd", ["-f", "-C", "-c", dir.appendingPathComponent("snmpd.conf").path, "-m", "", "-Lf",
                                                  dir.appendingPathComponent("snmpd.log").path],
                              environment: ["SNMP_PERSISTENT_DIR": dir.appendingPathComponent("snmpd-state").path], in: dir)
        defer { snmpd.terminate() }

        let config = dir.appendingPathComponent("agent.yaml")
        try """
        roles: [appliance]
        choices: { ntp: internal }
        features: [nrpe, snmp]
        hosts: { vendor-servers: [127.0.0.1], name-server-internal: ["127.0.0.1:1"] }
        paths: { licence-ssh: { endpoints: ["tcp/\(peer.port):tcp"] } }
        schedule: { interval: 2s, timeout: 1s, jitter: 0s }
        nrpe: { listen: ["127.0.0.1:\(nrpePort)"], tls: { mode: off } }
        snmp: { mode: agentx, agentx_socket: \(socket), ping_interval: 1s, state_directory: \(dir.path)/snmp-state }
        agent: { user: root }
        """.write(to: config, atomically: true, encoding: .utf8)
        let log = dir.appendingPathComponent("agent.log")
        let agent = try CLIRunner.spawn(CLIRunner.executable.path, ["agent", "--config", config.path], in: dir, output: log)
        defer { agent.terminate(signal: SIGKILL) }

        // The agent is up when check_agent sees a finished cycle and the AgentX link.
        var agentText = ""
        let ready = eventually(timeout: 30, every: 0.3) {
            agentText = (try? CheckNRPE.run(nrpePort, ["-c", "check_agent"]).stdout) ?? ""
            return agentText.hasPrefix("PORTMATRIX OK") && agentText.contains("AgentX connected")
        }
        #expect(ready, "check_agent: \(agentText)\nlog: \(CLIRunner.text(log))")

        let total = try CLIRunner.tool("/usr/bin/snmpget", ["-v2c", "-c", "public", "-On", "-Oqv", "127.0.0.1:\(snmpPort)", "\(Self.pmRoot).1.1.2.0"])
        #expect(total.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "\(try CLIRunner.profilePathCount())")
        // pmOverallStatus and check_portmatrix agree: critical(3) is exit 2 (tcp/25 is not listening here).
        let overall = try CLIRunner.tool("/usr/bin/snmpget", ["-v2c", "-c", "public", "-On", "-Oqv", "127.0.0.1:\(snmpPort)", "\(Self.pmRoot).1.1.1.0"])
        let nrpe = try CheckNRPE.run(nrpePort, ["-c", "check_portmatrix"])
        let statusByExit: [Int32: String] = [0: "1", 1: "2", 2: "3", 3: "4"]
        #expect(overall.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == statusByExit[nrpe.status])
        #expect(nrpe.stdout.hasPrefix("PORTMATRIX CRITICAL"))

        // Every path's status through snmpd and the MIB's names equals what `portmatrix check`
        // finds for the same configuration (nothing flaps here, so two cycles agree).
        let mibs = [CLIRunner.repository.appendingPathComponent("mibs").path,
                    CLIRunner.repository.deletingLastPathComponent().appendingPathComponent("shared/mibs/ietf").path,
                    "/usr/share/snmp/mibs"].joined(separator: ":")
        let table = try CLIRunner.tool("/usr/bin/snmptable", ["-v2c", "-c", "public", "-m", "+PORTMATRIX-MIB", "-M", mibs, "-Cf", "|",
                                                              "-Cb", "127.0.0.1:\(snmpPort)", "PORTMATRIX-MIB::pmPathTable"])
        let rows = table.stdout.split(separator: "\n").map { $0.split(separator: "|", omittingEmptySubsequences: false).map(String.init) }
        let header = try #require(rows.first { $0.contains("Id") }, "snmptable: \(table.stdout) \(table.stderr)")
        let idColumn = try #require(header.firstIndex(of: "Id")), statusColumn = try #require(header.firstIndex(of: "Status"))
        var snmpStatus: [String: String] = [:]
        for row in rows where row.count == header.count && row != header { snmpStatus[row[idColumn]] = row[statusColumn] }
        let check = try CLIRunner.run(["check", "--config", config.path, "--format", "json"])
        let document = try #require(try JSONSerialization.jsonObject(with: Data(check.stdout.utf8)) as? [String: Any])
        let checkPaths = try #require(document["paths"] as? [[String: Any]])
        #expect(snmpStatus.count == (try CLIRunner.profilePathCount()))
        for path in checkPaths {
            let id = try #require(path["id"] as? String)
            #expect(snmpStatus[id] == path["status"] as? String, "\(id): SNMP \(snmpStatus[id] ?? "-") vs check \(path["status"] ?? "-")")
        }

        // The peer stops: licence-ssh goes ok -> critical, and snmpd forwards pmPathStatusChange.
        let path = try CheckNRPE.run(nrpePort, ["-c", "check_path", "-a", "licence-ssh"])
        #expect(path.stdout.hasPrefix("PORTMATRIX OK - licence-ssh"), "\(path.stdout)")
        let trapsBefore = CLIRunner.text(traps).count
        peer.close()
        peerOpen = false
        var critical = path
        let changed = eventually(timeout: 30, every: 0.3) {
            critical = (try? CheckNRPE.run(nrpePort, ["-c", "check_path", "-a", "licence-ssh"])) ?? critical
            return critical.status == 2
        }
        #expect(changed, "\(critical.stdout)")
        #expect(critical.stdout.contains("refused"))
        // The notification names the path and its new status, critical(3).
        let notification = "\(Self.pmRoot).0.1"
        var newTraps = ""
        let trapped = eventually(timeout: 30, every: 0.3) {
            newTraps = String(CLIRunner.text(traps).dropFirst(trapsBefore))
            return newTraps.contains(notification) && newTraps.contains("\"licence-ssh\"")
        }
        #expect(trapped, "no pmPathStatusChange for licence-ssh after the peer stopped: \(newTraps)")

        kill(agent.pid, SIGTERM)
        #expect(agent.wait(timeout: 20) == 0)
        let text = try String(contentsOf: log, encoding: .utf8)
        #expect(text.contains("path licence-ssh: ok -> critical"), "one log line per status change")
        #expect(text.contains("stopped"))
    }
}
