/// How far a listening socket reaches: the difference between "the service runs" and "the network can use it".
public enum ListenerScope: String, Sendable, Hashable, Codable, CaseIterable {
    /// 127.0.0.0/8, `::1` or `::ffff:127.x.y.z`: reachable from this machine only.
    case loopback
    /// One address of this machine, e.g. a service IP alias.
    case specific
    /// `0.0.0.0` or `::`: every address of this machine.
    case any
}
