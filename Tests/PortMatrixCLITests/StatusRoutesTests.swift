import Foundation
import PortMatrixEngine
import Testing
@testable import portmatrix

/// A page that cannot be rendered from the snapshot is a 500 with the reason, once per
/// snapshot; the pages that can still render are served.
struct StatusRoutesTests {
    @Test func aSnapshotJSONCannotEncodeIsA500WithTheReason() async throws {
        let engine = try await NRPEBuiltinsTests.engine()
        let store = engine.store
        // JSON has no NaN: a latency that is not a number cannot be encoded.
        let check = try #require(store.plan.checks.first)
        store.record(check, outcome: .failure(.refused, "refused"), startedAt: Date(), duration: .nan)
        store.publish()
        let routes = StatusRoutes(store: store)

        let page = try #require(routes.response(for: "/status.json"))
        #expect(page.status == .internalServerError)
        #expect(page.body.hasPrefix("cannot render /status.json: "), "\(page.body)")
        #expect(routes.response(for: "/status.json") == page)
        #expect(routes.pages.renders == 1)
        #expect(routes.response(for: "/metrics")?.status == .ok)
    }
}
