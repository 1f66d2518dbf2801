import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import PortMatrixHTTP
import PortMatrixTestSupport

/// `/`, `/data` (text), `/json` and `/big` (a megabyte); everything else is 404.
struct TestRoutes: StatusHTTPRoutes {
    static let data = "alpha beta\n"
    static let json = #"{"status":"ok"}"# + "\n"
    static let big = String(repeating: "0123456789abcdef", count: 65536)

    func response(for path: String) -> StatusHTTPResponse? {
        switch path {
        case "/": .text("/data\n/json\n")
        case "/data": .text(Self.data)
        case "/json": StatusHTTPResponse(contentType: "application/json", body: Self.json)
        case "/big": .text(Self.big)
        default: nil
        }
    }
}

extension LogRecord {
    /// Lines the server leaves for a refused request or connection.
    var refusals: [String] { messages(containing: "refused") + messages(containing: "without answer") }
    var logger: Logger { logger(label: "http-test") }
}

/// A server on 127.0.0.1 port 0 with short timeouts; `stop()` shuts it down.
struct TestServer {
    let server: StatusHTTPServer
    let port: Int
    let log: LogRecord

    static func start(access: StatusHTTPAccess = .loopbackOnly, _ configure: (inout StatusHTTPLimits) -> Void = { _ in }) async throws -> TestServer {
        var limits = StatusHTTPLimits()
        limits.requestTimeout = .seconds(1)
        limits.lingerTimeout = .seconds(1)
        configure(&limits)
        let log = LogRecord()
        let server = StatusHTTPServer(listen: ["127.0.0.1:0"], routes: TestRoutes(), limits: limits, logger: log.logger, access: access)
        let addresses = try await server.start()
        return TestServer(server: server, port: addresses[0].port!, log: log)
    }

    /// A server running for the length of `body` as the agent runs it: bound and serving, then
    /// a lifecycle service until `body` ends (or throws), then shut down gracefully.
    static func withRunning<T>(access: StatusHTTPAccess = .loopbackOnly, _ configure: (inout StatusHTTPLimits) -> Void = { _ in },
                               _ body: (TestServer) async throws -> T) async throws -> T {
        let server = try await start(access: access, configure)
        return try await runAsService(server.server, body: { try await body(server) })
    }

    /// Log lines that record an answer with this status code: "refused PEER with 400 ..." or
    /// "GET /x from PEER: 404". Matched as a word, never as part of a port number.
    func answers(_ code: Int) -> Int {
        log.all.map(\.message).filter { $0.contains(" with \(code) ") || $0.hasSuffix(": \(code)") }.count
    }

    var base: String { "http://127.0.0.1:\(port)" }

    /// curl with `-sS`, a time limit, and `-w` printing the status code last.
    func curl(_ arguments: [String], path: String = "/data") async throws -> Curl {
        try await Curl.run(arguments + ["\(base)\(path)"])
    }

    func stop() async { await server.shutdown() }
}

struct Curl {
    var status: Int32
    /// Headers (with -i) and body, without the trailing status code.
    var output: String
    var code: Int
    var stderr: String

    static func run(_ arguments: [String]) async throws -> Curl {
        let result = try await runTool("/usr/bin/curl", ["-sS", "--max-time", "20", "-w", "\n%{http_code}"] + arguments)
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        let code = Int(lines.last ?? "") ?? -1
        return Curl(status: result.status, output: lines.dropLast().joined(separator: "\n"), code: code, stderr: result.stderr)
    }

    /// The value of a response header (with -i), case-insensitive name.
    func header(_ name: String) -> String? {
        for line in output.split(separator: "\r\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            if line[..<colon].lowercased() == name.lowercased() {
                return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
        }
        return nil
    }

    /// What followed the header block (with -i).
    var body: String {
        guard let end = output.range(of: "\r\n\r\n") else { return output }
        return String(output[end.upperBound...])
    }
}
