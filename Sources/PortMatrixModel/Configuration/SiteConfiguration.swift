/// A site's configuration (design §5): which profile, which roles run here, the choices and
/// features in use, the concrete hosts, and how to check and report.
public struct SiteConfiguration: Sendable, Hashable {
    /// A built-in profile name or a profile file path.
    public var profile: String = "seppmail"
    public var roles: [String] = ["appliance"]
    public var choices: [String: String] = [:]
    public var features: Set<String> = []
    public var hosts: [String: [TargetAddress]] = [:]
    public var paths: [String: PathOverride] = [:]
    public var proxy: ProxySettings?
    public var sourceAddress: String?
    /// `address_families`: which addresses of a host name are probed (default all of them).
    public var addressFamilies: AddressFamilies = .all
    public var thresholds: Thresholds = .standard
    public var schedule: Schedule = Schedule()
    public var listeners: ListenerSettings = ListenerSettings()
    /// Where it was read from (`<embedded default>` for the built-in one).
    public var origin: String = "<embedded default>"

    public init() {}
}

/// Per-path overrides (`paths.<id>`).
public struct PathOverride: Sendable, Hashable {
    public var targets: [TargetAddress]?
    /// Replaces the path's endpoints; a probe not given explicitly is taken from the profile.
    public var endpoints: [EndpointOverride]?
    public var viaProxy: ProxyUse?
    public var sourceAddress: String?
    public var addressFamilies: AddressFamilies?
    public var thresholds: PartialThresholds?
    public var timeout: Duration?
    public var probe: ProbeOptions?
    /// For discouraged paths (admin HTTP on 8080): the site explicitly allows it.
    public var allowed: Bool?

    public init() {}
}

public struct EndpointOverride: Sendable, Hashable {
    public var port: PortSpec
    public var probe: String?

    public init(port: PortSpec, probe: String? = nil) {
        self.port = port
        self.probe = probe
    }
}

/// How a TCP check uses the proxy.
public enum ProxyUse: String, Sendable, Hashable, CaseIterable {
    /// Direct only.
    case never
    /// Direct first; through the proxy when direct fails.
    case fallback
    /// Through the proxy only.
    case always
}

public struct ProxySettings: Sendable, Hashable {
    public var host: String
    public var port: Int
    public var url: String

    public init(host: String, port: Int, url: String) {
        self.host = host
        self.port = port
        self.url = url
    }
}

public struct Schedule: Sendable, Hashable {
    public var interval: Duration = .seconds(60)
    public var timeout: Duration = .seconds(5)
    public var concurrency: Int = 32
    /// Spread of check start times within a cycle, so peers do not see a burst.
    public var jitter: Duration = .seconds(5)

    public init() {}
}

/// How listeners no path explains are judged (`listeners:`).
public struct ListenerSettings: Sendable, Hashable {
    /// Status of an unexpected listener: `ok` (report only), `warning` (default) or `critical`.
    public var unexpected: Status
    /// Ports the site accepts besides the matrix (`[tcp/22]`).
    public var allow: [PortSpec]
    /// Loopback-only sockets (local resolvers, MTAs' pickup ports) cannot be reached from the
    /// network, so by default they are never unexpected.
    public var ignoreLoopback: Bool
    /// false on a host that stands in for the appliance (beside a closed one): its own sockets
    /// say nothing about the appliance's, so paths into a local role are not checked here.
    public var local: Bool = true

    public init(unexpected: Status = .warning, allow: [PortSpec] = [], ignoreLoopback: Bool = true) {
        self.unexpected = unexpected
        self.allow = allow
        self.ignoreLoopback = ignoreLoopback
    }
}
