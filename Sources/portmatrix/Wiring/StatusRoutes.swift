import PortMatrixEngine
import PortMatrixHTTP
import PortMatrixReport

/// The status endpoint's pages, each rendered per request from the engine's latest snapshot
/// with the renderers `portmatrix check` uses.
struct StatusRoutes: StatusHTTPRoutes {
    struct Route: Sendable {
        var path: String
        var summary: String
        var render: @Sendable (Snapshot) throws -> StatusHTTPResponse
    }

    let store: ResultStore

    static let table: [Route] = [
        Route(path: "/status.json", summary: "the latest results, as `portmatrix check --format json` prints them") { snapshot in
            StatusHTTPResponse(contentType: "application/json", body: try JSON.encodeReport(CheckDocument(snapshot)) + "\n")
        },
        Route(path: "/metrics", summary: "the latest results as Prometheus text") { snapshot in
            StatusHTTPResponse(contentType: PrometheusRenderer.contentType,
                               body: PrometheusRenderer.render(snapshot, version: PortMatrixVersion.string))
        },
        Route(path: "/prtg.json", summary: "the latest results for a PRTG HTTP Data Advanced sensor") { snapshot in
            StatusHTTPResponse(contentType: "application/json", body: PRTGRenderer.render(snapshot))
        },
    ]

    static var index: String {
        "portmatrix \(PortMatrixVersion.string) status endpoint\n\n"
            + table.map { "\($0.path)  \($0.summary)\n" }.joined()
    }

    func response(for path: String) -> StatusHTTPResponse? {
        if path == "/" { return .text(Self.index) }
        guard let route = Self.table.first(where: { $0.path == path }) else { return nil }
        do {
            return try route.render(store.snapshot)
        } catch {
            // PRTG reads its error form from a 200 answer and shows the sensor down with the text.
            if path == "/prtg.json" {
                return StatusHTTPResponse(contentType: "application/json", body: PRTGRenderer.error("portmatrix: cannot render \(path): \(error)"))
            }
            return .text("cannot render \(path): \(error)\n", status: .internalServerError)
        }
    }
}
