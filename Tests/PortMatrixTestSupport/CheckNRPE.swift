import Foundation

/// Debian's real check_nrpe (nagios-nrpe-plugin) against a server on loopback: the agent run as
/// a process (CLI tests) or an NRPEServer in this process (NRPE tests).
public enum CheckNRPE {
    public static let path = "/usr/lib/nagios/plugins/check_nrpe"
    public static var isInstalled: Bool { FileManager.default.isExecutableFile(atPath: path) }

    /// What check_nrpe printed, without its final newline, and how it exited.
    public struct Result: Sendable {
        public var status: Int32
        public var text: String
    }

    /// `-H HOST -p PORT -t SECONDS`, `-n` without TLS, then `arguments`.
    public static func arguments(_ port: Int, host: String = "127.0.0.1", tls: Bool = false, timeout: Int = 10,
                                 _ arguments: [String]) -> [String] {
        ["-H", host, "-p", "\(port)", "-t", "\(timeout)"] + (tls ? [] : ["-n"]) + arguments
    }

    /// For synchronous tests, whose agent runs as a process of its own.
    public static func run(_ port: Int, tls: Bool = false, _ arguments: [String]) throws -> ToolResult {
        try runToolBlocking(path, Self.arguments(port, tls: tls, arguments), environment: ["NO_COLOR": "1"])
    }

    /// `check_nrpe -H HOST -p PORT -t 20 <arguments>` (TLS unless `arguments` say `-n`), waiting
    /// without holding a thread: the server under test may be in this process and needs the
    /// cooperative pool to answer. The child starts with no signal blocked (Spawned), so its
    /// SIGALRM timeout works.
    public static func run(port: Int, _ arguments: [String] = [], host: String = "127.0.0.1") async -> Result {
        do {
            let result = try await runTool(path, Self.arguments(port, host: host, tls: true, timeout: 20, arguments),
                                           environment: [:], timeout: 60)
            var text = result.stdout
            if text.hasSuffix("\n") { text.removeLast() }
            return Result(status: result.status, text: text)
        } catch {
            return Result(status: 3, text: "check_nrpe did not run: \(error)")
        }
    }
}
