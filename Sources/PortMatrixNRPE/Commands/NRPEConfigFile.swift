/// The command definitions of an existing nrpe.cfg, so sites keep their `command[...]` lines.
///
/// Only `command[name]=`, `command_prefix=`, `include=` and `include_dir=` are imported. The
/// other nrpe keys (listen address, allowed_hosts, TLS, …) are reported in
/// ``ignoredSettings`` because portmatrix configures them in its own YAML; keys nrpe does not
/// know either are ``warnings``. A later definition of a command wins, as in nrpe.
public struct NRPEConfigFile: Sendable {
    /// Command lines with `command_prefix` already applied.
    public private(set) var commands: [String: String] = [:]
    /// `file:line: message` for unknown keys, malformed lines and unreadable includes.
    public private(set) var warnings: [String] = []
    /// nrpe keys that were understood but not imported, `file:line: key`.
    public private(set) var ignoredSettings: [String] = []

    private var prefix: String?
    private var rawCommands: [(name: String, line: String)] = []

    /// nrpe 4.1.0's keys that portmatrix sets elsewhere.
    static let nrpeOnlyKeys: Set<String> = [
        "log_facility", "log_file", "debug", "pid_file", "server_port", "server_address", "listen_queue_size",
        "nrpe_user", "nrpe_group", "allowed_hosts", "dont_blame_nrpe", "allow_bash_command_substitution",
        "command_timeout", "connection_timeout", "disable_syslog", "allow_weak_random_seed", "ssl_version",
        "ssl_cipher_list", "ssl_cacert_file", "ssl_cert_file", "ssl_privatekey_file", "ssl_client_certs",
        "ssl_logging", "nasty_metachars", "keep_env_vars", "max_commands",
    ]

    /// Reads `path` and its includes. Throws only when `path` itself cannot be read.
    public init(contentsOf path: String) throws {
        let text = try POSIXFile.read(path)
        parse(text, path: path, depth: 0)
        finish()
    }

    /// Parses `text` as if read from `path`; includes are read from disk.
    public init(parsing text: String, path: String = "nrpe.cfg") {
        parse(text, path: path, depth: 0)
        finish()
    }

    private mutating func parse(_ text: String, path: String, depth: Int) {
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let location = "\(path):\(index + 1)"
            let line = rawLine.trimmingWhitespace()
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let equals = line.firstIndex(of: "=") else {
                warnings.append("\(location): no '=' in line, skipped")
                continue
            }
            let key = String(line[..<equals]).trimmingWhitespace()
            let value = String(line[line.index(after: equals)...]).trimmingWhitespace()
            if key.hasPrefix("command["), key.hasSuffix("]") {
                let name = String(key.dropFirst("command[".count).dropLast())
                guard !name.isEmpty else {
                    warnings.append("\(location): empty command name, skipped")
                    continue
                }
                rawCommands.append((name, value))
                continue
            }
            switch key {
            case "command_prefix":
                prefix = value.isEmpty ? nil : value
            case "include", "include_dir":
                guard depth < 16 else {
                    warnings.append("\(location): includes nested too deep, '\(value)' skipped")
                    continue
                }
                include(value, directory: key == "include_dir", from: location, depth: depth + 1)
            case _ where Self.nrpeOnlyKeys.contains(key):
                ignoredSettings.append("\(location): \(key)")
            default:
                warnings.append("\(location): unknown key '\(key)', skipped")
            }
        }
    }

    private mutating func include(_ target: String, directory: Bool, from location: String, depth: Int) {
        do {
            let files = directory
                ? try POSIXFile.entries(of: target).filter { $0.hasSuffix(".cfg") }.map { "\(target.hasSuffix("/") ? String(target.dropLast()) : target)/\($0)" }
                : [target]
            for file in files {
                parse(try POSIXFile.read(file), path: file, depth: depth)
            }
        } catch {
            warnings.append("\(location): include skipped: \(error)")
        }
    }

    private mutating func finish() {
        for (name, line) in rawCommands {
            commands[name] = prefix.map { "\($0) \(line)" } ?? line
        }
    }
}
