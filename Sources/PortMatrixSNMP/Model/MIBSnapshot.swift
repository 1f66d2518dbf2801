/// Everything PORTMATRIX-MIB serves, as of one engine cycle. The engine fills it and hands it to
/// `SNMPAgent.publish(_:)`; the agent never reads the engine itself.
public struct MIBSnapshot: Sendable, Codable, Equatable {
    public var overallStatus: MIBStatus
    /// Unix time the last cycle finished; 0 before the first cycle.
    public var lastCycleTime: UInt32
    public var lastCycleDurationMilliseconds: UInt32
    public var agentVersion: String
    /// Rows of `pmPathTable` in profile order; checks nest in their path.
    public var paths: [MIBPathRow]
    /// pmPathIndex of each path whose status changed with this snapshot (the engine found the
    /// change): each is sent once as pmPathStatusChange, with its row's id, previous status,
    /// status and message.
    public var changedPaths: [Int]

    public init(
        overallStatus: MIBStatus, lastCycleTime: UInt32 = 0, lastCycleDurationMilliseconds: UInt32 = 0,
        agentVersion: String, paths: [MIBPathRow] = [], changedPaths: [Int] = []
    ) {
        self.overallStatus = overallStatus
        self.lastCycleTime = lastCycleTime
        self.lastCycleDurationMilliseconds = lastCycleDurationMilliseconds
        self.agentVersion = agentVersion
        self.paths = paths
        self.changedPaths = changedPaths
    }

    /// Before the engine's first cycle: everything unknown, no rows.
    public static func empty(agentVersion: String) -> MIBSnapshot {
        MIBSnapshot(overallStatus: .unknown, agentVersion: agentVersion)
    }

    /// Number of paths with the given status (pmPathsOk, pmPathsWarning...).
    public func pathCount(_ status: MIBStatus) -> Int {
        paths.reduce(0) { $0 + ($1.status == status ? 1 : 0) }
    }
}
