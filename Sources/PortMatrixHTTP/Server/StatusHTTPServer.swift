import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix
import PortMatrixListening
import ServiceLifecycle

/// A small HTTP/1.1 server for read-only status pages: GET and HEAD of the paths that
/// ``StatusHTTPRoutes`` answers, everything else refused with a status code and a log line.
/// A lifecycle `Service`: bound before the group runs (perhaps as root), it answers in `run()`
/// until a graceful shutdown, then closes its connections.
///
/// ```swift
/// let server = StatusHTTPServer(listen: ["127.0.0.1:9166"], routes: routes, logger: logger)
/// _ = try await server.bind()                   // as root
/// // drop root
/// try await ServiceGroup(services: [server], logger: logger).run()
/// _ = try await server.update(listen: reloaded)   // on SIGHUP
/// ```
public final class StatusHTTPServer: Service {
    public let limits: StatusHTTPLimits
    private let connections: ConnectionRegistry
    /// Read by each new connection; a reload replaces it.
    private let access: NIOLockedValueBox<StatusHTTPAccess>
    private let listen: NIOLockedValueBox<[String]>
    private let listeners: ListenerSet
    private let isShutDown = NIOLockedValueBox(false)

    public init(listen: [String], routes: any StatusHTTPRoutes, limits: StatusHTTPLimits = StatusHTTPLimits(), logger: Logger,
                access: StatusHTTPAccess = .loopbackOnly, eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        let access = NIOLockedValueBox(access)
        let connections = ConnectionRegistry(limit: limits.maxConnections)
        self.listen = NIOLockedValueBox(listen)
        self.access = access
        self.limits = limits
        self.connections = connections
        self.listeners = ListenerSet(server: "status endpoint", group: eventLoopGroup, backlog: 64, logger: logger,
                                     childChannelInitializer: Self.childChannelInitializer(
                                        routes: routes, limits: limits, connections: connections, logger: logger,
                                        refusals: RefusalLog(server: "status endpoint"), access: access))
    }

    /// Binds every `listen` address and answers on them: `bind()` then `serve()`, for a server
    /// not run by a service group. Returns the bound addresses (the real port where 0 was asked).
    /// On any failure nothing stays bound.
    public func start() async throws -> [SocketAddress] {
        let bound = try await bind()
        try await serve()
        return bound
    }

    /// Binds every `listen` address without accepting: connections wait in the kernel's backlog
    /// until `serve()`, so a daemon started as root answers nothing before it has dropped root.
    /// An address that cannot bind throws ``ListenError``, and nothing stays bound.
    public func bind() async throws -> [SocketAddress] {
        guard !isShutDown.withLockedValue({ $0 }) else { throw StatusHTTPServerError.shutDown }
        return try await listeners.bind(try Self.parse(listen.withLockedValue { $0 }))
    }

    /// Starts accepting on the listeners `bind()` opened (and on any bound later).
    public func serve() async throws {
        try await listeners.serve()
    }

    /// Answers on the bound listeners until a graceful shutdown, then closes the listeners and
    /// the connections.
    public func run() async throws {
        try await serve()
        try? await gracefulShutdown()
        await shutdown()
    }

    /// Moves to a new set of addresses (on SIGHUP): listeners whose address is unchanged stay
    /// (with their connections), removed ones close, new ones bind. An address that does not
    /// parse is thrown and nothing changes; one that cannot bind is logged and the others apply
    /// (``ListenerSet``'s policy). Returns every address bound now.
    public func update(listen wanted: [String]) async throws -> [SocketAddress] {
        guard !isShutDown.withLockedValue({ $0 }) else { throw StatusHTTPServerError.shutDown }
        let addresses = try Self.parse(wanted)
        listen.withLockedValue { $0 = wanted }
        return await listeners.update(to: addresses).bound
    }

    /// Who may ask from now on; connections already open keep what they were admitted with.
    public func update(access: StatusHTTPAccess) {
        self.access.withLockedValue { $0 = access }
    }

    /// The addresses bound now.
    public var boundAddresses: [SocketAddress] { get async { await listeners.boundAddresses } }

    /// Stops accepting and closes every connection.
    public func shutdown() async {
        isShutDown.withLockedValue { $0 = true }
        await listeners.close()
        for closed in connections.drain() { try? await closed.get() }
    }

    /// Connections open now (admitted and not yet closed).
    public var openConnections: Int { connections.count }

    private static func parse(_ texts: [String]) throws -> [ListenAddress] {
        try texts.map { text in
            do { return try ListenAddress(parsing: text) } catch {
                throw StatusHTTPServerError.invalidListenAddress(text, "\(error)")
            }
        }
    }

    /// What each accepted connection gets; over the limit it still gets a pipeline, to answer
    /// 503 and close.
    private static func childChannelInitializer(
        routes: any StatusHTTPRoutes, limits: StatusHTTPLimits, connections: ConnectionRegistry, logger: Logger,
        refusals: RefusalLog, access: NIOLockedValueBox<StatusHTTPAccess>
    ) -> @Sendable (any Channel) -> EventLoopFuture<Void> {
        { channel in
            channel.eventLoop.makeCompletedFuture {
                let admitted = connections.admit(channel)
                let watch = StatusHTTPInputWatch()
                let handlers = channel.pipeline.syncOperations
                try handlers.addHandler(watch)
                try handlers.configureHTTPServerPipeline(withPipeliningAssistance: false, withErrorHandling: false,
                                                         withEncoderConfiguration: .init(),
                                                         withDecoderLimitConfiguration: limits.decoderLimits)
                try handlers.addHandler(StatusHTTPHandler(routes: routes, limits: limits, watch: watch, admitted: admitted, logger: logger,
                                                           refusals: refusals, access: access.withLockedValue { $0 }))
            }
        }
    }
}
