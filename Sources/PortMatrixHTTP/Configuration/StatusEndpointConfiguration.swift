import PortMatrixListening

/// The optional HTTP status endpoint (`status_endpoint:` in portmatrix.yaml): JSON and
/// Prometheus text. Read from YAML by `StatusEndpointConfiguration+YAML.swift`.
public struct StatusEndpointConfiguration: Sendable, Hashable {
    /// `ADDRESS:PORT`s, loopback ones unless `allowedHosts` is set; empty (the default) turns
    /// the endpoint off.
    public var listen: [String] = []
    /// Peers besides loopback that may ask (addresses and networks, as `nrpe.allowed_hosts`).
    /// Empty: loopback peers only, and only `Host: localhost` or a loopback address.
    public var allowedHosts: [String] = []
    /// Host names the endpoint answers to besides localhost and IP literals (with `allowedHosts`).
    public var serverNames: [String] = []

    public init(listen: [String] = [], allowedHosts: [String] = [], serverNames: [String] = []) {
        self.listen = listen
        self.allowedHosts = allowedHosts
        self.serverNames = serverNames
    }
}

extension StatusHTTPAccess {
    /// `allowed_hosts` and `server_names` of the section (already checked when it was read).
    public init(_ configuration: StatusEndpointConfiguration) throws(AllowedHost.ParseError) {
        try self.init(allowedHosts: configuration.allowedHosts, serverNames: configuration.serverNames)
    }
}
