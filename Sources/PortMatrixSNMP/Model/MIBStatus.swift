/// `PmStatus` of PORTMATRIX-MIB: the Nagios states plus `skipped` for paths that do not apply here.
public enum MIBStatus: Int, Sendable, Codable, CaseIterable {
    case ok = 1
    case warning = 2
    case critical = 3
    case unknown = 4
    case skipped = 5
}
