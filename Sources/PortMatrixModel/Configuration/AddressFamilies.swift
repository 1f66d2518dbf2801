/// Which of a host name's addresses a check probes and how their results combine
/// (`address_families`, per path and globally). IP literals and proxied checks have one address.
public enum AddressFamilies: String, Sendable, Hashable, CaseIterable {
    /// Every address must pass: a broken IPv6 path is a finding, since MTAs try IPv6 first.
    case all
    /// Only the IPv4 addresses, each must pass.
    case ipv4
    /// Only the IPv6 addresses, each must pass.
    case ipv6
    /// One passing address is enough (the others are still probed and reported).
    case any
}
