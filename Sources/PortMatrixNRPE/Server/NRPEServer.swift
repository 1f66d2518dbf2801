import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import NIOSSL
import PortMatrixListening
import ServiceLifecycle

/// The NRPE listener: one request per connection, answered in the query's packet version.
/// A lifecycle `Service`: bound before the group runs (perhaps as root), it answers in `run()`
/// until a graceful shutdown, then lets the requests in flight finish.
///
/// ```swift
/// let server = try NRPEServer(configuration: config, builtins: engineCommands, logger: logger)
/// let addresses = try await server.bind()        // as root
/// // drop root
/// try await ServiceGroup(services: [server], logger: logger).run()
/// ```
public final class NRPEServer: Service {
    private let builtins: any NRPEBuiltinCommands
    private let logger: Logger
    private let group: any EventLoopGroup
    private let threadPool: NIOThreadPool
    private let registry: ConnectionRegistry
    private let refusals = RefusalLog(server: "NRPE")
    /// What a new connection is served with; swapped whole by `reconfigure`, so a connection
    /// sees one consistent configuration.
    private let settings: NIOLockedValueBox<Settings>
    private let listeners: ListenerSet
    /// Set by the first `serve()`: the TLS material is read and the command threads run.
    private let serving = NIOLockedValueBox(false)
    /// Looks `allowed_hosts` names up; a test injects a counting one.
    private let resolver: NRPEAccessList.Resolver
    /// The background lookup of `allowed_hosts` names, every ``NRPEAccessList/refreshInterval``.
    private let nameRefresh = NIOLockedValueBox<RepeatedTask?>(nil)

    private struct Settings: Sendable {
        var configuration: NRPEConfiguration
        var accessList: NRPEAccessList
        var sslContext: NIOSSLContext?
        var dispatcher: NRPECommandDispatcher?
        /// `tls.allowed_clients`, parsed (validated before).
        var clientPins: [NRPEClientPin] = []
    }

    public var configuration: NRPEConfiguration { settings.withLockedValue { $0.configuration } }

    /// Throws the configuration's validation errors (``NRPEConfigurationErrors``).
    public convenience init(
        configuration: NRPEConfiguration,
        builtins: any NRPEBuiltinCommands = NRPENoBuiltinCommands(),
        logger: Logger,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) throws {
        try self.init(configuration: configuration, builtins: builtins, logger: logger, eventLoopGroup: eventLoopGroup,
                      resolver: { NRPEAllowedHost.resolve($0) })
    }

    init(
        configuration: NRPEConfiguration,
        builtins: any NRPEBuiltinCommands,
        logger: Logger,
        eventLoopGroup: any EventLoopGroup,
        resolver: @escaping NRPEAccessList.Resolver
    ) throws {
        self.resolver = resolver
        let errors = configuration.validate()
        guard errors.isEmpty else { throw NRPEConfigurationErrors(errors: errors) }
        self.builtins = builtins
        self.logger = logger
        self.group = eventLoopGroup
        self.threadPool = NIOThreadPool(numberOfThreads: configuration.commandThreads)
        self.registry = ConnectionRegistry(limit: configuration.maxConnections)
        let settings = NIOLockedValueBox(Settings(configuration: configuration, accessList: try NRPEAccessList(configuration.allowedHosts, resolver: resolver)))
        self.settings = settings
        self.listeners = ListenerSet(server: "NRPE", group: eventLoopGroup, backlog: configuration.listenBacklog, logger: logger,
                                     childChannelInitializer: Self.childChannelInitializer(registry: registry, settings: settings,
                                                                                           logger: logger, refusals: refusals))
    }

    /// Binds every `listen` address and answers on them: `bind()` then `serve()`, for a server
    /// not run by a service group. Returns the bound addresses (with the real port when 0 was asked).
    public func start() async throws -> [SocketAddress] {
        let bound = try await bind()
        do { try await serve() } catch {
            await shutdown()
            throw error
        }
        return bound
    }

