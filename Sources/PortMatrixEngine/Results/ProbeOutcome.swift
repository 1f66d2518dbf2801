import PortMatrixModel

/// What one probe run found.
public struct ProbeOutcome: Sendable, Hashable {
    /// The probe's own verdict before thresholds: ok, warning, critical or unknown.
    public var status: Status
    public var reason: FailureReason?
    /// One line for people: what happened, e.g. `SSH-2.0-OpenSSH_9.2p1, 1.2 ms`.
    public var message: String
    public var phases: PhaseTimings
    public var observations: Observations

    public init(status: Status, reason: FailureReason? = nil, message: String,
                phases: PhaseTimings = PhaseTimings(), observations: Observations = Observations()) {
        self.status = status
        self.reason = reason
        self.message = message
        self.phases = phases
        self.observations = observations
    }

    public static func success(_ message: String, phases: PhaseTimings = PhaseTimings(), observations: Observations = Observations()) -> ProbeOutcome {
        ProbeOutcome(status: .ok, message: message, phases: phases, observations: observations)
    }

    public static func failure(_ reason: FailureReason, _ message: String, status: Status = .critical,
                               phases: PhaseTimings = PhaseTimings(), observations: Observations = Observations()) -> ProbeOutcome {
        ProbeOutcome(status: status, reason: reason, message: message, phases: phases, observations: observations)
    }
}

/// Seconds spent in each phase, as blackbox_exporter's probe_duration_seconds{phase}.
public struct PhaseTimings: Sendable, Hashable, Codable {
    public var resolve: Double?
    public var connect: Double?
    public var tls: Double?
    public var firstByte: Double?
    public var total: Double?

    public init(resolve: Double? = nil, connect: Double? = nil, tls: Double? = nil, firstByte: Double? = nil, total: Double? = nil) {
        self.resolve = resolve
        self.connect = connect
        self.tls = tls
        self.firstByte = firstByte
        self.total = total
    }

    enum CodingKeys: String, CodingKey {
        case resolve, connect, tls
        case firstByte = "first_byte"
        case total
    }
}

/// What a probe saw on the wire: what any connection shows (banner, peer address, route), and
/// one ``Observation`` per protocol, which the check document encodes under its own key.
public struct Observations: Sendable, Hashable {
    /// First line the server sent (SSH identification, SMTP 220, rsync @RSYNCD, POP3 +OK...).
    public var banner: String?
    /// The address actually connected to, after resolution (`127.0.0.1:25`).
    public var peerAddress: String?
    /// `direct` or `proxy` when a proxy fallback was in play.
    public var route: String?
    /// Each protocol's observation by its key.
    private var parts: [String: AnyObservation] = [:]

    public init(banner: String? = nil, tls: TLSObservation? = nil, ntp: NTPObservation? = nil, dns: DNSObservation? = nil,
                smtp: SMTPObservation? = nil, http: HTTPObservation? = nil, udp: UDPOutcome? = nil,
                peerAddress: String? = nil, route: String? = nil) {
        self.banner = banner
        self.peerAddress = peerAddress
        self.route = route
        self.tls = tls
        self.ntp = ntp
        self.dns = dns
        self.smtp = smtp
        self.http = http
        self.udp = udp
    }

    /// The observation of one protocol, e.g. `observations[TLSObservation.self]`.
    public subscript<Part: Observation>(_ type: Part.Type) -> Part? {
        get { parts[Part.key]?.value as? Part }
        set { parts[Part.key] = newValue.map { AnyObservation(value: $0) } }
    }

    public var tls: TLSObservation? {
        get { self[TLSObservation.self] }
        set { self[TLSObservation.self] = newValue }
    }
    public var ntp: NTPObservation? {
        get { self[NTPObservation.self] }
        set { self[NTPObservation.self] = newValue }
    }
    public var dns: DNSObservation? {
        get { self[DNSObservation.self] }
        set { self[DNSObservation.self] = newValue }
    }
    public var smtp: SMTPObservation? {
        get { self[SMTPObservation.self] }
        set { self[SMTPObservation.self] = newValue }
    }
    public var http: HTTPObservation? {
        get { self[HTTPObservation.self] }
        set { self[HTTPObservation.self] = newValue }
    }
    /// For UDP: `answered`, `refused` or `no_answer`.
    public var udp: UDPOutcome? {
        get { self[UDPOutcome.self] }
        set { self[UDPOutcome.self] = newValue }
    }
}

