import PortMatrixConfiguration

extension PathOverride {
    static let keys = ["targets", "endpoints", "via_proxy", "source_address", "address_families", "thresholds", "timeout",
                       "probe", "allowed"]

    /// `paths: { <id>: {...} }`: overrides of the profile's paths, each id checked against it.
    /// With a `catalog` (the engine's probe registry), endpoint probe names are checked too, and
    /// each `probe` key against the probes the path's endpoints use.
    static func paths(yaml value: YAMLValue, profile: Profile, catalog: (any ProbeCatalog)?) throws -> [String: PathOverride] {
        var paths: [String: PathOverride] = [:]
        for (pathID, body) in try value.mapping() {
            value.reader.attempt {
                guard let path = profile.path(pathID) else {
                    let hint = suggestion(for: pathID, among: profile.paths.map(\.id)).map { "; did you mean '\($0)'?" } ?? ""
                    throw body.error("unknown path id '\(pathID)'\(hint)")
                }
                let override = try PathOverride(yaml: body, catalog: catalog)
                if let catalog, let options = override.probe {
                    let probes = path.endpoints(overriddenBy: override).map(\.probe)
                    catalog.checkOptions(options, probes: probes).forEach(value.reader.record)
                }
                paths[pathID] = override
            }
        }
        return paths
    }

    /// One `paths.<id>` body; keys left out leave the profile's and the global settings.
    init(yaml value: YAMLValue, catalog: (any ProbeCatalog)?) throws {
        self.init()
        for (key, item) in try value.mapping(allowed: Self.keys) {
            value.reader.attempt {
                switch key {
                case "targets": targets = try item.targets()
                case "endpoints":
                    let list = try item.list()
                    guard !list.isEmpty else { throw item.error("an empty endpoint list; give at least one, e.g. [tcp/995]") }
                    endpoints = try list.map { try EndpointOverride(yaml: $0, catalog: catalog) }
                // `on`/`true` read as `fallback` and `off`/`false` as `never`, for YAML 1.1 habits.
                case "via_proxy": viaProxy = try item.mode(on: ProxyUse.fallback, off: .never)
                case "source_address": sourceAddress = try item.ipAddress()
                case "address_families": addressFamilies = try AddressFamilies(yaml: item)
                case "thresholds": thresholds = try PartialThresholds(yaml: item)
                case "timeout": timeout = try item.positiveDuration()
                case "probe": probe = try ProbeOptions(yaml: item)
                case "allowed": allowed = try item.bool()
                default: break
                }
            }
        }
    }
}

extension EndpointOverride {
    /// `tcp/995`, `tcp/10995:pop3s`, or `{ port: tcp/10995, probe: pop3s }`.
    init(yaml node: YAMLValue, catalog: (any ProbeCatalog)?) throws {
        if case .mapping = node.node {
            var port: PortSpec?
            var probe: String?
            for (key, value) in try node.mapping(allowed: ["port", "probe"]) {
                if key == "port" { port = try value.portSpec() } else {
                    probe = try value.nonEmptyString()
                    try catalog?.checkProbeName(value)
                }
            }
            guard let port else { throw node.error("an endpoint needs 'port', e.g. tcp/995") }
            self.init(port: port, probe: probe)
            return
        }
        let text = try node.string()
        let parts = text.split(separator: ":", maxSplits: 1)
        switch PortSpec.parse(String(parts.first ?? "")) {
        case .success(let port):
            let probe = parts.count == 2 ? String(parts[1]) : nil
            if let probe { try catalog?.checkProbeName(node, name: probe) }
            self.init(port: port, probe: probe)
        case .failure(let error): throw node.error(error.description)
        }
    }
}
