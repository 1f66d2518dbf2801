import PortMatrixSNMP
import ServiceLifecycle

/// The SNMP subagent (or master agent) as a lifecycle service. net-snmp runs on its own
/// thread, started before the group runs (perhaps as root); this stops it on shutdown.
struct SNMPService: Service {
    let agent: SNMPAgent

    func run() async throws {
        try? await gracefulShutdown()
        agent.stop()
    }
}
