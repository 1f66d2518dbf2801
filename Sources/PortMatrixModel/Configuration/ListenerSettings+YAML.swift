import PortMatrixConfiguration

extension ListenerSettings {
    /// `listeners: { unexpected: warning, allow: [tcp/22], ignore_loopback: true, local: true }`.
    init(yaml value: YAMLValue) throws {
        self.init()
        for (key, item) in try value.mapping(allowed: ["unexpected", "allow", "ignore_loopback", "local"]) {
            value.reader.attempt {
                switch key {
                case "unexpected": unexpected = try item.oneOf(["ok": Status.ok, "warning": .warning, "critical": .critical])
                case "allow": allow = try item.list().map { try $0.portSpec() }
                case "ignore_loopback": ignoreLoopback = try item.bool()
                case "local": local = try item.bool()
                default: break
                }
            }
        }
    }
}
