import NIOCore
import PortMatrixModel
import Synchronization

/// The agent's own evidence traces. After each cycle the checks `EvidenceTracing.wants` that
/// were not traced within `trace.interval` are traced beside the schedule: the cycle only
/// wakes the tracer and never awaits it, at most `trace.concurrency` traces run at a time, and
/// every verdict goes to the store (kept while the check keeps failing) and is published at once.
/// Nothing of it runs on a front end's request path: they read snapshots.
public final class EvidenceTracer: Sendable {
    private struct State {
        var settings: TraceSettings
        /// When each check was last traced; a check changed by a reload is another key.
        var lastTraced: [PlannedCheck: ContinuousClock.Instant] = [:]
    }

    private let state: Mutex<State>
    private let trace: EvidenceTracing.TraceFunction
    private let now: @Sendable () -> ContinuousClock.Instant
    private let wakes: AsyncStream<Void>
    private let wake: AsyncStream<Void>.Continuation

    /// `trace` runs one trace (`Tracer.trace` in the agent); `now` is the clock of the interval.
    public init(settings: TraceSettings, trace: @escaping EvidenceTracing.TraceFunction,
                now: @escaping @Sendable () -> ContinuousClock.Instant = { .now }) {
        state = Mutex(State(settings: settings))
        self.trace = trace
        self.now = now
        // One pending wake is enough: the round after it looks at the latest results.
        (wakes, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Traces with the check's own packet, on the threads of `Tracer`.
    public convenience init(settings: TraceSettings, group: any EventLoopGroup) {
        self.init(settings: settings, trace: { try await Tracer.trace($0, group: group) })
    }

    public var settings: TraceSettings { state.withLock { $0.settings } }

    /// A reload's `trace:` section; traces already running finish with the old one.
    public func update(_ settings: TraceSettings) {
        state.withLock { $0.settings = settings }
        wake.yield()
    }

    /// Results changed (a cycle finished): look for checks to trace. Returns at once.
    public func resultsChanged() { wake.yield() }

    /// Until cancelled (which also cancels the traces running): every time it is woken, traces
    /// the checks due in `store`, one round at a time; `onTraced` after each verdict is stored.
    /// One caller per tracer (the engine's `run`): the wake-ups have one consumer.
    public func run(store: ResultStore, onTraced: @escaping @Sendable () -> Void) async {
        for await _ in wakes {
            let (due, settings) = takeDue(store.checksWantingTrace())
            if due.isEmpty { continue }
            let requests = due.map { TraceRequest(check: $0, settings: settings) }
            await EvidenceTracing.run(requests, concurrency: settings.concurrency, trace: trace) { index, traces in
                if Task.isCancelled { return }
                if store.recordTrace(EvidenceTracing.verdict(traces), for: due[index]) { onTraced() }
            }
        }
    }

    /// The `candidates` not traced within the interval, marked as traced now; none when disabled.
    func takeDue(_ candidates: [PlannedCheck]) -> (due: [PlannedCheck], settings: TraceSettings) {
        let now = now()
        return state.withLock { state in
            let interval = state.settings.interval
            state.lastTraced = state.lastTraced.filter { now - $0.value < interval }
            guard state.settings.enabled else { return ([], state.settings) }
            let due = candidates.filter { state.lastTraced[$0] == nil }
            for check in due { state.lastTraced[check] = now }
            return (due, state.settings)
        }
    }
}
