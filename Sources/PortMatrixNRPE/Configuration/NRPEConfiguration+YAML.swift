import PortMatrixConfiguration

extension NRPEConfiguration {
    static let keys = ["listen", "allowed_hosts", "tls", "commands", "allow_arguments", "include", "command_timeout",
                       "connection_timeout", "max_connections", "state_directory"]
    static let tlsKeys = ["mode", "cert_file", "key_file", "ca_file", "client_certs", "allowed_clients"]

    /// The `nrpe:` section; every mistake is recorded on the value's reader with its
    /// position, and reading goes on. Keys left out keep their defaults.
    public init(yaml value: YAMLValue) throws {
        self.init()
        for (key, item) in try value.mapping(allowed: Self.keys) {
            value.reader.attempt {
                switch key {
                case "listen": listen = try item.listenAddresses()
                case "allowed_hosts": allowedHosts = try Self.allowedHosts(item)
                case "tls": try readTLS(item)
                case "commands":
                    var commands: [String: String] = [:]
                    for (name, line) in try item.mapping() {
                        value.reader.attempt { commands[name] = try line.nonEmptyString() }
                    }
                    self.commands = commands
                case "allow_arguments": allowArguments = try item.bool()
                case "include": includeFile = try item.nonEmptyString()
                case "command_timeout": commandTimeout = Self.seconds(try item.positiveDuration())
                case "connection_timeout": connectionTimeout = Self.seconds(try item.positiveDuration())
                case "max_connections": maxConnections = try item.int(in: 1...100_000)
                case "state_directory": stateDirectory = try item.nonEmptyString()
                default: break
                }
            }
        }
    }

    private mutating func readTLS(_ value: YAMLValue) throws {
        for (key, item) in try value.mapping(allowed: Self.tlsKeys) {
            value.reader.attempt {
                switch key {
                case "mode": tlsMode = try item.bool() ? .on : .off
                case "cert_file": certFile = try item.nonEmptyString()
                case "key_file": keyFile = try item.nonEmptyString()
                case "ca_file": caFile = try item.nonEmptyString()
                case "client_certs": clientCertificates = try item.mode()
                case "allowed_clients":
                    allowedClients = try item.list().map { node in
                        let text = try node.nonEmptyString()
                        do { _ = try NRPEClientPin(parsing: text) } catch { throw node.error("\(error)") }
                        return text
                    }
                    if allowedClients.isEmpty { throw item.error("is empty; leave the key out to accept any client certificate that chains to ca_file") }
                default: break
                }
            }
        }
        // Said where the combination is written; the key concerned is named unless the rule does.
        for rule in tlsCombinationErrors() {
            let key = rule.key.split(separator: ".").dropFirst().first.map(String.init)
            let message = key.map { rule.message.contains($0) ? rule.message : "\($0) \(rule.message)" } ?? rule.message
            value.reader.record(value.error(message))
        }
    }

    /// Never empty (a blank key used to answer every address); every address only with the
    /// explicit `[any]`.
    private static func allowedHosts(_ value: YAMLValue) throws -> [String] {
        let isAny = { (node: YAMLValue) in (try? node.string().lowercased()) == NRPEAccessList.anyKeyword }
        let nodes = try value.list()
        if nodes.isEmpty { throw value.error("is empty; list the monitoring servers, or write [any] to allow every address") }
        if nodes.contains(where: isAny) {
            if nodes.count > 1 { throw value.error("'any' allows every address and goes alone") }
            return [NRPEAccessList.anyKeyword]
        }
        return try value.allowedHosts()
    }

    /// Whole seconds, at least one: nrpe's timeouts are counted in seconds.
    private static func seconds(_ duration: Duration) -> Int {
        max(1, Int(duration.seconds.rounded()))
    }
}