/// Flat into the check object: the connection's keys, then each observation under its key.
/// A new connection-wide field needs its case here; a protocol's observation needs nothing.
extension Observations: Codable {
    enum CodingKeys: String, CodingKey {
        case banner
        case peerAddress = "peer_address"
        case route
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(banner, forKey: .banner)
        try container.encodeIfPresent(peerAddress, forKey: .peerAddress)
        try container.encodeIfPresent(route, forKey: .route)
        var parts = encoder.container(keyedBy: ObservationKey.self)
        for (key, part) in self.parts {
            try parts.encode(part.value, forKey: ObservationKey(stringValue: key))
        }
    }

    /// Keys of observation types not in `decoder.userInfo[.observationTypes]` (by default the
    /// standard registry's) are passed over, like any other key of the check object.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        banner = try container.decodeIfPresent(String.self, forKey: .banner)
        peerAddress = try container.decodeIfPresent(String.self, forKey: .peerAddress)
        route = try container.decodeIfPresent(String.self, forKey: .route)
        let types = decoder.userInfo[.observationTypes] as? [any Observation.Type] ?? ProbeRegistry.standard.observationTypes
        let present = try decoder.container(keyedBy: ObservationKey.self)
        for type in types {
            if let part = try Self.decode(type, from: present) { parts[type.key] = part }
        }
    }

    private static func decode<Part: Observation>(_ type: Part.Type,
                                                  from container: KeyedDecodingContainer<ObservationKey>) throws -> AnyObservation? {
        try container.decodeIfPresent(Part.self, forKey: ObservationKey(stringValue: Part.key)).map { AnyObservation(value: $0) }
    }
}

public struct TLSObservation: Observation {
    public static let key = "tls"

    /// `TLSv1.3`, `TLSv1.2`.
    public var version: String?
    public var cipher: String?
    public var subject: String?
    public var issuer: String?
    /// Leaf certificate notAfter, seconds since 1970.
    public var notAfter: Double?
    /// Whole days until notAfter (negative once expired).
    public var daysLeft: Int?
    /// Whether the chain verified against the system or configured CA (nil: not verified).
    public var verified: Bool?

    public init(version: String? = nil, cipher: String? = nil, subject: String? = nil, issuer: String? = nil,
                notAfter: Double? = nil, daysLeft: Int? = nil, verified: Bool? = nil) {
        self.version = version
        self.cipher = cipher
        self.subject = subject
        self.issuer = issuer
        self.notAfter = notAfter
        self.daysLeft = daysLeft
        self.verified = verified
    }

    enum CodingKeys: String, CodingKey {
        case version, cipher, subject, issuer
        case notAfter = "not_after"
        case daysLeft = "days_left"
        case verified
    }
}

public struct NTPObservation: Observation {
    public static let key = "ntp"

    /// Local clock offset to the server, seconds (positive: we are behind).
    public var offset: Double
    public var delay: Double
    public var stratum: Int
    public var leap: Int
    public var refid: String?

    public init(offset: Double, delay: Double, stratum: Int, leap: Int, refid: String? = nil) {
        self.offset = offset
        self.delay = delay
        self.stratum = stratum
        self.leap = leap
        self.refid = refid
    }
}

public struct DNSObservation: Observation {
    public static let key = "dns"

    /// `NOERROR`, `NXDOMAIN`, `SERVFAIL`...
    public var rcode: String
    public var answers: Int
    /// Whether a truncated UDP answer made the probe retry over TCP.
    public var truncated: Bool

    public init(rcode: String, answers: Int, truncated: Bool = false) {
        self.rcode = rcode
        self.answers = answers
        self.truncated = truncated
    }
}

public struct SMTPObservation: Observation {
    public static let key = "smtp"

    public var starttls: Bool
    public var extensions: [String]

    public init(starttls: Bool, extensions: [String]) {
        self.starttls = starttls
        self.extensions = extensions
    }
}

public struct HTTPObservation: Observation {
    public static let key = "http"

    public var statusCode: Int
    public var statusLine: String

    public init(statusCode: Int, statusLine: String) {
        self.statusCode = statusCode
        self.statusLine = statusLine
    }

    enum CodingKeys: String, CodingKey {
        case statusCode = "status_code"
        case statusLine = "status_line"
    }
}

public enum UDPOutcome: String, Observation {
    public static let key = "udp"

    case answered
    case refused
    case noAnswer = "no_answer"
}
