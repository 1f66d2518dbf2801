import Foundation

/// What a program printed and how it ended.
public struct ToolResult: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String

    public init(status: Int32, stdout: String, stderr: String) {
        self.status = status
        self.stdout = stdout
        self.stderr = stderr
    }
}

/// A real program (curl, promtool, check_nrpe, snmpget) started with posix_spawn, its output
/// going to files that are read once it has exited. Foundation's Process left finished
/// children unreaped here.
private struct ToolRun {
    let dir: URL
    let child: Spawned

    /// `environment` is laid over this process's; stdin is `input` (a file) or /dev/null.
    init(_ path: String, _ arguments: [String], environment: [String: String], input: String?) throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("portmatrix-tool-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        var executable = path, argv = arguments
        var env = ProcessInfo.processInfo.environment.merging(environment) { _, given in given }
        if let input {
            // Spawned reads stdin from /dev/null or a pipe; a shell redirect gives the file and its EOF.
            executable = "/bin/sh"
            argv = ["-c", "exec \"$0\" \"$@\" < \"$PORTMATRIX_TOOL_INPUT\"", path] + arguments
            env["PORTMATRIX_TOOL_INPUT"] = input
        }
        do {
            child = try Spawned(executable: executable, arguments: argv, environment: env,
                                output: dir.appendingPathComponent("stdout").path, errors: dir.appendingPathComponent("stderr").path,
                                withInput: false)
        } catch {
            try? FileManager.default.removeItem(at: dir)
            throw error
        }
    }

    func result(_ status: Int32) -> ToolResult {
        defer { try? FileManager.default.removeItem(at: dir) }
        return ToolResult(status: status,
                          stdout: (try? String(contentsOf: dir.appendingPathComponent("stdout"), encoding: .utf8)) ?? "",
                          stderr: (try? String(contentsOf: dir.appendingPathComponent("stderr"), encoding: .utf8)) ?? "")
    }
}

/// Runs a program to completion without holding a thread: the server it talks to may be in
/// this process. C locale unless `environment` says otherwise.
public func runTool(_ path: String, _ arguments: [String], environment: [String: String] = ["LC_ALL": "C"],
                    input: String? = nil, timeout: TimeInterval = 60) async throws -> ToolResult {
    let run = try ToolRun(path, arguments, environment: environment, input: input)
    return run.result(await run.child.exitStatus(timeout: timeout))
}

/// `runTool` for synchronous tests, where no server of this process needs the cooperative pool.
public func runToolBlocking(_ path: String, _ arguments: [String], environment: [String: String] = [:],
                            timeout: TimeInterval = 120) throws -> ToolResult {
    let run = try ToolRun(path, arguments, environment: environment, input: nil)
    return run.result(run.child.wait(timeout: timeout))
}

/// Prometheus' own linter for exposition text (Debian package `prometheus`).
public enum Promtool {
    public static let path = "/usr/bin/promtool"
    public static var isInstalled: Bool { FileManager.default.isExecutableFile(atPath: path) }

    /// `promtool check metrics` on `text`: status 0 and no output when the text parses and lints clean.
    public static func checkMetrics(_ text: String) async throws -> ToolResult {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("portmatrix-metrics-\(UUID().uuidString).prom")
        try text.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        return try await runTool(path, ["check", "metrics"], input: file.path)
    }
}
