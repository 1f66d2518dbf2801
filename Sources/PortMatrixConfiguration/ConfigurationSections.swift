/// The top-level sections of portmatrix.yaml that a component reads (`nrpe:`, `snmp:`, ...):
/// the file's layout, written once. The model's loader passes over them (or hands them to a
/// ``ConfigurationSections``); the executable's reader switches over every case, so a new
/// section is read by its owner or the build fails.
public enum ComponentSection: String, Sendable, Hashable, CaseIterable {
    case nrpe
    case snmp
    case statusEndpoint = "status_endpoint"
    case agent
    case checkmk
    case trace

    /// The keys as written, in this order (did-you-mean candidates).
    public static var keys: [String] { allCases.map(\.rawValue) }
}

/// Reads the components' top-level sections. The site configuration's reader hands each in
/// document order, so errors keep the file's order and an unknown key gets a did-you-mean
/// among every section.
public protocol ConfigurationSections {
    /// One section; mistakes are thrown or recorded on `value.reader` with their position.
    mutating func read(_ section: ComponentSection, value: YAMLValue) throws
}

/// The components' sections passed over unread: the model's own loader (tests, benchmarks).
public struct SkippedSections: ConfigurationSections {
    public init() {}

    public func read(_ section: ComponentSection, value: YAMLValue) throws {}
}
