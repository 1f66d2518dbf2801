import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix
import PortMatrixListening

/// A small HTTP/1.1 server for read-only status pages: GET and HEAD of the paths that
/// ``StatusHTTPRoutes`` answers, everything else refused with a status code and a log line.
///
/// ```swift
/// let server = StatusHTTPServer(listen: ["127.0.0.1:9166"], routes: routes, logger: logger)
/// let addresses = try await server.start()
/// …
/// _ = try await server.update(listen: reloaded)   // on SIGHUP
/// await server.shutdown()
/// ```
public actor StatusHTTPServer {
    public nonisolated let limits: StatusHTTPLimits
    private let routes: any StatusHTTPRoutes
    private let logger: Logger
    private let group: any EventLoopGroup
    private let connections: ConnectionRegistry
    private let refusals = RefusalLog(server: "status endpoint")
    /// Read by each new connection; a reload replaces it.
    private let access: NIOLockedValueBox<StatusHTTPAccess>
    private var listen: [String]
    /// Bound listeners by the `listen` text they came from, in `listen` order.
    private var listeners: [(text: String, channel: any Channel)] = []
    private var isShutDown = false
    /// False between `bind()` and `serve()`: listeners are bound but accept nothing yet.
    private var accepting = true

    public init(listen: [String], routes: any StatusHTTPRoutes, limits: StatusHTTPLimits = StatusHTTPLimits(), logger: Logger,
                access: StatusHTTPAccess = .loopbackOnly, eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.listen = listen
        self.access = NIOLockedValueBox(access)
        self.routes = routes
        self.limits = limits
        self.logger = logger
        self.group = eventLoopGroup
        self.connections = ConnectionRegistry(limit: limits.maxConnections)
    }

    /// Binds every `listen` address; returns the bound addresses (the real port where 0 was asked).
    /// On any failure nothing stays bound.
    public func start() async throws -> [SocketAddress] {
        try await update(listen: listen)
    }

    /// `start()` without accepting: connections wait in the kernel's backlog until `serve()`, so
    /// a daemon started as root answers nothing before it has dropped root.
    public func bind() async throws -> [SocketAddress] {
        accepting = false
        return try await update(listen: listen)
    }

    /// Starts accepting on the listeners `bind()` opened (and on any bound later).
    public func serve() async throws {
        accepting = true
        for listener in listeners {
            try await listener.channel.setOption(ChannelOptions.autoRead, value: true).get()
        }
    }

    /// Moves to a new set of addresses: listeners whose text is unchanged stay (with their
    /// connections), removed ones close, new ones bind. New ones bind first, so when one
    /// cannot, the error is thrown and the previous set stays as it was.
    public func update(listen wanted: [String]) async throws -> [SocketAddress] {
        guard !isShutDown else { throw StatusHTTPServerError.shutDown }
        var texts: [String] = []
        for text in wanted where !texts.contains(text) { texts.append(text) }
        let addresses = try texts.filter { text in !listeners.contains { $0.text == text } }
            .map { text in
                do { return (text, try ListenAddress(parsing: text)) } catch {
                    throw StatusHTTPServerError.invalidListenAddress(text, "\(error)")
                }
            }

        var opened: [(text: String, channel: any Channel)] = []
        do {
            for (text, address) in addresses {
                do {
                    opened.append((text, try await bootstrap(ipv6Only: address.isIPv6)
                        .serverChannelOption(ChannelOptions.autoRead, value: accepting)
                        .bind(host: address.host, port: address.port).get()))
                } catch {
                    throw StatusHTTPServerError.cannotListen(text, ListenAddress.bindFailureReason(error))
                }
            }
        } catch {
            for listener in opened { try? await listener.channel.close() }
            throw error
        }
        guard !isShutDown else {  // shut down while binding
            for listener in opened { try? await listener.channel.close() }
            throw StatusHTTPServerError.shutDown
        }
        let removed = listeners.filter { listener in !texts.contains(listener.text) }
        for listener in removed { try? await listener.channel.close() }
        let all = listeners + opened
        listeners = texts.compactMap { text in all.first { $0.text == text } }
        listen = texts
        if !opened.isEmpty || !removed.isEmpty {
            logger.info("status endpoint: listening", metadata: [
                "addresses": "\(listeners.compactMap(\.channel.localAddress).map(\.listenText))",
                "closed": "\(removed.map(\.text))",
            ])
        }
        return listeners.compactMap(\.channel.localAddress)
    }

    /// Who may ask from now on; connections already open keep what they were admitted with.
    public nonisolated func update(access: StatusHTTPAccess) {
        self.access.withLockedValue { $0 = access }
    }

    /// The addresses bound now.
    public var boundAddresses: [SocketAddress] { listeners.compactMap(\.channel.localAddress) }

    /// Stops accepting and closes every connection.
    public func shutdown() async {
        isShutDown = true
        let channels = listeners.map(\.channel)
        listeners = []
        for channel in channels { try? await channel.close() }
        for closed in connections.drain() { try? await closed.get() }
    }

    /// Connections open now (admitted and not yet closed).
    public nonisolated var openConnections: Int { connections.count }

    private func bootstrap(ipv6Only: Bool) -> ServerBootstrap {
        let (routes, limits, connections, logger, refusals, access) = (routes, limits, connections, logger, refusals, access)
        return ServerBootstrap.listener(group: group, backlog: 64, ipv6Only: ipv6Only)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    // Over the limit the connection still gets a pipeline: it answers 503 and closes.
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
