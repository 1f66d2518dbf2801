import PortMatrixModel

/// The site's `listeners:` configuration: how to treat sockets the matrix does not explain.
public struct ListenerPolicy: Sendable, Hashable {
    /// Status of an unexpected listener: `ok` (report only), `warning` (default) or `critical`.
    public var unexpected: Status
    /// Ports the site accepts besides the matrix (`[tcp/22]`); an allowed discouraged port is no longer a warning.
    public var allow: [PortSpec]
    /// Loopback-only sockets cannot be reached from the network (systemd-resolved on 127.0.0.53,
    /// local MTA pickup, agents' admin ports), so by default they are never unexpected.
    public var ignoreLoopback: Bool

    public init(unexpected: Status = .warning, allow: [PortSpec] = [], ignoreLoopback: Bool = true) {
        self.unexpected = unexpected
        self.allow = allow
        self.ignoreLoopback = ignoreLoopback
    }
}
