/// The few LDAP (RFC 4511) messages a probe exchanges, BER-encoded by hand: an anonymous
/// simple bind, the StartTLS extended operation, unbind, and the LDAPResult of a response.
enum LDAPMessage {
    static let startTLSOID = "1.3.6.1.4.1.1466.20037"

    /// BindRequest version 3, empty name, empty simple password. With id 1 it is the well-known
    /// `30 0c 02 01 01 60 07 02 01 03 04 00 80 00`.
    static func anonymousBind(messageID: UInt8) -> [UInt8] {
        [0x30, 0x0C, 0x02, 0x01, messageID, 0x60, 0x07, 0x02, 0x01, 0x03, 0x04, 0x00, 0x80, 0x00]
    }

    /// ExtendedRequest [APPLICATION 23] with requestName [0] = the StartTLS OID.
    static func startTLS(messageID: UInt8) -> [UInt8] {
        let oid = Array(startTLSOID.utf8)
        let request: [UInt8] = [0x77, UInt8(oid.count + 2), 0x80, UInt8(oid.count)] + oid
        let body: [UInt8] = [0x02, 0x01, messageID] + request
        return [0x30, UInt8(body.count)] + body
    }

    static func unbind(messageID: UInt8) -> [UInt8] {
        [0x30, 0x05, 0x02, 0x01, messageID, 0x42, 0x00]
    }

    /// The LDAPResult part of a response (bindResponse 0x61, extendedResponse 0x78...).
    struct Response: Hashable, Sendable {
        var messageID: Int
        var operation: UInt8
        var resultCode: Int
        var diagnostic: String
    }

    enum DecodingError: Error, Equatable {
        case notAMessage
        case malformed
        /// A BER length above what the reader accepts.
        case tooLong(Int)
        /// More than 4 length octets: a length above 4 GiB, which would also overflow arithmetic.
        case lengthOverflow
    }

    /// Total length of the first BER element when its header is complete, so the reader knows
    /// how many bytes to wait for. A length above `maximum` fails at once instead of making the
    /// reader wait for (or buffer) bytes it will never accept.
    static func frameLength(_ b: some Collection<UInt8>, maximum: Int) throws -> Int? {
        let bytes = Array(b.prefix(6))
        guard bytes.count >= 2 else { return nil }
        guard bytes[0] == 0x30 else { throw DecodingError.notAMessage }
        guard let (length, header) = try lengthField(bytes, at: 1) else { return nil }
        guard header + length <= maximum else { throw DecodingError.tooLong(header + length) }
        return header + length
    }

    /// Decodes one whole LDAPMessage (as framed by `frameLength`). Every inner element must
    /// lie inside its parent, so no length a server sends makes the decoder read past it.
    static func decodeResponse(_ bytes: some Collection<UInt8>) throws -> Response {
        let b = Array(bytes)
        guard b.first == 0x30, let (seqLength, seqHeader) = try lengthField(b, at: 1) else { throw DecodingError.notAMessage }
        let end = seqHeader + seqLength
        guard end <= b.count else { throw DecodingError.malformed }
        var offset = seqHeader
        guard offset < end, b[offset] == 0x02 else { throw DecodingError.malformed }
        let (id, afterID) = try integer(b, at: offset, end: end)
        offset = afterID
        guard offset < end else { throw DecodingError.malformed }
        let operation = b[offset]
        guard let (opLength, opHeader) = try lengthField(b, at: offset + 1) else { throw DecodingError.malformed }
        let opEnd = offset + opHeader + opLength
        guard opEnd <= end else { throw DecodingError.malformed }
        offset += opHeader
        guard offset < opEnd, b[offset] == 0x0A else { throw DecodingError.malformed }
        let (code, afterCode) = try integer(b, at: offset, end: opEnd)
        offset = afterCode
        var diagnostic = ""
        // matchedDN, then diagnosticMessage, both OCTET STRING.
        for index in 0..<2 {
            guard offset < opEnd, b[offset] == 0x04, let (length, header) = try lengthField(b, at: offset + 1),
                  offset + header + length <= opEnd else { break }
            if index == 1 { diagnostic = String(decoding: b[(offset + header)..<(offset + header + length)], as: UTF8.self) }
            offset += header + length
        }
        return Response(messageID: id, operation: operation, resultCode: code, diagnostic: diagnostic)
    }

    /// (content length, bytes from the tag up to the content) for the length octets at `at`;
    /// nil while they are incomplete. Definite lengths of 1 to 4 octets only: the indefinite
    /// form (0x80) is not allowed in LDAP (RFC 4511 5.1) and 5+ octets would exceed 4 GiB.
    private static func lengthField(_ b: [UInt8], at: Int) throws -> (Int, Int)? {
        guard at < b.count else { return nil }
        let first = Int(b[at])
        if first < 0x80 { return (first, 2) }
        let octets = first & 0x7F
        guard (1...4).contains(octets) else { throw octets == 0 ? DecodingError.malformed : DecodingError.lengthOverflow }
        guard at + octets < b.count else { return nil }
        let length = b[(at + 1)...(at + octets)].reduce(0) { $0 << 8 | Int($1) }
        return (length, 1 + 1 + octets)
    }

    /// An INTEGER or ENUMERATED of 1 to 4 content octets that ends by `end`.
    private static func integer(_ b: [UInt8], at: Int, end: Int) throws -> (Int, Int) {
        guard at + 1 < end else { throw DecodingError.malformed }
        let length = Int(b[at + 1])
        guard (1...4).contains(length), at + 2 + length <= end else { throw DecodingError.malformed }
        let value = b[(at + 2)..<(at + 2 + length)].reduce(0) { $0 << 8 | Int($1) }
        return (value, at + 2 + length)
    }
}
