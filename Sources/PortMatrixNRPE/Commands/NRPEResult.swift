/// A Nagios plugin state; the raw values are the plugin exit codes and the NRPE result_code.
public enum NRPEState: Int16, Sendable, Hashable, CaseIterable {
    case ok = 0
    case warning = 1
    case critical = 2
    case unknown = 3

    /// Exit codes outside 0...3 mean UNKNOWN, as in nrpe.
    public init(exitCode: Int32) {
        self = Int16(exactly: exitCode).flatMap(NRPEState.init(rawValue:)) ?? .unknown
    }
}

/// What a command answers: a state and the plugin output (first line, then long output).
public struct NRPEResult: Sendable, Hashable {
    public var state: NRPEState { didSet { replies = [:] } }
    public var output: String { didSet { replies = [:] } }
    /// Reply packets encoded ahead by ``encodingReplies()``; derived from state and output, so
    /// not part of equality, and dropped when either changes.
    private var replies: [NRPEPacket.Version: [UInt8]] = [:]

    public init(state: NRPEState, output: String) {
        self.state = state
        self.output = output
    }

    public static func == (lhs: NRPEResult, rhs: NRPEResult) -> Bool {
        lhs.state == rhs.state && lhs.output == rhs.output
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(state)
        hasher.combine(output)
    }

    /// This result with its reply packet for every version encoded now: a built-in serving one
    /// result to many requests (until its snapshot changes) encodes it once, not per request.
    public func encodingReplies() -> NRPEResult {
        var result = self
        result.replies = Dictionary(uniqueKeysWithValues: NRPEPacket.Version.allCases.map { ($0, encodeReply($0)) })
        return result
    }

    /// The response packet answering a query of `version`.
    public func reply(_ version: NRPEPacket.Version) -> [UInt8] {
        replies[version] ?? encodeReply(version)
    }

    private func encodeReply(_ version: NRPEPacket.Version) -> [UInt8] {
        NRPEPacket(version: version, type: .response, resultCode: state.rawValue, text: output).encoded()
    }
}
