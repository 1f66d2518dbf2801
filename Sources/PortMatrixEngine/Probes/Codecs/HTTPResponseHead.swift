/// The status line of an HTTP/1.x response (RFC 9112 4), read by the HTTP probe and from a
/// proxy's answer to CONNECT: `HTTP/x.y SP 3DIGIT [SP reason]`.
struct HTTPStatusLine: Hashable, Sendable {
    var version: String
    var code: Int
    var reason: String

    /// nil unless the line is a status line with a code from 100 to 599.
    init?(_ line: some StringProtocol) {
        let parts = line.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/") else { return nil }
        let digits = Array(parts[1].utf8)
        guard digits.count == 3, digits.allSatisfy({ (48...57).contains($0) }) else { return nil }
        let code = digits.reduce(0) { $0 * 10 + Int($1 - 48) }
        guard (100...599).contains(code) else { return nil }
        self.version = String(parts[0])
        self.code = code
        self.reason = parts.count > 2 ? String(parts[2]) : ""
    }
}

/// The head of an HTTP response (status line and header fields up to the empty line), bounded
/// so a proxy that never ends its head costs `maxLength` bytes and an error.
enum HTTPResponseHead: Equatable {
    /// The head as text, CR LF CR LF included, and the bytes it took.
    case head(String, consumed: Int)
    case incomplete
    case tooLong

    static let maximumLength = 8192

    /// Looks at the first `maxLength` bytes only: the terminator must fall inside them.
    static func scan(_ bytes: some Collection<UInt8>, maxLength: Int = maximumLength) -> HTTPResponseHead {
        let window = Array(bytes.prefix(maxLength))
        if let end = window.firstRange(of: [13, 10, 13, 10]) {
            return .head(String(decoding: window[..<end.upperBound], as: UTF8.self), consumed: end.upperBound)
        }
        return window.count >= maxLength ? .tooLong : .incomplete
    }

    /// The first line of a head.
    static func statusLine(of head: String) -> String {
        head.split(separator: "\r\n", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
    }
}
