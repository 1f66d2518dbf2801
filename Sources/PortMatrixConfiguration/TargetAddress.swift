/// A concrete target as the configuration names it: `host`, `host:port`, `[v6]:port` or a bare IPv6 address.
public struct TargetAddress: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    /// Replaces the endpoint's port for this target (labs, tests, non-standard deployments).
    public var port: Int?

    public init(host: String, port: Int? = nil) {
        self.host = host
        self.port = port
    }

    public static func parse(_ text: String) -> Result<TargetAddress, TargetAddressError> {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { return .failure(.empty) }
        if trimmed.hasPrefix("[") {
            guard let close = trimmed.firstIndex(of: "]") else { return .failure(.malformed(text)) }
            let host = String(trimmed[trimmed.index(after: trimmed.startIndex)..<close])
            let rest = trimmed[trimmed.index(after: close)...]
            guard !host.isEmpty else { return .failure(.malformed(text)) }
            if rest.isEmpty { return .success(TargetAddress(host: host)) }
            guard rest.hasPrefix(":") else { return .failure(.malformed(text)) }
            return port(String(rest.dropFirst()), text).map { TargetAddress(host: host, port: $0) }
        }
        let colons = trimmed.filter { $0 == ":" }.count
        if colons > 1 { return .success(TargetAddress(host: trimmed)) }  // bare IPv6
        if colons == 1 {
            let parts = trimmed.split(separator: ":", omittingEmptySubsequences: false)
            guard !parts[0].isEmpty else { return .failure(.malformed(text)) }
            return port(String(parts[1]), text).map { TargetAddress(host: String(parts[0]), port: $0) }
        }
        guard trimmed.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" || $0 == "_" }) else {
            return .failure(.malformed(text))
        }
        return .success(TargetAddress(host: trimmed))
    }

    private static func port(_ text: String, _ whole: String) -> Result<Int, TargetAddressError> {
        guard let value = Int(text) else { return .failure(.malformed(whole)) }
        guard (1...65535).contains(value) else { return .failure(.portOutOfRange(value)) }
        return .success(value)
    }

    public var description: String {
        guard let port else { return host }
        return host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}

public enum TargetAddressError: Error, Equatable, CustomStringConvertible {
    case empty
    case malformed(String)
    case portOutOfRange(Int)

    public var description: String {
        switch self {
        case .empty: return "a target must not be empty"
        case .malformed(let text): return "'\(text)' is not a target; expected host, host:port or [ipv6]:port"
        case .portOutOfRange(let port): return "port \(port) is out of range 1-65535"
        }
    }
}

import Foundation
