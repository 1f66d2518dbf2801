import Foundation
import PortMatrixModel

/// An immutable picture of compliance that every front end reads without waiting on probes.
public struct Snapshot: Sendable {
    public var generatedAt: Date
    public var status: Status
    public var summary: String
    public var paths: [PathResult]
    public var findings: [PlanFinding]
    public var health: EngineHealth
    /// The latest scan of local listeners, when this host is the target of any path.
    public var listeners: ListenerReport?
    /// Which of its store's publications this is (1, 2, ...; 0 for one built elsewhere): front
    /// ends keep answers rendered from it until the number changes.
    public var generation: UInt64 = 0

    public init(generatedAt: Date, status: Status, summary: String, paths: [PathResult], findings: [PlanFinding], health: EngineHealth) {
        self.generatedAt = generatedAt
        self.status = status
        self.summary = summary
        self.paths = paths
        self.findings = findings
        self.health = health
    }

    public func path(_ id: String) -> PathResult? { paths.first { $0.id == id } }

    /// Paths by status, skipped ones excluded.
    public func count(_ status: Status) -> Int { paths.filter { $0.status == status }.count }
}
