import PortMatrixListening

/// The `nrpe:` section of portmatrix.yaml: everything the listener needs, its defaults, and
/// ``validate()``. Read from YAML by `NRPEConfiguration+YAML.swift`.
public struct NRPEConfiguration: Sendable, Hashable {
    public enum TLSMode: Sendable, Hashable {
        /// Plaintext, for `check_nrpe -n`.
        case off
        case on
    }

    /// `ssl_client_certs` 0/1/2 in nrpe terms.
    public enum ClientCertificates: String, Sendable, Hashable, CaseIterable {
        case none
        /// Verify a certificate when the client presents one.
        case ask
        case require
    }

    /// `host:port`, `[v6]:port`; port 0 picks a free port (see ``NRPEServer/start()``).
    public var listen: [String] = ["0.0.0.0:5666", "[::]:5666"]
    /// IPv4, IPv4/prefix, IPv6, IPv6/prefix or a host name (resolved at start, at reload and
    /// every 5 minutes); `["any"]` allows every address. Empty is a validation error.
    public var allowedHosts: [String] = ["127.0.0.1", "::1"]
    public var tlsMode: TLSMode = .on
    /// PEM files; when both are nil a self-signed certificate is kept in ``stateDirectory``.
    public var certFile: String?
    public var keyFile: String?
    /// CA bundle that client certificates must chain to (needed for `ask` and `require`).
    public var caFile: String?
    public var clientCertificates: ClientCertificates = .none
    /// With `require`: only these client certificates (`sha256:…` fingerprints or subjects such
    /// as `CN=nagios`) are served; empty = any certificate that chains to ``caFile``.
    public var allowedClients: [String] = []
    /// Where the generated certificate and key live (the key with mode 0600).
    public var stateDirectory: String = "/var/lib/portmatrix"
    /// External commands, name -> command line; they win over nrpe.cfg definitions.
    public var commands: [String: String] = [:]
    /// `$ARGn$` substitution for external commands (nrpe's dont_blame_nrpe).
    public var allowArguments = false
    /// An nrpe.cfg whose command definitions are imported.
    public var includeFile: String?
    /// Seconds before an external command is killed (nrpe's command_timeout).
    public var commandTimeout = 60
    /// Seconds a client has to deliver its whole request, TLS handshake included.
    public var connectionTimeout = 10
    /// Connections beyond this are closed at once.
    public var maxConnections = 256
    /// Pending connections the kernel queues (nrpe uses 5).
    public var listenBacklog: Int32 = 256
    /// Threads that external commands block; more concurrent commands wait for one.
    public var commandThreads = 16

    public init() {}
}

/// A configuration mistake, phrased for the operator.
public struct NRPEConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The `nrpe:` key concerned, e.g. `allowed_hosts[2]`.
    public var key: String
    public var message: String
    public var description: String { "nrpe.\(key): \(message)" }

    public init(key: String, message: String) {
        self.key = key
        self.message = message
    }
}

/// Every problem ``NRPEConfiguration/validate()`` found.
public struct NRPEConfigurationErrors: Error, Sendable, CustomStringConvertible {
    public var errors: [NRPEConfigurationError]
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}

extension NRPEConfiguration {
    /// All mistakes at once, so an operator fixes a file in one pass; empty means valid.
    public func validate() -> [NRPEConfigurationError] {
        var errors: [NRPEConfigurationError] = []
        if listen.isEmpty { errors.append(.init(key: "listen", message: "at least one address is needed")) }
        for (index, address) in listen.enumerated() {
            do { _ = try ListenAddress(parsing: address) } catch {
                errors.append(.init(key: "listen[\(index)]", message: "\(error)"))
            }
        }
        if allowedHosts.isEmpty {
            errors.append(.init(key: "allowed_hosts", message: "is empty; list the monitoring servers, or write [any] to allow every address"))
        }
        let isAny = { (entry: String) in entry.trimmingWhitespace().lowercased() == NRPEAccessList.anyKeyword }
        if allowedHosts.contains(where: isAny), allowedHosts.count > 1 {
            errors.append(.init(key: "allowed_hosts", message: "'any' allows every address and goes alone"))
        }
        for (index, entry) in allowedHosts.enumerated() where !isAny(entry) {
            do { _ = try NRPEAllowedHost(parsing: entry) } catch {
                errors.append(.init(key: "allowed_hosts[\(index)]", message: "\(error)"))
            }
        }
        // The pin list's own rule before its entries, as the list reads.
        let combinations = tlsCombinationErrors()
        errors += combinations.filter { $0.key == "tls.allowed_clients" }
        for (index, entry) in allowedClients.enumerated() {
            do { _ = try NRPEClientPin(parsing: entry) } catch {
                errors.append(.init(key: "tls.allowed_clients[\(index)]", message: "\(error)"))
            }
        }
        errors += combinations.filter { $0.key != "tls.allowed_clients" }
        for name in commands.keys where name.isEmpty || name.contains("!") {
            errors.append(.init(key: "commands", message: "invalid command name '\(name)'"))
        }
        if commandTimeout < 1 { errors.append(.init(key: "command_timeout", message: "must be at least 1 second")) }
        if connectionTimeout < 1 { errors.append(.init(key: "connection_timeout", message: "must be at least 1 second")) }
        if maxConnections < 1 { errors.append(.init(key: "max_connections", message: "must be at least 1")) }
        if listenBacklog < 1 { errors.append(.init(key: "listen_backlog", message: "must be at least 1")) }
        if commandThreads < 1 { errors.append(.init(key: "command_threads", message: "must be at least 1")) }
        return errors
    }

    /// Rules between the `tls:` keys, each said once: ``validate()`` and the YAML reader (which
    /// places them at `nrpe.tls`) both report these.
    func tlsCombinationErrors() -> [NRPEConfigurationError] {
        var errors: [NRPEConfigurationError] = []
        if (certFile == nil) != (keyFile == nil) {
            errors.append(.init(key: "tls", message: "cert_file and key_file go together"))
        }
        if tlsMode == .on, clientCertificates != .none, caFile == nil {
            errors.append(.init(key: "tls.ca_file", message: "client_certs: \(clientCertificates.rawValue) needs ca_file to verify clients against"))
        }
        if tlsMode == .off, clientCertificates != .none {
            errors.append(.init(key: "tls.client_certs", message: "client_certs: \(clientCertificates.rawValue) needs tls mode on"))
        }
        if !allowedClients.isEmpty, tlsMode == .off || clientCertificates != .require {
            errors.append(.init(key: "tls.allowed_clients", message: "needs client_certs: require"))
        }
        return errors
    }
}
