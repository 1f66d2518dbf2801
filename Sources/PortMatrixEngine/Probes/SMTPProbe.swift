import PortMatrixModel
/// ESMTP dialogue (RFC 5321, 3207): greeting, EHLO, STARTTLS per policy, EHLO again, QUIT.
/// Reads multi-line replies to the line with a space after the code, so a `220-` banner and a
/// capability list ending in `250 STARTTLS` are understood.
public struct SMTPProbe: Probe {
    public let name = "smtp"
    public let observationTypes: [any Observation.Type] = [SMTPObservation.self, TLSObservation.self]
    public let optionKeys = ProbeOptionKey.startTLS + [ProbeOptionKey(.heloName), .expectBanner]

    public init() {}

    public func run(_ request: ProbeRequest, context: ProbeContext) async -> ProbeOutcome {
        await ProbeSession.run(request, context: context) { connection in
            let greeting = try await SMTPReply.read(from: connection)
            connection.observations.banner = greeting.lines.first
            guard greeting.code == 220 else {
                throw ProbeFailure(.protocolError, "server refuses service: \(greeting.text.printable)")
            }
            try connection.checkExpectedBanner(greeting.text)

            var extensions = try await ehlo(connection)
            var upgraded = false
            connection.observations.smtp = SMTPObservation(starttls: false, extensions: extensions)
            let policy = request.options.starttlsSetting ?? .expected
            let offered = extensions.contains("STARTTLS")
            if !offered, policy != .off, let masked = extensions.first(where: Self.isMaskedKeyword) {
                // Cisco's ESMTP inspection overwrites keywords it does not allow with X's of the
                // same length: mail through it can never be encrypted.
                try? await connection.write("QUIT\r\n")
                throw ProbeFailure(.protocolError, "STARTTLS masked by an inspecting middlebox (EHLO shows \(masked))")
            }
            if try policy.shouldUpgrade(offered: offered, protocolName: "SMTP") {
                try await connection.write("STARTTLS\r\n")
                let ready = try await SMTPReply.read(from: connection)
                guard ready.code == 220 else {
                    throw ProbeFailure(.protocolError, "STARTTLS refused: \(ready.text.printable)")
                }
                do {
                    try await connection.startTLS()
                } catch let failure as ProbeFailure where failure.reason == .tlsHandshake || failure.reason == .readTimeout {
                    throw ProbeFailure(failure.reason, "STARTTLS accepted, then the TLS handshake failed: \(failure.message)", status: failure.status)
                }
                upgraded = true
                // RFC 3207: forget what was learnt before TLS and ask again.
                extensions = try await ehlo(connection)
                connection.observations.smtp = SMTPObservation(starttls: true, extensions: extensions)
            }
            try? await connection.write("QUIT\r\n")
            _ = try? await SMTPReply.read(from: connection)

            var message = greeting.lines.first.map { String($0.printable.prefix(120)) } ?? "220"
            if upgraded, let tls = connection.observations.tls { message += ", STARTTLS " + tls.summary }
            if !offered, policy == .expected {
                throw ProbeFailure(.protocolError, "STARTTLS not offered, expected on this path (\(message))", status: .warning)
            }
            return message
        }
    }

    /// `XXXXXXXA`: the 8 letters of STARTTLS overwritten by an inspecting firewall.
    static func isMaskedKeyword(_ keyword: String) -> Bool {
        keyword.count == 8 && keyword.hasPrefix("XXXXXXX") && (keyword.hasSuffix("A") || keyword.hasSuffix("X"))
    }

    /// EHLO and the extension keywords of the 250 reply (first line is the server's name).
    private func ehlo(_ connection: ProbeConnection) async throws -> [String] {
        try await connection.write("EHLO \(connection.request.options.heloName)\r\n")
        let reply = try await SMTPReply.read(from: connection)
        guard reply.code == 250 else {
            throw ProbeFailure(.protocolError, "EHLO rejected: \(reply.text.printable)")
        }
        return reply.lines.dropFirst().compactMap { line in
            line.split(separator: " ").first.map { $0.uppercased() }
        }
    }
}

extension SMTPReply {
    /// Reads one reply line by line: at most `maximumLineLength` bytes per line and
    /// `maximumLines` lines, so an endless `250-` continuation is a protocol error.
    static func read(from connection: ProbeConnection) async throws -> SMTPReply {
        var assembler = Assembler()
        while true {
            let line = try await connection.readLine(maxLength: maximumLineLength)
            do {
                if let reply = try assembler.add(line) { return reply }
            } catch {
                throw ProbeFailure(.protocolError, error.message)
            }
        }
    }
}
