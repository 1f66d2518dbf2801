/// `PmFailureReason` of PORTMATRIX-MIB. Raw values are the MIB's enumeration numbers;
/// `name` is the engine's vocabulary (`connect_timeout`), which the MIB spells `connectTimeout`.
public enum MIBFailureReason: Int, Sendable, Codable, CaseIterable {
    case none = 1
    case dns = 2
    case refused = 3
    case connectTimeout = 4
    case readTimeout = 5
    case tlsHandshake = 6
    case certInvalid = 7
    case certExpiring = 8
    case bannerMismatch = 9
    case protocolError = 10
    case proxyDenied = 11
    case notListening = 12
    case noAnswer = 13
    case unreachable = 14
    case stale = 15
    case noTarget = 16
    case `internal` = 17
    case reset = 18
    case sourceAddress = 19
    case proxyError = 20
    case kissOfDeath = 21
    case ntpOffset = 22
    case latency = 23
    case discouraged = 24
    case rejected = 25
    case mtuBlackhole = 26

    /// Looks up a reason by the engine's name (`connect_timeout`); unknown names map to `internal`.
    public init(name: String) {
        self = Self.allCases.first { $0.name == name } ?? .internal
    }

    /// The engine's name of the reason, e.g. `connect_timeout`.
    public var name: String {
        switch self {
        case .none: "none"
        case .dns: "dns"
        case .refused: "refused"
        case .connectTimeout: "connect_timeout"
        case .readTimeout: "read_timeout"
        case .tlsHandshake: "tls_handshake"
        case .certInvalid: "cert_invalid"
        case .certExpiring: "cert_expiring"
        case .bannerMismatch: "banner_mismatch"
        case .protocolError: "protocol_error"
        case .proxyDenied: "proxy_denied"
        case .notListening: "not_listening"
        case .noAnswer: "no_answer"
        case .unreachable: "unreachable"
        case .stale: "stale"
        case .noTarget: "no_target"
        case .internal: "internal"
        case .reset: "reset"
        case .sourceAddress: "source_address"
        case .proxyError: "proxy_error"
        case .kissOfDeath: "kiss_of_death"
        case .ntpOffset: "ntp_offset"
        case .latency: "latency"
        case .discouraged: "discouraged"
        case .rejected: "rejected"
        case .mtuBlackhole: "mtu_blackhole"
        }
    }
}
