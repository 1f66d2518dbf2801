import PortMatrixModel

/// One trace toward one address of a check's target, with the check's own transport and port,
/// and what it means: where the path's packet got to. A pure value: `init(hops:)` derives the
/// outcome, so the same rules serve the command, the agent's evidence and the tests.
public struct Trace: Sendable, Hashable, Encodable {
    public enum Outcome: String, Sendable, Hashable, Encodable, CaseIterable {
        /// The target connected or answered.
        case reached
        /// The target itself refused: the packet got there (counts as reached).
        case refused
        /// A firewall on the way said no (administratively prohibited).
        case rejected
        /// A router had no way on.
        case unreachable
        /// Silence after the last hop that answered.
        case dropped

        /// Whether the path's packet arrived at the target.
        public var arrived: Bool { self == .reached || self == .refused }
    }

    /// The check's target as configured (a name or an address).
    public var target: String
    /// The resolved address traced.
    public var address: String
    public var transport: Transport
    public var port: Int
    public var hops: [TraceHop]
    public var outcome: Outcome
    /// The last hop that answered at all (the one a drop happened after); nil when none did.
    public var lastHop: TraceHop?

    /// `hops` in TTL order; the trace ends at the first final response, silence at the end is a drop.
    public init(target: String, address: String, transport: Transport, port: Int, hops: [TraceHop]) {
        let sorted = hops.sorted { $0.ttl < $1.ttl }
        let end = sorted.firstIndex { $0.response.isFinal }
        let kept = end.map { Array(sorted[...$0]) } ?? sorted
        self.target = target
        self.address = address
        self.transport = transport
        self.port = port
        self.hops = kept
        lastHop = kept.last { $0.response != .silent }
        switch end.map({ kept[$0].response }) {
        case .connected?, .answered?: outcome = .reached
        case .refused?: outcome = .refused
        case .rejected?: outcome = .rejected
        case .unreachable?: outcome = .unreachable
        case .timeExceeded?, .silent?, nil: outcome = .dropped
        }
    }

    /// The verdict in one sentence: `dropped after hop 3 (192.0.2.1)`.
    public var verdict: String {
        let port = "\(transport.rawValue)/\(self.port)"
        let at = lastHop.map { "hop \($0.ttl)" } ?? "?"
        let by = lastHop?.address ?? "?"
        switch outcome {
        case .reached:
            return "reached \(address) at \(at) (\(port) \(transport == .tcp ? "connected" : "answered"))"
        case .refused:
            return "refused by \(by) at \(at): the packet got there, nothing takes \(port)"
        case .rejected:
            return "rejected at \(at) by \(by)"
        case .unreachable:
            return "unreachable at \(at), reported by \(by)"
        case .dropped:
            guard let lastHop else { return "dropped before the first hop: no hop answered \(port)" }
            return "dropped after hop \(lastHop.ttl) (\(lastHop.address ?? "?"))"
        }
    }

    private enum CodingKeys: String, CodingKey {
        case target, address, transport, port, hops, outcome, lastHop = "last_hop"
    }

    /// The contract's shape; `last_hop` is `{ttl, address}` of the last hop that answered, or null.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(target, forKey: .target)
        try container.encode(address, forKey: .address)
        try container.encode(transport, forKey: .transport)
        try container.encode(port, forKey: .port)
        try container.encode(hops, forKey: .hops)
        try container.encode(outcome, forKey: .outcome)
        try container.encode(lastHop.map { LastHop(ttl: $0.ttl, address: $0.address) }, forKey: .lastHop)
    }

    private struct LastHop: Encodable {
        var ttl: Int
        var address: String?
    }
}
