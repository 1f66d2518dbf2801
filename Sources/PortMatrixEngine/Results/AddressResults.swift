import PortMatrixModel

/// What each address of a host-name target gave (`addresses` in the check document): a
/// dual-stack name whose IPv6 path is dropped while IPv4 works is one finding per address,
/// not one confusing "timed out". Absent for IP literals and proxied checks (one address).
public struct AddressResults: Observation {
    public static let key = "addresses"

    public var entries: [AddressResult]

    public init(_ entries: [AddressResult]) {
        self.entries = entries
    }

    /// A plain array under `addresses`, not an object.
    public init(from decoder: any Decoder) throws {
        entries = try decoder.singleValueContainer().decode([AddressResult].self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(entries)
    }
}

/// One address's judged result.
public struct AddressResult: Codable, Sendable, Hashable {
    public var address: String
    /// `ipv4` or `ipv6`.
    public var family: String
    public var status: Status
    public var reason: FailureReason?
    public var message: String
    public var latencyMilliseconds: Double
    /// The endpoint connected to (`[fd10:2::2]:25`), when a connection was made.
    public var peerAddress: String?

    public init(address: String, family: String, status: Status, reason: FailureReason?, message: String,
                latencyMilliseconds: Double, peerAddress: String? = nil) {
        self.address = address
        self.family = family
        self.status = status
        self.reason = reason
        self.message = message
        self.latencyMilliseconds = latencyMilliseconds
        self.peerAddress = peerAddress
    }

    /// `IPv6 fd10:2::2`: how the check's message names it.
    public var label: String { "\(family == "ipv6" ? "IPv6" : "IPv4") \(address)" }

    enum CodingKeys: String, CodingKey {
        case address, family, status, reason, message
        case latencyMilliseconds = "latency_ms"
        case peerAddress = "peer_address"
    }
}
