/// The parts of a DNS message (RFC 1035) a probe needs: header, first question, counts. Records
/// are counted, not decoded: the probe proves the server answers, it does not resolve.
struct DNSMessage: Hashable, Sendable {
    var id: UInt16
    var flags: UInt16
    var questions: [Question]
    var answerCount: UInt16 = 0
    var authorityCount: UInt16 = 0
    var additionalCount: UInt16 = 0

    struct Question: Hashable, Sendable {
        var name: String
        var type: UInt16
        var qclass: UInt16 = 1
    }

    enum DecodingError: Error, Equatable {
        case tooShort
        case badName
        /// A compression pointer that does not point to an earlier part of the message.
        case badPointer
        /// More than 255 octets (RFC 1035 3.1).
        case nameTooLong
        case badLabel(String)
        case unknownType(String)
    }

    static let flagResponse: UInt16 = 0x8000
    static let flagTruncated: UInt16 = 0x0200
    static let flagRecursionDesired: UInt16 = 0x0100

    /// A recursive query for one name and type, class IN.
    static func query(id: UInt16, name: String, type: UInt16) -> DNSMessage {
        DNSMessage(id: id, flags: flagRecursionDesired, questions: [Question(name: name, type: type)])
    }

    init(id: UInt16, flags: UInt16, questions: [Question], answerCount: UInt16 = 0,
         authorityCount: UInt16 = 0, additionalCount: UInt16 = 0) {
        self.id = id
        self.flags = flags
        self.questions = questions
        self.answerCount = answerCount
        self.authorityCount = authorityCount
        self.additionalCount = additionalCount
    }

    var isResponse: Bool { flags & Self.flagResponse != 0 }
    var isTruncated: Bool { flags & Self.flagTruncated != 0 }
    var rcode: UInt8 { UInt8(flags & 0x000F) }

    var rcodeName: String {
        switch rcode {
        case 0: return "NOERROR"
        case 1: return "FORMERR"
        case 2: return "SERVFAIL"
        case 3: return "NXDOMAIN"
        case 4: return "NOTIMP"
        case 5: return "REFUSED"
        default: return "RCODE\(rcode)"
        }
    }

    func encoded() throws -> [UInt8] {
        var b: [UInt8] = []
        for value in [id, flags, UInt16(questions.count), answerCount, authorityCount, additionalCount] {
            b += [UInt8(value >> 8), UInt8(value & 0xFF)]
        }
        for question in questions {
            let labels = question.name.split(separator: ".", omittingEmptySubsequences: true)
            guard labels.reduce(1, { $0 + 1 + $1.utf8.count }) <= Self.maximumNameLength else { throw DecodingError.nameTooLong }
            for label in labels {
                let bytes = Array(label.utf8)
                guard (1...63).contains(bytes.count) else { throw DecodingError.badLabel(String(label)) }
                b.append(UInt8(bytes.count))
                b += bytes
            }
            b.append(0)
            b += [UInt8(question.type >> 8), UInt8(question.type & 0xFF), UInt8(question.qclass >> 8), UInt8(question.qclass & 0xFF)]
        }
        return b
    }

    /// Decodes the header and the first question only: the probe sent one question and needs
    /// nothing else, so a resolver announcing 65535 questions costs one name, not 65535.
    /// Records are counted from the header, never decoded.
    init(decoding bytes: some Collection<UInt8>) throws {
        let b = Array(bytes.prefix(Self.maximumLength))
        guard b.count >= 12 else { throw DecodingError.tooShort }
        func u16(_ at: Int) -> UInt16 { UInt16(b[at]) << 8 | UInt16(b[at + 1]) }
        id = u16(0)
        flags = u16(2)
        let questionCount = Int(u16(4))
        answerCount = u16(6)
        authorityCount = u16(8)
        additionalCount = u16(10)
        var offset = 12
        questions = []
        for _ in 0..<min(questionCount, Self.decodedQuestionLimit) {
            let name = try Self.readName(b, at: &offset)
            guard offset + 4 <= b.count else { throw DecodingError.tooShort }
            questions.append(Question(name: name, type: u16(offset), qclass: u16(offset + 2)))
            offset += 4
        }
    }

    /// Largest DNS message (TCP length prefix is 16 bits); bytes beyond are never looked at.
    static let maximumLength = 65535
    /// Questions decoded from an answer: ours is the only one a server should echo.
    static let decodedQuestionLimit = 1
    /// RFC 1035 3.1: a name is at most 255 octets on the wire, labels and length bytes included.
    static let maximumNameLength = 255

    /// Reads the name at `offset` and moves `offset` past it. Bounded: at most 255 wire octets,
    /// and every compression pointer must point before the labels being read (RFC 1035 4.1.4:
    /// "a prior occurrence"), so the segment start strictly decreases and no loop is possible;
    /// a pointer to itself, forward, or beyond the message is `badPointer`.
    static func readName(_ b: [UInt8], at offset: inout Int) throws -> String {
        var labels: [String] = []
        var cursor = offset
        var segmentStart = offset
        var jumped = false
        var wireLength = 1 // the terminating root label
        while true {
            guard cursor < b.count else { throw DecodingError.tooShort }
            let length = Int(b[cursor])
            if length == 0 {
                cursor += 1
                break
            }
            if length & 0xC0 == 0xC0 {
                guard cursor + 1 < b.count else { throw DecodingError.tooShort }
                let target = (length & 0x3F) << 8 | Int(b[cursor + 1])
                guard target < segmentStart else { throw DecodingError.badPointer }
                if !jumped { offset = cursor + 2 }
                jumped = true
                cursor = target
                segmentStart = target
                continue
            }
            guard length <= 63 else { throw DecodingError.badName }
            wireLength += 1 + length
            guard wireLength <= Self.maximumNameLength else { throw DecodingError.nameTooLong }
            guard cursor + 1 + length <= b.count else { throw DecodingError.tooShort }
            labels.append(String(decoding: b[(cursor + 1)...(cursor + length)], as: UTF8.self))
            cursor += 1 + length
        }
        if !jumped { offset = cursor }
        return labels.isEmpty ? "." : labels.joined(separator: ".") + "."
    }

    /// Type code for a mnemonic (`A`, `NS`, `SOA`...) or `TYPE123`.
    static func recordType(named name: String) -> UInt16? {
        let known: [String: UInt16] = ["A": 1, "NS": 2, "CNAME": 5, "SOA": 6, "PTR": 12, "MX": 15, "TXT": 16,
                                       "AAAA": 28, "SRV": 33, "DS": 43, "DNSKEY": 48, "TLSA": 52, "CAA": 257, "ANY": 255]
        let upper = name.uppercased()
        if let code = known[upper] { return code }
        if upper.hasPrefix("TYPE") { return UInt16(upper.dropFirst(4)) }
        return nil
    }
}
