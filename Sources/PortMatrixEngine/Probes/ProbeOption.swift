import PortMatrixModel

/// A probe's own option in `paths.<id>.probe`, declared in the probe's file: its key, how its
/// text is read, and its value when absent. `config validate` reads it at load (errors at
/// FILE:LINE:COL), the probe at run time with `request.options[option]`.
public struct ProbeOption<Value: Sendable>: Sendable {
    public let key: String
    public let defaultValue: Value
    let read: @Sendable (ProbeOptionValue) throws -> Value

    public init(_ key: String, default defaultValue: Value, read: @escaping @Sendable (ProbeOptionValue) throws -> Value) {
        self.key = key
        self.defaultValue = defaultValue
        self.read = read
    }
}

/// A key a probe takes, as it lists them in ``Probe/optionKeys``.
public struct ProbeOptionKey: Sendable {
    public let key: String
    /// Refuses a value the probe cannot use.
    let check: @Sendable (ProbeOptionValue) throws -> Void

    /// One of the probe's own options.
    public init<Value>(_ option: ProbeOption<Value>) {
        key = option.key
        check = { _ = try option.read($0) }
    }

    /// A knob several probes share; ``ProbeOptions`` reads it into its typed field at load.
    public init(_ shared: SharedProbeOption) {
        key = shared.rawValue
        check = { _ in }
    }

    /// What a probe that may speak TLS takes: verification, CA file and server name.
    public static let tls: [ProbeOptionKey] = [.init(.verifyCertificate), .init(.caFile), .init(.serverName)]
    /// TLS after a plaintext start (SMTP, POP3, IMAP, LDAP): the policy and the TLS knobs.
    public static let startTLS: [ProbeOptionKey] = [.init(.starttls)] + tls
    public static let expectBanner = ProbeOptionKey(.expectBanner)
}

extension ProbeOptions {
    /// A probe's own option as configured, else its default. Values were read at load, so a
    /// value that does not read here comes from code, not a file, and falls back likewise.
    public subscript<Value>(option: ProbeOption<Value>) -> Value {
        guard let value = values[option.key], let read = try? option.read(value) else { return option.defaultValue }
        return read
    }
}