    /// Binds every `listen` address without accepting: connections wait in the kernel's backlog
    /// until `serve()`, so a daemon started as root can bind, drop root, and only then answer.
    /// An address that cannot bind throws ``ListenError``, and nothing stays bound.
    public func bind() async throws -> [SocketAddress] {
        let configuration = configuration
        do {
            return try await listeners.bind(try configuration.listen.map { try ListenAddress(parsing: $0) },
                                            metadata: ["tls": "\(configuration.tlsMode == .on ? "on" : "off")"])
        } catch {
            await shutdown()
            throw error
        }
    }

    /// Starts answering on the bound listeners. The TLS material is read (or generated in
    /// `state_directory`) here, as whoever runs the process by then, never before a drop of root.
    /// A second call does nothing.
    public func serve() async throws {
        guard !serving.withLockedValue({ $0 }) else { return }
        let prepared = try prepare(configuration)
        threadPool.start()
        serving.withLockedValue { $0 = true }
        await resolveNames(prepared.accessList)
        settings.withLockedValue { $0 = prepared }
        startNameRefresh()
        try await listeners.serve()
    }

    /// Answers on the bound listeners (binding them first if nobody did) until a graceful
    /// shutdown, then stops accepting and lets the requests in flight finish.
    public func run() async throws {
        if await listeners.boundAddresses.isEmpty { _ = try await bind() }
        try await serve()
        try? await gracefulShutdown()
        await shutdown()
    }

    /// Applies a new configuration to a running server (SIGHUP): connections accepted from now
    /// on get the new TLS, allowed hosts and commands; listeners whose address is unchanged stay
    /// open, removed ones close, new ones bind. Nothing changes if the new configuration is
    /// invalid or its TLS files cannot be read (thrown); an address that cannot bind is logged
    /// and the others apply (``ListenerSet``'s policy). `command_threads` and `max_connections`
    /// keep their start values. Returns the newly bound addresses.
    @discardableResult
    public func reconfigure(_ configuration: NRPEConfiguration) async throws -> [SocketAddress] {
        let errors = configuration.validate()
        guard errors.isEmpty else { throw NRPEConfigurationErrors(errors: errors) }
        let addresses = try configuration.listen.map { try ListenAddress(parsing: $0) }
        let prepared = try prepare(configuration)
        await resolveNames(prepared.accessList)
        let previous = settings.withLockedValue { current in
            defer { current = prepared }
            return current.configuration
        }
        if configuration.maxConnections != previous.maxConnections || configuration.commandThreads != previous.commandThreads {
            logger.warning("NRPE: max_connections and command threads keep their start values until a restart")
        }
        let change = await listeners.update(to: addresses)
        logger.info("NRPE: configuration applied", metadata: [
            "addresses": "\(change.bound.map(\.listenText))", "tls": "\(prepared.sslContext == nil ? "off" : "on")",
        ])
        return change.opened
    }

    /// Stops accepting, closes idle connections, lets requests in flight get their reply
    /// (bounded by command_timeout), then releases the command threads.
    public func shutdown() async {
        nameRefresh.withLockedValue { $0?.cancel() }
        await listeners.close()
        for closed in registry.drain() { try? await closed.get() }
        try? await threadPool.shutdownGracefully()
    }

    private func prepare(_ configuration: NRPEConfiguration) throws -> Settings {
        Settings(
            configuration: configuration,
            accessList: try NRPEAccessList(configuration.allowedHosts, resolver: resolver),
            sslContext: configuration.tlsMode == .on ? try NRPETLSContext.make(configuration, logger: logger) : nil,
            dispatcher: NRPECommandDispatcher(
                builtins: builtins,
                externalCommands: loadExternalCommands(configuration),
                allowArguments: configuration.allowArguments,
                commandTimeoutSeconds: configuration.commandTimeout,
                threadPool: threadPool
            ),
            clientPins: configuration.tlsMode == .on ? configuration.allowedClients.compactMap { try? NRPEClientPin(parsing: $0) } : [])
    }

    /// Connections currently open (admitted and not yet closed).
    var openConnections: Int { registry.count }

