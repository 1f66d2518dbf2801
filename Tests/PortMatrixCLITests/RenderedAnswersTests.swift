import Foundation
import PortMatrixEngine
import PortMatrixHTTP
import PortMatrixNRPE
import PortMatrixReport
import Testing
@testable import portmatrix

/// NRPE built-ins and status pages are rendered once per published snapshot, then served as
/// they are; a new snapshot renders again, and what is kept stays within its bound.
@Suite(.serialized)
struct RenderedAnswersTests {
    /// Fails every check of the store, so the next snapshot reads differently from the last.
    static func failEverything(_ store: ResultStore) {
        for check in store.plan.checks {
            store.record(check, outcome: .failure(.refused, "refused since the test says so"), startedAt: Date(), duration: 0.001)
        }
    }

    @Test func checkPortmatrixRendersOncePerSnapshotAndAgainAfterAPublish() async throws {
        let engine = try await NRPEBuiltinsTests.engine()
        let store = engine.store
        let commands = EngineNRPECommands(store: store, links: { [] })

        let first = try #require(await commands.run(command: "check_portmatrix", arguments: []))
        let second = try #require(await commands.run(command: "check_portmatrix", arguments: []))
        #expect(commands.reports.renders == 1)
        #expect(first == second)
        #expect(first.output == NagiosRenderer.compliance(store.snapshot).text)

        Self.failEverything(store)
        store.publish()
        let third = try #require(await commands.run(command: "check_portmatrix", arguments: []))
        #expect(commands.reports.renders == 2)
        #expect(third != first)
        #expect(third.output == NagiosRenderer.compliance(store.snapshot).text)
        #expect(third.output.contains("refused since the test says so"))

        // check_listeners shares the snapshot's slot set but is its own answer.
        let listeners = try #require(await commands.run(command: "check_listeners", arguments: []))
        _ = await commands.run(command: "check_listeners", arguments: [])
        #expect(commands.reports.renders == 3)
        #expect(listeners.output == NagiosRenderer.listeners(store.snapshot).text)
    }

    @Test func checkPathKeepsOneAnswerPerKnownIdAndNoneForUnknownIds() async throws {
        let engine = try await NRPEBuiltinsTests.engine()
        let store = engine.store
        let commands = EngineNRPECommands(store: store, links: { [] })
        let ids = store.snapshot.paths.map(\.id)
        #expect(ids.count > 2)

        for _ in 0..<2 {
            for id in ids {
                let answer = try #require(await commands.run(command: "check_path", arguments: [id]))
                #expect(answer.output == NagiosRenderer.path(store.snapshot, id: id).text)
            }
        }
        #expect(commands.paths.renders == ids.count)
        #expect(commands.paths.count == ids.count)

        // Random ids are answered (UNKNOWN, naming the id) but neither rendered into nor kept by the cache.
        for n in 0..<200 {
            let answer = try #require(await commands.run(command: "check_path", arguments: ["no-such-path-\(n)"]))
            #expect(answer.state == .unknown)
            #expect(answer.output.hasPrefix("PORTMATRIX UNKNOWN - no path 'no-such-path-\(n)'"))
        }
        #expect(commands.paths.renders == ids.count)
        #expect(commands.paths.count == ids.count)

        // A new snapshot drops the kept answers and renders on demand again.
        Self.failEverything(store)
        store.publish()
        let changed = try #require(await commands.run(command: "check_path", arguments: [ids[0]]))
        #expect(changed.output == NagiosRenderer.path(store.snapshot, id: ids[0]).text)
        #expect(commands.paths.renders == ids.count + 1)
        #expect(commands.paths.count == 1)
    }

    @Test func keysBeyondTheCapacityAreRenderedPerRequestAndNotKept() async throws {
        let engine = try await NRPEBuiltinsTests.engine()
        let snapshot = engine.store.snapshot
        let answers = RenderedAnswers<String, String>(capacity: 3)
        let keys = ["a", "b", "c", "d", "e"]
        for _ in 0..<2 {
            for key in keys {
                #expect(answers.answer(key, from: snapshot) { "\(key) of \($0.generation)" } == "\(key) of \(snapshot.generation)")
            }
        }
        #expect(answers.count == 3)
        #expect(answers.renders == 3 + 2 * 2)

        // A snapshot no store numbered cannot be told from another: never kept.
        var unnumbered = snapshot
        unnumbered.generation = 0
        _ = answers.answer("a", from: unnumbered) { _ in "unnumbered" }
        #expect(answers.answer("a", from: snapshot) { _ in "rendered again" } == "a of \(snapshot.generation)")
    }

    @Test func statusPagesRenderOncePerSnapshot() async throws {
        let engine = try await NRPEBuiltinsTests.engine()
        let store = engine.store
        let routes = StatusRoutes(store: store)

        let metrics = try #require(routes.response(for: "/metrics"))
        let again = try #require(routes.response(for: "/metrics"))
        let json = try #require(routes.response(for: "/status.json"))
        _ = routes.response(for: "/status.json")
        #expect(routes.pages.renders == 2)
        #expect(metrics == again)
        #expect(metrics.body == PrometheusRenderer.render(store.snapshot, version: PortMatrixVersion.string))
        #expect(json.body == (try JSON.encodeReport(CheckDocument(store.snapshot))) + "\n")

        Self.failEverything(store)
        store.publish()
        let changed = try #require(routes.response(for: "/metrics"))
        #expect(routes.pages.renders == 3)
        #expect(changed.body == PrometheusRenderer.render(store.snapshot, version: PortMatrixVersion.string))
        #expect(changed != metrics)
    }

    @Test func prtgIsRenderedAgainWhenTheCycleAgeSecondChanges() async throws {
        let engine = try await NRPEBuiltinsTests.engine()
        let snapshot = engine.store.snapshot
        let start = try #require(snapshot.health.lastCycleStart)
        let answers = RenderedAnswers<String, String>(capacity: 1)
        func page(at now: Date) -> String {
            answers.answer("/prtg.json", stamp: PRTGRenderer.cycleAge(snapshot, now: now), from: snapshot) {
                PRTGRenderer.render($0, now: now)
            }
        }
        let at10 = page(at: start.addingTimeInterval(10.2))
        #expect(page(at: start.addingTimeInterval(10.4)) == at10)
        #expect(answers.renders == 1)
        let at11 = page(at: start.addingTimeInterval(11.0))
        #expect(answers.renders == 2)
        #expect(at11 == PRTGRenderer.render(snapshot, now: start.addingTimeInterval(11.0)))
        #expect(at11 != at10)
        #expect(answers.count == 1)
    }
}
