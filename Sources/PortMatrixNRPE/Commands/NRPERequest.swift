/// A query's buffer split the way nrpe splits it: `command!arg1!arg2…`.
public struct NRPERequest: Sendable, Hashable {
    public var command: String
    public var arguments: [String]

    public init(command: String, arguments: [String] = []) {
        self.command = command
        self.arguments = arguments
    }

    public init(parsing text: String) {
        let parts = text.split(separator: "!", omittingEmptySubsequences: false).map(String.init)
        self.init(command: parts.first ?? "", arguments: Array(parts.dropFirst()))
    }

    /// The command `check_nrpe` sends when `-c` is omitted.
    public static let versionCheck = "_NRPE_CHECK"
    /// What `_NRPE_CHECK` answers: nrpe's version, so check_nrpe users see what they expect.
    public static let versionString = "NRPE v4.1.0 (portmatrix)"
}
