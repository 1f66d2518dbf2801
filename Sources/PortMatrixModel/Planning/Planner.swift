/// Turns a profile and a site configuration into the plan of what runs here.
public struct Planner: Sendable {
    public var profile: Profile
    public var configuration: SiteConfiguration

    public init(profile: Profile, configuration: SiteConfiguration) {
        self.profile = profile
        self.configuration = configuration
    }

    public func plan() -> Plan {
        Plan(profile: profile, configuration: configuration, paths: profile.paths.map(plan), findings: findings())
    }

    /// Why a path does not apply to this site, or nil when it does.
    func applicabilityReason(_ path: MatrixPath) -> String? {
        switch path.applies {
        case .required, .discouraged:
            return nil
        case .feature(let name):
            return configuration.features.contains(name) ? nil : "feature \(name) not enabled"
        case .choice(let name, let value):
            guard let chosen = configuration.choices[name] else { return "choice \(name) not set (applies when \(name)=\(value))" }
            return chosen == value ? nil : "choice \(name)=\(chosen) (applies when \(name)=\(value))"
        }
    }

    func plan(_ path: MatrixPath) -> PlannedPath {
        let override = configuration.paths[path.id] ?? PathOverride()
        let expectClosed = path.applies == .discouraged && override.allowed != true
        var notes: [String] = []
        if let note = path.note { notes.append(note) }
        if let reason = applicabilityReason(path) {
            return PlannedPath(path: path, skipReason: reason, checks: [], missingTargets: [], expectClosed: expectClosed, notes: notes)
        }
        let roles = Set(configuration.roles)
        let probesFromHere = roles.contains(path.source)
        let listensHere = roles.contains(path.target) && configuration.listeners.local
        if !probesFromHere && roles.contains(path.target) && !configuration.listeners.local {
            let reason = "not checked here: listeners.local is off (this host stands in for \(path.target); check its inbound ports from the source side)"
            return PlannedPath(path: path, skipReason: reason, checks: [], missingTargets: [], expectClosed: expectClosed, notes: notes)
        }
        guard probesFromHere || listensHere else {
            let reason = "not checked here: neither \(path.source) nor \(path.target) is a local role (roles: \(configuration.roles.joined(separator: ", ")))"
            return PlannedPath(path: path, skipReason: reason, checks: [], missingTargets: [], expectClosed: expectClosed, notes: notes)
        }
        if expectClosed {
            notes.append("discouraged: an open \(path.endpoints.map(\.port.description).joined(separator: ", ")) warns; allow it with paths.\(path.id).allowed: true")
        }
        let endpoints = path.endpoints(overriddenBy: override)
        var checks: [PlannedCheck] = []
        var missing: [String] = []
        func add(kind: PlannedCheck.Kind, host: String, port: Int, endpoint: Endpoint) {
            let proxy = endpoint.transport == .tcp && kind == .probe ? configuration.proxy : nil
            let use = proxy == nil ? ProxyUse.never : (override.viaProxy ?? (path.proxy == .fallback ? .fallback : .never))
            checks.append(PlannedCheck(
                id: "\(path.id)#\(checks.count + 1)", pathID: path.id, index: checks.count + 1, kind: kind,
                host: host, port: port, transport: endpoint.transport, probe: endpoint.probe,
                proxy: use == .never ? nil : proxy, proxyUse: use,
                sourceAddress: kind == .probe ? (override.sourceAddress ?? configuration.sourceAddress) : nil,
                timeout: override.timeout ?? configuration.schedule.timeout,
                thresholds: configuration.thresholds.merging(override.thresholds),
                options: override.probe ?? ProbeOptions(),
                addressFamilies: override.addressFamilies ?? configuration.addressFamilies))
        }
        if probesFromHere {
            let targets = resolvedTargets(path, override)
            if targets.isEmpty {
                missing.append(path.target)
            }
            for target in targets {
                for endpoint in endpoints {
                    add(kind: .probe, host: target.host, port: target.port ?? endpoint.port.port, endpoint: endpoint)
                }
            }
            if let viaProxy = override.viaProxy, viaProxy != .never, configuration.proxy == nil {
                notes.append("via_proxy is \(viaProxy.rawValue) but no proxy is configured: checked directly")
            }
        }
        if listensHere {
            for endpoint in endpoints {
                add(kind: .listener, host: "local", port: endpoint.port.port, endpoint: endpoint)
            }
        }
        return PlannedPath(path: path, skipReason: nil, checks: checks, missingTargets: missing, expectClosed: expectClosed, notes: notes)
    }

    /// `paths.<id>.targets`, else `hosts.<role>`, else the path's or role's well-known default.
    func resolvedTargets(_ path: MatrixPath, _ override: PathOverride) -> [TargetAddress] {
        if let targets = override.targets { return targets }
        if let hosts = configuration.hosts[path.target] { return hosts }
        if !path.defaultTargets.isEmpty { return path.defaultTargets.map { TargetAddress(host: $0) } }
        return profile.role(path.target)?.defaultHosts.map { TargetAddress(host: $0) } ?? []
    }

    /// Rules across paths: e.g. "time synchronisation is mandatory in a cluster".
    func findings() -> [PlanFinding] {
        profile.rules.compactMap { rule in
            let active = rule.whenFeatures.filter(configuration.features.contains)
            guard !active.isEmpty, configuration.choices[rule.requireChoice] == nil else { return nil }
            let values = profile.choices[rule.requireChoice] ?? []
            return PlanFinding(
                status: .critical, ruleID: rule.id,
                message: "\(rule.description) (feature \(active.joined(separator: ", "))): set choices.\(rule.requireChoice) to one of \(values.joined(separator: ", "))")
        }
    }
}
