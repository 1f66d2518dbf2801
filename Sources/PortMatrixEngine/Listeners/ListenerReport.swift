import PortMatrixModel

/// Listener compliance of this machine: what `portmatrix listeners` prints and `check_listeners` answers.
///
/// `expected` holds one row per expected path and port; the port lists beside it
/// (`missing`, `loopback_only`, `discouraged_open`) are the same verdicts by kind, so a
/// front end can name the problems without re-deriving them. Every listener that is not
/// on an expected port lands in exactly one of `unexpected`, `allowed` or `ignored`.
public struct ListenerReport: Sendable, Hashable, Codable {
    /// Worst of the expected rows and, when there are unexpected listeners, the policy's status for them.
    public var status: Status
    /// One line, e.g. `5/6 expected listeners ok; missing: tcp/8443 (admin-https)`.
    public var summary: String
    public var expected: [ExpectedListenerResult]
    /// Expected ports with no listener at all, and no satisfied `any` rule to excuse them: critical.
    public var missing: [PortSpec]
    /// Expected ports bound to loopback only: running, but unreachable from the network.
    public var loopbackOnly: [PortSpec]
    /// Discouraged ports that are open to the network and not allowed.
    public var discouragedOpen: [PortSpec]
    /// Listeners neither the matrix nor `listeners.allow` explains.
    public var unexpected: [Listener]
    /// The status each unexpected listener contributes (`listeners.unexpected`).
    public var unexpectedStatus: Status
    /// Listeners on a port in `listeners.allow` that no expected path claims.
    public var allowed: [Listener]
    /// Loopback-only listeners left out by `ignore_loopback`.
    public var ignored: [Listener]

    public init(status: Status, summary: String, expected: [ExpectedListenerResult], missing: [PortSpec], loopbackOnly: [PortSpec],
                discouragedOpen: [PortSpec], unexpected: [Listener], unexpectedStatus: Status, allowed: [Listener], ignored: [Listener]) {
        self.status = status
        self.summary = summary
        self.expected = expected
        self.missing = missing
        self.loopbackOnly = loopbackOnly
        self.discouragedOpen = discouragedOpen
        self.unexpected = unexpected
        self.unexpectedStatus = unexpectedStatus
        self.allowed = allowed
        self.ignored = ignored
    }

    enum CodingKeys: String, CodingKey {
        case status, summary, expected, missing
        case loopbackOnly = "loopback_only"
        case discouragedOpen = "discouraged_open"
        case unexpected
        case unexpectedStatus = "unexpected_status"
        case allowed, ignored
    }
}
