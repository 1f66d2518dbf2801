import NIOConcurrencyHelpers
import NIOCore

/// `allowed_hosts` as a whole. Addresses and networks match at once; host names match the
/// addresses they resolved to at start, at reload and at the last background refresh
/// (``refreshInterval``), never per connection: a flood from a refused address costs no lookup
/// and no command thread. `[any]` allows every address; an empty list allows none.
final class NRPEAccessList: Sendable {
    /// Resolves one host name to address bytes (4 or 16); blocking.
    typealias Resolver = @Sendable (String) -> [[UInt8]]

    /// getaddrinfo reports no TTL: names are looked up again this often.
    static let refreshInterval = TimeAmount.minutes(5)
    /// The one entry that allows every address, so an empty list can never do so by accident.
    static let anyKeyword = "any"

    let allowsAny: Bool
    let entries: [NRPEAllowedHost]
    let names: [String]
    private let resolver: Resolver
    private let resolved = NIOLockedValueBox<[String: [[UInt8]]]>([:])

    init(_ allowedHosts: [String], resolver: @escaping Resolver = { NRPEAllowedHost.resolve($0) }) throws {
        let isAny = { (entry: String) in entry.trimmingWhitespace().lowercased() == Self.anyKeyword }
        allowsAny = allowedHosts.contains(where: isAny)
        entries = try allowedHosts.filter { !isAny($0) }.map { try NRPEAllowedHost(parsing: $0) }
        names = entries.compactMap { entry in
            if case .hostName(let name) = entry { return name }
            return nil
        }
        self.resolver = resolver
    }

    /// Looks every host name up again (blocking: run it on a thread pool). A name that no longer
    /// resolves keeps its previous addresses, so a DNS outage does not lock the monitoring server
    /// out. Returns the names that did not resolve.
    @discardableResult
    func refresh() -> [String] {
        var failed: [String] = []
        for name in names {
            let addresses = resolver(name)
            if addresses.isEmpty {
                failed.append(name)
            } else {
                resolved.withLockedValue { $0[name] = addresses }
            }
        }
        return failed
    }

    func isAllowed(_ peer: SocketAddress?) -> Bool {
        if allowsAny { return true }
        guard let peer, let bytes = NRPEAllowedHost.bytes(of: peer) else { return false }
        if entries.contains(where: { $0.matches(bytes) }) { return true }
        return resolved.withLockedValue { $0.values.contains { $0.contains(bytes) } }
    }
}
