/// The layer-4 protocol of an endpoint.
public enum Transport: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case tcp
    case udp

    public static func < (lhs: Transport, rhs: Transport) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// A transport and port, written `tcp/25` in profiles, configurations and output.
public struct PortSpec: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    public var transport: Transport
    public var port: Int

    public init(_ transport: Transport, _ port: Int) {
        self.transport = transport
        self.port = port
    }

    /// Parses `tcp/25`; `nil` with a reason when malformed or out of range.
    public static func parse(_ text: String) -> Result<PortSpec, PortSpecError> {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let transport = Transport(rawValue: parts[0].lowercased()) else {
            return .failure(.malformed(text))
        }
        guard let port = Int(parts[1]) else { return .failure(.malformed(text)) }
        guard (1...65535).contains(port) else { return .failure(.outOfRange(port)) }
        return .success(PortSpec(transport, port))
    }

    public var description: String { "\(transport.rawValue)/\(port)" }

    public static func < (lhs: PortSpec, rhs: PortSpec) -> Bool {
        (lhs.transport, lhs.port) < (rhs.transport, rhs.port)
    }
}

public enum PortSpecError: Error, Equatable, CustomStringConvertible {
    case malformed(String)
    case outOfRange(Int)

    public var description: String {
        switch self {
        case .malformed(let text): return "'\(text)' is not a port; expected transport/port such as tcp/25 or udp/53"
        case .outOfRange(let port): return "port \(port) is out of range 1-65535"
        }
    }
}
