/// Plain TCP connect: the fallback for ports with no protocol of their own.
public struct TCPConnectProbe: Probe {
    public let name = "tcp"

    public init() {}

    public func run(_ request: ProbeRequest, context: ProbeContext) async -> ProbeOutcome {
        // Placeholder until the transport lands.
        .failure(.internalError, "tcp probe not implemented yet", status: .unknown)
    }
}
