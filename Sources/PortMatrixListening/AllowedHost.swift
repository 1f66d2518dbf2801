#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore

/// One `allowed_hosts` entry: an address, a network with prefix, or a host name. Shared by
/// `nrpe.allowed_hosts` and `status_endpoint.allowed_hosts` (one syntax, one matcher); how and
/// when names are resolved is the server's business.
public enum AllowedHost: Sendable, Hashable {
    /// Network-order address bytes (4 or 16) with host bits cleared, and the prefix length.
    case network(address: [UInt8], prefixLength: Int)
    case hostName(String)

    public struct ParseError: Error, CustomStringConvertible {
        public var description: String

        public init(description: String) { self.description = description }
    }

    public init(parsing entry: String) throws(ParseError) {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" }
        var text = Substring(entry)
        while let first = text.first, isSpace(first) { text = text.dropFirst() }
        while let last = text.last, isSpace(last) { text = text.dropLast() }
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        let addressText = String(parts[0])
        let looksNumeric = addressText.contains(":") || addressText.allSatisfy { $0.isNumber || $0 == "." }
        guard looksNumeric else {
            guard parts.count == 1, Self.isValidHostName(addressText) else {
                throw ParseError(description: "'\(entry)' is neither an address, a network nor a host name")
            }
            self = .hostName(addressText.lowercased())
            return
        }
        guard let address = Self.parseAddress(addressText) else {
            throw ParseError(description: "'\(addressText)' is not a valid IPv4 or IPv6 address")
        }
        let maximum = address.count * 8
        var prefixLength = maximum
        if parts.count == 2 {
            guard let value = Int(parts[1]), (0...maximum).contains(value) else {
                throw ParseError(description: "'\(entry)': prefix must be 0-\(maximum)")
            }
            prefixLength = value
        }
        // Host bits are cleared rather than rejected: 10.1.2.3/8 means 10.0.0.0/8.
        self = .network(address: Self.mask(address, prefixLength: prefixLength), prefixLength: prefixLength)
    }

    public func matches(_ peer: [UInt8]) -> Bool {
        guard case .network(let address, let prefixLength) = self, peer.count == address.count else { return false }
        return Self.mask(peer, prefixLength: prefixLength) == address
    }

    /// Peer bytes, with IPv4-mapped IPv6 (from a dual-stack socket) unwrapped to IPv4.
    public static func bytes(of address: SocketAddress) -> [UInt8]? {
        switch address {
        case .v4(let v4):
            return withUnsafeBytes(of: v4.address.sin_addr) { Array($0) }
        case .v6(let v6):
            return unmapped(withUnsafeBytes(of: v6.address.sin6_addr) { Array($0) })
        default:
            return nil
        }
    }

    /// Resolves a host name; blocking (getaddrinfo), so callers run it on a thread pool.
    public static func resolve(_ name: String) -> [[UInt8]] {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(name, nil, &hints, &list) == 0 else { return [] }
        defer { freeaddrinfo(list) }
        var result: [[UInt8]] = []
        var cursor = list
        while let info = cursor?.pointee {
            if let socketAddress = info.ai_addr {
                switch info.ai_family {
                case AF_INET:
                    socketAddress.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { pointer in
                        result.append(withUnsafeBytes(of: pointer.pointee.sin_addr) { Array($0) })
                    }
                case AF_INET6:
                    socketAddress.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { pointer in
                        result.append(withUnsafeBytes(of: pointer.pointee.sin6_addr) { Array($0) })
                    }
                default:
                    break
                }
            }
            cursor = info.ai_next
        }
        return result
    }

    /// An address literal (IPv4 or IPv6, IPv4-mapped unwrapped) to its bytes.
    public static func parseAddress(_ text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 { return withUnsafeBytes(of: v4) { Array($0) } }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 { return unmapped(withUnsafeBytes(of: v6) { Array($0) }) }
        return nil
    }

    /// ::ffff:a.b.c.d is how a dual-stack socket shows an IPv4 peer: treat it as IPv4.
    private static func unmapped(_ bytes: [UInt8]) -> [UInt8] {
        guard bytes.count == 16, bytes[..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xff, bytes[11] == 0xff else { return bytes }
        return Array(bytes[12...])
    }

    /// 127.0.0.0/8 or ::1 (IPv4-mapped addresses arrive unwrapped).
    public static func isLoopback(_ bytes: [UInt8]) -> Bool {
        bytes.count == 4 ? bytes[0] == 127 : bytes == [UInt8](repeating: 0, count: 15) + [1]
    }

    private static func mask(_ bytes: [UInt8], prefixLength: Int) -> [UInt8] {
        bytes.enumerated().map { index, byte in
            let bits = min(max(prefixLength - index * 8, 0), 8)
            return bits == 8 ? byte : byte & ~(0xff >> bits)
        }
    }

    private static func isValidHostName(_ name: String) -> Bool {
        guard !name.isEmpty, name.utf8.count <= 253 else { return false }
        return name.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { label in
            !label.isEmpty && label.count <= 63 && !label.hasPrefix("-") && !label.hasSuffix("-")
                && label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
        }
    }
}
