import Logging
import NIOCore
import NIOPosix
import PortMatrixTestSupport
@testable import PortMatrixNRPE

/// Built-ins the tests control: `check_path <id>` answers from a fixed table, `echo_args` returns
/// its arguments, `on_event_loop` says where built-ins run.
struct TestBuiltins: NRPEBuiltinCommands {
    func run(command: String, arguments: [String]) async -> NRPEResult? {
        switch command {
        case "check_path":
            guard let id = arguments.first else { return NRPEResult(state: .unknown, output: "PORTMATRIX UNKNOWN - no path id") }
            switch id {
            case "smtp-in-internet": return NRPEResult(state: .ok, output: "PORTMATRIX OK - smtp-in-internet: tcp/25 listening")
            case "admin-http": return NRPEResult(state: .warning, output: "PORTMATRIX WARNING - admin-http: tcp/8080 open")
            default: return NRPEResult(state: .unknown, output: "PORTMATRIX UNKNOWN - no path '\(id)'")
            }
        case "echo_args":
            return NRPEResult(state: .ok, output: arguments.joined(separator: ","))
        case "on_event_loop":
            // The server's default group: is this built-in running on one of its loops?
            let onLoop = MultiThreadedEventLoopGroup.singleton.makeIterator().contains { $0.inEventLoop }
            return NRPEResult(state: .ok, output: onLoop ? "on an event loop" : "elsewhere")
        case "long_output":
            let count = Int(arguments.first ?? "") ?? 2000
            return NRPEResult(state: .critical, output: String(repeating: "y", count: count))
        default:
            return nil
        }
    }
}

/// A server on 127.0.0.1 port 0 with a log that tests can read; stopped by ``stop()``.
struct TestServer {
    let server: NRPEServer
    let port: Int
    let log: LogRecord

    static func start(_ configure: (inout NRPEConfiguration) -> Void = { _ in }) async throws -> TestServer {
        var configuration = NRPEConfiguration()
        configuration.listen = ["127.0.0.1:0"]
        configuration.allowedHosts = ["127.0.0.1"]
        configuration.stateDirectory = makeTemporaryDirectory("nrpe-state")
        configuration.connectionTimeout = 5
        configuration.commandTimeout = 10
        configure(&configuration)
        let store = LogRecord()
        let logger = store.logger(label: "nrpe-test")
        let server = try NRPEServer(configuration: configuration, builtins: TestBuiltins(), logger: logger)
        let addresses = try await server.start()
        return TestServer(server: server, port: addresses[0].port!, log: store)
    }

    /// A server running for the length of `body` as the agent runs it: bound and serving, then
    /// a lifecycle service until `body` ends (or throws), then shut down gracefully.
    static func withRunning<T>(_ configure: (inout NRPEConfiguration) -> Void = { _ in },
                               _ body: (TestServer) async throws -> T) async throws -> T {
        let server = try await start(configure)
        return try await runAsService(server.server, body: { try await body(server) })
    }

    func check(_ arguments: [String] = [], host: String = "127.0.0.1") async -> CheckNRPE.Result {
        await CheckNRPE.run(port: port, arguments, host: host)
    }

    func stop() async { await server.shutdown() }
}

extension LogRecord {
    /// Lines the server leaves where nrpe would close a connection silently.
    var refusals: [String] { messages(containing: "without reply") }
}
