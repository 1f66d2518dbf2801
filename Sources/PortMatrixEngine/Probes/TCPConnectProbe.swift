/// Plain TCP connect: the fallback for ports with no protocol of their own. With
/// `expectBanner` it also reads the first line the server sends.
public struct TCPConnectProbe: Probe {
    public let name = "tcp"
    public let optionKeys = [ProbeOptionKey.expectBanner]

    public init() {}

    public func run(_ request: ProbeRequest, context: ProbeContext) async -> ProbeOutcome {
        await ProbeSession.run(request, context: context) { connection in
            guard request.options.expectBanner != nil else {
                return "connected to \(connection.observations.peerAddress ?? request.host)"
            }
            let line = try await connection.readLine()
            connection.observations.banner = line
            try connection.checkExpectedBanner(line)
            return line.printable
        }
    }
}
