/// Vipul's Razor (razor2) catalogue/discovery server on TCP 2703. The server speaks first
/// with a greeting of `key=value&...` pairs (`sn=` server name, `srl=` ... as razor-agents parse
/// it). No razor2 server was available here to confirm every variant, so any non-empty first
/// line counts as a greeting; a line with `sn=` is reported as a razor greeting.
public struct RazorProbe: Probe {
    public let name = "razor"
    public let optionKeys = [ProbeOptionKey.expectBanner]

    public init() {}

    public func run(_ request: ProbeRequest, context: ProbeContext) async -> ProbeOutcome {
        await ProbeSession.run(request, context: context) { connection in
            var line = ""
            while line.isEmpty {
                line = try await connection.readLine(maxLength: 1024).trimmingTrailingWhitespace
            }
            connection.observations.banner = line
            try connection.checkExpectedBanner(line)
            let kind = line.contains("sn=") ? "razor greeting" : "greeting"
            return "\(kind): \(line.prefix(120).printable)"
        }
    }
}
