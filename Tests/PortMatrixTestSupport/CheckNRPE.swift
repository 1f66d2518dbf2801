import Foundation

/// Debian's real check_nrpe against an agent on 127.0.0.1.
enum CheckNRPE {
    static let path = "/usr/lib/nagios/plugins/check_nrpe"
    static var isInstalled: Bool { FileManager.default.isExecutableFile(atPath: path) }

    /// `-H 127.0.0.1 -p PORT -t SECONDS`, `-n` without TLS, then `arguments`.
    static func arguments(_ port: Int, tls: Bool = false, timeout: Int = 10, _ arguments: [String]) -> [String] {
        ["-H", "127.0.0.1", "-p", "\(port)", "-t", "\(timeout)"] + (tls ? [] : ["-n"]) + arguments
    }

    static func run(_ port: Int, tls: Bool = false, _ arguments: [String]) throws -> CLIRunner.Result {
        try CLIRunner.tool(path, Self.arguments(port, tls: tls, arguments))
    }
}
