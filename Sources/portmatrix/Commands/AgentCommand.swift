import ArgumentParser
import Foundation
import Logging
import NIOCore
import NIOPosix
import PortMatrixModel
import ServiceLifecycle
import UnixSignals

struct AgentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agent",
        abstract: "Run the daemon: the check engine, the NRPE listener and the SNMP subagent.",
        discussion: "SIGHUP reloads the configuration (an invalid file is refused and the running one stays); SIGTERM or SIGINT stop it after answering requests in flight.")

    @OptionGroup var config: ConfigOption

    @Option(help: "Log level: trace, debug, info, notice, warning, error.")
    var logLevel: String = "info"

    func run() async throws {
        let configuration = try config.loadAll()
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = Logger.Level(rawValue: logLevel) ?? .info
            return handler
        }
        let logger = Logger(label: "portmatrix")
        logger.info("starting portmatrix \(PortMatrixVersion.string)")
        // Before any socket opens: from here on SIGHUP reloads instead of terminating.
        let reloadSignals = await UnixSignalsSequence(trapping: .sighup)
        let group = MultiThreadedEventLoopGroup(numberOfThreads: System.coreCount)
        let runtime: AgentRuntime
        do {
            let account = try RunAsAccount.resolve(configuration.agent) { logger.warning("\($0)") }
            runtime = try AgentRuntime(configuration: configuration, configPath: config.config,
                                       group: group, logger: logger)
            // As root: state directories checked and handed over first (root never opens a path
            // the account controls), then bind and attach, drop root, and only then answer.
            if geteuid() == 0 {
                for directory in runtime.stateDirectories { try RunAsAccount.prepareStateDirectory(directory, for: account) }
            }
            try await runtime.open()
            if let account {
                try account.drop()
                logger.notice("running as \(account.user) (uid \(account.uid), gid \(account.gid))")
            }
            try await runtime.serve()
        } catch {
            Output.error("portmatrix agent: \(Output.describe(error))")
            try? await group.shutdownGracefully()
            throw ExitCode(2)
        }

        var services: [any Service] = [
            EngineService(engine: runtime.engine, onPublish: runtime.published),
            ReloadService(runtime: runtime, signals: reloadSignals),
        ]
        // The servers themselves: bound above, they answer until SIGTERM, then drain.
        if let nrpe = runtime.nrpe { services.append(nrpe) }
        if let snmp = runtime.snmp { services.append(snmp) }
        services.append(runtime.statusEndpoint)
        let serviceGroup = ServiceGroup(configuration: .init(
            services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await serviceGroup.run()
        try await group.shutdownGracefully()
        logger.info("stopped")
    }
}
