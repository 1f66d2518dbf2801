import NIOCore
import NIOPosix

/// One `listen` entry of a server (NRPE, the status endpoint): `0.0.0.0:5666`, `[::]:5666`,
/// `localhost:5666`.
public struct ListenAddress: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public struct ParseError: Error, CustomStringConvertible {
        public var description: String
    }

    public init(parsing text: String) throws(ParseError) {
        let hostPart: Substring
        let portPart: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else {
                throw ParseError(description: "'\(text)' is not [ipv6]:port")
            }
            hostPart = text[text.index(after: text.startIndex)..<close]
            portPart = text[text.index(close, offsetBy: 2)...]
        } else {
            guard let colon = text.lastIndex(of: ":"), !text[..<colon].contains(":") else {
                throw ParseError(description: "'\(text)' is not host:port (write IPv6 as [addr]:port)")
            }
            hostPart = text[..<colon]
            portPart = text[text.index(after: colon)...]
        }
        guard !hostPart.isEmpty else { throw ParseError(description: "'\(text)' has no host") }
        guard let port = Int(portPart), (0...65535).contains(port) else {
            throw ParseError(description: "'\(text)' has no valid port (0-65535)")
        }
        self.host = String(hostPart)
        self.port = port
    }

    public var isIPv6: Bool { host.contains(":") }
    public var description: String { isIPv6 ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

extension ListenAddress {
    /// Why an address could not be bound, as the system says it ("Address already in use"),
    /// not as NIO's error reads ("bind(descriptor:ptr:bytes:): ... (errno: 98)").
    public static func bindFailureReason(_ error: any Error) -> String {
        (error as? IOError).map { String(cString: strerror($0.errnoCode)) } ?? "\(error)"
    }
}

extension SocketAddress {
    /// `127.0.0.1:5666`, `[::1]:5666`: how logs name a peer or a bound address.
    public var listenText: String {
        switch self {
        case .v6: "[\(ipAddress ?? "?")]:\(port ?? 0)"
        default: "\(ipAddress ?? "?"):\(port ?? 0)"
        }
    }
}
