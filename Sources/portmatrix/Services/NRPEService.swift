import Logging
import PortMatrixNRPE
import ServiceLifecycle

/// The NRPE listener as a lifecycle service: on shutdown, requests in flight are answered first.
struct NRPEService: Service {
    let server: NRPEServer

    func run() async throws {
        _ = try await server.start()
        try? await gracefulShutdown()
        await server.shutdown()
    }
}
