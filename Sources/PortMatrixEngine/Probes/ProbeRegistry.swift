import PortMatrixModel

/// Maps the probe names used in profiles to their implementations.
public struct ProbeRegistry: Sendable {
    private var probes: [String: any Probe]

    public init(_ probes: [any Probe]) {
        self.probes = Dictionary(probes.map { ($0.name, $0) }, uniquingKeysWith: { _, later in later })
    }

    public func probe(named name: String) -> (any Probe)? { probes[name] }

    public var names: [String] { probes.keys.sorted() }

    /// The observation types of all its probes, one per key: how a check document is read back.
    public var observationTypes: [any Observation.Type] {
        var seen = Set<String>()
        // The engine's own per-address results come first: any probe's check may carry them.
        let engine: [any Observation.Type] = [AddressResults.self]
        return (engine + names.compactMap { probes[$0] }.flatMap(\.observationTypes)).filter { seen.insert($0.key).inserted }
    }

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

/// The configuration loader checks probe names and option keys against the registry.
extension ProbeRegistry: ProbeCatalog {
    public var probeNames: [String] { names }

    public func optionKeys(forProbe name: String) -> [String]? {
        probes[name].map { $0.optionKeys.map(\.key) }
    }

    public func checkOption(_ value: ProbeOptionValue, forProbe name: String) throws {
        try probes[name]?.optionKeys.first { $0.key == value.key }?.check(value)
    }
}
