extension MatrixPath {
    /// The endpoints checked with `paths.<id>` applied: an endpoint override keeps the profile's
    /// probe for a known port, else the one for the same transport. The planner checks these,
    /// and the loader checks `paths.<id>.probe` keys against their probes.
    public func endpoints(overriddenBy override: PathOverride) -> [Endpoint] {
        guard let replacements = override.endpoints else { return endpoints }
        return replacements.map { replacement in
            if let probe = replacement.probe { return Endpoint(replacement.port, probe: probe) }
            if let same = endpoints.first(where: { $0.port == replacement.port }) { return same }
            let sameTransport = endpoints.first { $0.transport == replacement.port.transport }
            return Endpoint(replacement.port, probe: sameTransport?.probe ?? replacement.port.transport.rawValue)
        }
    }
}
