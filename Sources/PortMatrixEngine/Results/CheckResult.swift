import Foundation
import PortMatrixModel

/// The latest result of one planned check, with its history in brief.
public struct CheckResult: Sendable {
    public var check: PlannedCheck
    /// Final status after thresholds and the path's expectations (discouraged, proxy fallback).
    public var status: Status
    public var reason: FailureReason?
    public var message: String
    public var phases: PhaseTimings
    public var observations: Observations
    public var startedAt: Date
    public var duration: Double
    public var consecutiveFailures: Int
    public var lastSuccess: Date?
    /// Where a dropped, rejected or unreachable check's packet died, from a trace with its own
    /// packet: `dropped after hop 3 (192.0.2.1)`; one verdict per address, `; `-separated.
    public var trace: String?

    public init(check: PlannedCheck, status: Status, reason: FailureReason?, message: String, phases: PhaseTimings,
                observations: Observations, startedAt: Date, duration: Double, consecutiveFailures: Int, lastSuccess: Date?) {
        self.check = check
        self.status = status
        self.reason = reason
        self.message = message
        self.phases = phases
        self.observations = observations
        self.startedAt = startedAt
        self.duration = duration
        self.consecutiveFailures = consecutiveFailures
        self.lastSuccess = lastSuccess
    }

    /// Seconds of the whole check: the probe's own total when it measured one, else the run's duration.
    public var latency: Double { phases.total ?? duration }

    /// Milliseconds of the whole check, as `latency_ms` in JSON.
    public var latencyMilliseconds: Double { latency * 1000 }
}
