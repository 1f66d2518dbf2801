import Foundation
import PortMatrixTestSupport

/// Runs one of net-snmp's command-line tools to completion.
struct SNMPTool {
    struct Result {
        var status: Int32
        var output: String
        var errors: String

        /// `-On -Oq` lines as OID -> value. A walk that reaches the end of the agent's view
        /// ends with an endOfMibView line for the last OID; it is not a value.
        var values: [String: String] {
            var values: [String: String] = [:]
            for line in output.split(separator: "\n") where !line.hasSuffix("(It is past the end of the MIB tree)") {
                guard let space = line.firstIndex(of: " ") else { continue }
                values[String(line[..<space])] = String(line[line.index(after: space)...])
            }
            return values
        }

        var lines: [String] { output.split(separator: "\n").map(String.init) }
    }

    /// Keeps the tools away from /etc/snmp and /var/lib/snmp.
    let directory: URL

    func run(_ tool: String, _ arguments: [String], timeout: TimeInterval = 120) throws -> Result {
        let name = "\(tool)-\(UUID().uuidString.prefix(8))"
        let output = directory.appendingPathComponent("\(name).out")
        let errors = directory.appendingPathComponent("\(name).err")
        defer {
            try? FileManager.default.removeItem(at: output)
            try? FileManager.default.removeItem(at: errors)
        }
        let child = try Spawned(
            executable: "/usr/bin/\(tool)", arguments: arguments,
            environment: [
                "PATH": "/usr/bin:/bin", "SNMPCONFPATH": directory.path, "SNMP_PERSISTENT_DIR": directory.path,
                "MIBS": "", "HOME": directory.path,
            ],
            output: output.path, errors: errors.path, withInput: false)
        let status = child.wait(timeout: timeout)
        return Result(
            status: status, output: (try? String(contentsOf: output, encoding: .utf8)) ?? "",
            errors: (try? String(contentsOf: errors, encoding: .utf8)) ?? "")
    }

    /// v2c arguments for a loopback agent, numeric output.
    static func v2c(community: String, port: UInt16, timeout: Int = 2, retries: Int = 1) -> [String] {
        ["-v2c", "-c", community, "-m", "", "-On", "-Oq", "-Ot", "-t", "\(timeout)", "-r", "\(retries)", "127.0.0.1:\(port)"]
    }
}
