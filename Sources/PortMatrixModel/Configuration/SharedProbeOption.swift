/// The `paths.<id>.probe` keys that ``ProbeOptions`` reads into typed fields because several
/// probes share them; which probe takes which is the probe's own declaration (engine).
public enum SharedProbeOption: String, Sendable, CaseIterable {
    case starttls
    case verifyCertificate = "verify_certificate"
    case caFile = "ca_file"
    case serverName = "server_name"
    case queryName = "query_name"
    case queryType = "query_type"
    case httpPath = "http_path"
    case expectBanner = "expect_banner"
    case heloName = "helo_name"
}

extension ProbeOptions {
    /// Every value as written, the shared ones also read into their fields; a probe's own
    /// options stay in `values` for it to read.
    public init(values: [String: ProbeOptionValue]) throws {
        self.init()
        self.values = values
        for value in values.values {
            guard let shared = SharedProbeOption(rawValue: value.key) else { continue }
            try read(shared, value)
        }
    }

    private mutating func read(_ option: SharedProbeOption, _ value: ProbeOptionValue) throws {
        switch option {
        case .starttls:
            let text = value.text.lowercased()
            if ["on", "true", "yes"].contains(text) {
                starttls = .required
            } else if ["off", "false", "no"].contains(text) {
                starttls = .off
            } else {
                let raw = try value.oneOf(StartTLS.allCases.map(\.rawValue))
                guard let mode = StartTLS(rawValue: raw) else { throw value.error("'\(raw)' is not a value here") }
                starttls = mode
            }
        case .verifyCertificate: verifyCertificate = try value.bool()
        case .caFile: caFile = try value.nonEmptyString()
        case .serverName: serverName = try value.nonEmptyString()
        case .queryName: dnsQueryName = try value.nonEmptyString()
        case .queryType: dnsQueryType = try value.oneOf(["A", "AAAA", "NS", "SOA", "MX", "TXT", "PTR", "CNAME", "SRV"])
        case .httpPath:
            httpPath = try value.nonEmptyString()
            guard httpPath.hasPrefix("/") else { throw value.error("http_path must start with /") }
        case .expectBanner: expectBanner = value.text
        case .heloName: heloName = try value.nonEmptyString()
        }
    }
}
