import Foundation
import Logging
import NIOCore
import NIOPosix
import PortMatrixModel
import Synchronization

/// Runs the plan's checks every interval with bounded concurrency and publishes snapshots.
public final class Engine: Sendable {
    public let store: ResultStore
    /// The agent's evidence traces of failing checks (`run` drives it); nil for `check`.
    public let tracer: EvidenceTracer?
    private let runner: CheckRunner
    private let listenerSource: @Sendable (Plan) -> (any ListenerLookup)?
    private let logger: Logger
    private let cycleRequested = Mutex(false)
    private let publishing = Mutex(())

    public init(plan: Plan, runner: CheckRunner, logger: Logger, tracer: EvidenceTracer? = nil,
                listenerSource: @escaping @Sendable (Plan) -> (any ListenerLookup)? = { LocalListeners.scan(plan: $0) }) {
        self.store = ResultStore(plan: plan)
        self.tracer = tracer
        self.runner = runner
        self.logger = logger
        self.listenerSource = listenerSource
    }

    /// One cycle now, optionally restricted to some paths; returns the published snapshot.
    /// `publishTo` hears the snapshot as `publish(to:)` tells it.
    @discardableResult
    public func runCycle(paths only: Set<String>? = nil, spread: Duration = .zero,
                         publishTo onPublish: (@Sendable ([PathStatusChange], Snapshot) -> Void)? = nil) async -> (snapshot: Snapshot, changes: [PathStatusChange]) {
        let plan = store.plan
        let start = Date()
        let clock = ContinuousClock.now
        let needsListeners = plan.paths.contains { path in path.checks.contains { $0.kind == .listener } }
        let listeners = needsListeners ? listenerSource(plan) : nil
        let slow = store.checksThatTimedOut()
        let all: [(PlannedCheck, Bool)] = plan.paths
            .filter { only?.contains($0.id) ?? true }
            .flatMap { path in path.checks.map { ($0, path.expectClosed) } }
        let work = all.filter { slow.contains($0.0.id) } + all.filter { !slow.contains($0.0.id) }
        let concurrency = max(1, plan.configuration.schedule.concurrency)
        let spreadSeconds = spread.seconds
        await withTaskGroup(of: Void.self) { group in
            var next = 0
            func launch() {
                guard next < work.count else { return }
                let (check, expectClosed) = work[next]
                let delay = spreadSeconds > 0 ? Double.random(in: 0..<spreadSeconds) : 0
                next += 1
                group.addTask { [runner, store] in
                    if delay > 0 { try? await Task.sleep(for: .milliseconds(Int64(delay * 1000))) }
                    if Task.isCancelled { return }
                    let started = Date()
                    let begin = ContinuousClock.now
                    let outcome = await runner.run(check, expectClosed: expectClosed, listeners: listeners)
                    store.record(check, outcome: outcome, startedAt: started, duration: (ContinuousClock.now - begin).seconds)
                }
            }
            for _ in 0..<min(concurrency, work.count) { launch() }
            while await group.next() != nil { launch() }
        }
        store.cycleFinished(start: start, duration: (ContinuousClock.now - clock).seconds, listeners: listeners?.report)
        return publish(to: onPublish)
    }

    /// Publishes, logs each path status change it brought and tells `onPublish`, one publisher
    /// at a time: the cycle, the tracer and the staleness republish run concurrently, and a
    /// front end that heard an older snapshot after a newer one would serve it until the next
    /// publish. The one place changes are logged, whatever published (a cycle, a reload, the
    /// staleness republish).
    @discardableResult
    public func publish(to onPublish: (@Sendable ([PathStatusChange], Snapshot) -> Void)?) -> (snapshot: Snapshot, changes: [PathStatusChange]) {
        publishing.withLock { _ in
            let published = store.publish()
            for change in published.changes {
                logger.notice("path \(change.pathID): \(change.old.rawValue) -> \(change.new.rawValue): \(change.message)")
            }
            onPublish?(published.changes, published.snapshot)
            return published
        }
    }

    /// The agent's loop: a cycle every interval, start times jittered, until cancelled.
    /// `onPublish` hears every new snapshot with the path status changes it brought. The
    /// tracer runs beside the loop: a cycle wakes it and goes on; each verdict it finds is
    /// published at once. Cancelling stops both, traces in flight included.
    public func run(onPublish: @escaping @Sendable ([PathStatusChange], Snapshot) -> Void) async {
        publish(to: nil)  // "pending" first, so the first cycle's results are changes too
        await withDiscardingTaskGroup { group in
            if let tracer {
                group.addTask { [self] in
                    await tracer.run(store: store) { self.publish(to: onPublish) }
                }
            }
            while !Task.isCancelled {
                let schedule = store.plan.configuration.schedule
                let began = ContinuousClock.now
                let jitter = min(schedule.jitter, schedule.interval - schedule.timeout)
                await runCycle(spread: max(.zero, jitter), publishTo: onPublish)
                tracer?.resultsChanged()
                let elapsed = ContinuousClock.now - began
                let wait = schedule.interval - elapsed
                if elapsed > schedule.interval {
                    logger.warning("cycle took \(elapsed) (interval \(schedule.interval.configString)): checks are overdue")
                }
                if wait > .zero { await sleepUntilDue(wait) }
            }
            group.cancelAll()
        }
    }

    /// Applies a reloaded configuration: the next cycle, started at once, runs the new plan;
    /// results of unchanged checks, and the history of kept paths, are kept meanwhile. Returns
    /// the snapshot of the new plan with the changes it brought (a path whose checks changed
    /// is pending again), for the front ends to hear like any other.
    /// `trace`, when given, replaces the tracer's settings; `publishTo` hears the snapshot as
    /// `publish(to:)` tells it.
    @discardableResult
    public func reload(plan: Plan, trace: TraceSettings? = nil,
                       publishTo onPublish: (@Sendable ([PathStatusChange], Snapshot) -> Void)? = nil) -> (snapshot: Snapshot, changes: [PathStatusChange]) {
        store.replacePlan(plan)
        if let trace { tracer?.update(trace) }
        let published = publish(to: onPublish)
        cycleRequested.withLock { $0 = true }
        return published
    }

    /// Sleeps in short slices so a reload starts the next cycle without waiting a whole interval.
    private func sleepUntilDue(_ wait: Duration) async {
        let due = ContinuousClock.now + wait
        while !Task.isCancelled, ContinuousClock.now < due {
            if cycleRequested.withLock({ requested in defer { requested = false }; return requested }) { return }
            try? await Task.sleep(for: min(.milliseconds(250), due - ContinuousClock.now))
        }
    }
}
