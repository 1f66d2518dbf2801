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
    public var state: NRPEState
    public var output: String

    public init(state: NRPEState, output: String) {
        self.state = state
        self.output = output
    }
}
