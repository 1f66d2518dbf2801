import Foundation

/// Reads and validates a profile file: unknown roles, duplicate ids, bad ports, empty
/// endpoint lists and unknown keys are reported with file, line and column; with a `catalog`,
/// so are probe names it does not know.
public enum ProfileLoader {
    public static func load(file path: String, displayName: String? = nil, catalog: (any ProbeCatalog)? = nil) throws -> Profile {
        try parse(ConfigurationLoader.read(path, displayName: displayName, what: "profile file"), file: displayName ?? path, catalog: catalog)
    }

    public static func parse(_ text: String, file: String, catalog: (any ProbeCatalog)? = nil) throws -> Profile {
        let reader = YAMLReader(file: file)
        guard let root = reader.root(of: text) else { throw ConfigurationErrors(reader.errors) }
        let profile = reader.attempt { try read(root, reader: reader, catalog: catalog) }
        try reader.throwIfFailed()
        // Not reached with nil: attempt returns nil only after recording an error.
        guard let profile else { throw ConfigurationErrors(reader.errors) }
        return profile
    }

    private static func read(_ root: YAMLValue, reader: YAMLReader, catalog: (any ProbeCatalog)?) throws -> Profile {
        var name = "", title = "", source = ""
        var roles: [Role] = []
        var pathNodes: [YAMLValue] = []
        var rules: [MatrixRule] = []
        for (key, value) in try root.mapping(allowed: ["name", "title", "source", "roles", "paths", "rules"]) {
            reader.attempt {
                switch key {
                case "name": name = try value.nonEmptyString()
                case "title": title = try value.string()
                case "source": source = try value.string()
                case "roles": roles = try value.list().compactMap { node in reader.attempt { try readRole(node) } }
                case "paths": pathNodes = try value.list()
                case "rules": rules = try value.list().compactMap { node in reader.attempt { try readRule(node) } }
                default: break
                }
            }
        }
        if name.isEmpty { reader.record(root.error("a profile needs a 'name'")) }
        var seenRoles = Set<String>()
        for role in roles where !seenRoles.insert(role.id).inserted {
            reader.record(root.error("duplicate role '\(role.id)'"))
        }
        let roleIDs = roles.map(\.id)
        var seenPaths = Set<String>()
        var paths: [MatrixPath] = []
        for node in pathNodes {
            guard let path = reader.attempt({ try readPath(node, roles: roleIDs, catalog: catalog) }) else { continue }
            if !seenPaths.insert(path.id).inserted {
                reader.record(node.error("duplicate path id '\(path.id)'"))
                continue
            }
            paths.append(path)
        }
        if pathNodes.isEmpty { reader.record(root.error("a profile needs at least one path")) }
        return Profile(name: name, title: title, source: source, roles: roles, paths: paths, rules: rules)
    }

    private static func readRole(_ node: YAMLValue) throws -> Role {
        var role = Role(id: "", description: "")
        for (key, value) in try node.mapping(allowed: ["id", "description", "default_hosts"]) {
            switch key {
            case "id": role.id = try value.nonEmptyString()
            case "description": role.description = try value.string()
            case "default_hosts": role.defaultHosts = try value.stringList()
            default: break
            }
        }
        guard !role.id.isEmpty else { throw node.error("a role needs an 'id'") }
        return role
    }

    private static func readRule(_ node: YAMLValue) throws -> MatrixRule {
        var rule = MatrixRule(id: "", description: "", whenFeatures: [], requireChoice: "")
        for (key, value) in try node.mapping(allowed: ["id", "description", "when_features", "require_choice"]) {
            switch key {
            case "id": rule.id = try value.nonEmptyString()
            case "description": rule.description = try value.string()
            case "when_features": rule.whenFeatures = try value.stringList()
            case "require_choice": rule.requireChoice = try value.nonEmptyString()
            default: break
            }
        }
        guard !rule.id.isEmpty, !rule.requireChoice.isEmpty, !rule.whenFeatures.isEmpty else {
            throw node.error("a rule needs 'id', 'when_features' and 'require_choice'")
        }
        return rule
    }

    private static let pathKeys = ["id", "function", "endpoints", "source", "target", "applies", "rule", "proxy",
                                   "description", "settings", "note", "default_targets"]

    private static func readPath(_ node: YAMLValue, roles: [String], catalog: (any ProbeCatalog)?) throws -> MatrixPath {
        let entries = try node.mapping(allowed: pathKeys)
        let fields = Dictionary(entries.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
        func required(_ key: String) throws -> YAMLValue {
            guard let value = fields[key] else { throw node.error("a path needs '\(key)'") }
            return value
        }
        func role(_ key: String) throws -> String {
            let value = try required(key)
            let id = try value.nonEmptyString()
            guard roles.contains(id) else {
                let hint = suggestion(for: id, among: roles).map { "; did you mean '\($0)'?" } ?? ""
                throw value.error("unknown role '\(id)'\(hint)")
            }
            return id
        }
        let id = try required("id").nonEmptyString()
        let endpointsNode = try required("endpoints")
        let endpoints = try endpointsNode.list().map { try readEndpoint($0, catalog: catalog) }
        guard !endpoints.isEmpty else { throw endpointsNode.error("a path needs at least one endpoint") }
        let appliesNode = try required("applies")
        let appliesText = try appliesNode.string()
        guard let applies = Applicability(parsing: appliesText) else {
            throw appliesNode.error("'\(appliesText)' is not required, discouraged, choice:NAME=VALUE or feature:NAME")
        }
        let rule = try fields["rule"].map { try $0.oneOf(["all": PathRule.all, "any": .any]) } ?? .all
        let proxy = try fields["proxy"].map { try $0.oneOf(["none": ProxyPolicy.none, "fallback": .fallback]) } ?? ProxyPolicy.none
        return MatrixPath(
            id: id,
            function: try required("function").nonEmptyString(),
            endpoints: endpoints,
            source: try role("source"),
            target: try role("target"),
            applies: applies,
            rule: rule,
            proxy: proxy,
            description: try fields["description"]?.string() ?? "",
            settings: try fields["settings"]?.string() ?? "",
            note: try fields["note"]?.string(),
            defaultTargets: try fields["default_targets"]?.stringList() ?? [])
    }

    private static func readEndpoint(_ node: YAMLValue, catalog: (any ProbeCatalog)?) throws -> Endpoint {
        var port: PortSpec?
        var probe: String?
        for (key, value) in try node.mapping(allowed: ["port", "probe"]) {
            switch key {
            case "port": port = try value.portSpec()
            case "probe":
                probe = try value.nonEmptyString()
                try catalog?.checkProbeName(value)
            default: break
            }
        }
        guard let port, let probe else { throw node.error("an endpoint needs 'port' (e.g. tcp/25) and 'probe' (e.g. smtp)") }
        return Endpoint(port, probe: probe)
    }
}
