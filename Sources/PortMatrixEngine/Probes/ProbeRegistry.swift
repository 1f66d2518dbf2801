/// Maps the probe names used in profiles to their implementations.
public struct ProbeRegistry: Sendable {
    private var probes: [String: any Probe]

    public init(_ probes: [any Probe]) {
        self.probes = Dictionary(probes.map { ($0.name, $0) }, uniquingKeysWith: { _, later in later })
    }

    public func probe(named name: String) -> (any Probe)? { probes[name] }

    public var names: [String] { probes.keys.sorted() }

    /// Every protocol portmatrix speaks. Adding a protocol: one file in Probes/, one line here.
    public static let standard = ProbeRegistry([
        TCPConnectProbe(),
        SMTPProbe(),
        SSHProbe(),
        TLSProbe(),
        TLSProbe(name: "syslog-tls"),
        HTTPProbe(tls: false),
        HTTPProbe(tls: true),
        DNSProbe(),
        SNTPProbe(),
        LDAPProbe(implicitTLS: false),
        LDAPProbe(implicitTLS: true),
        POP3Probe(implicitTLS: false),
        POP3Probe(implicitTLS: true),
        IMAPProbe(implicitTLS: false),
        IMAPProbe(implicitTLS: true),
        RsyncProbe(),
        RazorProbe(),
        PyzorProbe(),
        UDPProbe(),
    ])
}
