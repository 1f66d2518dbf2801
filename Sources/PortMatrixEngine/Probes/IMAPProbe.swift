/// IMAP4rev1 (RFC 3501): `* OK` greeting, CAPABILITY and STARTTLS per policy, LOGOUT;
/// `imaps` with TLS first.
public struct IMAPProbe: Probe {
    public let name: String
    let implicitTLS: Bool
    public let observationTypes: [any Observation.Type] = [TLSObservation.self]
    public var optionKeys: [ProbeOptionKey] { (implicitTLS ? ProbeOptionKey.tls : ProbeOptionKey.startTLS) + [.expectBanner] }

    public init(implicitTLS: Bool) {
        self.implicitTLS = implicitTLS
        self.name = implicitTLS ? "imaps" : "imap"
    }

    public func run(_ request: ProbeRequest, context: ProbeContext) async -> ProbeOutcome {
        await ProbeSession.run(request, context: context, start: implicitTLS ? .tls : .plain) { connection in
            let greeting = try await connection.readLine(maxLength: 8192)
            connection.observations.banner = greeting
            guard greeting.hasPrefix("* OK") || greeting.hasPrefix("* PREAUTH") else {
                throw ProbeFailure(.protocolError, "IMAP greeting is not * OK: \(greeting.prefix(80).printable)")
            }
            try connection.checkExpectedBanner(greeting)
            var upgraded = false
            if !implicitTLS, request.options.starttls != .off {
                let capabilities = try await command("a1", "CAPABILITY", connection)
                if try request.options.starttls.shouldUpgrade(offered: capabilities.contains("STARTTLS"), protocolName: "IMAP") {
                    _ = try await command("a2", "STARTTLS", connection)
                    try await connection.startTLS()
                    upgraded = true
                }
            }
            try? await connection.write("a3 LOGOUT\r\n")
            _ = try? await connection.readLine(maxLength: 8192)
            var message = greeting.printable
            if let tls = connection.observations.tls { message += (upgraded ? ", STARTTLS " : ", ") + tls.summary }
            return message
        }
    }

    /// Sends a tagged command, collects capability words from untagged lines, and requires a
    /// tagged OK.
    private func command(_ tag: String, _ command: String, _ connection: ProbeConnection) async throws -> Set<String> {
        try await connection.write("\(tag) \(command)\r\n")
        var capabilities: Set<String> = []
        for _ in 0..<256 {
            let line = try await connection.readLine(maxLength: 8192)
            if line.hasPrefix("* CAPABILITY ") {
                capabilities.formUnion(line.dropFirst(13).split(separator: " ").map { $0.uppercased() })
            } else if line.hasPrefix("\(tag) ") {
                guard line.dropFirst(tag.count + 1).hasPrefix("OK") else {
                    throw ProbeFailure(.protocolError, "\(command) failed: \(line.prefix(80).printable)")
                }
                return capabilities
            }
        }
        throw ProbeFailure(.protocolError, "no tagged answer to \(command) within 256 lines")
    }
}