    /// What each accepted connection gets, read from the settings of the moment.
    private static func childChannelInitializer(
        registry: ConnectionRegistry, settings: NIOLockedValueBox<Settings>, logger: Logger, refusals: RefusalLog
    ) -> @Sendable (any Channel) -> EventLoopFuture<Void> {
        { channel in
                // Runs before the channel is registered: no byte is read from a refused peer.
                let peer = channel.remoteAddress.map(\.listenText) ?? "unknown peer"
                guard registry.admit(channel) else {
                    refusals.log(logger, reason: "max_connections", "NRPE: closed connection from \(peer) without reply: \(registry.limit) connections open (max_connections)")
                    return channel.eventLoop.makeFailedFuture(ChannelError.inputClosed)
                }
                let current = settings.withLockedValue { $0 }
                guard let dispatcher = current.dispatcher else { return channel.eventLoop.makeFailedFuture(ChannelError.inputClosed) }
                let requestTimeout = TimeAmount.seconds(Int64(current.configuration.connectionTimeout))
                return channel.eventLoop.makeSucceededFuture(current.accessList.isAllowed(channel.remoteAddress))
                    .flatMapThrowing { allowed in
                        guard allowed else {
                            refusals.log(logger, reason: "allowed_hosts", "NRPE: closed connection from \(peer) without reply: host not in allowed_hosts")
                            throw ChannelError.inputClosed
                        }
                        let handlers = channel.pipeline.syncOperations
                        if let sslContext = current.sslContext {
                            try handlers.addHandler(NIOSSLServerHandler(context: sslContext))
                        }
                        try handlers.addHandler(ByteToMessageHandler(NRPEPacketDecoder()))
                        try handlers.addHandler(NRPERequestHandler(
                            dispatcher: dispatcher, registry: registry, requestTimeout: requestTimeout, logger: logger,
                            refusals: refusals, clientPins: current.clientPins
                        ))
                    }
        }
    }

    /// Looks the `allowed_hosts` names up before the list serves a connection, on the command
    /// threads (getaddrinfo blocks); warns about `[any]` and names that do not resolve.
    private func resolveNames(_ accessList: NRPEAccessList) async {
        if accessList.allowsAny {
            logger.warning("NRPE: allowed_hosts is [any]: every address may query this agent")
        }
        guard !accessList.names.isEmpty else { return }
        let failed = (try? await threadPool.runIfActive { accessList.refresh() }) ?? accessList.names
        if !failed.isEmpty {
            logger.warning("NRPE: allowed_hosts names that do not resolve (no connection matches them yet): \(failed.joined(separator: ", "))")
        }
    }

    /// Refreshes the current list's names in the background; connections never wait for it.
    private func startNameRefresh() {
        let (settings, threadPool, logger) = (settings, threadPool, logger)
        let interval = NRPEAccessList.refreshInterval
        let task = group.next().scheduleRepeatedTask(initialDelay: interval, delay: interval) { _ in
            let accessList = settings.withLockedValue { $0.accessList }
            guard !accessList.names.isEmpty else { return }
            threadPool.submit { state in
                guard case .active = state else { return }
                let failed = accessList.refresh()
                if !failed.isEmpty {
                    logger.warning("NRPE: allowed_hosts names that no longer resolve (their last addresses stay allowed): \(failed.joined(separator: ", "))")
                }
            }
        }
        nameRefresh.withLockedValue { previous in
            previous?.cancel()
            previous = task
        }
    }

    private func loadExternalCommands(_ configuration: NRPEConfiguration) -> [String: String] {
        var commands: [String: String] = [:]
        if let includeFile = configuration.includeFile {
            do {
                let file = try NRPEConfigFile(contentsOf: includeFile)
                file.warnings.forEach { logger.warning("NRPE: \($0)") }
                if !file.ignoredSettings.isEmpty {
                    logger.info("NRPE: nrpe.cfg settings not imported (set them under nrpe: instead): \(file.ignoredSettings.joined(separator: ", "))")
                }
                commands = file.commands
            } catch {
                logger.error("NRPE: include \(includeFile) not read, its commands are not defined: \(error)")
            }
        }
        return commands.merging(configuration.commands) { _, configured in configured }
    }
}
