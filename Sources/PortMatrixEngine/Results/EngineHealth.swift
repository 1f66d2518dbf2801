import Foundation

/// How well the engine itself is doing (`check_agent`, and the SNMP scalars).
public struct EngineHealth: Sendable, Hashable, Codable {
    public var interval: Double
    public var cycles: Int
    public var lastCycleStart: Date?
    public var lastCycleDuration: Double?
    /// Checks whose latest result is older than one interval plus timeout: the scheduler is behind.
    public var overdueChecks: Int
    /// Results older than three intervals, reported UNKNOWN.
    public var staleChecks: Int
    public var totalChecks: Int

    public init(interval: Double, cycles: Int = 0, lastCycleStart: Date? = nil, lastCycleDuration: Double? = nil,
                overdueChecks: Int = 0, staleChecks: Int = 0, totalChecks: Int = 0) {
        self.interval = interval
        self.cycles = cycles
        self.lastCycleStart = lastCycleStart
        self.lastCycleDuration = lastCycleDuration
        self.overdueChecks = overdueChecks
        self.staleChecks = staleChecks
        self.totalChecks = totalChecks
    }

    enum CodingKeys: String, CodingKey {
        case interval = "interval_s"
        case cycles
        case lastCycleStart = "last_cycle_start"
        case lastCycleDuration = "last_cycle_duration_s"
        case overdueChecks = "checks_overdue"
        case staleChecks = "checks_stale"
        case totalChecks = "checks_total"
    }
}
