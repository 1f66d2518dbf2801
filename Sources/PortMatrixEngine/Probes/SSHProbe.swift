/// SSH identification exchange (RFC 4253 section 4.2).
public struct SSHProbe: Probe {
    public let name = "ssh"
    public let optionKeys = [ProbeOptionKey.expectBanner]

    public init() {}

    public func run(_ request: ProbeRequest, context: ProbeContext) async -> ProbeOutcome {
        await ProbeSession.run(request, context: context) { connection in
            // The server may send other lines before its identification; each is at most 255 bytes.
            var identification: String?
            for _ in 0..<32 {
                let line = try await connection.readLine(maxLength: 255)
                if line.hasPrefix("SSH-") {
                    identification = line
                    break
                }
            }
            guard let identification else { throw ProbeFailure(.protocolError, "no SSH identification in the first 32 lines") }
            connection.observations.banner = identification
            let fields = identification.split(separator: "-", maxSplits: 2)
            guard fields.count == 3, fields[1] == "2.0" || fields[1] == "1.99" else {
                throw ProbeFailure(.protocolError, "unsupported SSH protocol: \(identification.printable)")
            }
            try connection.checkExpectedBanner(identification)
            // Our own identification, so the server logs a client that went away, not a scanner.
            try? await connection.write("SSH-2.0-portmatrix\r\n")
            return identification.printable
        }
    }
}
