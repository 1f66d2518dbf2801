import PortMatrixConfiguration

extension AgentSettings {
    /// The `agent:` section; mistakes are recorded on the value's reader with their position.
    init(yaml value: YAMLValue) throws {
        self.init()
        for (key, item) in try value.mapping(allowed: ["user", "group"]) {
            value.reader.attempt {
                switch key {
                case "user": user = try Self.accountName(item)
                case "group": group = try Self.accountName(item)
                default: break
                }
            }
        }
    }

    /// A user or group name as useradd accepts it, or a numeric id.
    private static func accountName(_ node: YAMLValue) throws -> String {
        let text = try node.nonEmptyString()
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-")
        guard text.count <= 32, !text.hasPrefix("-"), text.allSatisfy(allowed.contains) else {
            throw node.error("'\(text)' is not a user or group name")
        }
        return text
    }
}
