import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The local address this host sends from toward a destination: a UDP socket connected to
/// it (no packet leaves) and getsockname(2). For the firewall request's source column.
public enum LocalRoute {
    public static func sourceAddress(toward address: String) -> String? {
        guard let target = try? SocketAddress(ipAddress: address, port: 9) else { return nil }
        let (fd, ipv6) = RawSocket.open(.datagram, for: target)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        guard target.withSockAddr({ connect(fd, $0, socklen_t($1)) }) == 0 else { return nil }
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let named = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else { return nil }
        if ipv6 {
            let v6 = withUnsafePointer(to: &storage) { $0.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { $0.pointee } }
            return SocketAddress(v6, host: "").ipAddress
        }
        let v4 = withUnsafePointer(to: &storage) { $0.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee } }
        return SocketAddress(v4, host: "").ipAddress
    }

    /// Every address `host` resolves to (literals as they are), IPv6 and IPv4; empty when it does not resolve.
    public static func addresses(of host: String, group: any EventLoopGroup) async -> [String] {
        let resolved = try? await AddressResolver.resolve(host, port: 9, deadline: .now() + .seconds(5), on: group.next())
        var seen = Set<String>()
        return (resolved ?? []).compactMap(\.ipAddress).filter { seen.insert($0).inserted }
    }
}
