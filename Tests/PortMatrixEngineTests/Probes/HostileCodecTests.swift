import Foundation
@testable import PortMatrixEngine
import PortMatrixModel
import PortMatrixTestSupport
import Testing

/// What a hostile or broken peer can send each codec, one test per bound (issue 12, item 14).
/// The fuzzers of Fuzz/run.sh explore the same decoders at random; these pin the bounds.
@Suite struct HostileDNSTests {
    static let header: [UInt8] = [0x12, 0x34, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0]

    /// Labels of 63, 63, 63 and `last` bytes: 1 + 64 * 3 + (1 + last) + 1 wire octets.
    static func name(lastLabel last: Int) -> [UInt8] {
        var bytes: [UInt8] = []
        for _ in 0..<3 { bytes += [63] + Array(repeating: UInt8(ascii: "a"), count: 63) }
        return bytes + [UInt8(last)] + Array(repeating: UInt8(ascii: "b"), count: last) + [0]
    }

    @Test func nameOf256OctetsIsRejectedAnd255Accepted() throws {
        // 3 * 64 + 1 + 62 + 1 = 256 octets; one byte less is the RFC 1035 maximum.
        let tooLong = Self.header + Self.name(lastLabel: 62) + [0, 1, 0, 1]
        #expect(Self.name(lastLabel: 62).count == 256)
        #expect(throws: DNSMessage.DecodingError.nameTooLong) { try DNSMessage(decoding: tooLong) }
        let longest = Self.header + Self.name(lastLabel: 61) + [0, 1, 0, 1]
        #expect(try DNSMessage(decoding: longest).questions.first?.name.utf8.count == 254) // with the final dot
    }

    /// Before: a name had no length bound, so pointers into a long label run built names of
    /// kilobytes. Now the 255 octets count across pointers too.
    @Test func nameGrownThroughPointersIsBounded() {
        var bytes = Self.header
        bytes += Self.name(lastLabel: 0).dropLast(2) + [0] // 193 octets of labels at offset 12
        bytes += [0, 1, 0, 1]
        let second = bytes.count
        bytes += [63] + Array(repeating: UInt8(ascii: "c"), count: 63) + [0xC0, 12]
        var offset = second
        #expect(throws: DNSMessage.DecodingError.nameTooLong) { try DNSMessage.readName(bytes, at: &offset) }
    }

    @Test func pointerToItselfForwardOrBeyondTheMessageIsRejected() {
        var offset = 12
        let toItself = Self.header + [0xC0, 12]
        #expect(throws: DNSMessage.DecodingError.badPointer) { try DNSMessage.readName(toItself, at: &offset) }
        offset = 12
        let forward = Self.header + [0xC0, 14, 0]
        #expect(throws: DNSMessage.DecodingError.badPointer) { try DNSMessage.readName(forward, at: &offset) }
        offset = 12
        let beyond = Self.header + [0xFF, 0xFF]
        #expect(throws: DNSMessage.DecodingError.badPointer) { try DNSMessage.readName(beyond, at: &offset) }
    }

    /// A loop through two names: the second points back into the first, whose labels run into
    /// a pointer to the second. Before, only the 16-jump counter stopped it.
    @Test func pointerLoopBetweenTwoNamesIsRejected() {
        var bytes = Self.header
        bytes += [1, UInt8(ascii: "a"), 0xC0, 16] // offset 12: "a" then a forward pointer to 16
        bytes += [1, UInt8(ascii: "b"), 0xC0, 12] // offset 16: "b" then back to 12
        var offset = 16
        #expect(throws: DNSMessage.DecodingError.badPointer) { try DNSMessage.readName(bytes, at: &offset) }
    }

    /// Before: every announced question was decoded (10,001 here, each following a pointer);
    /// a short message with 65535 announced questions was `tooShort`. Now only ours is read.
    @Test func hugeQuestionCountDecodesOnlyTheFirstQuestion() throws {
        var bytes: [UInt8] = [0x12, 0x34, 0x81, 0x80, 0xFF, 0xFF, 0, 1, 0, 0, 0, 0]
        bytes += [4] + Array("test".utf8) + [0, 0, 1, 0, 1]
        for _ in 0..<10_000 { bytes += [0xC0, 12, 0, 1, 0, 1] }
        let message = try DNSMessage(decoding: bytes)
        #expect(message.questions == [DNSMessage.Question(name: "test.", type: 1)])
        #expect(message.answerCount == 1)
        let announcedOnly: [UInt8] = [0x12, 0x34, 0x81, 0x80, 0xFF, 0xFF, 0, 0, 0, 0, 0, 0] + [0, 0, 1, 0, 1]
        #expect(try DNSMessage(decoding: announcedOnly).questions.count == 1)
    }

