/// What runs here: for every path of the matrix, whether it applies and how it is checked.
public struct Plan: Sendable {
    public var profile: Profile
    public var configuration: SiteConfiguration
    public var paths: [PlannedPath]
    /// Compliance problems of the site as a whole (e.g. no NTP in a cluster).
    public var findings: [PlanFinding]

    public init(profile: Profile, configuration: SiteConfiguration, paths: [PlannedPath], findings: [PlanFinding]) {
        self.profile = profile
        self.configuration = configuration
        self.paths = paths
        self.findings = findings
    }

    public var checks: [PlannedCheck] { paths.flatMap(\.checks) }

    public func path(_ id: String) -> PlannedPath? { paths.first { $0.id == id } }
}

public struct PlannedPath: Sendable, Identifiable {
    public var path: MatrixPath
    /// Nil when the path applies here; otherwise why not (shown by `plan`, reported as skipped).
    public var skipReason: String?
    /// Active probes from here and local listener checks, in that order.
    public var checks: [PlannedCheck]
    /// Roles whose hosts are needed but not configured: the path is UNKNOWN, never guessed.
    public var missingTargets: [String]
    /// An open discouraged path warns (admin HTTP on 8080) unless the site allows it.
    public var expectClosed: Bool
    public var notes: [String]

    public var id: String { path.id }
    public var applies: Bool { skipReason == nil }

    public init(path: MatrixPath, skipReason: String?, checks: [PlannedCheck], missingTargets: [String], expectClosed: Bool, notes: [String]) {
        self.path = path
        self.skipReason = skipReason
        self.checks = checks
        self.missingTargets = missingTargets
        self.expectClosed = expectClosed
        self.notes = notes
    }
}

/// One concrete check: a target x endpoint probed from here, or a local listener.
public struct PlannedCheck: Sendable, Hashable, Identifiable {
    public enum Kind: String, Sendable, Hashable {
        /// Actively probe the target from here (the local role is the source).
        case probe
        /// Verify a local socket listens (the local role is the target).
        case listener
    }

    /// `path-id#N`, stable while the plan is.
    public var id: String
    public var pathID: String
    /// 1-based position within the path (the SNMP check index).
    public var index: Int
    public var kind: Kind
    /// Target host, `local` for listener checks.
    public var host: String
    public var port: Int
    public var transport: Transport
    public var probe: String
    public var proxy: ProxySettings?
    public var proxyUse: ProxyUse
    public var sourceAddress: String?
    public var timeout: Duration
    public var thresholds: Thresholds
    public var options: ProbeOptions
    /// Which addresses of a host name are probed and how they combine.
    public var addressFamilies: AddressFamilies

    public init(id: String, pathID: String, index: Int, kind: Kind, host: String, port: Int, transport: Transport, probe: String,
                proxy: ProxySettings?, proxyUse: ProxyUse, sourceAddress: String?, timeout: Duration, thresholds: Thresholds,
                options: ProbeOptions, addressFamilies: AddressFamilies = .all) {
        self.id = id
        self.pathID = pathID
        self.index = index
        self.kind = kind
        self.host = host
        self.port = port
        self.transport = transport
        self.probe = probe
        self.proxy = proxy
        self.proxyUse = proxyUse
        self.sourceAddress = sourceAddress
        self.timeout = timeout
        self.thresholds = thresholds
        self.options = options
        self.addressFamilies = addressFamilies
    }

    public var portSpec: PortSpec { PortSpec(transport, port) }

    /// `host:port` as people read it (`[::1]:53` for IPv6).
    public var targetDescription: String {
        kind == .listener ? "local" : TargetAddress(host: host, port: port).description
    }
}

public struct PlanFinding: Sendable, Hashable {
    public var status: Status
    public var ruleID: String
    public var message: String

    public init(status: Status, ruleID: String, message: String) {
        self.status = status
        self.ruleID = ruleID
        self.message = message
    }
}
