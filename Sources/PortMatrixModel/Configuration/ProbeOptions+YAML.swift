import PortMatrixConfiguration

extension ProbeOptions {
    static let keys = ["starttls", "verify_certificate", "ca_file", "server_name", "query_name", "query_type",
                       "http_path", "expect_banner", "helo_name"]

    /// `paths.<id>.probe`: the protocol knobs of a path's checks; mistakes are thrown with
    /// their position.
    init(yaml value: YAMLValue) throws {
        self.init()
        for (key, item) in try value.mapping(allowed: Self.keys) {
            switch key {
            case "starttls":
                starttls = try item.mode(on: StartTLS.required, off: .off)
            case "verify_certificate": verifyCertificate = try item.bool()
            case "ca_file": caFile = try item.nonEmptyString()
            case "server_name": serverName = try item.nonEmptyString()
            case "query_name": dnsQueryName = try item.nonEmptyString()
            case "query_type": dnsQueryType = try item.oneOf(["A", "AAAA", "NS", "SOA", "MX", "TXT", "PTR", "CNAME", "SRV"])
            case "http_path":
                httpPath = try item.nonEmptyString()
                guard httpPath.hasPrefix("/") else { throw item.error("http_path must start with /") }
            case "expect_banner": expectBanner = try item.string()
            case "helo_name": heloName = try item.nonEmptyString()
            default: break
            }
        }
    }
}
