import Foundation
import PortMatrixModel

/// A path's compliance, aggregated from its checks by the path's rule.
public struct PathResult: Sendable {
    public var planned: PlannedPath
    public var status: Status
    public var message: String
    public var checks: [CheckResult]
    /// The status before the last change (pmPathPreviousStatus); `status` while it never changed.
    public var previousStatus: Status
    /// When the status last changed (pmPathLastChange), or when the path was first seen.
    public var lastChange: Date

    public init(planned: PlannedPath, status: Status, message: String, checks: [CheckResult],
                previousStatus: Status? = nil, lastChange: Date) {
        self.planned = planned
        self.status = status
        self.message = message
        self.checks = checks
        self.previousStatus = previousStatus ?? status
        self.lastChange = lastChange
    }

    public var id: String { planned.id }
}

/// A path that changed status between two snapshots, as its `PathHistory` saw it: logged by the
/// engine, sent as pmPathStatusChange by the SNMP agent.
public struct PathStatusChange: Sendable, Hashable {
    public var pathID: String
    public var pathIndex: Int
    public var old: Status
    public var new: Status
    public var message: String

    public init(pathID: String, pathIndex: Int, old: Status, new: Status, message: String) {
        self.pathID = pathID
        self.pathIndex = pathIndex
        self.old = old
        self.new = new
        self.message = message
    }
}
