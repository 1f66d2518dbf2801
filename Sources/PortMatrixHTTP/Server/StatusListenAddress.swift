import NIOCore

/// One `listen` entry: `127.0.0.1:9166`, `[::1]:9166` (an address literal and a port).
struct StatusListenAddress: Sendable, Hashable {
    var address: SocketAddress

    init(parsing text: String) throws(StatusHTTPServerError) {
        let host: Substring
        let port: Substring
        if text.hasPrefix("["), let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") {
            host = text[text.index(after: text.startIndex)..<close]
            port = text[text.index(close, offsetBy: 2)...]
        } else if let colon = text.lastIndex(of: ":"), !text[..<colon].contains(":") {
            host = text[..<colon]
            port = text[text.index(after: colon)...]
        } else {
            throw .invalidListenAddress(text, "expected ADDRESS:PORT such as 127.0.0.1:9166 or [::1]:9166")
        }
        guard let number = Int(port), (0...65535).contains(number) else {
            throw .invalidListenAddress(text, "no valid port (0-65535)")
        }
        do {
            address = try SocketAddress(ipAddress: String(host), port: number)
        } catch {
            throw .invalidListenAddress(text, "'\(host)' is not an IP address")
        }
    }

    var isIPv6: Bool { address.protocol == .inet6 }
}

public enum StatusHTTPServerError: Error, CustomStringConvertible, Equatable {
    case invalidListenAddress(String, String)
    case cannotListen(String, String)
    case shutDown

    public var description: String {
        switch self {
        case .invalidListenAddress(let text, let why): "status endpoint: listen address '\(text)': \(why)"
        case .cannotListen(let text, let why): "status endpoint: cannot listen on \(text): \(why)"
        case .shutDown: "status endpoint: the server was shut down"
        }
    }
}
