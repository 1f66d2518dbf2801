/// One SMTP reply (RFC 5321 4.2): a code and the texts of its lines (`250-A`, `250-B`, `250 C`).
struct SMTPReply: Hashable, Sendable {
    var code: Int
    var lines: [String]

    var text: String { "\(code) " + lines.joined(separator: " / ") }

    /// RFC 5321 4.5.3.1.5 allows 512 bytes per reply line; real servers stay far below 1000.
    static let maximumLineLength = 1000
    /// An endless `250-` continuation ends here instead of reading forever.
    static let maximumLines = 256

    enum DecodingError: Error, Equatable {
        case notAReply(String)
        case codeChanged(String)
        case tooManyLines

        var message: String {
            switch self {
            case .notAReply(let line): return "not an SMTP reply: \(line.prefix(80).printable)"
            case .codeChanged(let line): return "reply code changed within a multi-line reply: \(line.prefix(80).printable)"
            case .tooManyLines: return "SMTP reply longer than \(SMTPReply.maximumLines) lines"
            }
        }
    }

    /// Collects the lines of one reply, one at a time as the reader frames them, until the
    /// line with a space (or nothing) after the code.
    struct Assembler {
        private var code: Int?
        private var lines: [String] = []

        init() {}

        /// The finished reply after its last line, nil while more lines are due.
        mutating func add(_ line: String) throws(DecodingError) -> SMTPReply? {
            let bytes = Array(line.utf8)
            guard bytes.count >= 3, bytes[0..<3].allSatisfy({ (48...57).contains($0) }),
                  bytes.count == 3 || bytes[3] == UInt8(ascii: " ") || bytes[3] == UInt8(ascii: "-") else {
                throw .notAReply(line)
            }
            let lineCode = bytes[0..<3].reduce(0) { $0 * 10 + Int($1 - 48) }
            if let code, code != lineCode { throw .codeChanged(line) }
            guard lines.count < SMTPReply.maximumLines else { throw .tooManyLines }
            code = lineCode
            lines.append(bytes.count > 4 ? String(decoding: bytes[4...], as: UTF8.self) : "")
            if bytes.count == 3 || bytes[3] == UInt8(ascii: " ") {
                return SMTPReply(code: lineCode, lines: lines)
            }
            return nil
        }
    }
}
