/// Per-path knobs for the protocol spoken on a check (`paths.<id>.probe` in the configuration).
/// The model only carries them; the engine's probes declare which they take and interpret them.
public struct ProbeOptions: Sendable, Hashable {
    public enum StartTLS: String, Sendable, Hashable, CaseIterable {
        /// Upgrade when the server offers it; fine when it does not.
        case auto
        /// The server must offer and complete it (critical otherwise).
        case required
        /// Upgrade when offered; not offered is a warning (SMTP's default: an encryption
        /// gateway whose peer cannot do TLS is a finding).
        case expected
        /// Never upgrade.
        case off
    }

    /// As configured; nil leaves it to the protocol: `expected` for SMTP, `auto` for the others.
    public var starttlsSetting: StartTLS?
    /// The policy for protocols whose default is `auto` (POP3, IMAP, LDAP).
    public var starttls: StartTLS {
        get { starttlsSetting ?? .auto }
        set { starttlsSetting = newValue }
    }
    /// Verify the peer chain against the system store or `caFile`.
    public var verifyCertificate: Bool = false
    public var caFile: String?
    /// SNI and name to verify; defaults to the target host when it is a name.
    public var serverName: String?
    /// DNS question; the root zone's NS set answers on any resolver and on the root servers.
    public var dnsQueryName: String = "."
    public var dnsQueryType: String = "NS"
    public var httpPath: String = "/"
    /// Substring the banner or greeting must contain (banner_mismatch otherwise).
    public var expectBanner: String?
    /// Name sent in EHLO / client identification.
    public var heloName: String = "portmatrix.invalid"
    /// Every key as written (shared ones too), with its place: a probe reads its own options
    /// from here (`request.options[option]` in the engine).
    public var values: [String: ProbeOptionValue] = [:]

    public init() {}
}
