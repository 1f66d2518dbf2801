import Foundation
import PortMatrixEngineTestSupport
import PortMatrixModel
import PortMatrixTestSupport
import Synchronization
import Testing
@testable import PortMatrixEngine

/// The agent's evidence traces: the bookkeeping around `Tracer` (bounds, interval, recovery,
/// publishing, stop), with a scripted trace function; the real trace of a dropped path runs
/// in the routed world (TraceWorldTests).
@Suite(.timeLimit(.minutes(1)))
struct EvidenceTracerTests {
    /// licence-ssh probes the vendor servers: `drop*` time out, `ok*` answer, `fixed*` time out
    /// until `fixed` is set.
    static let yaml = "hosts: { vendor-servers: [drop1.test, drop2.test, drop3.test, drop4.test, drop5.test, ok.test] }"

    /// A value the test and the engine's tasks share.
    final class Shared<Value: Sendable>: Sendable {
        let mutex: Mutex<Value>
        init(_ value: Value) { mutex = Mutex(value) }
        func withLock<T: Sendable>(_ body: (inout Value) -> T) -> T { mutex.withLock { body(&$0) } }
    }

    final class Script: Sendable {
        let fixed = Shared(false)
        var probes: [any Probe] {
            ["ssh", "tcp", "sntp"].map { name in
                ScriptedProbe(name: name) { [fixed] request in
                    if request.host.hasPrefix("ok") || (request.host.hasPrefix("fixed") && fixed.withLock { $0 }) {
                        return .success("fine")
                    }
                    return .failure(.connectTimeout, "no answer within 5 s")
                }
            }
        }
    }

    static func dropped(_ request: TraceRequest) -> [Trace] {
        [Trace(target: request.host, address: "192.0.2.9", transport: request.transport, port: request.port, hops: [
            TraceHop(ttl: 1, address: "10.0.0.1", rttMilliseconds: 1, response: .timeExceeded),
            TraceHop(ttl: 2, address: "10.0.1.1", rttMilliseconds: 1, response: .timeExceeded),
            TraceHop(ttl: 3, address: "192.0.2.1", rttMilliseconds: 1, response: .timeExceeded),
            .silent(4),
        ])]
    }

    func engine(_ yaml: String = yaml, script: Script = Script(), tracer: EvidenceTracer?) throws -> Engine {
        EngineFixtures.engine(try EngineFixtures.plan(yaml), probes: script.probes, tracer: tracer)
    }

    /// The running engine traces its failing checks by itself and publishes each verdict at
    /// once (the interval is a minute: nothing else would publish meanwhile); the passing check
    /// is not traced.
    @Test func theRunningEngineTracesFailingChecksAndPublishesTheVerdict() async throws {
        let traced = Shared<[String]>([])
        let tracer = EvidenceTracer(settings: TraceSettings()) { request in
            traced.withLock { $0.append("\(request.host) \(request.transport.rawValue)/\(request.port)") }
            return Self.dropped(request)
        }
        let engine = try engine("schedule: { interval: 60s, jitter: 0s }\n" + Self.yaml, tracer: tracer)
        let (published, sink) = AsyncStream.makeStream(of: Snapshot.self)
        let running = Task { await engine.run { _, snapshot in sink.yield(snapshot) } }
        var verdicts: [String?] = []
        for await snapshot in published {
            verdicts = snapshot.path("licence-ssh")?.checks.map(\.trace) ?? []
            if verdicts.filter({ $0 != nil }).count == 5 { break }
        }
        running.cancel()
        await running.value
        #expect(verdicts == Array(repeating: "dropped after hop 3 (192.0.2.1)", count: 5) + [nil])
        #expect(traced.withLock { $0 }.sorted() == (1...5).map { "drop\($0).test tcp/22" })
    }

    /// A trace that never ends holds neither the cycle nor the stop: the next cycle completes
    /// while it runs, and cancelling the engine (SIGTERM) cancels it.
    @Test func aRunningTraceNeitherDelaysTheCycleNorOutlivesTheStop() async throws {
        let started = Shared(0), cancelled = Shared(0)
        let tracer = EvidenceTracer(settings: TraceSettings()) { _ in
            started.withLock { $0 += 1 }
            do {
                try await Task.sleep(for: .seconds(3600))
            } catch {
                cancelled.withLock { $0 += 1 }
                throw error
            }
            return []
        }
        let plan = try EngineFixtures.plan("schedule: { interval: 60s, jitter: 0s }\n" + Self.yaml)
        let engine = try engine("schedule: { interval: 60s, jitter: 0s }\n" + Self.yaml, tracer: tracer)
        let (published, sink) = AsyncStream.makeStream(of: Snapshot.self)
        let running = Task { await engine.run { _, snapshot in sink.yield(snapshot) } }
        var cycles = 0
        for await snapshot in published where snapshot.health.cycles > cycles {
            cycles = snapshot.health.cycles
            if cycles == 1 {
                await pollUntil(every: 0.01) { started.withLock { $0 } >= 2 }
                engine.reload(plan: plan)  // the next cycle, now, while both traces hang
            }
            if cycles == 2 { break }
        }
        #expect(started.withLock { $0 } == 2, "concurrency 2: the other three wait for a free slot")
        running.cancel()
        await running.value
        #expect(cancelled.withLock { $0 } == 2)
    }

