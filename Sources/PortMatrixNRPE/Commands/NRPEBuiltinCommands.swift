/// The commands answered inside the agent (`check_portmatrix`, `check_path`, …), implemented
/// by whoever owns the check engine.
public protocol NRPEBuiltinCommands: Sendable {
    /// nil = not a built-in. Never blocks on probes: answers from a snapshot.
    /// Arguments arrive always (they never reach a shell), unfiltered.
    func run(command: String, arguments: [String]) async -> NRPEResult?
}

/// No built-ins: only `_NRPE_CHECK` and external commands are answered.
public struct NRPENoBuiltinCommands: NRPEBuiltinCommands {
    public init() {}
    public func run(command: String, arguments: [String]) async -> NRPEResult? { nil }
}
