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

/// What a probe saw on the wire; each protocol fills its part.
public struct Observations: Sendable, Hashable, Codable {
    /// First line the server sent (SSH identification, SMTP 220, rsync @RSYNCD, POP3 +OK...).
    public var banner: String?
    public var tls: TLSObservation?
    public var ntp: NTPObservation?
    public var dns: DNSObservation?
    public var smtp: SMTPObservation?
    public var http: HTTPObservation?
    /// For UDP: `answered`, `refused` or `no_answer`.
    public var udp: UDPOutcome?
    /// The address actually connected to, after resolution (`127.0.0.1:25`).
    public var peerAddress: String?
    /// `direct` or `proxy` when a proxy fallback was in play.
    public var route: String?

    public init(banner: String? = nil, tls: TLSObservation? = nil, ntp: NTPObservation? = nil, dns: DNSObservation? = nil,
                smtp: SMTPObservation? = nil, http: HTTPObservation? = nil, udp: UDPOutcome? = nil,
                peerAddress: String? = nil, route: String? = nil) {
        self.banner = banner
        self.tls = tls
        self.ntp = ntp
        self.dns = dns
        self.smtp = smtp
        self.http = http
        self.udp = udp
        self.peerAddress = peerAddress
        self.route = route
    }

    enum CodingKeys: String, CodingKey {
        case banner, tls, ntp, dns, smtp, http, udp
        case peerAddress = "peer_address"
        case route
    }
}

public struct TLSObservation: Sendable, Hashable, Codable {
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

public struct NTPObservation: Sendable, Hashable, Codable {
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

public struct DNSObservation: Sendable, Hashable, Codable {
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

public struct SMTPObservation: Sendable, Hashable, Codable {
    public var starttls: Bool
    public var extensions: [String]

    public init(starttls: Bool, extensions: [String]) {
        self.starttls = starttls
        self.extensions = extensions
    }
}

public struct HTTPObservation: Sendable, Hashable, Codable {
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

public enum UDPOutcome: String, Sendable, Hashable, Codable {
    case answered
    case refused
    case noAnswer = "no_answer"
}
