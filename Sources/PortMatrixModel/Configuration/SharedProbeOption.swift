/// The `paths.<id>.probe` keys that ``ProbeOptions`` reads into typed fields because several
/// probes share them (`ProbeOptions+YAML.swift`); which probe takes which is the probe's own
/// declaration (engine).
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
