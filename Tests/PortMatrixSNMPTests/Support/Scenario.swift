import Foundation
import PortMatrixTestSupport
import PortMatrixSNMP

/// One test's daemons and directory; `tearDown()` stops everything it started.
final class Scenario {
    let directory: URL
    let tool: SNMPTool
    private var agents: [TestAgent] = []
    private var masters: [MasterSNMPD] = []
    private var trapReceivers: [ChildProcess] = []

    init() throws {
        directory = try TestEnvironment.temporaryDirectory()
        tool = SNMPTool(directory: directory)
    }

    func master(trapPort: UInt16? = nil, start: Bool = true) throws -> MasterSNMPD {
        let master = try MasterSNMPD(directory: directory, trapPort: trapPort)
        masters.append(master)
        if start { try master.start() }
        return master
    }

    func agent(_ configuration: SNMPAgentConfiguration, snapshot: MIBSnapshot) throws -> TestAgent {
        let agent = try TestAgent(configuration: configuration, snapshot: snapshot, directory: directory)
        agents.append(agent)
        return agent
    }

    /// snmptrapd on a loopback port, printing numeric varbinds to its output file.
    func trapReceiver() throws -> (port: UInt16, process: ChildProcess) {
        let port = try freeUDPPort()
        let config = directory.appendingPathComponent("snmptrapd.conf")
        try "disableAuthorization yes\n".write(to: config, atomically: true, encoding: .utf8)
        let process = try ChildProcess(
            name: "snmptrapd", executable: "/usr/sbin/snmptrapd",
            arguments: ["-f", "-Lo", "-On", "-C", "-c", config.path, "-m", "", "udp:127.0.0.1:\(port)"],
            environment: ["SNMP_PERSISTENT_DIR": directory.path, "SNMPCONFPATH": directory.path, "MIBS": ""],
            directory: directory)
        trapReceivers.append(process)
        guard eventually(timeout: 10, { process.output.contains("NET-SNMP version") || process.errors.contains("NET-SNMP version") }) else {
            throw TestFailure("snmptrapd did not start: \(process.errors)")
        }
        return (port, process)
    }

    func agentXConfiguration(socket: String, ping: Int = 1) -> SNMPAgentConfiguration {
        SNMPAgentConfiguration(
            mode: .agentx, agentXSocket: socket, agentXPingInterval: ping,
            stateDirectory: directory.appendingPathComponent("agent-state").path)
    }

    /// Everything the daemons logged, for failure messages.
    var logs: String {
        (agents.map(\.log) + masters.map(\.log) + trapReceivers.map { $0.output + $0.errors }).joined(separator: "\n---\n")
    }

    func tearDown() {
        agents.forEach { $0.stop() }
        masters.forEach { $0.stop() }
        trapReceivers.forEach { $0.stop() }
        try? FileManager.default.removeItem(at: directory)
    }
}
