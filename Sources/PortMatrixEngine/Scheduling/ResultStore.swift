import Foundation
import PortMatrixModel
import Synchronization

/// Latest results per check and the snapshot built from them. Writers are the scheduler;
/// readers (NRPE, SNMP, the CLI) take the current snapshot under a short lock, never waiting on probes.
public final class ResultStore: Sendable {
    struct State {
        var plan: Plan
        var results: [String: CheckResult] = [:]
        /// By path id; survives a reload for the paths it keeps.
        var history: [String: PathHistory] = [:]
        var health: EngineHealth
        var listeners: ListenerReport?
        var snapshot: Snapshot?
        /// Numbers the published snapshots (see `Snapshot.generation`).
        var generation: UInt64 = 0
    }

    private let state: Mutex<State>

    public init(plan: Plan) {
        let interval = plan.configuration.schedule.interval.seconds
        state = Mutex(State(plan: plan, health: EngineHealth(interval: interval, totalChecks: plan.checks.count)))
    }

    /// The latest snapshot; built on first use if no cycle has published one yet.
    public var snapshot: Snapshot {
        if let snapshot = state.withLock({ $0.snapshot }) { return snapshot }
        return publish().snapshot
    }

    public var plan: Plan { state.withLock { $0.plan } }

    /// Records one finished check, carrying over its failure streak and last success.
    public func record(_ check: PlannedCheck, outcome: ProbeOutcome, startedAt: Date, duration: Double) {
        state.withLock { state in
            let previous = state.results[check.id]
            let passed = outcome.status == .ok
            var result = CheckResult(
                check: check, status: outcome.status, reason: outcome.reason, message: outcome.message,
                phases: outcome.phases, observations: outcome.observations, startedAt: startedAt, duration: duration,
                consecutiveFailures: passed ? 0 : (previous?.consecutiveFailures ?? 0) + 1,
                lastSuccess: passed ? startedAt.addingTimeInterval(duration) : previous?.lastSuccess)
            // The trace's verdict stays while the check keeps failing the same way; a recovered check loses it.
            if previous?.check == check, EvidenceTracing.wants(result) { result.trace = previous?.trace }
            state.results[check.id] = result
        }
    }

    /// The checks whose latest result a trace can explain (`EvidenceTracing.wants`).
    public func checksWantingTrace() -> [PlannedCheck] {
        state.withLock { state in
            state.plan.checks.filter { state.results[$0.id].map(EvidenceTracing.wants) == true }
        }
    }

    /// Keeps a trace's verdict with `check`'s result, if that is still the check's latest and
    /// still failing (it may have recovered, or a reload replaced it, while the trace ran).
    /// Whether it was kept: then a publish shows it.
    @discardableResult
    public func recordTrace(_ verdict: String, for check: PlannedCheck) -> Bool {
        state.withLock { state in
            guard var result = state.results[check.id], result.check == check, EvidenceTracing.wants(result) else { return false }
            result.trace = verdict
            state.results[check.id] = result
            return true
        }
    }

    /// Checks that waited out their timeout last time: they start first in the next cycle, so a
    /// few silent peers do not add a whole timeout to the end of it.
    func checksThatTimedOut() -> Set<String> {
        state.withLock { state in
            Set(state.results.filter { [.readTimeout, .connectTimeout, .noAnswer].contains($0.value.reason) }.keys)
        }
    }

    public func cycleFinished(start: Date, duration: Double, listeners: ListenerReport? = nil) {
        state.withLock { state in
            if let listeners { state.listeners = listeners }
            state.health.cycles += 1
            state.health.lastCycleStart = start
            state.health.lastCycleDuration = duration
        }
    }

    /// Swaps in a new plan (configuration reload). A result is kept only for a check that is
    /// still planned exactly as before: "path#1" may now name another target or port. A path's
    /// history (previous status, last change) is kept by its id.
    public func replacePlan(_ plan: Plan) {
        state.withLock { state in
            let checks = Dictionary(plan.checks.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
            state.plan = plan
            state.results = state.results.filter { checks[$0.key] == $0.value.check }
            state.health.interval = plan.configuration.schedule.interval.seconds
            state.health.totalChecks = plan.checks.count
        }
    }

    /// Builds and stores a new snapshot; returns it with the paths whose status changed.
    @discardableResult
    public func publish(now: Date = Date()) -> (snapshot: Snapshot, changes: [PathStatusChange]) {
        state.withLock { state in
            let (built, changes) = Aggregation.snapshot(plan: state.plan, results: state.results, health: state.health,
                                                        history: &state.history, now: now)
            var snapshot = built
            state.health = snapshot.health
            snapshot.listeners = state.listeners
            state.generation += 1
            snapshot.generation = state.generation
            state.snapshot = snapshot
            return (snapshot, changes)
        }
    }
}
