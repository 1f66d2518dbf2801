import NIOCore
import NIOPosix

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Name resolution as its own, timed phase: NIO's bootstrap resolves internally, which would
/// hide both the resolve time and the difference between "does not resolve" and "refused".
enum AddressResolver {
    /// Addresses for `host`, IPv6 and IPv4 in the order getaddrinfo(3) prefers.
    /// Literals (`127.0.0.1`, `::1`, `[::1]`) never touch the resolver.
    static func resolve(_ host: String, port: Int, deadline: NIODeadline,
                        on eventLoop: any EventLoop) async throws -> [SocketAddress] {
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        if let literal = try? SocketAddress(ipAddress: bare, port: port) { return [literal] }

        // getaddrinfo blocks and cannot be interrupted: it runs on the thread pool and the probe
        // stops waiting for it at the deadline.
        let promise = eventLoop.makePromise(of: [SocketAddress].self)
        let timeout = eventLoop.scheduleTask(deadline: deadline) {
            promise.fail(ProbeFailure(.dns, "resolving \(bare) timed out"))
        }
        NIOThreadPool.singleton.runIfActive(eventLoop: eventLoop) {
            try lookUp(bare, port: port)
        }.cascade(to: promise)
        defer { timeout.cancel() }
        return try await withTaskCancellationHandler {
            try await promise.futureResult.get()
        } onCancel: {
            promise.fail(CancellationError())
        }
    }

    /// Whether `host` is an IP literal (`10.0.0.1`, `::1`, `[::1]`), which needs no resolver.
    static func isLiteral(_ host: String) -> Bool {
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        return (try? SocketAddress(ipAddress: bare, port: 0)) != nil
    }

    private static func lookUp(_ host: String, port: Int) throws -> [SocketAddress] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if canImport(Glibc)
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
        hints.ai_socktype = SOCK_STREAM
        #endif
        // No AI_ADDRCONFIG: it hides ::1 on hosts without a global IPv6 address.
        var result: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &result)
        guard status == 0, let first = result else {
            let text = String(cString: gai_strerror(status))
            throw ProbeFailure(.dns, "\(host) does not resolve: \(text)")
        }
        defer { freeaddrinfo(first) }
        var addresses: [SocketAddress] = []
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let info = cursor {
            if let address = info.pointee.ai_addr {
                switch info.pointee.ai_family {
                case AF_INET:
                    let v4 = address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee }
                    addresses.append(SocketAddress(v4, host: host))
                case AF_INET6:
                    let v6 = address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { $0.pointee }
                    addresses.append(SocketAddress(v6, host: host))
                default:
                    break
                }
            }
            cursor = info.pointee.ai_next
        }
        guard !addresses.isEmpty else { throw ProbeFailure(.dns, "\(host) has no IPv4 or IPv6 address") }
        return addresses
    }
}

extension SocketAddress {
    /// `127.0.0.1:25`, `[::1]:25`: how people write an endpoint.
    var endpointText: String {
        let ip = ipAddress ?? "?"
        let port = port.map(String.init) ?? "?"
        if case .v6 = self { return "[\(ip)]:\(port)" }
        return "\(ip):\(port)"
    }

    func isSameFamily(as other: SocketAddress) -> Bool {
        switch (self, other) {
        case (.v4, .v4), (.v6, .v6): return true
        default: return false
        }
    }
}
