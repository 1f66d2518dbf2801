import Foundation
import PortMatrixTestSupport
import PortMatrixSNMP

/// SNMPTestAgent as a subprocess serving a snapshot; driven through its stdin.
final class TestAgent {
    private let process: ChildProcess
    private let directory: URL
    private var publications = 0

    init(configuration: SNMPAgentConfiguration, snapshot: MIBSnapshot, directory: URL) throws {
        self.directory = directory
        let configurationFile = directory.appendingPathComponent("agent-config.json")
        let snapshotFile = directory.appendingPathComponent("snapshot-0.json")
        try JSONEncoder().encode(configuration).write(to: configurationFile)
        try JSONEncoder().encode(snapshot).write(to: snapshotFile)
        process = try ChildProcess(
            name: "agent", executable: try TestEnvironment.testAgent.path,
            arguments: [configurationFile.path, snapshotFile.path],
            // Inherited net-snmp variables must not redirect the agent's own configuration.
            environment: ["SNMPCONFPATH": directory.path, "SNMP_PERSISTENT_DIR": directory.path],
            directory: directory)
        let ready = eventually(timeout: 20) { process.output.contains("ready\n") || process.output.contains("failed") || !process.isRunning }
        guard ready, process.output.contains("ready\n") else {
            throw TestFailure("test agent did not start: \(process.output)\n\(process.errors)")
        }
    }

    var isRunning: Bool { process.isRunning }
    var log: String { process.errors }

    func publish(_ snapshot: MIBSnapshot) throws {
        publications += 1
        let file = directory.appendingPathComponent("snapshot-\(publications).json")
        try JSONEncoder().encode(snapshot).write(to: file)
        let before = process.output.components(separatedBy: "published\n").count
        process.send("publish \(file.path)")
        guard eventually(timeout: 10, { process.output.components(separatedBy: "published\n").count > before }) else {
            throw TestFailure("publish not acknowledged: \(process.output)")
        }
    }

    func health() throws -> [String: Any] {
        let before = process.output.split(separator: "\n").count
        process.send("health")
        var line: Substring?
        _ = eventually(timeout: 10) {
            let lines = process.output.split(separator: "\n")
            line = lines.dropFirst(before).first { $0.hasPrefix("{") }
            return line != nil
        }
        guard let line, let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
            throw TestFailure("no health answer: \(process.output)")
        }
        return object
    }

    func stop() {
        if process.isRunning {
            process.send("quit")
            _ = eventually(timeout: 5) { !process.isRunning }
        }
        process.stop()
    }
}
