/// rsync daemon greeting: `@RSYNCD: <protocol version>`.
public struct RsyncProbe: Probe {
    public let name = "rsync"
    public let optionKeys = [ProbeOptionKey.expectBanner]

    public init() {}

    public func run(_ request: ProbeRequest, context: ProbeContext) async -> ProbeOutcome {
        await ProbeSession.run(request, context: context) { connection in
            let line = try await connection.readLine(maxLength: 256)
            connection.observations.banner = line
            guard line.hasPrefix("@RSYNCD: ") else {
                throw ProbeFailure(.protocolError, "not an rsync daemon greeting: \(line.prefix(80).printable)")
            }
            try connection.checkExpectedBanner(line)
            return line.printable
        }
    }
}
