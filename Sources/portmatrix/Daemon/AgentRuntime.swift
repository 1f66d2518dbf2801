import Logging
import NIOCore
import PortMatrixEngine
import PortMatrixHTTP
import PortMatrixModel
import PortMatrixNRPE
import PortMatrixReport
import PortMatrixSNMP
import Synchronization

/// The daemon's parts, built from one configuration, and what a reload (SIGHUP) may change.
final class AgentRuntime: Sendable {
    let engine: Engine
    let nrpe: NRPEServer?
    let snmp: SNMPAgent?
    /// Always there; it listens only where `status_endpoint.listen` says (a reload may add some).
    let statusEndpoint: StatusHTTPServer
    /// `checkmk.spool_file`, written on every published snapshot; fixed until a restart.
    let checkmkSpool: CheckmkSpool?
    /// `--config` as given; nil re-resolves (/etc/portmatrix/portmatrix.yaml, else embedded) on reload.
    private let configPath: String?
    private let logger: Logger
    private let applied: Mutex<AgentConfiguration>

    init(configuration loaded: AgentConfiguration, configPath: String?, group: any EventLoopGroup, logger: Logger) throws {
        let (configuration, profile) = (loaded.site, loaded.profile)
        let plan = Planner(profile: profile, configuration: configuration).plan()
        self.configPath = configPath
        self.logger = logger
        self.applied = Mutex(loaded)
        let engine = Wiring.engine(plan: plan, group: group, logger: logger, trace: loaded.trace)
        let snmp = loaded.snmp.mode == .off ? nil
            : SNMPAgent(configuration: loaded.snmp, logger: Logger(label: "portmatrix.snmp"))
        self.engine = engine
        self.snmp = snmp
        // `listen: []` turns the listener off.
        self.nrpe = loaded.nrpe.listen.isEmpty ? nil : try NRPEServer(
            configuration: loaded.nrpe,
            builtins: EngineNRPECommands(store: engine.store, links: { snmp.map { [$0.health.link] } ?? [] }),
            logger: Logger(label: "portmatrix.nrpe"), eventLoopGroup: group)
        self.statusEndpoint = StatusHTTPServer(
            listen: loaded.statusEndpoint.listen, routes: StatusRoutes(store: engine.store),
            logger: Logger(label: "portmatrix.status"), access: try StatusHTTPAccess(loaded.statusEndpoint), eventLoopGroup: group)
        self.checkmkSpool = loaded.checkmk.spoolFile.map { CheckmkSpool(path: $0, logger: Logger(label: "portmatrix.checkmk")) }
        logger.info("configuration \(Self.summary(plan, profile))")
        for finding in plan.findings { logger.warning("\(finding.message)") }
        if let age = loaded.checkmk.spoolMaximumAge, Double(age) < 2 * configuration.schedule.interval.seconds {
            logger.warning("checkmk.spool_file: the maximum age \(age) s in its name is less than two intervals; Checkmk may drop the file between cycles (3 x interval is a good age)")
        }
    }

    /// `/etc/portmatrix/portmatrix.yaml: profile seppmail, 12 paths, 20 checks`.
    private static func summary(_ plan: Plan, _ profile: Profile) -> String {
        "\(plan.configuration.origin): profile \(profile.name), \(plan.paths.filter(\.applies).count) paths, \(plan.checks.count) checks"
    }

    /// Opens what may need root: the NRPE listeners, the SNMP master port or AgentX socket, and
    /// the status endpoint. Nothing is answered yet: requests wait in the sockets until `serve()`.
    func open() async throws {
        snmp?.publish(MIBSnapshot(engine.store.snapshot, version: PortMatrixVersion.string))
        if let nrpe { _ = try await nrpe.bind() }
        try snmp?.bind()
        _ = try await statusEndpoint.bind()
    }

    /// Starts answering on what `open()` bound: called once root is dropped, so no request (and
    /// no NRPE command) ever runs as root by accident, and the NRPE TLS material is read, or
    /// generated, by the run-as account.
    func serve() async throws {
        if let nrpe { try await nrpe.serve() }
        snmp?.serve()
        try await statusEndpoint.serve()
    }

    /// Every snapshot the engine publishes goes to SNMP, with the changes it brought (sent as
    /// pmPathStatusChange); the engine has logged them.
    func published(_ changes: [PathStatusChange], _ snapshot: Snapshot) {
        snmp?.publish(MIBSnapshot(snapshot, changes: changes, version: PortMatrixVersion.string))
        checkmkSpool?.write(snapshot, links: snmp.map { [$0.health.link] } ?? [])
    }

    /// Where the agent writes state (a generated NRPE key, net-snmp's persistent data): checked
    /// and handed to the run-as account before any socket opens.
    var stateDirectories: [String] {
        let configuration = applied.withLock { $0 }
        var directories: [String] = []
        if nrpe != nil, configuration.nrpe.tlsMode == .on, configuration.nrpe.certFile == nil { directories.append(configuration.nrpe.stateDirectory) }
        if snmp != nil { directories.append(configuration.snmp.stateDirectory) }
        return directories
    }

    /// Reads the configuration again and applies it, or keeps the running one if it is invalid.
    func reload() async {
        let source = configPath ?? "the default configuration"
        logger.notice("SIGHUP: reloading \(source)")
        let loaded: AgentConfiguration
        do {
            loaded = try AgentConfiguration.resolve(path: configPath)
        } catch {
            logger.error("reload refused, the running configuration stays: \(Output.oneLine(error))")
            return
        }
        let (configuration, profile) = (loaded.site, loaded.profile)
        let previous = applied.withLock { $0 }
        if nrpe != nil, loaded.nrpe.listen.isEmpty {
            logger.warning("nrpe.listen is now empty: the NRPE listener stops with the next restart")
        } else if let nrpe {
            do {
                try await nrpe.reconfigure(loaded.nrpe)
            } catch {
                logger.error("reload refused, the running configuration stays: \(configuration.origin): \(Output.oneLine(error))")
                return
            }
        } else if !loaded.nrpe.listen.isEmpty {
            logger.warning("nrpe.listen was empty at start: the NRPE listener starts with the next restart")
        }
        do {
            statusEndpoint.update(access: try StatusHTTPAccess(loaded.statusEndpoint))
            _ = try await statusEndpoint.update(listen: loaded.statusEndpoint.listen)
        } catch {
            logger.error("\(error) (its listeners stay as they were)")
        }
        if loaded.snmp != previous.snmp {
            logger.warning("snmp settings changed: they take effect with the next restart")
        }
        if loaded.checkmk != previous.checkmk {
            logger.warning("checkmk settings changed: they take effect with the next restart")
        }
        if loaded.agent != previous.agent {
            logger.warning("agent settings changed: they take effect with the next restart")
        }
        let plan = Planner(profile: profile, configuration: configuration).plan()
        for finding in plan.findings { logger.warning("\(finding.message)") }
        engine.reload(plan: plan, trace: loaded.trace, publishTo: published)
        applied.withLock { $0 = loaded }
        logger.notice("reloaded \(Self.summary(plan, profile))")
    }
}
