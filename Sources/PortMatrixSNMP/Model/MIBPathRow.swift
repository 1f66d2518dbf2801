/// One row of `pmPathTable`: a path of the port matrix with its checks.
/// Its `pmPathIndex` is its position in `MIBSnapshot.paths`, starting at 1, so keep the
/// profile's order stable between snapshots.
public struct MIBPathRow: Sendable, Codable, Equatable {
    /// Matrix id, e.g. `dns-internal`.
    public var id: String
    public var function: String
    public var source: String
    public var target: String
    /// Endpoints as text, e.g. `tcp/53 udp/53`.
    public var endpoints: String
    /// `required`, `choice:dns=internal`, `feature:nrpe`.
    public var applicability: String
    public var status: MIBStatus
    /// pmPathPreviousStatus: the status before the last change, as the engine's history says.
    public var previousStatus: MIBStatus
    public var message: String
    /// Unix time of the last status change; 0 if unknown.
    public var lastChange: UInt32
    public var checks: [MIBCheckRow]

    public init(
        id: String, function: String, source: String, target: String, endpoints: String,
        applicability: String, status: MIBStatus, previousStatus: MIBStatus? = nil, message: String,
        lastChange: UInt32 = 0, checks: [MIBCheckRow] = []
    ) {
        self.id = id
        self.function = function
        self.source = source
        self.target = target
        self.endpoints = endpoints
        self.applicability = applicability
        self.status = status
        self.previousStatus = previousStatus ?? status
        self.message = message
        self.lastChange = lastChange
        self.checks = checks
    }
}