    @Test func reservedLabelTypesAreRejected() {
        var offset = 12
        #expect(throws: DNSMessage.DecodingError.badName) { try DNSMessage.readName(Self.header + [0x41, 0], at: &offset) }
    }

    @Test func queryNameOver255OctetsIsNotSent() {
        let name = Array(repeating: String(repeating: "a", count: 63), count: 4).joined(separator: ".")
        #expect(throws: DNSMessage.DecodingError.nameTooLong) { try DNSMessage.query(id: 1, name: name, type: 1).encoded() }
    }
}

@Suite struct HostileLDAPTests {
    /// Before: five or more length octets were `malformed` only by accident of the 1...4 check,
    /// and 0x84 FF FF FF FF made the reader wait for 4 GiB until the probe checked the size.
    @Test func berLengthOverflowFailsAtTheHeader() {
        #expect(throws: LDAPMessage.DecodingError.lengthOverflow) {
            try LDAPMessage.frameLength([0x30, 0x89, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF], maximum: 65536)
        }
        #expect(throws: LDAPMessage.DecodingError.tooLong(6 + 0xFFFF_FFFF)) {
            try LDAPMessage.frameLength([0x30, 0x84, 0xFF, 0xFF, 0xFF, 0xFF], maximum: 65536)
        }
        #expect(throws: LDAPMessage.DecodingError.tooLong(65537 + 5)) {
            try LDAPMessage.frameLength([0x30, 0x83, 0x01, 0x00, 0x01], maximum: 65536)
        }
        // The indefinite form is not LDAP (RFC 4511 5.1).
        #expect(throws: LDAPMessage.DecodingError.malformed) { try LDAPMessage.frameLength([0x30, 0x80, 0x02], maximum: 65536) }
    }

    /// Before: the operation's length was not checked against the message's, so a response
    /// whose LDAPResult claimed more bytes than the message held decoded from what followed.
    @Test func innerLengthBeyondItsParentIsMalformed() {
        let bytes: [UInt8] = [0x30, 0x07, 0x02, 0x01, 0x01, 0x61, 0x7F, 0x0A, 0x01, 0x00, 0x04, 0x00, 0x04, 0x00]
        #expect(throws: LDAPMessage.DecodingError.malformed) { try LDAPMessage.decodeResponse(bytes) }
        let shortSequence: [UInt8] = [0x30, 0x7F, 0x02, 0x01, 0x01, 0x61, 0x07, 0x0A, 0x01, 0x00, 0x04, 0x00, 0x04, 0x00]
        #expect(throws: LDAPMessage.DecodingError.malformed) { try LDAPMessage.decodeResponse(shortSequence) }
    }

    @Test func integerOfMoreThanFourOctetsIsMalformed() {
        let bytes: [UInt8] = [0x30, 0x0C, 0x02, 0x09, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0x61, 0x00]
        #expect(throws: LDAPMessage.DecodingError.malformed) { try LDAPMessage.decodeResponse(bytes) }
    }
}

@Suite struct HostileDatagramCodecTests {
    @Test func sntpReadsOnlyTheHeaderOfAHugeDatagram() throws {
        var bytes = [UInt8](repeating: 0xEE, count: 65_507)
        bytes[0] = 0x24
        bytes[1] = 2
        let packet = try SNTPPacket(decoding: bytes)
        #expect(packet.encoded() == Array(bytes.prefix(48)))
    }

    /// Before: every `key: value` line of a 64 KB datagram became a field (20,000 here).
    @Test func pyzorFieldsAreBoundedAndStopAtTheBody() {
        let flood = PyzorMessage(decoding: Array(String(repeating: "a: b\n", count: 13_000).utf8))
        #expect(flood.fields.count == PyzorMessage.maximumFields)
        let withBody = PyzorMessage(decoding: Array("Code: 200\nDiag: OK\n\nThread: 4242\n".utf8))
        #expect(withBody["Code"] == "200")
        #expect(withBody["Thread"] == nil)
        let crlf = PyzorMessage(decoding: Array("Code: 200\r\nThread: 7\r\n\r\nCode: 500\r\n".utf8))
        #expect(crlf.fields.map(\.0) == ["Code", "Thread"])
    }
}

