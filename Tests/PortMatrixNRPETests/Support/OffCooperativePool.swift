import Foundation
@testable import PortMatrixNRPE

/// The real client from Debian's nagios-nrpe-plugin.
enum CheckNRPE {
    static let path = "/usr/lib/nagios/plugins/check_nrpe"
    static var isInstalled: Bool { FileManager.default.isExecutableFile(atPath: path) }

    struct Result: Sendable {
        var status: Int32
        /// stdout without check_nrpe's final newline.
        var text: String
    }

    /// `check_nrpe -H 127.0.0.1 -p port <arguments>`.
    ///
    /// Spawned through NRPEProcessRunner rather than Foundation's Process: Process passes on
    /// the test runner's blocked signal mask, and a check_nrpe with SIGALRM blocked never
    /// times out.
    static func run(port: Int, _ arguments: [String] = [], host: String = "127.0.0.1") async -> Result {
        let words = [path, "-H", host, "-p", "\(port)", "-t", "20"] + arguments
        let line = "exec " + words.map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
        let result = await offCooperativePool {
            NRPEProcessRunner().run(commandLine: line, timeoutSeconds: 60, outputLimit: 1 << 20)
        }
        return Result(status: Int32(result.state.rawValue), text: result.output)
    }
}

/// Runs blocking work on a thread of its own: the cooperative pool has one thread per core
/// (two here) and the server under test needs it to answer; GCD's global queue is about as
/// narrow on Linux, so parallel tests would queue behind each other's blocking waits.
func offCooperativePool<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        Thread { continuation.resume(returning: work()) }.start()
    }
}
