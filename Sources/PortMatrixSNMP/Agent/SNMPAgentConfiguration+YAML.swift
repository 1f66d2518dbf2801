import PortMatrixConfiguration

extension SNMPAgentConfiguration {
    static let keys = ["mode", "agentx_socket", "ping_interval", "listen", "communities", "users", "trap_sinks",
                       "root_oid", "state_directory"]
    /// As written, with the name each means (`SHA` is SHA-1, `AES-128` is AES).
    static let authentications: KeyValuePairs<String, User.Authentication> = ["SHA-256": .sha256, "SHA-1": .sha1, "SHA": .sha1, "MD5": .md5]
    static let privacies: KeyValuePairs<String, User.Privacy> = ["AES": .aes, "AES-128": .aes, "DES": .des]

    /// The `snmp:` section; every mistake is recorded on the value's reader with its position,
    /// and reading goes on. Keys left out keep their defaults; ``validate()``'s rules are placed
    /// where the entry they concern is written.
    public init(yaml value: YAMLValue) throws {
        self.init()
        let reader = value.reader
        var userNodes: [YAMLValue] = []
        var trapSinkNodes: [YAMLValue] = []
        for (key, item) in try value.mapping(allowed: Self.keys) {
            reader.attempt {
                switch key {
                case "mode": mode = try item.mode(off: Mode.off)
                case "agentx_socket": agentXSocket = try item.nonEmptyString()
                // Whole seconds, at least one: net-snmp counts the ping interval in seconds.
                case "ping_interval": agentXPingInterval = max(1, Int(try item.duration().seconds.rounded()))
                case "listen": listen = try item.stringList()
                case "communities": communities = try item.list().map(Self.community)
                case "users":
                    let nodes = try item.list()
                    users = try nodes.map(Self.user)
                    userNodes = nodes
                case "trap_sinks":
                    for node in try item.list() {
                        guard let sink = reader.attempt({ try Self.trapSink(node) }) else { continue }
                        trapSinks.append(sink)
                        // The error points at the sink's community, where it is written.
                        trapSinkNodes.append(node.child("community") ?? node)
                    }
                case "root_oid":
                    let text = try item.nonEmptyString()
                    guard let oid = OID(text) else { throw item.error("'\(text)' is not a numeric OID such as 1.3.6.1.4.1.99999") }
                    rootOID = oid.description
                case "state_directory": stateDirectory = try item.nonEmptyString()
                default: break
                }
            }
        }
        // After the loop: communities may come after trap_sinks in the file.
        for problem in validate() {
            let node: YAMLValue = switch problem.key {
            case .user(let index) where userNodes.indices.contains(index): userNodes[index]
            case .trapSinkCommunity(let index) where trapSinkNodes.indices.contains(index): trapSinkNodes[index]
            default: value
            }
            reader.record(node.error(problem.message))
        }
    }

    /// `{ name: NAME, source: NETWORK }`; without a source it answers any address.
    private static func community(_ node: YAMLValue) throws -> Community {
        var name = "", source = "default"
        for (key, value) in try node.mapping(allowed: ["name", "source"]) {
            if key == "name" { name = try value.nonEmptyString() } else {
                let text = try value.nonEmptyString()
                if case .failure(let error) = NetworkPrefix.parse(text) { throw value.error(error.description) }
                source = text
            }
        }
        guard !name.isEmpty else { throw node.error("a community needs 'name'") }
        return Community(name: name, source: source)
    }

    /// `{ address: udp:HOST:162, community: NAME }`. A bare address is refused rather than
    /// given a read community or `public`: the community travels in clear with every trap.
    private static func trapSink(_ node: YAMLValue) throws -> TrapSink {
        if case .scalar = node.node {
            let text = try node.string()
            throw node.error("trap sink '\(text)' has no community; write { address: \(text), community: NAME } with a community of its own (not a read community)")
        }
        var address: String?, community: String?
        for (key, value) in try node.mapping(allowed: ["address", "community"]) {
            let text = try value.nonEmptyString()
            guard NetSNMPConfigFiles.canCarry(text) else {
                throw value.error("'\(text)' has characters a net-snmp configuration line cannot carry (letters, digits and ._-:/[]@ only)")
            }
            if key == "address" { address = text } else {
                if text == "public" {
                    throw value.error("'public' is everyone's default community; give the trap receiver a community of its own")
                }
                community = text
            }
        }
        guard let address else { throw node.error("a trap sink needs 'address', e.g. udp:192.0.2.5:162") }
        guard let community else {
            throw node.error("trap sink '\(address)' has no community; add community: NAME, one of its own (not a read community)")
        }
        return TrapSink(address: address, community: community)
    }

    private static func user(_ node: YAMLValue) throws -> User {
        var user = User(name: "", authentication: .sha256, authenticationPassphrase: "")
        for (key, value) in try node.mapping(allowed: ["name", "auth", "auth_pass", "priv", "priv_pass"]) {
            switch key {
            case "name": user.name = try value.nonEmptyString()
            case "auth": user.authentication = try value.oneOf(authentications)
            case "auth_pass": user.authenticationPassphrase = try passphrase(value)
            case "priv": user.privacy = try value.oneOf(privacies)
            case "priv_pass": user.privacyPassphrase = try passphrase(value)
            default: break
            }
        }
        guard !user.name.isEmpty, !user.authenticationPassphrase.isEmpty else { throw node.error("a user needs 'name' and 'auth_pass'") }
        return user
    }

    private static func passphrase(_ value: YAMLValue) throws -> String {
        let text = try value.string()
        guard text.count >= 8 else { throw value.error("SNMPv3 passphrases need at least 8 characters") }
        return text
    }
}
