import PortMatrixModel

/// What `portmatrix export` needs beside the plan: the name the monitoring server knows the
/// gateway by, and how its check_nrpe reaches the agent. Both object renderers read the same
/// services from here, so Nagios and Icinga 2 always monitor the same things.
public struct MonitoringExport: Sendable, Hashable {
    /// How check_nrpe connects to the agent's NRPE listener.
    public struct Connection: Sendable, Hashable {
        /// Nil: the monitored host's own address (`$HOSTADDRESS$`, Icinga's `host.address`).
        public var address: String?
        public var port: Int
        /// Off: `check_nrpe -n`.
        public var tls: Bool
        /// For `nrpe.tls.client_certs: ask|require` (`check_nrpe -C/-K/-A`).
        public var clientCertificate: String?
        public var clientKey: String?
        public var caFile: String?

        public init(address: String?, port: Int = 5666, tls: Bool = true, clientCertificate: String? = nil,
                    clientKey: String? = nil, caFile: String? = nil) {
            self.address = address
            self.port = port
            self.tls = tls
            self.clientCertificate = clientCertificate
            self.clientKey = clientKey
            self.caFile = caFile
        }

        /// What the agent's own settings imply: the first listen address that is not a wildcard
        /// (the only one check_nrpe can reach then), else the host's address; that entry's port
        /// (the first entry's when all are wildcards); the TLS mode. Nil when NRPE is off (`listen: []`).
        public init?(listen: [String], tls: Bool) {
            let listen = listen.compactMap { try? TargetAddress.parse($0).get() }
            guard let first = listen.first else { return nil }
            let reachable = listen.first { !Self.wildcards.contains($0.host) }
            self.init(address: reachable?.host, port: (reachable ?? first).port ?? 5666, tls: tls)
        }

        static let wildcards: Set<String> = ["0.0.0.0", "::", "0:0:0:0:0:0:0:0"]
    }

    /// One monitored service: an NRPE built-in with its arguments, and what the operator reads.
    public struct Service: Sendable, Hashable {
        /// `portmatrix path dns-internal`: unique on the host, safe as an object name.
        public var name: String
        public var command: String
        public var arguments: [String]
        public var notes: String

        public init(name: String, command: String, arguments: [String] = [], notes: String) {
            self.name = name
            self.command = command
            self.arguments = arguments
            self.notes = notes
        }
    }

    public var hostName: String
    public var connection: Connection
    /// Also define the host. Usually the monitoring server already has it.
    public var defineHost: Bool
    /// Templates the objects inherit from (`generic-host`, `generic-service`); without one the
    /// objects carry every setting the server requires.
    public var hostTemplate: String?
    public var serviceTemplate: String?
    /// The agent's cycle: asking more often returns the same snapshot.
    public var checkInterval: Duration

    public init(hostName: String, connection: Connection, defineHost: Bool = false, hostTemplate: String? = nil,
                serviceTemplate: String? = nil, checkInterval: Duration = .seconds(60)) {
        self.hostName = hostName
        self.connection = connection
        self.defineHost = defineHost
        self.hostTemplate = hostTemplate
        self.serviceTemplate = serviceTemplate
        self.checkInterval = checkInterval
    }

    /// The address the host object gets (with `defineHost`): the NRPE address, else its name.
    public var hostAddress: String { connection.address ?? hostName }

    /// The address services name explicitly: only when the host is not defined here (its
    /// address may be another interface than the one NRPE listens on).
    public var serviceAddress: String? { defineHost ? nil : connection.address }

    /// Where check_nrpe connects, for the header comment.
    var reachedAt: String {
        serviceAddress ?? (defineHost ? "the host's address, \(hostAddress)," : "the host's address")
    }

    /// The agent's built-ins, then one `check_path` per path that applies, in plan order.
    public static func services(for plan: Plan) -> [Service] {
        var services = [
            Service(name: "portmatrix compliance", command: "check_portmatrix",
                    notes: "portmatrix: every path of the \(plan.profile.name) port matrix that applies here"),
            Service(name: "portmatrix listeners", command: "check_listeners",
                    notes: "portmatrix: local listening sockets against the port matrix"),
            Service(name: "portmatrix agent", command: "check_agent",
                    notes: "portmatrix: the agent's probe cycle and its SNMP link"),
        ]
        for planned in plan.paths where planned.applies {
            let path = planned.path
            services.append(Service(
                name: "portmatrix path \(objectNameSafe(path.id))", command: "check_path", arguments: [path.id],
                notes: "\(path.function): \(path.description) (\(path.source) -> \(path.target), \(Endpoint.summary(path.endpoints)))"))
        }
        return services
    }

    /// Paths that do not apply here, with why: named in a comment, not exported.
    public static func skipped(in plan: Plan) -> [(id: String, reason: String)] {
        plan.paths.compactMap { planned in planned.skipReason.map { (planned.id, $0) } }
    }

    /// Characters no object name may hold on either server: Nagios' default
    /// `illegal_object_name_chars`, Icinga's `!`, comment and quoting characters, control characters.
    static let forbiddenInNames: Set<Character> = Set("`~!$%^&*|'\"<>?,()=;\\#{}[]")

    /// Nil when `name` is usable as a host or template name, else what is wrong with it.
    public static func problem(withObjectName name: String) -> String? {
        if name.isEmpty { return "must not be empty" }
        if let bad = name.first(where: { forbiddenInNames.contains($0) || $0.isWhitespace || $0.asciiValue.map { $0 < 0x20 || $0 == 0x7F } == true }) {
            return "'\(name)' contains '\(bad.isWhitespace ? "whitespace" : String(bad))', which Nagios or Icinga 2 do not accept in object names"
        }
        return nil
    }

    /// A path id as part of a service name: forbidden characters become `_` (the real id still
    /// goes to check_path).
    static func objectNameSafe(_ text: String) -> String {
        String(text.map { forbiddenInNames.contains($0) || $0.isNewline || $0.asciiValue.map { $0 < 0x20 } == true ? "_" : $0 })
    }
}
