import Foundation
import PortMatrixEngine
import PortMatrixHTTP
import PortMatrixReport

/// The status endpoint's pages, rendered from the engine's latest snapshot with the renderers
/// `portmatrix check` uses, once per published snapshot (see ``RenderedAnswers``).
struct StatusRoutes: StatusHTTPRoutes {
    struct Route: Sendable {
        var path: String
        var summary: String
        /// What the page shows besides the snapshot that changes with the clock (the whole
        /// seconds of cycle age in /prtg.json): a kept page is rendered again when it changes.
        var clock: @Sendable (Snapshot, Date) -> Int? = { _, _ in nil }
        var render: @Sendable (Snapshot, Date) throws -> StatusHTTPResponse
    }

    let store: ResultStore
    /// One page per route and snapshot.
    let pages = RenderedAnswers<String, StatusHTTPResponse>(capacity: StatusRoutes.table.count)

    static let table: [Route] = [
        Route(path: "/status.json", summary: "the latest results, as `portmatrix check --format json` prints them") { snapshot, _ in
            StatusHTTPResponse(contentType: "application/json", body: try JSON.encodeReport(CheckDocument(snapshot)) + "\n")
        },
        Route(path: "/metrics", summary: "the latest results as Prometheus text") { snapshot, _ in
            StatusHTTPResponse(contentType: PrometheusRenderer.contentType,
                               body: PrometheusRenderer.render(snapshot, version: PortMatrixVersion.string))
        },
        Route(path: "/prtg.json", summary: "the latest results for a PRTG HTTP Data Advanced sensor",
              clock: PRTGRenderer.cycleAge) { snapshot, now in
            StatusHTTPResponse(contentType: "application/json", body: PRTGRenderer.render(snapshot, now: now))
        },
    ]

    static let index: String = {
        "portmatrix \(PortMatrixVersion.string) status endpoint\n\n"
            + table.map { "\($0.path)  \($0.summary)\n" }.joined()
    }()

    func response(for path: String) -> StatusHTTPResponse? {
        if path == "/" { return .text(Self.index) }
        guard let route = Self.table.first(where: { $0.path == path }) else { return nil }
        let snapshot = store.snapshot, now = Date()
        return pages.answer(path, stamp: route.clock(snapshot, now), from: snapshot) { snapshot in
            do {
                return try route.render(snapshot, now)
            } catch {
                // PRTG reads its error form from a 200 answer and shows the sensor down with the text.
                if path == "/prtg.json" {
                    return StatusHTTPResponse(contentType: "application/json", body: PRTGRenderer.error("portmatrix: cannot render \(path): \(error)"))
                }
                return .text("cannot render \(path): \(error)\n", status: .internalServerError)
            }
        }
    }
}
