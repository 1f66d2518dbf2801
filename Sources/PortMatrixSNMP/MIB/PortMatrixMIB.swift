/// The arcs of PORTMATRIX-MIB below its root (mibs/PORTMATRIX-MIB.txt is the source of truth).
enum PortMatrixMIB {
    /// netSnmpPlaypen.5666: a placeholder for private testing, not an IANA enterprise number.
    static let placeholderRoot = OID([1, 3, 6, 1, 4, 1, 8072, 9999, 9999, 5666])

    static let summary: [UInt] = [1, 1]
    static let pathEntry: [UInt] = [1, 2, 1]
    static let checkEntry: [UInt] = [1, 3, 1]
    static let pathStatusChange: [UInt] = [0, 1]

    enum Summary: UInt, CaseIterable {
        case overallStatus = 1, pathsTotal, pathsOk, pathsWarning, pathsCritical, pathsUnknown
        case lastCycleTime, lastCycleDuration, agentVersion
    }

    enum PathColumn: UInt, CaseIterable {
        case id = 2, function, source, target, endpoints, applicability, status, message
        case lastChange, previousStatus
    }

    enum CheckColumn: UInt, CaseIterable {
        case target = 2, transport, port, status, reason, latency, certificateDays, ntpOffset
        case consecutiveFailures, lastSuccess
        /// Appended in revision 202612020000Z: columns are never renumbered.
        case trace
    }

    static func pathInstance(root: OID, column: PathColumn, pathIndex: Int) -> OID {
        root.appending(pathEntry + [column.rawValue, UInt(pathIndex)])
    }
}
