public enum SNMPAgentError: Error, Equatable, CustomStringConvertible {
    case invalidConfiguration(String)
    /// net-snmp keeps process-global state: one agent per process, started once.
    case alreadyStarted
    case startFailed(String)

    public var description: String {
        switch self {
        case .invalidConfiguration(let message): "invalid snmp configuration: \(message)"
        case .alreadyStarted: "an SNMP agent was already started in this process"
        case .startFailed(let message): "SNMP agent failed to start: \(message)"
        }
    }
}
