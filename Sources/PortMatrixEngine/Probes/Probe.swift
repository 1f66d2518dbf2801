import Logging
import NIOCore
import PortMatrixModel

/// One protocol prober. A new protocol is one new file with a type conforming to this (its
/// options, ``ProbeOption``, and its observation type, ``Observation``, beside it) and one line
/// in `ProbeRegistry.standard`.
///
/// A probe never throws and never outlives `request.deadline`: every failure becomes a
/// `ProbeOutcome` with a reason from the fixed vocabulary. Thresholds (latency, certificate
/// days, NTP offset) are applied by the engine afterwards, not by probes.
public protocol Probe: Sendable {
    /// The name profiles use in `endpoints[].probe`, e.g. `smtp`.
    var name: String { get }
    /// The protocol observations it records beyond banner, peer and route, so a check
    /// document read back (`--status FILE`) decodes them.
    var observationTypes: [any Observation.Type] { get }
    /// The `paths.<id>.probe` keys it takes; `config validate` refuses others on its paths.
    var optionKeys: [ProbeOptionKey] { get }
    /// Whether it connects to `request.address` when given (every probe talking through
    /// ProbeConnection or DatagramExchange does), so the engine resolves a host name once and
    /// runs it on each address. A probe that cannot be pinned (scripted test doubles) says
    /// false and gets the name to resolve itself, as one address.
    var connectsPerAddress: Bool { get }
    func run(_ request: ProbeRequest, context: ProbeContext) async -> ProbeOutcome
}

extension Probe {
    public var observationTypes: [any Observation.Type] { [] }
    public var optionKeys: [ProbeOptionKey] { [] }
    public var connectsPerAddress: Bool { true }
}

/// Everything a probe needs to know about one concrete check.
public struct ProbeRequest: Sendable {
    public var host: String
    /// The one address of `host` to connect to, resolved by the check beforehand (dual-stack
    /// names are probed per address); nil: the probe resolves `host` itself. `host` still
    /// names the server (SNI, Host:, EHLO).
    public var address: String?
    public var port: Int
    public var transport: Transport
    /// Absolute deadline for the whole exchange, including resolution and proxy set-up.
    public var deadline: NIODeadline
    /// Local address to bind before connecting (IP alias set-ups send from the physical IP).
    public var sourceAddress: String?
    /// When set, TCP probes tunnel through this HTTP CONNECT proxy.
    public var proxy: ProxyEndpoint?
    public var options: ProbeOptions

    public init(host: String, port: Int, transport: Transport, deadline: NIODeadline,
                sourceAddress: String? = nil, proxy: ProxyEndpoint? = nil, options: ProbeOptions = ProbeOptions(),
                address: String? = nil) {
        self.host = host
        self.address = address
        self.port = port
        self.transport = transport
        self.deadline = deadline
        self.sourceAddress = sourceAddress
        self.proxy = proxy
        self.options = options
    }
}

/// An HTTP proxy reached with CONNECT.
public struct ProxyEndpoint: Sendable, Hashable {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }
}

/// Shared resources handed to every probe.
public struct ProbeContext: Sendable {
    public var eventLoopGroup: any EventLoopGroup
    public var logger: Logger

    public init(eventLoopGroup: any EventLoopGroup, logger: Logger) {
        self.eventLoopGroup = eventLoopGroup
        self.logger = logger
    }
}
