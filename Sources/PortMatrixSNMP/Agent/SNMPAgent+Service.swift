import ServiceLifecycle

/// The agent as a lifecycle service, like the NRPE listener and the status endpoint: `bind()`
/// starts net-snmp's thread before the group runs (perhaps as root), `run()` answers until a
/// graceful shutdown, then detaches from snmpd or closes the ports.
extension SNMPAgent: Service {
    public func run() async throws {
        serve()
        try? await gracefulShutdown()
        stop()
    }
}
