#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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

    /// `file:line: message` for includes that cannot be followed safely: a cycle, nesting
    /// deeper than ``maximumDepth``, a file above ``maximumFileSize``. ``init(contentsOf:)``
    /// throws them; nothing of such a file set should be half-imported.
    public private(set) var errors: [String] = []

    /// nrpe.cfg and every file it includes are refused above this size.
    public static let maximumFileSize = 1 << 20
    /// Includes (and include_dir subdirectories) nested deeper than this are refused.
    public static let maximumDepth = 16

    /// Real paths of the files and directories being read, outermost first: an include of
    /// one of them is a cycle.
    private var stack: [String] = []

    /// Reads `path` and its includes. Throws when `path` itself cannot be read, and for
    /// ``errors``.
    public init(contentsOf path: String) throws {
        let text = try POSIXFile.read(path, limit: Self.maximumFileSize)
        stack = [POSIXFile.realPath(path) ?? path]
        parse(text, path: path, depth: 0)
        finish()
        if !errors.isEmpty { throw NRPEConfigFileError(errors: errors) }
    }

    /// Parses `text` as if read from `path`; includes are read from disk.
    public init(parsing text: String, path: String = "nrpe.cfg") {
        stack = [POSIXFile.realPath(path) ?? path]
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
            case "include":
                include(file: value, from: location, depth: depth + 1)
            case "include_dir":
                include(directory: value, from: location, depth: depth + 1)
            case _ where Self.nrpeOnlyKeys.contains(key):
                ignoredSettings.append("\(location): \(key)")
            default:
                warnings.append("\(location): unknown key '\(key)', skipped")
            }
        }
    }

    /// Nil (and an error recorded) when `target` must not be entered: too deep, or a cycle.
    private mutating func enter(_ target: String, from location: String, depth: Int) -> String? {
        guard depth <= Self.maximumDepth else {
            errors.append("\(location): include of '\(target)' nested deeper than \(Self.maximumDepth) levels")
            return nil
        }
        let real = POSIXFile.realPath(target) ?? target
        if stack.contains(real) {
            errors.append("\(location): include cycle: \((stack + [real]).joined(separator: " -> "))")
            return nil
        }
        return real
    }

    private mutating func include(file: String, from location: String, depth: Int) {
        guard let real = enter(file, from: location, depth: depth) else { return }
        let text: String
        do { text = try POSIXFile.read(file, limit: Self.maximumFileSize) } catch {
            if error.code == EFBIG {
                errors.append("\(location): include \(error)")
            } else {
                warnings.append("\(location): include skipped: \(error)")
            }
            return
        }
        stack.append(real)
        parse(text, path: file, depth: depth)
        stack.removeLast()
    }

    /// As nrpe: every `*.cfg` file, and every subdirectory, in name order.
    private mutating func include(directory: String, from location: String, depth: Int) {
        guard let real = enter(directory, from: location, depth: depth) else { return }
        let names: [String]
        do { names = try POSIXFile.entries(of: directory) } catch {
            warnings.append("\(location): include skipped: \(error)")
            return
        }
        let base = directory.hasSuffix("/") ? String(directory.dropLast()) : directory
        stack.append(real)
        for name in names {
            let path = "\(base)/\(name)"
            if POSIXFile.isDirectory(path) {
                include(directory: path, from: location, depth: depth + 1)
            } else if name.hasSuffix(".cfg") {
                include(file: path, from: location, depth: depth)
            }
        }
        stack.removeLast()
    }

    private mutating func finish() {
        for (name, line) in rawCommands {
            commands[name] = prefix.map { "\($0) \(line)" } ?? line
        }
    }
}

/// Includes that cannot be followed safely (``NRPEConfigFile/errors``), one per line.
public struct NRPEConfigFileError: Error, CustomStringConvertible {
    public var errors: [String]
    public var description: String { errors.joined(separator: "\n") }
}
