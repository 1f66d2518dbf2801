/// TLS-first handshake: version and leaf certificate are the result. Also serves
/// `syslog-tls`: RFC 5425 has no application-level acknowledgement, so a completed handshake
/// and the certificate are all the evidence a syslog-over-TLS receiver gives.
public struct TLSProbe: Probe {
    public let name: String
    public let observationTypes: [any Observation.Type] = [TLSObservation.self]
    public let optionKeys = ProbeOptionKey.tls + [.expectBanner]

    public init(name: String = "tls") {
        self.name = name
    }

    public func run(_ request: ProbeRequest, context: ProbeContext) async -> ProbeOutcome {
        await ProbeSession.run(request, context: context, start: .tls) { connection in
            let summary = connection.observations.tls?.summary ?? "TLS handshake completed"
            // No banner in TLS: `expectBanner` is matched against version and certificate subject.
            try connection.checkExpectedBanner(summary)
            return summary
        }
    }
}
