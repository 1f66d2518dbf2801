extension MIBView {
    /// The PORTMATRIX-MIB subtree for a snapshot.
    init(snapshot: MIBSnapshot, root: OID) {
        self.init()
        let summary = root.appending(PortMatrixMIB.summary)
        let pathEntry = root.appending(PortMatrixMIB.pathEntry)
        let checkEntry = root.appending(PortMatrixMIB.checkEntry)

        for scalar in PortMatrixMIB.Summary.allCases {
            let object = summary.appending([scalar.rawValue])
            declareObject(object)
            append(object.arcs + [0], Self.value(of: scalar, in: snapshot))
        }
        for column in PortMatrixMIB.PathColumn.allCases {
            let object = pathEntry.appending([column.rawValue])
            declareObject(object)
            for (offset, path) in snapshot.paths.enumerated() {
                append(object.arcs + [UInt(offset + 1)], Self.value(of: column, in: path))
            }
        }
        for column in PortMatrixMIB.CheckColumn.allCases {
            let object = checkEntry.appending([column.rawValue])
            declareObject(object)
            for (pathOffset, path) in snapshot.paths.enumerated() {
                for (checkOffset, check) in path.checks.enumerated() {
                    if let value = Self.value(of: column, in: check) {
                        append(object.arcs + [UInt(pathOffset + 1), UInt(checkOffset + 1)], value)
                    }
                }
            }
        }
    }

    private static func value(of scalar: PortMatrixMIB.Summary, in snapshot: MIBSnapshot) -> MIBValue {
        switch scalar {
        case .overallStatus: .integer(Int32(snapshot.overallStatus.rawValue))
        case .pathsTotal: .gauge(UInt32(clamping: snapshot.paths.count))
        case .pathsOk: .gauge(UInt32(clamping: snapshot.pathCount(.ok)))
        case .pathsWarning: .gauge(UInt32(clamping: snapshot.pathCount(.warning)))
        case .pathsCritical: .gauge(UInt32(clamping: snapshot.pathCount(.critical)))
        case .pathsUnknown: .gauge(UInt32(clamping: snapshot.pathCount(.unknown)))
        case .lastCycleTime: .gauge(snapshot.lastCycleTime)
        case .lastCycleDuration: .gauge(snapshot.lastCycleDurationMilliseconds)
        case .agentVersion: .displayString(snapshot.agentVersion)
        }
    }

    private static func value(of column: PortMatrixMIB.PathColumn, in path: MIBPathRow) -> MIBValue {
        switch column {
        case .id: .displayString(path.id)
        case .function: .displayString(path.function)
        case .source: .displayString(path.source)
        case .target: .displayString(path.target)
        case .endpoints: .displayString(path.endpoints)
        case .applicability: .displayString(path.applicability)
        case .status: .integer(Int32(path.status.rawValue))
        case .message: .displayString(path.message)
        case .lastChange: .gauge(path.lastChange)
        case .previousStatus: .integer(Int32(path.previousStatus.rawValue))
        }
    }

    /// nil for a column the check has no instance of.
    private static func value(of column: PortMatrixMIB.CheckColumn, in check: MIBCheckRow) -> MIBValue? {
        switch column {
        case .target: .displayString(check.target)
        case .transport: .integer(Int32(check.transport.rawValue))
        case .port: .gauge(UInt32(check.port))
        case .status: .integer(Int32(check.status.rawValue))
        case .reason: .integer(Int32(check.reason.rawValue))
        case .latency: .gauge(check.latencyMicroseconds)
        case .certificateDays: check.certificateDays.map(MIBValue.integer)
        case .ntpOffset: check.ntpOffsetMicroseconds.map(MIBValue.integer)
        case .consecutiveFailures: .gauge(check.consecutiveFailures)
        case .lastSuccess: .gauge(check.lastSuccess)
        case .trace: .displayString(check.trace ?? "")
        }
    }
}
