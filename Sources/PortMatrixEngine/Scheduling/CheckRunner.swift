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
        switch check.kind {
        case .listener:
            // Listener checks judge discouraged ports themselves (open 8080 warns).
            let raw = listeners?.outcome(for: check) ?? .failure(.internalError, "listener table unavailable", status: .unknown)
            return Verdict.judge(raw, thresholds: check.thresholds, expectClosed: false)
        case .probe:
            return await probe(check, expectClosed: expectClosed)
        }
    }

    /// The judged outcome of a probe check (thresholds and the path's expectation applied).
    func probe(_ check: PlannedCheck, expectClosed: Bool = false) async -> ProbeOutcome {
        guard let probe = registry.probe(named: check.probe) else {
            let raw = ProbeOutcome.failure(.internalError, "no probe named '\(check.probe)' (known: \(registry.names.joined(separator: ", ")))", status: .unknown)
            return Verdict.judge(raw, thresholds: check.thresholds, expectClosed: expectClosed)
        }
        let judge = { (raw: ProbeOutcome) in Verdict.judge(raw, thresholds: check.thresholds, expectClosed: expectClosed) }
        switch check.proxyUse {
        case .never:
            return await direct(probe, check, expectClosed: expectClosed).judged
        case .always:
            var outcome = await attempt(probe, check, proxy: check.proxy)
            outcome.observations.route = "proxy"
            return judge(outcome)
        case .fallback:
            var first = await direct(probe, check, expectClosed: expectClosed)
            guard first.raw.status != .ok, let reason = first.raw.reason, Self.blockedReasons.contains(reason), check.proxy != nil else {
                first.judged.observations.route = "direct"
                return first.judged
            }
            var viaProxy = await attempt(probe, check, proxy: check.proxy)
            viaProxy.observations.route = "proxy"
            viaProxy.message = "direct: \(first.raw.message); via proxy: \(viaProxy.message)"
            return judge(viaProxy)
        }
    }

    /// A direct probe: an IP literal once; a host name resolved once here and probed on each of
    /// its addresses in parallel (`address_families`), the check's status following the rule.
    /// `raw` is before thresholds and expectations (it decides the proxy fallback).
    private func direct(_ probe: any Probe, _ check: PlannedCheck,
                        expectClosed: Bool) async -> (raw: ProbeOutcome, judged: ProbeOutcome) {
        let judge = { (raw: ProbeOutcome) in Verdict.judge(raw, thresholds: check.thresholds, expectClosed: expectClosed) }
        let deadline = NIODeadline.now() + .milliseconds(Int64(check.timeout.seconds * 1000))
        guard probe.connectsPerAddress, !AddressResolver.isLiteral(check.host) else {
            let raw = await attempt(probe, check, proxy: nil, deadline: deadline)
            return (raw, judge(raw))
        }
        let started = ContinuousClock.now
        let addresses: [SocketAddress]
        do {
            addresses = try await AddressResolver.resolve(check.host, port: check.port, deadline: deadline,
                                                          on: context.eventLoopGroup.next())
        } catch {
            let failure = error as? ProbeFailure ?? ProbeFailure(.dns, "resolving \(check.host) failed: \(error)")
            let raw = ProbeOutcome.failure(failure.reason, failure.message,
                                           phases: PhaseTimings(total: (ContinuousClock.now - started).seconds))
            return (raw, judge(raw))
        }
        let resolveSeconds = (ContinuousClock.now - started).seconds
        let chosen = AddressFanOut.select(addresses, families: check.addressFamilies, sourceAddress: check.sourceAddress)
        guard !chosen.isEmpty else {
            let raw = ProbeOutcome.failure(
                check.sourceAddress == nil ? .dns : .sourceAddress,
                AddressFanOut.noneMessage(check.host, families: check.addressFamilies, sourceAddress: check.sourceAddress),
                phases: PhaseTimings(resolve: resolveSeconds, total: resolveSeconds))
            return (raw, judge(raw))
        }
        let raws = await withTaskGroup(of: (Int, ProbeOutcome).self) { group in
            for (index, address) in chosen.enumerated() {
                group.addTask { (index, await attempt(probe, check, proxy: nil, deadline: deadline, address: address)) }
            }
            var results = [ProbeOutcome?](repeating: nil, count: chosen.count)
            for await (index, outcome) in group { results[index] = outcome }
            return results.compactMap { $0 }
        }
        let total = (ContinuousClock.now - started).seconds
        let combine = { (outcomes: [ProbeOutcome]) in
            AddressFanOut.combine(outcomes, addresses: chosen, families: check.addressFamilies,
                                  resolveSeconds: resolveSeconds, totalSeconds: total)
        }
        return (combine(raws), combine(raws.map(judge)))
    }

    private func attempt(_ probe: any Probe, _ check: PlannedCheck, proxy: ProxySettings?,
                         deadline: NIODeadline? = nil, address: SocketAddress? = nil) async -> ProbeOutcome {
        let timeout = check.timeout.seconds
        let deadline = deadline ?? .now() + .milliseconds(Int64(timeout * 1000))
        let request = ProbeRequest(
            host: check.host, port: check.port, transport: check.transport,
            deadline: deadline,
            sourceAddress: check.sourceAddress,
            proxy: proxy.map { ProxyEndpoint(host: $0.host, port: $0.port) },
            options: check.options,
            address: address?.ipAddress)
        let context = self.context
        let started = ContinuousClock.now
        let remaining = max(0, Double((deadline - .now()).nanoseconds) / 1e9)
        var outcome = await withHardDeadline(
            seconds: remaining + 1,
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