    /// At most `concurrency` traces at a time; the others run as slots free up.
    @Test func tracesRunAtMostConcurrencyAtATime() async throws {
        var settings = TraceSettings()
        settings.concurrency = 2
        let counts = Shared((now: 0, most: 0, done: 0))
        let tracer = EvidenceTracer(settings: settings) { request in
            counts.withLock { $0.now += 1; $0.most = max($0.most, $0.now) }
            try await Task.sleep(for: .milliseconds(20))
            counts.withLock { $0.now -= 1; $0.done += 1 }
            return Self.dropped(request)
        }
        let engine = try engine(tracer: nil)
        await engine.runCycle()
        let all = Shared(0)
        let running = Task { await tracer.run(store: engine.store) { all.withLock { $0 += 1 } } }
        tracer.resultsChanged()
        await pollUntil(every: 0.01) { all.withLock { $0 } >= 5 }
        running.cancel()
        await running.value
        #expect(counts.withLock { $0.most } == 2)
        #expect(counts.withLock { $0.done } == 5)
    }

    /// One trace per check per interval; none at all when disabled; a reload's settings apply.
    @Test func oneTracePerCheckPerIntervalAndNoneWhenDisabled() throws {
        let clock = Shared(ContinuousClock.now)
        var settings = TraceSettings()
        settings.interval = .seconds(900)
        let tracer = EvidenceTracer(settings: settings, trace: Self.dropped, now: { clock.withLock { $0 } })
        let checks = try EngineFixtures.plan(Self.yaml).checks.filter { $0.host.hasPrefix("drop") }
        #expect(tracer.takeDue(checks).due == checks)
        #expect(tracer.takeDue(checks).due.isEmpty, "traced a moment ago")
        clock.withLock { $0 += .seconds(899) }
        #expect(tracer.takeDue(checks).due.isEmpty)
        clock.withLock { $0 += .seconds(1) }
        #expect(tracer.takeDue(checks).due == checks, "one interval later")

        settings.enabled = false
        tracer.update(settings)
        clock.withLock { $0 += .seconds(900) }
        #expect(tracer.takeDue(checks).due.isEmpty, "trace.enabled: false")
        settings.enabled = true
        settings.interval = .seconds(60)
        tracer.update(settings)
        #expect(tracer.takeDue(checks).due == checks)
        clock.withLock { $0 += .seconds(60) }
        #expect(tracer.takeDue(checks).due == checks, "the reloaded interval")
    }

    /// A reload (SIGHUP) hands the new `trace:` section to the running tracer.
    @Test func aReloadAppliesNewTraceSettings() throws {
        let tracer = EvidenceTracer(settings: TraceSettings(), trace: Self.dropped)
        let engine = try engine(tracer: tracer)
        var settings = TraceSettings()
        settings.enabled = false
        settings.concurrency = 5
        engine.reload(plan: try EngineFixtures.plan(Self.yaml), trace: settings)
        #expect(tracer.settings == settings)
        #expect(tracer.takeDue(engine.store.plan.checks).due.isEmpty)
    }

    /// The verdict stays while the check keeps failing and goes when it recovers; a verdict
    /// that arrives after the recovery is not kept.
    @Test func aRecoveredCheckLosesItsVerdict() async throws {
        let script = Script()
        let engine = try engine("hosts: { vendor-servers: [fixed.test] }", script: script, tracer: nil)
        await engine.runCycle()
        let check = try #require(engine.store.checksWantingTrace().first)
        #expect(engine.store.recordTrace("dropped after hop 3 (192.0.2.1)", for: check))
        await engine.runCycle()
        #expect(engine.store.snapshot.path("licence-ssh")?.checks.first?.trace == "dropped after hop 3 (192.0.2.1)",
                "still failing: the verdict stays")
        script.fixed.withLock { $0 = true }
        await engine.runCycle()
        #expect(engine.store.snapshot.path("licence-ssh")?.checks.first?.trace == nil)
        #expect(engine.store.checksWantingTrace().isEmpty)
        #expect(!engine.store.recordTrace("dropped after hop 3 (192.0.2.1)", for: check), "recovered while the trace ran")
        #expect(engine.store.publish().snapshot.path("licence-ssh")?.checks.first?.trace == nil)
    }
}
