#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One ICMP or ICMPv6 error as Linux queues it on a socket with `IP_RECVERR` / `IPV6_RECVERR`:
/// `struct sock_extended_err` and the offender's address, decoded into who said what.
///
/// A pure value: `decode` reads the bytes of one control message, so the same type serves a
/// probe's connect and a TTL-limited connect of `trace` (time exceeded names the hop).
///
/// Only errors for *this* socket arrive here: the kernel matches an ICMP error to a socket by
/// the headers quoted inside it (addresses, ports and, for TCP, a sequence number within the
/// send window), so an error forged for another socket, or one guessing at ours, is dropped by
/// the kernel and can never change a check.
public struct SocketErrorReport: Sendable, Hashable, CustomStringConvertible {
    /// What the error means for a path.
    public enum Kind: String, Sendable, Hashable {
        /// Administratively prohibited / communication filtered: a firewall refuses.
        case rejected
        /// Net or host unreachable: a router has no way on.
        case unreachable
        /// Port unreachable: the host answered, nothing listens (UDP's "closed").
        case portUnreachable = "port_unreachable"
        /// Time exceeded in transit: the TTL ran out at the offender (a hop, for `trace`).
        case timeExceeded = "time_exceeded"
        /// Fragmentation needed / packet too big.
        case packetTooBig = "packet_too_big"
        case other
    }

    /// `SO_EE_ORIGIN_*`: 1 local, 2 ICMP, 3 ICMPv6.
    public var origin: UInt8
    public var type: UInt8
    public var code: UInt8
    /// The errno the kernel derived (EHOSTUNREACH, ECONNREFUSED, ...).
    public var errorNumber: Int32
    /// Who sent the ICMP error (a router, a firewall, the host itself), when the kernel knows.
    public var offender: String?

    public init(origin: UInt8, type: UInt8, code: UInt8, errorNumber: Int32, offender: String?) {
        self.origin = origin
        self.type = type
        self.code = code
        self.errorNumber = errorNumber
        self.offender = offender
    }

    public static let originICMP: UInt8 = 2
    public static let originICMP6: UInt8 = 3

    public var kind: Kind {
        switch (origin, type, code) {
        case (Self.originICMP, 3, 9), (Self.originICMP, 3, 10), (Self.originICMP, 3, 13),
             (Self.originICMP6, 1, 1), (Self.originICMP6, 1, 5), (Self.originICMP6, 1, 6):
            return .rejected
        case (Self.originICMP, 3, 0), (Self.originICMP, 3, 1), (Self.originICMP, 3, 6), (Self.originICMP, 3, 7),
             (Self.originICMP, 3, 11), (Self.originICMP, 3, 12), (Self.originICMP6, 1, 0), (Self.originICMP6, 1, 3):
            return .unreachable
        case (Self.originICMP, 3, 3), (Self.originICMP6, 1, 4): return .portUnreachable
        case (Self.originICMP, 3, 4), (Self.originICMP6, 2, _): return .packetTooBig
        case (Self.originICMP, 11, _), (Self.originICMP6, 3, _): return .timeExceeded
        default: return .other
        }
    }