@Suite struct HostileLineTests {
    @Test func lineWithoutEndIsTooLongPastItsBound() {
        let bytes = Array(repeating: UInt8(ascii: "x"), count: 1001)
        #expect(TextLine.scan(bytes, maxLength: 1000) == .tooLong)
        #expect(TextLine.scan(bytes.prefix(1000), maxLength: 1000) == .incomplete)
        // The CR of a line of exactly the maximum may wait for its LF.
        #expect(TextLine.scan(bytes.prefix(1000) + [13], maxLength: 1000) == .incomplete)
        #expect(TextLine.scan(bytes.prefix(1000) + [13, 10], maxLength: 1000) == .line(Array(bytes.prefix(1000)), consumed: 1002))
        #expect(TextLine.scan(Array("a\nb".utf8), maxLength: 1000) == .line([UInt8(ascii: "a")], consumed: 2))
    }

    @Test func endless250ContinuationEndsAtTheLineBound() throws {
        var assembler = SMTPReply.Assembler()
        for _ in 0..<SMTPReply.maximumLines { #expect(try assembler.add("250-PIPELINING") == nil) }
        #expect(throws: SMTPReply.DecodingError.tooManyLines) { try assembler.add("250-PIPELINING") }
    }

    /// Before: the code went through `Int(...)`, which reads `+25` and `-25` as numbers.
    @Test func smtpCodeIsThreeDigits() {
        var assembler = SMTPReply.Assembler()
        #expect(throws: SMTPReply.DecodingError.notAReply("+25 ready")) { try assembler.add("+25 ready") }
        #expect(throws: SMTPReply.DecodingError.notAReply("2500 ready")) { try assembler.add("2500 ready") }
        var changing = SMTPReply.Assembler()
        _ = try? changing.add("250-a")
        #expect(throws: SMTPReply.DecodingError.codeChanged("550 b")) { try changing.add("550 b") }
    }

    /// Before: the proxy's head was searched in everything buffered (up to 64 KiB) and
    /// `Int("0200")` opened the tunnel.
    @Test func proxyHeadMustEndWithin8KiBAndCodeIsThreeDigits() {
        let long = Array(("HTTP/1.1 200 OK\r\nX: " + String(repeating: "y", count: 9000) + "\r\n\r\n").utf8)
        #expect(HTTPResponseHead.scan(long) == .tooLong)
        #expect(HTTPResponseHead.scan(long.prefix(8191)) == .incomplete)
        let head = "HTTP/1.1 200 Connection established\r\nProxy-agent: tinyproxy\r\n\r\n"
        #expect(HTTPResponseHead.scan(Array((head + "SSH-2.0-x\r\n").utf8)) == .head(head, consumed: head.utf8.count))
        #expect(HTTPStatusLine("HTTP/1.1 0200 OK") == nil)
        #expect(HTTPStatusLine("HTTP/1.1 +20 OK") == nil)
        #expect(HTTPStatusLine("HTTP/1.1 099 Low") == nil)
        #expect(HTTPStatusLine("HTTP/1.0 407 Proxy Authentication Required")?.code == 407)
        #expect(HTTPStatusLine("HTTP/1.1 204")?.reason == "")
    }
}

/// The bounds through the real probes against peers that misbehave on purpose.
@Suite struct HostilePeerTests {
    @Test func endless250ContinuationIsAProtocolError() async throws {
        try await withRunning(FaultServer.start(PeerScript(
            onConnect: { $0.send("220 fixture.test ESMTP\r\n") },
            onLine: { line, link in
                guard line.uppercased().hasPrefix("EHLO") else { return }
                link.send(String(repeating: "250-X\r\n", count: 300))
            }))) { server in
            let outcome = await Probing.run("smtp", port: server.port)
            #expect(outcome.reason == .protocolError)
            #expect(outcome.message.contains("longer than 256 lines"), "\(outcome.message)")
        }
    }

