import Foundation
import PortMatrixTestSupport

/// A daemon the test started (snmpd, snmptrapd, SNMPTestAgent): output goes to files in the
/// test's directory, and `stop()` ends it by its pid.
final class ChildProcess: @unchecked Sendable {
    let name: String
    let outputFile: URL
    let errorFile: URL
    private let child: Spawned

    init(name: String, executable: String, arguments: [String], environment: [String: String] = [:], directory: URL) throws {
        self.name = name
        outputFile = directory.appendingPathComponent("\(name).out")
        errorFile = directory.appendingPathComponent("\(name).err")
        child = try Spawned(
            executable: executable, arguments: arguments,
            environment: ProcessInfo.processInfo.environment.merging(environment) { $1 },
            output: outputFile.path, errors: errorFile.path, withInput: true)
    }

    var isRunning: Bool { child.isRunning }
    var output: String { (try? String(contentsOf: outputFile, encoding: .utf8)) ?? "" }
    var errors: String { (try? String(contentsOf: errorFile, encoding: .utf8)) ?? "" }

    func send(_ line: String) {
        child.write(line + "\n")
    }

    /// SIGTERM (or `signal`), then SIGKILL if it has not exited after a few seconds.
    func stop(signal: Int32 = SIGTERM) {
        child.terminate(signal: signal)
    }
}

