import Foundation

/// An address or network for access lists: `10.0.0.0/8`, `127.0.0.1`, `::1`, `fd00::/8`.
public struct NetworkPrefix: Sendable, Hashable, CustomStringConvertible {
    /// Network bytes, 4 or 16.
    public var address: [UInt8]
    public var length: Int

    public init(address: [UInt8], length: Int) {
        self.address = address
        self.length = length
    }

    public static func parse(_ text: String) -> Result<NetworkPrefix, NetworkPrefixError> {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let bytes = parseAddress(String(parts[0])) else { return .failure(.badAddress(text)) }
        let maxLength = bytes.count * 8
        var length = maxLength
        if parts.count == 2 {
            guard let value = Int(parts[1]), (0...maxLength).contains(value) else {
                return .failure(.badPrefixLength(text, max: maxLength))
            }
            length = value
        }
        let prefix = NetworkPrefix(address: bytes, length: length)
        guard prefix.masked == bytes else { return .failure(.hostBitsSet(text, network: prefix.withMaskedAddress.description)) }
        return .success(prefix)
    }

    /// Whether `bytes` (4 or 16) falls inside; IPv4-mapped IPv6 addresses match IPv4 prefixes.
    public func contains(_ bytes: [UInt8]) -> Bool {
        var candidate = bytes
        if address.count == 4, bytes.count == 16, bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xff, bytes[11] == 0xff {
            candidate = Array(bytes[12...])
        }
        guard candidate.count == address.count else { return false }
        return NetworkPrefix(address: candidate, length: length).masked == address
    }

    var masked: [UInt8] {
        address.enumerated().map { index, byte in
            let bitsBefore = index * 8
            if length >= bitsBefore + 8 { return byte }
            if length <= bitsBefore { return 0 }
            return byte & UInt8(0xff << (8 - (length - bitsBefore)) & 0xff)
        }
    }

    var withMaskedAddress: NetworkPrefix { NetworkPrefix(address: masked, length: length) }

    /// IPv4 dotted quad or IPv6 text to bytes, via inet_pton.
    public static func parseAddress(_ text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            return withUnsafeBytes(of: &v4) { Array($0) }
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 {
            return withUnsafeBytes(of: &v6) { Array($0) }
        }
        return nil
    }

    public var description: String {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        var bytes = address
        let family = address.count == 4 ? AF_INET : AF_INET6
        let text = bytes.withUnsafeMutableBytes { raw in
            inet_ntop(family, raw.baseAddress, &buffer, socklen_t(buffer.count)) != nil ? String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) : "?"
        }
        return length == address.count * 8 ? text : "\(text)/\(length)"
    }
}

public enum NetworkPrefixError: Error, Equatable, CustomStringConvertible {
    case badAddress(String)
    case badPrefixLength(String, max: Int)
    case hostBitsSet(String, network: String)

    public var description: String {
        switch self {
        case .badAddress(let text): return "'\(text)' is not an IPv4 or IPv6 address or network"
        case .badPrefixLength(let text, let max): return "'\(text)': prefix length must be 0-\(max)"
        case .hostBitsSet(let text, let network): return "'\(text)' has host bits set; did you mean '\(network)'?"
        }
    }
}
