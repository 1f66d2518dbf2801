/// What `check_agent` reports about the SNMP side.
public struct SNMPAgentHealth: Sendable, Equatable, Codable {
    public enum State: String, Sendable, Codable {
        case disabled, notStarted, running, stopped, failed
    }

    public var mode: SNMPAgentConfiguration.Mode
    public var state: State
    /// agentx: a session to the master is open. master: listening. Otherwise false.
    public var connected: Bool
    /// The last warning or error net-snmp logged, with its unix time.
    public var lastError: String?
    public var lastErrorTime: UInt32?
    /// Notifications handed to net-snmp (in agentx mode they are lost while the master is away).
    public var notificationsSent: Int
    /// Unix time of the last `publish`; 0 if none.
    public var lastPublish: UInt32

    public init(mode: SNMPAgentConfiguration.Mode, state: State) {
        self.mode = mode
        self.state = state
        self.connected = false
        self.notificationsSent = 0
        self.lastPublish = 0
    }
}
