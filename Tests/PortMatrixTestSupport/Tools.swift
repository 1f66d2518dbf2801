import Foundation

/// What a program printed and how it ended.
public struct ToolResult: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
}

/// Runs a real program (curl, promtool) to completion with stdin from `input` (a file) or
/// /dev/null. Waits without holding a thread: the server it talks to may be in this process.
public func runTool(_ path: String, _ arguments: [String], input: String? = nil, timeout: TimeInterval = 60) async throws -> ToolResult {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("portmatrix-tool-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let out = dir.appendingPathComponent("stdout").path, err = dir.appendingPathComponent("stderr").path
    var executable = path, argv = arguments
    if input != nil {
        // Spawned reads stdin from /dev/null or a pipe; a shell redirect gives the file and its EOF.
        executable = "/bin/sh"
        argv = ["-c", "exec \"$0\" \"$@\" < \"$PORTMATRIX_TOOL_INPUT\"", path] + arguments
    }
    var environment = ProcessInfo.processInfo.environment
    environment["LC_ALL"] = "C"
    if let input { environment["PORTMATRIX_TOOL_INPUT"] = input }
    let child = try Spawned(executable: executable, arguments: argv, environment: environment, output: out, errors: err, withInput: false)
    let status = await child.exitStatus(timeout: timeout)
    return ToolResult(status: status, stdout: (try? String(contentsOfFile: out, encoding: .utf8)) ?? "",
                      stderr: (try? String(contentsOfFile: err, encoding: .utf8)) ?? "")
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
