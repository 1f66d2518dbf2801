import PortMatrixConfiguration

extension Schedule {
    /// `schedule: { interval: 60s, timeout: 5s, concurrency: 32, jitter: 5s }`; keys left out
    /// keep their defaults, and a check must end before the next cycle starts.
    init(yaml value: YAMLValue) throws {
        self.init()
        for (key, item) in try value.mapping(allowed: ["interval", "timeout", "concurrency", "jitter"]) {
            value.reader.attempt {
                switch key {
                case "interval": interval = try item.positiveDuration()
                case "timeout": timeout = try item.positiveDuration()
                case "jitter": jitter = try item.duration()
                case "concurrency": concurrency = try item.int(in: 1...4096)
                default: break
                }
            }
        }
        if timeout >= interval {
            value.reader.record(value.error("schedule.timeout (\(timeout.configString)) must be shorter than schedule.interval (\(interval.configString))"))
        }
    }
}
