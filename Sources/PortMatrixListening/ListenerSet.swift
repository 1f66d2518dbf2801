import Logging
import NIOCore
import NIOPosix

/// The listening sockets of one server (NRPE, the status endpoint), one per `listen` address.
/// What a connection gets is the server's business (its child channel initializer); this type
/// only opens, keeps and closes sockets, the same way for every server.
///
/// A daemon started as root calls `bind` before its service group runs: the sockets are bound
/// with accepting paused, and connections wait in the kernel's backlog until `serve()`, called
/// once root is dropped. A reload calls `update`: addresses that did not change stay open with
/// their connections, removed ones close, new ones bind.
///
/// The failure policy, one for every server: at start (`bind`) an address that cannot bind is
/// an error, and nothing stays bound; on reload (`update`) it is logged as
/// "SERVER: cannot listen on ADDRESS: REASON", and the other addresses apply.
public actor ListenerSet {
    /// Names the server in log lines and errors (`NRPE`, `status endpoint`).
    public nonisolated let server: String
    private let group: any EventLoopGroup
    private let backlog: Int32
    private let logger: Logger
    private let childChannelInitializer: @Sendable (any Channel) -> EventLoopFuture<Void>
    /// Bound listeners in `listen` order.
    private var listeners: [(address: ListenAddress, channel: any Channel)] = []
    /// False until `serve()`: listeners bound before accept nothing.
    private var accepting = false
    private var isClosed = false

    public init(server: String, group: any EventLoopGroup, backlog: Int32 = 64, logger: Logger,
                childChannelInitializer: @escaping @Sendable (any Channel) -> EventLoopFuture<Void>) {
        self.server = server
        self.group = group
        self.backlog = backlog
        self.logger = logger
        self.childChannelInitializer = childChannelInitializer
    }

    /// Binds every address, accepting nothing until `serve()`. Throws ``ListenError`` for the
    /// first address that cannot bind, and then nothing stays bound. Returns the bound
    /// addresses (the real port where 0 was asked), in order.
    @discardableResult
    public func bind(_ addresses: [ListenAddress], metadata: Logger.Metadata = [:]) async throws(ListenError) -> [SocketAddress] {
        guard !isClosed else { throw ListenError(server: server, address: "", reason: "the server was shut down") }
        var opened: [(address: ListenAddress, channel: any Channel)] = []
        for address in Self.unique(addresses) where !listeners.contains(where: { $0.address == address }) {
            do {
                opened.append((address, try await open(address)))
            } catch {
                for listener in opened { try? await listener.channel.close() }
                throw ListenError(server: server, address: address.description, reason: ListenAddress.bindFailureReason(error))
            }
        }
        guard !isClosed else {  // closed while binding
            for listener in opened { try? await listener.channel.close() }
            throw ListenError(server: server, address: "", reason: "the server was shut down")
        }
        listeners += opened
        if !opened.isEmpty {
            logger.info("\(server): listening", metadata: metadata.merging(["addresses": "\(boundAddresses.map(\.listenText))"]) { _, new in new })
        }
        return boundAddresses
    }

    /// Starts accepting on the listeners bound so far (and on any bound later).
    public func serve() async throws {
        accepting = true
        for listener in listeners {
            try await listener.channel.setOption(ChannelOptions.autoRead, value: true).get()
        }
    }

    /// Moves to a new list of addresses (on reload). Removed listeners close first, so an
    /// address can move to a listener that overlaps it (`127.0.0.1:P` to `0.0.0.0:P`); then new
    /// ones bind. One that cannot bind (taken, or privileged once root is dropped) is logged and
    /// reported in ``ListenerChange/failed``; the others apply.
    @discardableResult
    public func update(to wanted: [ListenAddress]) async -> ListenerChange {
        let wanted = Self.unique(wanted)
        var change = ListenerChange()
        guard !isClosed else { return change }
        let removed = listeners.filter { !wanted.contains($0.address) }
        listeners.removeAll { !wanted.contains($0.address) }
        for listener in removed { try? await listener.channel.close() }
        change.closed = removed.map(\.address)
        change.kept = listeners.map(\.address)
        for address in wanted where !listeners.contains(where: { $0.address == address }) {
            do {
                let channel = try await open(address)
                guard !isClosed else {  // closed while binding
                    try? await channel.close()
                    return change
                }
                listeners.append((address, channel))
                if let local = channel.localAddress { change.opened.append(local) }
            } catch {
                let failure = ListenError(server: server, address: address.description, reason: ListenAddress.bindFailureReason(error))
                logger.error("\(failure) (the other listen addresses apply)")
                change.failed.append(failure)
            }
        }
        listeners = wanted.compactMap { address in listeners.first { $0.address == address } }
        change.bound = boundAddresses
        if !change.closed.isEmpty || !change.opened.isEmpty || !change.failed.isEmpty {
            logger.info("\(server): listening", metadata: [
                "addresses": "\(change.bound.map(\.listenText))",
                "kept": "\(change.kept.map(\.description))",
                "closed": "\(change.closed.map(\.description))",
                "opened": "\(change.opened.map(\.listenText))",
            ])
        }
        return change
    }

    /// Closes every listener; connections already accepted are the server's to drain. Nothing
    /// binds afterwards.
    public func close() async {
        isClosed = true
        let channels = listeners.map(\.channel)
        listeners = []
        for channel in channels { try? await channel.close() }
    }

    /// The addresses bound now, in `listen` order.
    public var boundAddresses: [SocketAddress] { listeners.compactMap(\.channel.localAddress) }

    /// A listening socket as both servers want it: address reuse, TCP_NODELAY on accepted
    /// connections, and IPv6 sockets v6-only so `0.0.0.0:P` and `[::]:P` can both bind.
    private func open(_ address: ListenAddress) async throws -> any Channel {
        var bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: backlog)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelOption(ChannelOptions.autoRead, value: accepting)
            // tcpOption, not socketOption: the latter would set SOL_SOCKET/1, SO_DEBUG.
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
            .childChannelInitializer(childChannelInitializer)
        if address.isIPv6 {
            bootstrap = bootstrap.serverChannelOption(ChannelOptions.Types.SocketOption(level: .ipv6, name: .ipv6_v6only), value: 1)
        }
        return try await bootstrap.bind(host: address.host, port: address.port).get()
    }

    private static func unique(_ addresses: [ListenAddress]) -> [ListenAddress] {
        var seen: [ListenAddress] = []
        for address in addresses where !seen.contains(address) { seen.append(address) }
        return seen
    }
}

/// What `ListenerSet.update` did.
public struct ListenerChange: Sendable {
    /// Open before and after, with their connections.
    public var kept: [ListenAddress] = []
    public var closed: [ListenAddress] = []
    /// Newly bound (the real port where 0 was asked).
    public var opened: [SocketAddress] = []
    /// Addresses that could not bind; logged already.
    public var failed: [ListenError] = []
    /// Everything bound after the update, in `listen` order.
    public var bound: [SocketAddress] = []
}

/// A listen address that could not be bound, with the system's reason.
public struct ListenError: Error, CustomStringConvertible, Equatable, Sendable {
    public var server: String
    public var address: String
    public var reason: String

    public init(server: String, address: String, reason: String) {
        self.server = server
        self.address = address
        self.reason = reason
    }

    public var description: String {
        address.isEmpty ? "\(server): \(reason)" : "\(server): cannot listen on \(address): \(reason)"
    }
}
