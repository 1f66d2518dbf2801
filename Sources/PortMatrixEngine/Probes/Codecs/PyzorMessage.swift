/// Pyzor's wire format (protocol version 2.1): RFC 822-style `Key: value` lines in one UDP
/// datagram, signed with SHA-1 over the message, the time and the hashed user key.
struct PyzorMessage: Hashable, Sendable {
    /// Ordered fields; order matters for the signature.
    var fields: [(String, String)]

    static let protocolVersion = "2.1"
    static let anonymousUser = "anonymous"

    static func == (lhs: PyzorMessage, rhs: PyzorMessage) -> Bool {
        lhs.fields.map { [$0.0, $0.1] } == rhs.fields.map { [$0.0, $0.1] }
    }

    func hash(into hasher: inout Hasher) {
        for (key, value) in fields { hasher.combine(key); hasher.combine(value) }
    }

    init(fields: [(String, String)]) {
        self.fields = fields
    }

    /// `Op: ping` as the pyzor client sends it, signed for the anonymous account (empty key):
    /// Sig = sha1(sha1(M) + ":" + T + ":" + sha1(user + ":" + key)), M the message without Sig.
    static func ping(thread: UInt16, time: Int, user: String = anonymousUser, key: String = "") -> PyzorMessage {
        var message = PyzorMessage(fields: [("Op", "ping"), ("Thread", String(thread)), ("PV", protocolVersion),
                                            ("User", user), ("Time", String(time))])
        let hashedKey = SHA1.hex(Array("\(user):\(key.lowercased())".utf8))
        let inner = SHA1.digest(Array(message.text.utf8))
        let signature = SHA1.hex(inner + Array(":\(time):\(hashedKey)".utf8))
        message.fields.append(("Sig", signature))
        return message
    }

    subscript(key: String) -> String? {
        fields.first { $0.0.lowercased() == key.lowercased() }?.1
    }

    /// The header lines joined by newlines, no trailing newline: what pyzor signs and sends.
    var text: String {
        fields.map { "\($0.0): \($0.1)" }.joined(separator: "\n")
    }

    func encoded() -> [UInt8] { Array((text + "\n\n").utf8) }

    /// A server answer has six fields; more than this many are ignored.
    static let maximumFields = 32
    /// Pyzor servers read at most 8 KiB per datagram; bytes beyond are ignored.
    static let maximumLength = 8192

    /// The header fields up to the first empty line (the body is not ours to read), at most
    /// `maximumFields` of them from the first `maximumLength` bytes: a hostile 64 KB datagram of
    /// `a:` lines costs 32 fields, not 20,000.
    init(decoding bytes: some Collection<UInt8>) {
        let text = String(decoding: Array(bytes.prefix(Self.maximumLength)), as: UTF8.self)
        var fields: [(String, String)] = []
        for line in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            if line.isEmpty || line == "\r" { break }
            guard fields.count < Self.maximumFields else { break }
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = line[..<colon].trimmingCharacters(in: " \t")
            let value = line[line.index(after: colon)...].trimmingCharacters(in: " \t\r")
            if !key.isEmpty { fields.append((key, value)) }
        }
        self.fields = fields
    }
}

private extension Substring {
    func trimmingCharacters(in set: String) -> String {
        var slice = self[...]
        while let first = slice.first, set.contains(first) { slice = slice.dropFirst() }
        while let last = slice.last, set.contains(last) { slice = slice.dropLast() }
        return String(slice)
    }
}
