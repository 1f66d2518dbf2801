/// One TTL of a trace: who answered the path's own packet sent with that TTL, and how.
public struct TraceHop: Sendable, Hashable, Encodable {
    /// What came back for one TTL-limited packet.
    public enum Response: String, Sendable, Hashable, Encodable, CaseIterable {
        /// ICMP time exceeded: a router on the way, `address` is that hop.
        case timeExceeded = "time_exceeded"
        /// Administratively prohibited / communication filtered: a firewall refuses.
        case rejected
        /// Net or host unreachable: a router has no way on.
        case unreachable
        /// The target itself said no (TCP RST, ICMP port unreachable): the packet got there.
        case refused
        /// TCP: the handshake completed.
        case connected
        /// UDP: the target answered the probe's datagram.
        case answered
        /// Nothing within the hop timeout.
        case silent

        /// Ends the trace: the packet reached the target or was stopped for good.
        public var isFinal: Bool { self != .timeExceeded && self != .silent }

        /// What an ICMP error read from the socket's error queue says about this hop.
        public init(_ kind: SocketErrorReport.Kind) {
            switch kind {
            case .timeExceeded: self = .timeExceeded
            case .rejected: self = .rejected
            case .portUnreachable: self = .refused
            case .unreachable, .packetTooBig, .other: self = .unreachable
            }
        }
    }

    public var ttl: Int
    /// The responder; nil when silent.
    public var address: String?
    /// Round-trip time in milliseconds; nil when silent.
    public var rttMilliseconds: Double?
    public var response: Response

    public init(ttl: Int, address: String?, rttMilliseconds: Double?, response: Response) {
        self.ttl = ttl
        self.address = address
        self.rttMilliseconds = rttMilliseconds
        self.response = response
    }

    public static func silent(_ ttl: Int) -> TraceHop {
        TraceHop(ttl: ttl, address: nil, rttMilliseconds: nil, response: .silent)
    }

    private enum CodingKeys: String, CodingKey {
        case ttl, address, rttMilliseconds = "rtt_ms", response
    }

    /// `address` and `rtt_ms` are written as null when silent, as the contract shows them.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(ttl, forKey: .ttl)
        try container.encode(address, forKey: .address)
        try container.encode(rttMilliseconds.map { ($0 * 1000).rounded() / 1000 }, forKey: .rttMilliseconds)
        try container.encode(response, forKey: .response)
    }
}
