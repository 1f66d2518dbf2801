/// The `trace:` section: how hard `portmatrix trace` and the agent's evidence traces may work.
/// A failing check is traced once, at most `concurrency` at a time and once per `interval`.
public struct TraceSettings: Sendable, Hashable {
    /// Agent: trace a check that turns critical with connect_timeout, rejected or unreachable.
    public var enabled = true
    /// Agent: traces running at once.
    public var concurrency = 2
    /// Agent: at most one trace per check this often.
    public var interval: Duration = .seconds(15 * 60)
    /// How long one TTL waits for its answer; a trace never outlives max_hops x hop_timeout.
    public var hopTimeout: Duration = .seconds(2)
    public var maxHops = 30
    /// TTLs sent at once.
    public var window = 8

    public static let maxHopsRange = 1...64

    public init() {}
}
