import PortMatrixHTTP
import ServiceLifecycle

/// The HTTP status endpoint as a lifecycle service: binds on start, closes on shutdown.
struct StatusEndpointService: Service {
    let server: StatusHTTPServer

    func run() async throws {
        _ = try await server.start()
        try? await gracefulShutdown()
        await server.shutdown()
    }
}
