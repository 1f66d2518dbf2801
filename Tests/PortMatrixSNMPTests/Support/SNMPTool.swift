import Foundation

/// Runs one of net-snmp's command-line tools to completion.
struct SNMPTool {
    struct Result {
        var status: Int32
        var output: String
        var errors: String

        /// `-On -Oq` lines as OID -> value.
        var values: [String: String] {
            var values: [String: String] = [:]
            for line in output.split(separator: "\n") {
                guard let space = line.firstIndex(of: " ") else { continue }
                values[String(line[..<space])] = String(line[line.index(after: space)...])
            }
            return values
        }

        var lines: [String] { output.split(separator: "\n").map(String.init) }
    }

    /// Keeps the tools away from /etc/snmp and /var/lib/snmp.
    let directory: URL

    func run(_ tool: String, _ arguments: [String], timeout: TimeInterval = 60) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/\(tool)")
        process.arguments = arguments
        process.environment = [
            "PATH": "/usr/bin:/bin", "SNMPCONFPATH": directory.path, "SNMP_PERSISTENT_DIR": directory.path,
            "MIBS": "", "HOME": directory.path,
        ]
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        // Read before waiting: a large walk fills the pipe.
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus, output: String(decoding: outputData, as: UTF8.self),
            errors: String(decoding: errorData, as: UTF8.self))
    }

    /// v2c arguments for a loopback agent, numeric output.
    static func v2c(community: String, port: UInt16, timeout: Int = 2, retries: Int = 1) -> [String] {
        ["-v2c", "-c", community, "-m", "", "-On", "-Oq", "-Ot", "-t", "\(timeout)", "-r", "\(retries)", "127.0.0.1:\(port)"]
    }
}
