import ArgumentParser
import Foundation
import Logging
import NIOCore
import NIOPosix
import PortMatrixEngine
import PortMatrixHTTP
import PortMatrixModel
import PortMatrixNRPE
import PortMatrixSNMP
import ServiceLifecycle

struct AgentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agent",
        abstract: "Run the daemon: the check engine, the NRPE listener and the SNMP subagent. SIGTERM or SIGINT stop it.")

    @OptionGroup var config: ConfigOption

    @Option(help: "Log level: trace, debug, info, notice, warning, error.")
    var logLevel: String = "info"

    func run() async throws {
        let (configuration, profile) = try config.load()
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = Logger.Level(rawValue: logLevel) ?? .info
            return handler
        }
        let logger = Logger(label: "portmatrix")
        let plan = Planner(profile: profile, configuration: configuration).plan()
        logger.info("starting: profile \(profile.name), configuration \(configuration.origin), \(plan.paths.filter(\.applies).count) paths, \(plan.checks.count) checks")
        for finding in plan.findings { logger.warning("\(finding.message)") }

        let group = MultiThreadedEventLoopGroup(numberOfThreads: System.coreCount)
        let engine = Wiring.engine(plan: plan, group: group, logger: logger)
        let snmp = configuration.snmp.mode == .off ? nil
            : SNMPAgent(configuration: SNMPAgentConfiguration(configuration.snmp), logger: Logger(label: "portmatrix.snmp"))
        if let snmp { snmp.publish(MIBSnapshot(engine.store.snapshot, version: PortMatrixVersion.string)) }
        var services: [any Service] = [EngineService(engine: engine, logger: logger, onPublish: { _, snapshot in
            // The agent derives pmPathStatusChange notifications from consecutive snapshots.
            snmp?.publish(MIBSnapshot(snapshot, version: PortMatrixVersion.string))
        })]
        if let snmp { services.append(SNMPService(agent: snmp)) }
        if !configuration.nrpe.listen.isEmpty {  // `listen: []` turns the listener off
            let commands = EngineNRPECommands(store: engine.store, links: { snmp.map { [$0.health.link] } ?? [] })
            do {
                let server = try NRPEServer(configuration: NRPEServerConfiguration(configuration.nrpe), builtins: commands,
                                            logger: Logger(label: "portmatrix.nrpe"), eventLoopGroup: group)
                services.append(NRPEService(server: server))
            } catch {
                Output.error("\(configuration.origin): \(error)")
                throw ExitCode(2)
            }
        }
        if !configuration.statusEndpoint.listen.isEmpty {  // off unless `status_endpoint.listen` names addresses
            services.append(StatusEndpointService(server: StatusHTTPServer(
                listen: configuration.statusEndpoint.listen, routes: StatusRoutes(store: engine.store),
                logger: Logger(label: "portmatrix.status"), eventLoopGroup: group)))
        }
        let serviceGroup = ServiceGroup(configuration: .init(
            services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await serviceGroup.run()
        try await group.shutdownGracefully()
        logger.info("stopped")
    }
}
