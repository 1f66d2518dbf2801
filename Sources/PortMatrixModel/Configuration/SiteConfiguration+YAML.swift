import PortMatrixConfiguration

/// The sections that name what the profile defines (`roles`, `choices`, `features`, `hosts`):
/// each name is checked against the profile, with the nearest one it has.
extension SiteConfiguration {
    /// `roles: [appliance]`: at least one local role.
    static func roles(yaml value: YAMLValue, profile: Profile) throws -> [String] {
        let roles = try value.list().compactMap { node in
            value.reader.attempt { () throws -> String in
                let name = try node.nonEmptyString()
                try profile.checkRole(name, at: node)
                return name
            }
        }
        if roles.isEmpty { throw value.error("at least one local role is needed (e.g. [appliance])") }
        return roles
    }

    /// `choices: { dns: internal }`: each one the profile offers, with one of its values.
    static func choices(yaml value: YAMLValue, profile: Profile) throws -> [String: String] {
        let offered = profile.choices
        var choices: [String: String] = [:]
        for (name, choice) in try value.mapping(allowed: offered.keys.sorted()) {
            value.reader.attempt { choices[name] = try choice.oneOf(offered[name] ?? []) }
        }
        return choices
    }

    /// `features: [nrpe, snmp]`: the profile's optional features in use.
    static func features(yaml value: YAMLValue, profile: Profile) throws -> Set<String> {
        let known = profile.features
        return Set(try value.list().compactMap { node in
            value.reader.attempt { () throws -> String in
                let name = try node.nonEmptyString()
                guard known.contains(name) else {
                    let hint = suggestion(for: name, among: known).map { "; did you mean '\($0)'?" } ?? ""
                    throw node.error("unknown feature '\(name)'\(hint) (known: \(known.joined(separator: ", ")))")
                }
                return name
            }
        })
    }

    /// `hosts: { email-server: [mail.example.internal] }`: role -> concrete targets.
    static func hosts(yaml value: YAMLValue, profile: Profile) throws -> [String: [TargetAddress]] {
        var hosts: [String: [TargetAddress]] = [:]
        for (roleName, list) in try value.mapping() {
            value.reader.attempt {
                try profile.checkRole(roleName, at: list)
                hosts[roleName] = try list.targets()
            }
        }
        return hosts
    }
}

extension Profile {
    /// Refuses a role the profile lacks, at `node`, with the nearest one it has.
    func checkRole(_ name: String, at node: YAMLValue) throws {
        guard role(name) == nil else { return }
        let hint = suggestion(for: name, among: roles.map(\.id)).map { "; did you mean '\($0)'?" } ?? ""
        throw node.error("unknown role '\(name)'\(hint)")
    }
}
