import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Sockets we open ourselves rather than through NIO, because the ICMP error queue
/// (`IP_RECVERR`), a TTL-limited connect and `getsockname` toward a route need the descriptor
/// before and after the connect.
enum RawSocket {
    enum Kind { case stream, datagram }

    /// A close-on-exec socket of `address`'s family; `fd` is -1 (errno set) when it fails.
    static func open(_ kind: Kind, for address: SocketAddress) -> (fd: Int32, ipv6: Bool) {
        let ipv6: Bool
        if case .v6 = address { ipv6 = true } else { ipv6 = false }
        let family = ipv6 ? AF_INET6 : AF_INET
        #if canImport(Glibc)
        let type = Int32((kind == .stream ? SOCK_STREAM : SOCK_DGRAM).rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        #else
        let type = kind == .stream ? SOCK_STREAM : SOCK_DGRAM
        #endif
        return (socket(family, type, 0), ipv6)
    }

    /// `IP_TTL` / `IPV6_UNICAST_HOPS`: how many routers the socket's packets may cross (`trace`).
    static func setTimeToLive(_ fd: Int32, _ ttl: Int32, ipv6: Bool) {
        var value = ttl
        let size = socklen_t(MemoryLayout<Int32>.size)
        if ipv6 {
            _ = setsockopt(fd, Int32(IPPROTO_IPV6), IPV6_UNICAST_HOPS, &value, size)
        } else {
            _ = setsockopt(fd, Int32(IPPROTO_IP), IP_TTL, &value, size)
        }
    }

    /// `SO_RCVTIMEO`: a blocking receive returns EAGAIN after `microseconds`.
    static func setReceiveTimeout(_ fd: Int32, microseconds: Int64) {
        var timeout = timeval(tv_sec: Int(microseconds / 1_000_000), tv_usec: Int(microseconds % 1_000_000))
        _ = setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }
}
