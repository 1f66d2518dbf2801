/// POP3 (RFC 1939, 2595): `+OK` greeting, CAPA and STLS per STARTTLS policy, QUIT; `pop3s`
/// with TLS first.
public struct POP3Probe: Probe {
    public let name: String
    let implicitTLS: Bool
    public let observationTypes: [any Observation.Type] = [TLSObservation.self]
    public var optionKeys: [ProbeOptionKey] { (implicitTLS ? ProbeOptionKey.tls : ProbeOptionKey.startTLS) + [.expectBanner] }

    public init(implicitTLS: Bool) {
        self.implicitTLS = implicitTLS
        self.name = implicitTLS ? "pop3s" : "pop3"
    }

    public func run(_ request: ProbeRequest, context: ProbeContext) async -> ProbeOutcome {
        await ProbeSession.run(request, context: context, start: implicitTLS ? .tls : .plain) { connection in
            let greeting = try await connection.readLine(maxLength: 512)
            connection.observations.banner = greeting
            guard greeting.hasPrefix("+OK") else {
                throw ProbeFailure(.protocolError, "POP3 greeting is not +OK: \(greeting.prefix(80).printable)")
            }
            try connection.checkExpectedBanner(greeting)
            var upgraded = false
            if !implicitTLS, request.options.starttls != .off {
                try await connection.write("CAPA\r\n")
                let capabilities = try await readCapabilities(connection)
                if try request.options.starttls.shouldUpgrade(offered: capabilities.contains("STLS"), protocolName: "POP3") {
                    try await connection.write("STLS\r\n")
                    let ready = try await connection.readLine(maxLength: 512)
                    guard ready.hasPrefix("+OK") else { throw ProbeFailure(.protocolError, "STLS refused: \(ready.prefix(80).printable)") }
                    try await connection.startTLS()
                    upgraded = true
                }
            }
            try? await connection.write("QUIT\r\n")
            _ = try? await connection.readLine(maxLength: 512)
            var message = greeting.printable
            if let tls = connection.observations.tls { message += (upgraded ? ", STLS " : ", ") + tls.summary }
            return message
        }
    }

    /// CAPA answers `+OK` then one capability per line up to `.`; `-ERR` means no CAPA (an old
    /// server), which offers nothing.
    private func readCapabilities(_ connection: ProbeConnection) async throws -> Set<String> {
        let status = try await connection.readLine(maxLength: 512)
        guard status.hasPrefix("+OK") else { return [] }
        var capabilities: Set<String> = []
        for _ in 0..<256 {
            let line = try await connection.readLine(maxLength: 512)
            if line == "." { return capabilities }
            if let keyword = line.split(separator: " ").first { capabilities.insert(keyword.uppercased()) }
        }
        throw ProbeFailure(.protocolError, "CAPA list longer than 256 lines")
    }
}
