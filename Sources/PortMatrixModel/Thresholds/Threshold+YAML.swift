import PortMatrixConfiguration

extension PartialThresholds {
    /// `thresholds: { latency: {...}, cert_days: {...}, ntp_offset: {...} }`, globally and per
    /// path: any subset, overlaid on what applies.
    init(yaml value: YAMLValue) throws {
        self.init()
        for (key, item) in try value.mapping(allowed: ["latency", "cert_days", "ntp_offset"]) {
            value.reader.attempt {
                switch key {
                case "latency": latency = try Threshold(yaml: item, number: DurationParser.seconds)
                case "cert_days": certDays = try Threshold(yaml: item, number: { Double($0) })
                case "ntp_offset": ntpOffset = try Threshold(yaml: item, number: DurationParser.seconds)
                default: break
                }
            }
        }
    }
}

extension Threshold {
    /// `{ warning: RANGE, critical: RANGE }` in Nagios range syntax; `number` reads one bound
    /// (`1s` for durations, `30` for days).
    init(yaml value: YAMLValue, number: (String) -> Double?) throws {
        self.init()
        for (key, item) in try value.mapping(allowed: ["warning", "critical"]) {
            let text = try item.string()
            switch NagiosRange.parse(text, number: number) {
            case .success(let range):
                if key == "warning" { warning = range } else { critical = range }
            case .failure(let error):
                throw item.error("\(error); expected a Nagios range such as 10, 10:, ~:10, 10:20 or @10:20")
            }
        }
    }
}
