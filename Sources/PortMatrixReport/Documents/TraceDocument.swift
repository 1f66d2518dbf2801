import PortMatrixEngine

/// `trace --format json`: `{"path": ID, "traces": [...]}` as the contract shows it.
public struct TraceDocument: Sendable, Encodable {
    public var path: String
    public var traces: [Trace]

    public init(path: String, traces: [Trace]) {
        self.path = path
        self.traces = traces
    }

    /// Exit 0 only when every trace got to its target (refused counts: the packet got there).
    public var allArrived: Bool { traces.allSatisfy(\.outcome.arrived) }
}
