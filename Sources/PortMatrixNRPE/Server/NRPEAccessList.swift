import NIOCore
import NIOPosix

/// `allowed_hosts` as a whole: empty allows everyone; addresses match at once, host names
/// are resolved on the thread pool (getaddrinfo blocks) only when no address matched.
struct NRPEAccessList: Sendable {
    var entries: [NRPEAllowedHost]

    init(_ allowedHosts: [String]) throws {
        entries = try allowedHosts.map { try NRPEAllowedHost(parsing: $0) }
    }

    func isAllowed(_ peer: SocketAddress?, threadPool: NIOThreadPool, eventLoop: any EventLoop) -> EventLoopFuture<Bool> {
        guard !entries.isEmpty else { return eventLoop.makeSucceededFuture(true) }
        guard let peer, let bytes = NRPEAllowedHost.bytes(of: peer) else { return eventLoop.makeSucceededFuture(false) }
        if entries.contains(where: { $0.matches(bytes) }) { return eventLoop.makeSucceededFuture(true) }
        let names = entries.compactMap { entry -> String? in
            if case .hostName(let name) = entry { return name }
            return nil
        }
        guard !names.isEmpty else { return eventLoop.makeSucceededFuture(false) }
        return threadPool.runIfActive(eventLoop: eventLoop) {
            names.contains { NRPEAllowedHost.resolve($0).contains(bytes) }
        }
    }
}
