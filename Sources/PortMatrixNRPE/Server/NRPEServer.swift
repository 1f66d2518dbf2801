import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import NIOSSL

/// The NRPE listener: one request per connection, answered in the query's packet version.
///
/// ```swift
/// let server = try NRPEServer(configuration: config, builtins: engineCommands, logger: logger)
/// let addresses = try await server.start()
/// …
/// await server.shutdown()
/// ```
public final class NRPEServer: Sendable {
    public let configuration: NRPEServerConfiguration
    private let builtins: any NRPEBuiltinCommands
    private let logger: Logger
    private let group: any EventLoopGroup
    private let threadPool: NIOThreadPool
    private let registry: NRPEConnectionRegistry
    private let accessList: NRPEAccessList
    private let listeners = NIOLockedValueBox<[any Channel]>([])

    /// Throws the configuration's validation errors (``NRPEServerConfigurationErrors``).
    public init(
        configuration: NRPEServerConfiguration,
        builtins: any NRPEBuiltinCommands = NRPENoBuiltinCommands(),
        logger: Logger,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) throws {
        let errors = configuration.validate()
        guard errors.isEmpty else { throw NRPEServerConfigurationErrors(errors: errors) }
        self.configuration = configuration
        self.builtins = builtins
        self.logger = logger
        self.group = eventLoopGroup
        self.threadPool = NIOThreadPool(numberOfThreads: configuration.commandThreads)
        self.registry = NRPEConnectionRegistry(limit: configuration.maxConnections)
        self.accessList = try NRPEAccessList(configuration.allowedHosts)
    }

    /// Binds every `listen` address and returns the bound addresses (with the real port when 0 was asked).
    public func start() async throws -> [SocketAddress] {
        // Before the thread pool starts: a failure here has nothing to clean up.
        let sslContext = configuration.tlsMode == .on ? try NRPETLSContext.make(configuration, logger: logger) : nil
        threadPool.start()
        let dispatcher = NRPECommandDispatcher(
            builtins: builtins,
            externalCommands: loadExternalCommands(),
            allowArguments: configuration.allowArguments,
            commandTimeoutSeconds: configuration.commandTimeout,
            threadPool: threadPool
        )
        var bound: [SocketAddress] = []
        do {
            for text in configuration.listen {
                let address = try NRPEListenAddress(parsing: text)
                let channel = try await bootstrap(dispatcher: dispatcher, sslContext: sslContext, ipv6Only: address.isIPv6)
                    .bind(host: address.host, port: address.port).get()
                listeners.withLockedValue { $0.append(channel) }
                if let local = channel.localAddress { bound.append(local) }
            }
        } catch {
            await shutdown()
            throw error
        }
        logger.info("NRPE: listening", metadata: [
            "addresses": "\(bound.map(NRPERequestHandler.describe))",
            "tls": "\(sslContext == nil ? "off" : "on")",
        ])
        return bound
    }

    /// Stops accepting, closes idle connections, lets requests in flight get their reply
    /// (bounded by command_timeout), then releases the command threads.
    public func shutdown() async {
        let channels = listeners.withLockedValue { channels in
            defer { channels = [] }
            return channels
        }
        for channel in channels { try? await channel.close() }
        for closed in registry.drain() { try? await closed.get() }
        try? await threadPool.shutdownGracefully()
    }

    /// Connections currently open (admitted and not yet closed).
    var openConnections: Int { registry.count }

    private func bootstrap(dispatcher: NRPECommandDispatcher, sslContext: NIOSSLContext?, ipv6Only: Bool) -> ServerBootstrap {
        let (registry, accessList, threadPool, logger) = (registry, accessList, threadPool, logger)
        let requestTimeout = TimeAmount.seconds(Int64(configuration.connectionTimeout))
        var bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: configuration.listenBacklog)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
        if ipv6Only {
            // So "0.0.0.0:5666" and "[::]:5666" can both bind, as in the default configuration.
            bootstrap = bootstrap.serverChannelOption(ChannelOptions.Types.SocketOption(level: .ipv6, name: .ipv6_v6only), value: 1)
        }
        return bootstrap
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                // Runs before the channel is registered: no byte is read from a refused peer.
                let peer = channel.remoteAddress.map(NRPERequestHandler.describe) ?? "unknown peer"
                guard registry.admit(channel) else {
                    logger.warning("NRPE: closed connection from \(peer) without reply: \(registry.limit) connections open (max_connections)")
                    return channel.eventLoop.makeFailedFuture(ChannelError.inputClosed)
                }
                return accessList.isAllowed(channel.remoteAddress, threadPool: threadPool, eventLoop: channel.eventLoop)
                    .flatMapThrowing { allowed in
                        guard allowed else {
                            logger.warning("NRPE: closed connection from \(peer) without reply: host not in allowed_hosts")
                            throw ChannelError.inputClosed
                        }
                        let handlers = channel.pipeline.syncOperations
                        if let sslContext {
                            try handlers.addHandler(NIOSSLServerHandler(context: sslContext))
                        }
                        try handlers.addHandler(ByteToMessageHandler(NRPEPacketDecoder()))
                        try handlers.addHandler(NRPERequestHandler(
                            dispatcher: dispatcher, registry: registry, requestTimeout: requestTimeout, logger: logger
                        ))
                    }
            }
    }

    private func loadExternalCommands() -> [String: String] {
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
