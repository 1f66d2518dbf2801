/// A query's buffer split the way nrpe splits it: `command!arg1!arg2…`.
public struct NRPERequest: Sendable, Hashable {
    public var command: String
    public var arguments: [String]
    /// False when the query's bytes were not UTF-8 (repaired in ``command`` and ``arguments``):
    /// such a request never reaches a shell, whose bytes would differ from what was checked.
    public var isValidUTF8 = true

    public init(command: String, arguments: [String] = []) {
        self.command = command
        self.arguments = arguments
    }

    /// A query buffer as received.
    public init(parsing bytes: [UInt8]) {
        self.init(parsing: String(decoding: bytes, as: UTF8.self))
        isValidUTF8 = String(validating: bytes, as: UTF8.self) != nil
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