    @Test func httpStatusLineWithoutEndIsAProtocolError() async throws {
        try await withRunning(FaultServer.start(PeerScript(onLine: { line, link in
            guard line.isEmpty else { return }
            link.send("HTTP/1.1 200 " + String(repeating: "o", count: 9000))
        }))) { server in
            let outcome = await Probing.run("http", port: server.port)
            #expect(outcome.reason == .protocolError)
            #expect(outcome.message.contains("line longer than 8192 bytes"), "\(outcome.message)")
        }
    }

    @Test func proxyHeadWithoutEndIsAProxyError() async throws {
        try await withRunning(ProxyFaultTests.proxy(answer: "HTTP/1.1 200 OK\r\nX: " + String(repeating: "y", count: 9000) + "\r\n\r\n")) { proxy in
            let outcome = await Probing.run("ssh", host: "ssh.example.test", port: 22, proxy: ProxyEndpoint(host: "127.0.0.1", port: proxy.port))
            #expect(outcome.reason == .proxyError)
            #expect(outcome.message.contains("longer than 8 KiB"), "\(outcome.message)")
        }
    }

    @Test func proxyAnswerWithPaddedCodeDoesNotOpenTheTunnel() async throws {
        try await withRunning(ProxyFaultTests.proxy(answer: "HTTP/1.1 0200 OK\r\n\r\n", then: "SSH-2.0-OpenSSH_9.2\r\n")) { proxy in
            let outcome = await Probing.run("ssh", host: "ssh.example.test", port: 22, proxy: ProxyEndpoint(host: "127.0.0.1", port: proxy.port))
            #expect(outcome.reason == .proxyError)
        }
    }
}

/// The fuzzers' seeds are real answers of the loopback peers: each still decodes as what it is,
/// so the corpus stays meaningful and the codecs keep accepting real servers.
@Suite struct FuzzSeedReplayTests {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../../Fuzz/Corpus").standardizedFileURL

    static func seeds(_ name: String) throws -> [(String, [UInt8])] {
        let directory = corpus.appendingPathComponent(name)
        return try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted().map {
            ($0, Array(try Data(contentsOf: directory.appendingPathComponent($0))))
        }
    }

    @Test func dnsmasqAnswersDecode() throws {
        let seeds = try Self.seeds("dns")
        #expect(seeds.count >= 5)
        for (name, bytes) in seeds {
            let message = try DNSMessage(decoding: bytes)
            #expect(message.isResponse && message.questions.count == 1, "\(name)")
        }
    }

    @Test func slapdChronyAndPyzordAnswersDecode() throws {
        for (name, bytes) in try Self.seeds("ldap") {
            #expect(try LDAPMessage.frameLength(bytes, maximum: 65536) == bytes.count, "\(name)")
            _ = try LDAPMessage.decodeResponse(bytes)
        }
        for (_, bytes) in try Self.seeds("sntp") { #expect(try SNTPPacket(decoding: bytes).mode == 4) }
        for (_, bytes) in try Self.seeds("pyzor") { #expect(PyzorMessage(decoding: bytes)["Code"] == "200") }
    }

    @Test func postfixNginxAndTinyproxyHeadsDecode() throws {
        for (name, bytes) in try Self.seeds("smtp") {
            var input = bytes[...]
            var assembler = SMTPReply.Assembler()
            var replies: [SMTPReply] = []
            while case .line(let line, let consumed) = TextLine.scan(input, maxLength: SMTPReply.maximumLineLength) {
                input = input.dropFirst(consumed)
                if let reply = try assembler.add(String(decoding: line, as: UTF8.self)) {
                    replies.append(reply)
                    assembler = SMTPReply.Assembler()
                }
            }
            #expect(!replies.isEmpty && input.isEmpty, "\(name)")
        }
        for (name, bytes) in try Self.seeds("http-head") {
            guard case .line(let line, _) = TextLine.scan(bytes, maxLength: HTTPResponseHead.maximumLength) else {
                Issue.record("\(name): no status line")
                continue
            }
            #expect(HTTPStatusLine(String(decoding: line, as: UTF8.self)) != nil, "\(name)")
        }
        var codes: [Int] = []
        for (name, bytes) in try Self.seeds("proxy-reply") {
            guard case .head(let head, _) = HTTPResponseHead.scan(bytes) else {
                Issue.record("\(name): no head")
                continue
            }
            codes += HTTPStatusLine(HTTPResponseHead.statusLine(of: head)).map { [$0.code] } ?? []
        }
        #expect(codes.sorted() == [200, 403])
    }
}
