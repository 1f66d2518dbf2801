/// One row of `pmCheckTable`: a concrete check (target x endpoint) of a path.
/// Its `pmCheckIndex` is its position in `MIBPathRow.checks`, starting at 1.
public struct MIBCheckRow: Sendable, Codable, Equatable {
    public var target: String
    public var transport: MIBTransport
    public var port: UInt16
    public var status: MIBStatus
    public var reason: MIBFailureReason
    /// Duration of the last run.
    public var latencyMicroseconds: UInt32
    /// Days until the peer certificate expires; nil when no certificate was seen (no instance).
    public var certificateDays: Int32?
    /// Measured NTP offset; nil for non-NTP checks or no answer (no instance).
    public var ntpOffsetMicroseconds: Int32?
    public var consecutiveFailures: UInt32
    /// Unix time of the last success; 0 if none.
    public var lastSuccess: UInt32
    /// Where the check's packet died (the agent's trace); nil when not traced (served as "").
    public var trace: String?

    public init(
        target: String, transport: MIBTransport, port: UInt16, status: MIBStatus,
        reason: MIBFailureReason = .none, latencyMicroseconds: UInt32 = 0,
        certificateDays: Int32? = nil, ntpOffsetMicroseconds: Int32? = nil,
        consecutiveFailures: UInt32 = 0, lastSuccess: UInt32 = 0, trace: String? = nil
    ) {
        self.target = target
        self.transport = transport
        self.port = port
        self.status = status
        self.reason = reason
        self.latencyMicroseconds = latencyMicroseconds
        self.certificateDays = certificateDays
        self.ntpOffsetMicroseconds = ntpOffsetMicroseconds
        self.consecutiveFailures = consecutiveFailures
        self.lastSuccess = lastSuccess
        self.trace = trace
    }
}
