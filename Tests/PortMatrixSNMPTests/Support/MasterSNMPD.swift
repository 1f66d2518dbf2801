import Foundation
import PortMatrixTestSupport

/// net-snmp's snmpd as the AgentX master, with its own config, socket and state in the test's
/// directory, on a loopback port; `restart()` keeps port and socket.
final class MasterSNMPD {
    let port: UInt16
    let community = "public"
    let socketPath: String
    private let directory: URL
    private let trapPort: UInt16?
    private var process: ChildProcess?

    init(directory: URL, trapPort: UInt16? = nil) throws {
        self.directory = directory
        self.port = try freeUDPPort()
        self.trapPort = trapPort
        socketPath = directory.appendingPathComponent("agentx.sock").path
        let state = directory.appendingPathComponent("snmpd-state")
        try FileManager.default.createDirectory(at: state, withIntermediateDirectories: true)
        var config = """
            master agentx
            agentXSocket \(socketPath)
            agentXPerms 0660 0770
            agentaddress udp:127.0.0.1:\(port)
            rocommunity \(community) 127.0.0.1
            """
        if let trapPort {
            config += "\ntrap2sink udp:127.0.0.1:\(trapPort) traps"
        }
        try (config + "\n").write(to: directory.appendingPathComponent("snmpd.conf"), atomically: true, encoding: .utf8)
    }

    func start() throws {
        let state = directory.appendingPathComponent("snmpd-state").path
        process = try ChildProcess(
            name: "snmpd", executable: "/usr/sbin/snmpd",
            arguments: [
                "-f", "-C", "-c", directory.appendingPathComponent("snmpd.conf").path, "-m", "",
                "-p", directory.appendingPathComponent("snmpd.pid").path, "-Lo", "-I", "-smux",
            ],
            environment: ["SNMP_PERSISTENT_DIR": state, "SNMPCONFPATH": state, "MIBS": ""],
            directory: directory)
        let ready = eventually(timeout: 10) { FileManager.default.fileExists(atPath: socketPath) }
        guard ready else { throw TestFailure("snmpd did not open \(socketPath): \(process?.errors ?? "")") }
    }

    /// Kills snmpd hard, as a crash would: the AgentX socket vanishes without a goodbye.
    func kill() {
        process?.stop(signal: SIGKILL)
        try? FileManager.default.removeItem(atPath: socketPath)
    }

    func stop() {
        process?.stop()
    }

    var log: String { (process?.output ?? "") + (process?.errors ?? "") }
}
