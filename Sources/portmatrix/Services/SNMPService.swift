import PortMatrixSNMP
import ServiceLifecycle

/// The SNMP subagent (or master agent) as a lifecycle service. net-snmp runs on its own
/// thread; this only starts it, and stops it on shutdown.
struct SNMPService: Service {
    let agent: SNMPAgent

    func run() async throws {
        try agent.start()
        try? await gracefulShutdown()
        agent.stop()
    }
}
