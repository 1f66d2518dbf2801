import Foundation
import PortMatrixEngine
import PortMatrixModel
import PortMatrixSNMP

extension MIBSnapshot {
    /// What PORTMATRIX-MIB serves for one engine snapshot, in profile order (the pmPathIndex),
    /// with the status changes it brought (notified once).
    init(_ snapshot: Snapshot, changes: [PathStatusChange] = [], version: String) {
        self.init(
            overallStatus: MIBStatus(snapshot.status),
            lastCycleTime: UInt32(clamping: Int((snapshot.health.lastCycleStart?.timeIntervalSince1970 ?? 0)
                + (snapshot.health.lastCycleDuration ?? 0))),
            lastCycleDurationMilliseconds: UInt32(clamping: Int(((snapshot.health.lastCycleDuration ?? 0) * 1000).rounded())),
            agentVersion: version,
            paths: snapshot.paths.map(MIBPathRow.init),
            changedPaths: changes.map(\.pathIndex))
    }
}

extension MIBPathRow {
    init(_ path: PathResult) {
        let matrixPath = path.planned.path
        self.init(
            id: path.id, function: matrixPath.function, source: matrixPath.source, target: matrixPath.target,
            endpoints: matrixPath.endpoints.map(\.port.description).joined(separator: " "),
            applicability: matrixPath.applies.description, status: MIBStatus(path.status),
            previousStatus: MIBStatus(path.previousStatus), message: path.message,
            lastChange: UInt32(clamping: Int(path.lastChange.timeIntervalSince1970)),
            checks: path.checks.map(MIBCheckRow.init))
    }
}

extension MIBCheckRow {
    init(_ result: CheckResult) {
        let check = result.check
        self.init(
            target: check.targetDescription,
            transport: check.transport == .tcp ? .tcp : .udp,
            port: UInt16(clamping: check.port),
            status: MIBStatus(result.status),
            reason: result.reason.map { MIBFailureReason(name: $0.rawValue) } ?? .none,
            latencyMicroseconds: UInt32(clamping: Int((result.latencyMilliseconds * 1000).rounded())),
            certificateDays: result.observations.tls?.daysLeft.map { Int32(clamping: $0) },
            ntpOffsetMicroseconds: result.observations.ntp.map { Int32(clamping: Int(($0.offset * 1_000_000).rounded())) },
            consecutiveFailures: UInt32(clamping: result.consecutiveFailures),
            lastSuccess: UInt32(clamping: Int(result.lastSuccess?.timeIntervalSince1970 ?? 0)),
            trace: result.trace)
    }
}

extension MIBStatus {
    init(_ status: Status) {
        switch status {
        case .ok: self = .ok
        case .warning: self = .warning
        case .critical: self = .critical
        case .unknown: self = .unknown
        case .skipped: self = .skipped
        }
    }
}

extension SNMPAgentHealth {
    /// The SNMP link as `check_agent` shows it.
    var link: (name: String, status: Status, message: String) {
        switch state {
        case .disabled: return ("snmp", .ok, "off")
        case .running where connected:
            return ("snmp", .ok, mode == .agentx ? "AgentX connected" : "master agent serving")
        case .running:
            return ("snmp", .warning, "AgentX master not reachable" + (lastError.map { ": \($0)" } ?? ""))
        case .notStarted, .stopped: return ("snmp", .unknown, "\(state.rawValue)")
        case .failed: return ("snmp", .critical, "failed" + (lastError.map { ": \($0)" } ?? ""))
        }
    }
}
