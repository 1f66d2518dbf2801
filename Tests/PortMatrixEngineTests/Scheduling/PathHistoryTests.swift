import Foundation
import Synchronization
import Testing
@testable import PortMatrixEngine
import PortMatrixEngineTestSupport
import PortMatrixModel

/// The engine owns each path's history: the snapshot carries its previous status and last
/// change for every front end (pmPathPreviousStatus, pmPathLastChange, the documents), and the
/// changes it returns are the ones logged and sent as pmPathStatusChange.
struct PathHistoryTests {
    /// The host `switchHost` answers as `up` says, every other one answers. IP literals, so
    /// the scripted probe is asked without a name lookup; nothing is contacted.
    final class Switch: Sendable {
        static let host = "127.0.0.11"
        let up = Mutex(true)
        var probes: [any Probe] {
            ["ssh", "tcp", "sntp"].map { name in
                ScriptedProbe(name: name) { [self] request in
                    request.host != Self.host || self.up.withLock({ $0 }) ? .success("fine", phases: PhaseTimings(total: 0.002))
                        : .failure(.refused, "connection refused")
                }
            }
        }
        func set(_ value: Bool) { up.withLock { $0 = value } }
    }

    static let config = """
    choices: { ntp: internal }
    hosts: { vendor-servers: ["\(Switch.host)"], name-server-internal: [127.0.0.12] }
    """

    @Test func previousStatusAndLastChangeFollowAPathThroughOkCriticalCriticalOk() async throws {
        let peer = Switch()
        let engine = EngineFixtures.engine(try EngineFixtures.plan(Self.config), probes: peer.probes)

        let first = await engine.runCycle()
        let ok = try #require(first.snapshot.path("licence-ssh"))
        #expect(ok.status == .ok && ok.previousStatus == .ok, "never changed: the previous status is the status")
        #expect(ok.lastChange == first.snapshot.generatedAt, "first seen")
        #expect(first.changes.isEmpty, "the first snapshot is the baseline")

        peer.set(false)
        let second = await engine.runCycle()
        let down = try #require(second.snapshot.path("licence-ssh"))
        #expect(down.status == .critical && down.previousStatus == .ok)
        #expect(down.lastChange == second.snapshot.generatedAt)
        let index = try #require(second.snapshot.paths.firstIndex { $0.id == "licence-ssh" }) + 1
        #expect(second.changes == [PathStatusChange(pathID: "licence-ssh", pathIndex: index, old: .ok, new: .critical, message: down.message)])

        let third = await engine.runCycle()
        let still = try #require(third.snapshot.path("licence-ssh"))
        #expect(still.status == .critical && still.previousStatus == .ok, "the previous status sticks until the next change")
        #expect(still.lastChange == second.snapshot.generatedAt, "no change: the last change stays")
        #expect(third.changes.isEmpty)

        peer.set(true)
        let fourth = await engine.runCycle()
        let back = try #require(fourth.snapshot.path("licence-ssh"))
        #expect(back.status == .ok && back.previousStatus == .critical)
        #expect(back.lastChange == fourth.snapshot.generatedAt)
        #expect(fourth.changes.map { "\($0.pathID) \($0.old) -> \($0.new)" } == ["licence-ssh critical -> ok"])
    }

    @Test func aReloadThatKeepsAPathKeepsItsHistory() async throws {
        let peer = Switch()
        let engine = EngineFixtures.engine(try EngineFixtures.plan(Self.config), probes: peer.probes)
        _ = await engine.runCycle()
        peer.set(false)
        let changed = await engine.runCycle().snapshot
        let since = try #require(changed.path("licence-ssh")?.lastChange)

        // licence-ssh is planned as before; ntp-internal now names another server.
        let (reloaded, changes) = engine.reload(plan: try EngineFixtures.plan("""
        choices: { ntp: internal }
        hosts: { vendor-servers: ["\(Switch.host)"], name-server-internal: [127.0.0.13] }
        """))
        let kept = try #require(reloaded.path("licence-ssh"))
        #expect(kept.status == .critical && kept.previousStatus == .ok, "kept path, kept history")
        #expect(kept.lastChange == since)
        let ntp = try #require(reloaded.path("ntp-internal"))
        #expect(ntp.status == .unknown && ntp.previousStatus == .ok, "a path whose check changed is pending again")
        #expect(changes.map(\.pathID) == ["ntp-internal"], "the reload's own changes are returned, not dropped")

        let next = await engine.runCycle()
        let after = try #require(next.snapshot.path("licence-ssh"))
        #expect(after.previousStatus == .ok && after.lastChange == since)
        #expect(!next.changes.contains { $0.pathID == "licence-ssh" })
    }

    /// The cycle, the tracer, the staleness republish and a reload publish from different
    /// tasks; the front ends must hear the snapshots in the order they were made, or SNMP
    /// serves an older one until the next publish.
    @Test func concurrentPublishersAreHeardInTheOrderTheSnapshotsWereMade() async throws {
        let engine = EngineFixtures.engine(try EngineFixtures.plan(Self.config), probes: Switch().probes)
        final class Heard: Sendable {
            let generations = Mutex<[UInt64]>([])
            func callAsFunction(_ changes: [PathStatusChange], _ snapshot: Snapshot) { generations.withLock { $0.append(snapshot.generation) } }
        }
        let heard = Heard()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    for _ in 0..<200 { engine.publish(to: heard.callAsFunction) }
                }
            }
            group.addTask { await engine.runCycle(publishTo: heard.callAsFunction) }
        }
        let generations = heard.generations.withLock { $0 }
        #expect(generations.count == 801)
        #expect(generations == generations.sorted() && Set(generations).count == generations.count,
                "heard out of order: \(zip(generations, generations.dropFirst()).first { $0 >= $1 }.map { "\($0) before \($1)" } ?? "")")
    }
}
