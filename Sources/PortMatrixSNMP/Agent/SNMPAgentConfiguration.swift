/// The `snmp:` section of portmatrix.yaml: what the agent needs, its defaults, and
/// ``validate()``. Read from YAML by `SNMPAgentConfiguration+YAML.swift`.
public struct SNMPAgentConfiguration: Sendable, Codable, Equatable {
    public enum Mode: String, Sendable, Codable, CaseIterable {
        /// Subagent of a running snmpd (which answers on UDP 161).
        case agentx
        /// Embedded master agent, for hosts without snmpd.
        case master
        case off
    }

    /// An SNMPv2c community, read-only, accepted only from `source`.
    public struct Community: Sendable, Codable, Equatable {
        public var name: String
        /// CIDR (`10.0.0.0/8`, `::1/128`), a host, or `default` for any source.
        public var source: String

        public init(name: String, source: String) {
            self.name = name
            self.source = source
        }
    }

    /// An SNMPv3 USM user, read-only; authPriv if `privacy` is set, authNoPriv otherwise.
    public struct User: Sendable, Codable, Equatable {
        public enum Authentication: String, Sendable, Codable {
            case sha256 = "SHA-256"
            case sha1 = "SHA-1"
            case md5 = "MD5"
        }

        public enum Privacy: String, Sendable, Codable {
            case aes = "AES"
            case des = "DES"
        }

        public var name: String
        public var authentication: Authentication
        public var authenticationPassphrase: String
        public var privacy: Privacy?
        public var privacyPassphrase: String?

        public init(
            name: String, authentication: Authentication, authenticationPassphrase: String,
            privacy: Privacy? = nil, privacyPassphrase: String? = nil
        ) {
            self.name = name
            self.authentication = authentication
            self.authenticationPassphrase = authenticationPassphrase
            self.privacy = privacy
            self.privacyPassphrase = privacyPassphrase
        }
    }

    /// Where master mode sends SNMPv2c notifications.
    public struct TrapSink: Sendable, Codable, Equatable {
        /// net-snmp transport address, e.g. `udp:192.0.2.5:162`.
        public var address: String
        public var community: String

        public init(address: String, community: String) {
            self.address = address
            self.community = community
        }
    }

    public var mode: Mode
    /// AgentX master socket (agentx mode): a path, or `tcp:HOST:PORT`.
    public var agentXSocket: String
    /// Seconds between AgentX pings; also how often a lost master is retried. Must be > 0.
    public var agentXPingInterval: Int
    /// net-snmp transport addresses to listen on (master mode), e.g. `udp:161`, `udp6:[::1]:161`.
    public var listen: [String]
    public var communities: [Community]
    public var users: [User]
    public var trapSinks: [TrapSink]
    /// Where the PORTMATRIX-MIB subtree is served; the MIB's placeholder arc by default.
    public var rootOID: String
    /// The agent's own net-snmp configuration and persistent state (USM keys, engine id).
    public var stateDirectory: String
    /// sysContact / sysLocation served in master mode.
    public var systemContact: String
    public var systemLocation: String

    public init(
        mode: Mode = .agentx,
        agentXSocket: String = "/var/agentx/master",
        agentXPingInterval: Int = 15,
        listen: [String] = ["udp:161"],
        communities: [Community] = [],
        users: [User] = [],
        trapSinks: [TrapSink] = [],
        rootOID: String = SNMPAgentConfiguration.placeholderRootOID,
        stateDirectory: String = "/var/lib/portmatrix/snmp",
        systemContact: String = "",
        systemLocation: String = ""
    ) {
        self.mode = mode
        self.agentXSocket = agentXSocket
        self.agentXPingInterval = agentXPingInterval
        self.listen = listen
        self.communities = communities
        self.users = users
        self.trapSinks = trapSinks
        self.rootOID = rootOID
        self.stateDirectory = stateDirectory
        self.systemContact = systemContact
        self.systemLocation = systemLocation
    }

    /// netSnmpPlaypen.5666 (1.3.6.1.4.1.8072.9999.9999.5666): for testing only, no IANA PEN.
    public static let placeholderRootOID = PortMatrixMIB.placeholderRoot.description
}

/// A rule of the `snmp:` section broken, phrased for the operator.
public struct SNMPAgentConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What the rule is about, so a reader can point at the place it was written.
    public enum Key: Sendable, Hashable, CustomStringConvertible {
        case rootOID
        case pingInterval
        /// `users[i]`.
        case user(Int)
        /// `trap_sinks[i].community`.
        case trapSinkCommunity(Int)

        public var description: String {
            switch self {
            case .rootOID: "root_oid"
            case .pingInterval: "ping_interval"
            case .user(let index): "users[\(index)]"
            case .trapSinkCommunity(let index): "trap_sinks[\(index)].community"
            }
        }
    }

    public var key: Key
    public var message: String
    public var description: String { "snmp.\(key): \(message)" }
}

extension SNMPAgentConfiguration {
    /// All broken rules at once, so an operator fixes a file in one pass; empty means valid.
    /// The YAML reader places them in the file; ``SNMPAgent/bind()`` refuses to start on them.
    public func validate() -> [SNMPAgentConfigurationError] {
        var errors: [SNMPAgentConfigurationError] = []
        if OID(rootOID) == nil {
            errors.append(.init(key: .rootOID, message: "'\(rootOID)' is not a numeric OID such as 1.3.6.1.4.1.99999"))
        }
        if mode == .agentx, agentXPingInterval <= 0 {
            errors.append(.init(key: .pingInterval, message: "must be positive, or a lost AgentX master is never retried"))
        }
        for (index, user) in users.enumerated() where (user.privacy == nil) != (user.privacyPassphrase == nil) {
            errors.append(.init(key: .user(index), message: "priv and priv_pass go together"))
        }
        // A trap carries its community in clear text: one that also reads the MIB would leak.
        for (index, sink) in trapSinks.enumerated() where communities.contains(where: { $0.name == sink.community }) {
            errors.append(.init(key: .trapSinkCommunity(index), message:
                "'\(sink.community)' is a read community (snmp.communities); a trap carries its community in clear, so give traps their own"))
        }
        return errors
    }
}