    /// The ICMP message in words, e.g. `ICMP administratively prohibited`.
    public var meaning: String {
        let family = origin == Self.originICMP6 ? "ICMPv6" : "ICMP"
        let words: String
        switch (origin, type, code) {
        case (Self.originICMP, 3, 0): words = "network unreachable"
        case (Self.originICMP, 3, 1): words = "host unreachable"
        case (Self.originICMP, 3, 2): words = "protocol unreachable"
        case (Self.originICMP, 3, 3): words = "port unreachable"
        case (Self.originICMP, 3, 4): words = "fragmentation needed"
        case (Self.originICMP, 3, 6): words = "destination network unknown"
        case (Self.originICMP, 3, 7): words = "destination host unknown"
        case (Self.originICMP, 3, 9): words = "network administratively prohibited"
        case (Self.originICMP, 3, 10): words = "host administratively prohibited"
        case (Self.originICMP, 3, 11): words = "network unreachable for the type of service"
        case (Self.originICMP, 3, 12): words = "host unreachable for the type of service"
        case (Self.originICMP, 3, 13): words = "administratively prohibited"
        case (Self.originICMP, 11, 0): words = "time exceeded in transit"
        case (Self.originICMP, 11, 1): words = "fragment reassembly time exceeded"
        case (Self.originICMP6, 1, 0): words = "no route to destination"
        case (Self.originICMP6, 1, 1): words = "administratively prohibited"
        case (Self.originICMP6, 1, 2): words = "beyond scope of source address"
        case (Self.originICMP6, 1, 3): words = "address unreachable"
        case (Self.originICMP6, 1, 4): words = "port unreachable"
        case (Self.originICMP6, 1, 5): words = "source address failed ingress/egress policy"
        case (Self.originICMP6, 1, 6): words = "reject route to destination"
        case (Self.originICMP6, 2, _): words = "packet too big"
        case (Self.originICMP6, 3, 0): words = "hop limit exceeded in transit"
        default: words = "type \(type) code \(code)"
        }
        return "\(family) \(words)"
    }

    /// `rejected by 10.10.1.1 (ICMP administratively prohibited)`.
    public var description: String {
        let by = offender.map { " by \($0)" } ?? ""
        switch kind {
        case .rejected: return "rejected\(by) (\(meaning))"
        case .unreachable: return "unreachable, reported\(by) (\(meaning))"
        case .portUnreachable: return "closed, reported\(by) (\(meaning))"
        case .timeExceeded: return "time exceeded\(by.isEmpty ? "" : " at" + by.dropFirst(3))"
        case .packetTooBig, .other: return "\(meaning)\(offender.map { " from \($0)" } ?? "")"
        }
    }

    // MARK: - Decoding

    /// Size of `struct sock_extended_err`: u32 errno, u8 origin, type, code, pad, u32 info, u32 data.
    static let extendedErrorSize = 16

    /// One control message of `recvmsg(MSG_ERRQUEUE)`: `level`/`type` must be
    /// IPPROTO_IP/IP_RECVERR or IPPROTO_IPV6/IPV6_RECVERR; `data` is its payload. Nil for
    /// anything else or a payload too short to hold the error.
    public static func decode(level: Int32, type: Int32, data: [UInt8]) -> SocketErrorReport? {
        let isV4 = level == Int32(IPPROTO_IP) && type == Int32(IP_RECVERR)
        let isV6 = level == Int32(IPPROTO_IPV6) && type == Int32(IPV6_RECVERR)
        guard isV4 || isV6, data.count >= extendedErrorSize else { return nil }
        let errorNumber = Int32(bitPattern: UInt32(data[0]) | UInt32(data[1]) << 8 | UInt32(data[2]) << 16 | UInt32(data[3]) << 24)
        let report = SocketErrorReport(origin: data[4], type: data[5], code: data[6], errorNumber: errorNumber,
                                       offender: offender(Array(data[extendedErrorSize...])))
        return report
    }

    /// `SO_EE_OFFENDER`: the sockaddr right after the error; family AF_UNSPEC when unknown.
    static func offender(_ bytes: [UInt8]) -> String? {
        guard bytes.count >= 2 else { return nil }
        let family = Int32(UInt16(bytes[0]) | UInt16(bytes[1]) << 8)  // sa_family_t, host order (little endian on Linux x86/arm)
        if family == AF_INET, bytes.count >= 8 {
            return bytes[4..<8].map(String.init).joined(separator: ".")
        }
        if family == AF_INET6, bytes.count >= 24 {
            var address = in6_addr()
            withUnsafeMutableBytes(of: &address) { $0.copyBytes(from: bytes[8..<24]) }
            var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
            guard inet_ntop(AF_INET6, &address, &text, socklen_t(text.count)) != nil else { return nil }
            return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
        return nil
    }
}
