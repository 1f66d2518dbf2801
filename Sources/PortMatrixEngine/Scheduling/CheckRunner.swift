import Foundation
import Logging
import NIOCore
import PortMatrixModel

/// Runs one planned check: picks the probe, applies the proxy policy, bounds it by its
/// timeout and judges the outcome. Listener checks are answered from the cycle's scan.
public struct CheckRunner: Sendable {
    public var registry: ProbeRegistry
    public var context: ProbeContext

    public init(registry: ProbeRegistry = .standard, context: ProbeContext) {
        self.registry = registry
        self.context = context
    }

    /// Reasons after which a proxy fallback is worth trying: the direct path is blocked.
    static let blockedReasons: Set<FailureReason> = [.refused, .connectTimeout, .unreachable, .reset, .dns]

    public func run(_ check: PlannedCheck, expectClosed: Bool, listeners: ListenerLookup?) async -> ProbeOutcome {
        let raw: ProbeOutcome
        switch check.kind {
        case .listener:
            raw = listeners?.outcome(for: check) ?? .failure(.internalError, "listener table unavailable", status: .unknown)
        case .probe:
            raw = await probe(check)
        }
        // Listener checks judge discouraged ports themselves (open 8080 warns).
        return Verdict.judge(raw, thresholds: check.thresholds, expectClosed: expectClosed && check.kind == .probe)
    }

    func probe(_ check: PlannedCheck) async -> ProbeOutcome {
        guard let probe = registry.probe(named: check.probe) else {
            return .failure(.internalError, "no probe named '\(check.probe)' (known: \(registry.names.joined(separator: ", ")))", status: .unknown)
        }
        switch check.proxyUse {
        case .never:
            return await attempt(probe, check, proxy: nil)
        case .always:
            var outcome = await attempt(probe, check, proxy: check.proxy)
            outcome.observations.route = "proxy"
            return outcome
        case .fallback:
            var direct = await attempt(probe, check, proxy: nil)
            guard direct.status != .ok, let reason = direct.reason, Self.blockedReasons.contains(reason), check.proxy != nil else {
                direct.observations.route = "direct"
                return direct
            }
            var viaProxy = await attempt(probe, check, proxy: check.proxy)
            viaProxy.observations.route = "proxy"
            viaProxy.message = "direct: \(direct.message); via proxy: \(viaProxy.message)"
            return viaProxy
        }
    }

    private func attempt(_ probe: any Probe, _ check: PlannedCheck, proxy: ProxySettings?) async -> ProbeOutcome {
        let timeout = check.timeout.seconds
        let request = ProbeRequest(
            host: check.host, port: check.port, transport: check.transport,
            deadline: .now() + .milliseconds(Int64(timeout * 1000)),
            sourceAddress: check.sourceAddress,
            proxy: proxy.map { ProxyEndpoint(host: $0.host, port: $0.port) },
            options: check.options)
        let context = self.context
        let started = ContinuousClock.now
        var outcome = await withHardDeadline(
            seconds: timeout + 1,
            fallback: { .failure(.readTimeout, "probe overran its \(Format.seconds(timeout)) deadline", status: .critical) },
            operation: { await probe.run(request, context: context) })
        if outcome.phases.total == nil {
            outcome.phases.total = (ContinuousClock.now - started).seconds
        }
        return outcome
    }
}

/// What the cycle's listener scan says about one expected local endpoint.
public protocol ListenerLookup: Sendable {
    func outcome(for check: PlannedCheck) -> ProbeOutcome
    /// The whole comparison, unexpected listeners included, for `check_listeners`.
    var report: ListenerReport? { get }
}
