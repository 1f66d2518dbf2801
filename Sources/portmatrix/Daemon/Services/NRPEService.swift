import Logging
import PortMatrixNRPE
import ServiceLifecycle

/// The NRPE listener as a lifecycle service. It is bound before the group runs (perhaps as
/// root); on shutdown, requests in flight are answered first.
struct NRPEService: Service {
    let server: NRPEServer

    func run() async throws {
        try? await gracefulShutdown()
        await server.shutdown()
    }
}
