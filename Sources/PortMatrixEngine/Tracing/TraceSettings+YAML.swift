import PortMatrixModel

extension TraceSettings {
    public static let keys = ["enabled", "concurrency", "interval", "hop_timeout", "max_hops", "window"]

    /// `trace: { enabled, concurrency, interval, hop_timeout, max_hops, window }`; every value
    /// bounded, so a typo cannot make the agent trace without pause or wait for minutes per hop.
    public init(yaml value: YAMLValue) throws {
        self.init()
        for (key, entry) in try value.mapping(allowed: Self.keys) {
            switch key {
            case "enabled": enabled = try entry.bool()
            case "concurrency": concurrency = try entry.int(in: 1...16)
            case "interval":
                interval = try entry.duration()
                guard interval >= .seconds(60) else { throw entry.error("trace.interval must be at least 1m (one trace per check per interval)") }
            case "hop_timeout":
                hopTimeout = try entry.duration()
                guard hopTimeout >= .milliseconds(100), hopTimeout <= .seconds(10) else {
                    throw entry.error("trace.hop_timeout must be between 100ms and 10s")
                }
            case "max_hops": maxHops = try entry.int(in: Self.maxHopsRange)
            case "window": window = try entry.int(in: 1...16)
            default: break
            }
        }
    }
}
