#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A local IPv4 or IPv6 address as raw bytes in network order, with its canonical text and bind scope.
///
/// The text comes from `inet_ntop`, so it matches what `ss`, `netstat` and the rest of the
/// system print (`::1`, `::ffff:127.0.0.1`, `fe80::1`).
public struct ListenerAddress: Sendable, Hashable, CustomStringConvertible {
    /// 4 bytes for IPv4, 16 for IPv6, network order.
    public let bytes: [UInt8]

    /// `nil` unless `bytes` has 4 or 16 elements.
    public init?(bytes: [UInt8]) {
        guard bytes.count == 4 || bytes.count == 16 else { return nil }
        self.bytes = bytes
    }

    /// Parses IPv4 or IPv6 text such as `127.0.0.1` or `::1`; `nil` when neither.
    public init?(_ text: String) {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            self.bytes = withUnsafeBytes(of: &v4) { Array($0) }
            return
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 {
            self.bytes = withUnsafeBytes(of: &v6) { Array($0) }
            return
        }
        return nil
    }

    public var isIPv6: Bool { bytes.count == 16 }

    public var scope: ListenerScope {
        let v4 = isIPv6 ? mappedIPv4 : bytes
        if let v4 {
            if v4.allSatisfy({ $0 == 0 }) { return .any }
            return v4[0] == 127 ? .loopback : .specific
        }
        if bytes.allSatisfy({ $0 == 0 }) { return .any }
        if bytes.dropLast().allSatisfy({ $0 == 0 }) && bytes[15] == 1 { return .loopback }
        return .specific
    }

    /// The IPv4 address inside `::ffff:a.b.c.d`: a dual-stack socket bound to it behaves as the IPv4 address.
    private var mappedIPv4: [UInt8]? {
        guard isIPv6, bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xFF, bytes[11] == 0xFF else { return nil }
        return Array(bytes[12..<16])
    }

    /// Canonical text form.
    public var description: String {
        let family = isIPv6 ? AF_INET6 : AF_INET
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        let ok = bytes.withUnsafeBytes { raw in
            buffer.withUnsafeMutableBufferPointer { out in
                inet_ntop(family, raw.baseAddress, out.baseAddress, socklen_t(out.count)) != nil
            }
        }
        // inet_ntop cannot fail for 4 or 16 bytes and a buffer of INET6_ADDRSTRLEN; stay total anyway.
        guard ok else { return bytes.map { String($0, radix: 16) }.joined(separator: ".") }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
