import PortMatrixConfiguration

extension ListenerSettings {
    /// `listeners: { unexpected: warning, allow: [tcp/22], ignore_loopback: true, local: true }`.
    init(yaml value: YAMLValue) throws {
        self.init()
        for (key, item) in try value.mapping(allowed: ["unexpected", "allow", "ignore_loopback", "local"]) {
            value.reader.attempt {
                switch key {
                case "unexpected":
                    let name = try item.oneOf(["ok", "warning", "critical"])
                    guard let status = Status(rawValue: name) else { throw item.error("'\(name)' is not a status") }
                    unexpected = status
                case "allow": allow = try item.list().map { try $0.portSpec() }
                case "ignore_loopback": ignoreLoopback = try item.bool()
                case "local": local = try item.bool()
                default: break
                }
            }
        }
    }
}
