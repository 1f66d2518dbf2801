import Foundation
import PortMatrixModel
import PortMatrixTestSupport

/// Runs the built `portmatrix` executable, as operators and Nagios do.
struct CLIRunner {
    typealias Result = ToolResult

    static var executable: URL {
        // The test bundle sits in the build products folder beside the executable.
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 where !FileManager.default.fileExists(atPath: dir.appendingPathComponent("portmatrix").path) {
            dir = dir.deletingLastPathComponent()
        }
        return dir.appendingPathComponent("portmatrix")
    }

    static var repository: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// The user and group the tests run as, for daemons told to run as them (Nagios, Icinga 2).
    static var currentUserAndGroup: (user: String, group: String) {
        (String(cString: getpwuid(getuid()).pointee.pw_name), String(cString: getgrgid(getgid()).pointee.gr_name))
    }

    @discardableResult
    static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> Result {
        try tool(executable.path, arguments, environment: environment)
    }

    /// Runs any program (check_nrpe, snmpget) and collects its output; colour off.
    @discardableResult
    static func tool(_ path: String, _ arguments: [String], environment: [String: String] = [:], timeout: TimeInterval = 120) throws -> Result {
        try runToolBlocking(path, arguments, environment: environment.merging(["NO_COLOR": "1"]) { given, _ in given }, timeout: timeout)
    }

    /// `tool` for async tests: the wait leaves the cooperative pool free.
    static func toolAsync(_ path: String, _ arguments: [String], timeout: TimeInterval = 60) async throws -> Result {
        try await runTool(path, arguments, environment: [:], timeout: timeout)
    }

    /// Starts a daemon (the agent, snmpd, nagios4) that outlives the call; stdout and stderr go
    /// to `output`, or to NAME.out in `dir`.
    static func spawn(_ path: String, _ arguments: [String], environment: [String: String] = [:], in dir: URL, output: URL? = nil) throws -> Spawned {
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        let name = URL(fileURLWithPath: path).lastPathComponent
        let out = output?.path ?? dir.appendingPathComponent("\(name).out").path
        return try Spawned(executable: path, arguments: arguments, environment: env, output: out, errors: out, withInput: false)
    }

    /// How many paths the built-in profile has that the tests' configurations use (the
    /// configuration's default profile): what `matrix`, the status endpoint and the MIB count.
    static func profilePathCount() throws -> Int {
        try Profile.load(SiteConfiguration().profile).paths.count
    }

    /// A fresh temporary folder for one test.
    static func temporaryDirectory() throws -> URL { try makeTestDirectory() }

    /// What a log or output file holds so far; empty while it does not exist yet.
    static func text(_ url: URL) -> String { (try? String(contentsOf: url, encoding: .utf8)) ?? "" }
}
