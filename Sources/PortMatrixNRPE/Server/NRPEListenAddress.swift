/// One `listen` entry: `0.0.0.0:5666`, `[::]:5666`, `localhost:5666`.
struct NRPEListenAddress: Sendable, Hashable, CustomStringConvertible {
    var host: String
    var port: Int

    struct ParseError: Error, CustomStringConvertible {
        var description: String
    }

    init(parsing text: String) throws(ParseError) {
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

    var isIPv6: Bool { host.contains(":") }
    var description: String { isIPv6 ? "[\(host)]:\(port)" : "\(host):\(port)" }
}
