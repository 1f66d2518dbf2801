import PortMatrixConfiguration

extension ProbeOptions {
    /// `paths.<id>.probe`: every key as written, with its place, for the probe that takes it
    /// (a probe's own option needs no model change); the keys several probes share are also read
    /// into their typed fields. Which keys a path may use is its probes' declaration: the loader
    /// checks them through ``ProbeCatalog/checkOptions(_:probes:)``.
    init(yaml value: YAMLValue) throws {
        self.init()
        for (key, item) in try value.mapping() {
            values[key] = try ProbeOptionValue(key: key, item)
            guard let shared = SharedProbeOption(rawValue: key) else { continue }
            switch shared {
            case .starttls: starttls = try item.mode(on: StartTLS.required, off: .off)
            case .verifyCertificate: verifyCertificate = try item.bool()
            case .caFile: caFile = try item.nonEmptyString()
            case .serverName: serverName = try item.nonEmptyString()
            case .queryName: dnsQueryName = try item.nonEmptyString()
            case .queryType: dnsQueryType = try item.oneOf(["A", "AAAA", "NS", "SOA", "MX", "TXT", "PTR", "CNAME", "SRV"])
            case .httpPath:
                httpPath = try item.nonEmptyString()
                guard httpPath.hasPrefix("/") else { throw item.error("http_path must start with /") }
            case .expectBanner: expectBanner = try item.string()
            case .heloName: heloName = try item.nonEmptyString()
            }
        }
    }
}
