/// The status vocabulary shared by checks, paths, the plan and every front end.
public enum Status: String, Sendable, Hashable, Codable, CaseIterable {
    case ok
    case warning
    case critical
    case unknown
    /// A path that does not apply here; never worse than anything.
    case skipped

    /// The Nagios plugin exit code.
    public var exitCode: Int32 {
        switch self {
        case .ok, .skipped: return 0
        case .warning: return 1
        case .critical: return 2
        case .unknown: return 3
        }
    }

    /// OK, WARNING, CRITICAL, UNKNOWN as Nagios prints them.
    public var nagiosName: String {
        switch self {
        case .ok, .skipped: return "OK"
        case .warning: return "WARNING"
        case .critical: return "CRITICAL"
        case .unknown: return "UNKNOWN"
        }
    }

    /// Rank for "worst of": critical > warning > unknown > ok > skipped, as Nagios orders service states for compliance.
    public var severity: Int {
        switch self {
        case .skipped: return 0
        case .ok: return 1
        case .unknown: return 2
        case .warning: return 3
        case .critical: return 4
        }
    }

    public static func worst<S: Sequence>(_ statuses: S) -> Status where S.Element == Status {
        statuses.max { $0.severity < $1.severity } ?? .ok
    }
}
