import PortMatrixHTTP
import ServiceLifecycle

/// The HTTP status endpoint as a lifecycle service. It is bound before the group runs, with
/// the other sockets; this closes it on shutdown.
struct StatusEndpointService: Service {
    let server: StatusHTTPServer

    func run() async throws {
        try? await gracefulShutdown()
        await server.shutdown()
    }
}
