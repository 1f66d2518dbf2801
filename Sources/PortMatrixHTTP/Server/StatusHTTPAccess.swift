import NIOCore
import PortMatrixListening

/// Who may ask the status endpoint, and under which name.
///
/// The endpoint has no authentication, so two checks keep it to its operators: the peer
/// address (loopback, plus `allowed_hosts`), and the `Host` the request names. The second stops
/// DNS rebinding: a page in a browser on this machine that re-points its own DNS name at
/// 127.0.0.1 reaches the endpoint from a loopback peer, but its requests still carry that name.
/// So by default only `localhost` and loopback addresses are answered; once `allowed_hosts`
/// opens the endpoint to monitoring servers, any IP literal is answered too (a rebinding page
/// always carries a DNS name), and `server_names` adds names the operator chose.
public struct StatusHTTPAccess: Sendable, Hashable {
    /// Peers besides loopback.
    public var allowedHosts: [AllowedHost]
    /// Lower-cased host names answered besides `localhost`.
    public var serverNames: Set<String>

    /// The default: loopback peers naming `localhost` or a loopback address.
    public static let loopbackOnly = StatusHTTPAccess(hosts: [], serverNames: [])

    private init(hosts: [AllowedHost], serverNames: Set<String>) {
        self.allowedHosts = hosts
        self.serverNames = serverNames
    }

    /// `allowedHosts` in `nrpe.allowed_hosts` syntax, addresses and networks only (the
    /// configuration refuses names: they would have to be resolved per connection).
    public init(allowedHosts: [String], serverNames: [String]) throws(AllowedHost.ParseError) {
        var hosts: [AllowedHost] = []
        for entry in allowedHosts {
            let host = try AllowedHost(parsing: entry)
            guard case .network = host else { throw AllowedHost.ParseError(description: "'\(entry)' is not an address or network") }
            hosts.append(host)
        }
        self.init(hosts: hosts, serverNames: Set(serverNames.map { $0.lowercased() }))
    }

    func admits(peer: SocketAddress?) -> Bool {
        guard let peer, let bytes = AllowedHost.bytes(of: peer) else { return false }
        return AllowedHost.isLoopback(bytes) || allowedHosts.contains { $0.matches(bytes) }
    }

    /// Why a request's host is refused, or nil when it is answered. `host` is the request
    /// target's authority (absolute form) or else the `Host` header's value.
    func refusal(host: String) -> String? {
        guard let name = Self.hostName(host) else { return "malformed host '\(host)'" }
        switch name {
        case .address(let bytes):
            if AllowedHost.isLoopback(bytes) || !allowedHosts.isEmpty { return nil }
            return "host '\(host)' is not a loopback address (allowed_hosts is not set)"
        case .name(let text):
            if text == "localhost" || serverNames.contains(text) { return nil }
            return "host '\(host)' is not localhost\(allowedHosts.isEmpty ? " or a loopback address" : ", an IP address") or one of server_names (DNS rebinding?)"
        }
    }

    enum HostName: Equatable {
        case address([UInt8])
        /// Lower-cased.
        case name(String)
    }

    /// `name`, `name:port`, `1.2.3.4:port`, `[v6]:port`; nil when it is none of them.
    static func hostName(_ text: String) -> HostName? {
        var rest = Substring(text)
        let host: Substring
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { return nil }
            host = rest[rest.index(after: rest.startIndex)..<close]
            rest = rest[rest.index(after: close)...]
            guard !host.contains("%"), let bytes = AllowedHost.parseAddress(String(host)), bytes.count == 16 || host.contains(":") else { return nil }
            guard isPort(rest) else { return nil }
            return .address(bytes)
        }
        if let colon = rest.firstIndex(of: ":") {
            host = rest[..<colon]
            guard isPort(rest[colon...]) else { return nil }
        } else {
            host = rest
        }
        guard !host.isEmpty, host.utf8.count <= 253 else { return nil }
        if host.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }) {
            return AllowedHost.parseAddress(String(host)).map(HostName.address)
        }
        let labels = host.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.allSatisfy({ label in
            !label.isEmpty && label.count <= 63 && label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
        }) else { return nil }
        return .name(host.lowercased())
    }

    /// Empty, or `:` and at most five digits up to 65535 (RFC 3986 allows `host:`).
    private static func isPort(_ text: Substring) -> Bool {
        guard !text.isEmpty else { return true }
        let digits = text.dropFirst()
        guard text.first == ":", digits.count <= 5, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return false }
        return (Int(digits) ?? 0) <= 65535
    }
}
