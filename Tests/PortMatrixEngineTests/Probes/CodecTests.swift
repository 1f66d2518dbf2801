import NIOCore
@testable import PortMatrixEngine
import Testing

@Suite struct SNTPPacketTests {
    @Test func requestIsVersion4ClientWithT1InTransmit() {
        let t1 = NTPTimestamp(raw: 0xE8C9_1234_8000_0000)
        let bytes = SNTPPacket.request(transmit: t1).encoded()
        #expect(bytes.count == 48)
        #expect(bytes[0] == 0x23)
        #expect(Array(bytes[40..<48]) == [0xE8, 0xC9, 0x12, 0x34, 0x80, 0, 0, 0])
        #expect(bytes[1..<40].allSatisfy { $0 == 0 })
    }

    @Test func decodesServerReplyFields() throws {
        var bytes = [UInt8](repeating: 0, count: 48)
        bytes[0] = 0xDC // LI 3, VN 3, mode 4
        bytes[1] = 2
        bytes[12...15] = [192, 0, 2, 1]
        bytes[24...31] = [1, 2, 3, 4, 5, 6, 7, 8]
        let packet = try SNTPPacket(decoding: bytes)
        #expect(packet.leap == 3)
        #expect(packet.version == 3)
        #expect(packet.mode == 4)
        #expect(packet.stratum == 2)
        #expect(packet.referenceText == "192.0.2.1")
        #expect(packet.originTime.raw == 0x0102_0304_0506_0708)
    }

    @Test func kissCodeIsReadFromRefidAtStratumZero() throws {
        var bytes = [UInt8](repeating: 0, count: 48)
        bytes[0] = 0x24
        bytes[12...15] = Array("RATE".utf8)[...]
        #expect(try SNTPPacket(decoding: bytes).kissCode == "RATE")
    }

    @Test func shortPacketIsRejected() {
        #expect(throws: SNTPPacket.DecodingError.tooShort(47)) { try SNTPPacket(decoding: [UInt8](repeating: 0, count: 47)) }
    }

    @Test func timestampRoundTripsUnixTime() {
        let unix = 1_764_393_600.25
        let stamp = NTPTimestamp(unixSeconds: unix)
        #expect(stamp.raw >> 32 == UInt64(1_764_393_600 + 2_208_988_800))
        #expect(abs(stamp.unixSeconds - unix) < 1e-6)
    }

    @Test func offsetAndDelayFollowRFC4330() {
        // Server 2 s ahead, 10 ms each way, 1 ms processing.
        let (offset, delay) = SNTPPacket.offsetAndDelay(t1: 100.000, t2: 102.010, t3: 102.011, t4: 100.021)
        #expect(abs(offset - 2.0) < 1e-9)
        #expect(abs(delay - 0.020) < 1e-9)
    }
}

@Suite struct DNSMessageTests {
    @Test func queryForRootNSEncodesAsExpected() throws {
        let bytes = try DNSMessage.query(id: 0xBEEF, name: ".", type: 2).encoded()
        #expect(bytes == [0xBE, 0xEF, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 0x00, 0x00, 0x02, 0x00, 0x01])
    }

    @Test func queryNameIsLabelEncoded() throws {
        let bytes = try DNSMessage.query(id: 1, name: "example.test.", type: 1).encoded()
        #expect(Array(bytes[12...]) == [7] + Array("example".utf8) + [4] + Array("test".utf8) + [0, 0, 1, 0, 1])
    }

    @Test func decodesResponseHeaderAndQuestion() throws {
        var bytes: [UInt8] = [0xBE, 0xEF, 0x83, 0x82, 0, 1, 0, 2, 0, 0, 0, 0]
        bytes += [7] + Array("example".utf8) + [0, 0, 1, 0, 1]
        let message = try DNSMessage(decoding: bytes)
        #expect(message.id == 0xBEEF)
        #expect(message.isResponse)
        #expect(message.isTruncated)
        #expect(message.rcode == 2)
        #expect(message.rcodeName == "SERVFAIL")
        #expect(message.answerCount == 2)
        #expect(message.questions == [DNSMessage.Question(name: "example.", type: 1)])
    }

    @Test func followsCompressionPointersToEarlierNames() throws {
        var bytes: [UInt8] = [0, 1, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0]
        bytes += [4] + Array("test".utf8) + [0, 0, 1, 0, 1] // offset 12
        let answerName = bytes.count
        bytes += [3] + Array("www".utf8) + [0xC0, 12, 0, 28, 0, 1]
        #expect(try DNSMessage(decoding: bytes).questions.map(\.name) == ["test."])
        var offset = answerName
        #expect(try DNSMessage.readName(bytes, at: &offset) == "www.test.")
        #expect(offset == answerName + 6)
    }

    @Test func pointerLoopsAreRejected() {
        let bytes: [UInt8] = [0, 1, 0x81, 0x80, 0, 1, 0, 0, 0, 0, 0, 0, 0xC0, 12, 0, 1, 0, 1]
        #expect(throws: DNSMessage.DecodingError.badPointer) { try DNSMessage(decoding: bytes) }
    }

    @Test func truncatedHeaderIsRejected() {
        #expect(throws: DNSMessage.DecodingError.tooShort) { try DNSMessage(decoding: [0, 1, 2]) }
    }

    @Test func recordTypesByMnemonic() {
        #expect(DNSMessage.recordType(named: "ns") == 2)
        #expect(DNSMessage.recordType(named: "AAAA") == 28)
        #expect(DNSMessage.recordType(named: "TYPE65") == 65)
        #expect(DNSMessage.recordType(named: "BOGUS") == nil)
    }
}

@Suite struct LDAPMessageTests {
    @Test func anonymousBindIsTheWellKnownSequence() {
        #expect(LDAPMessage.anonymousBind(messageID: 1) == [0x30, 0x0C, 0x02, 0x01, 0x01, 0x60, 0x07, 0x02, 0x01, 0x03, 0x04, 0x00, 0x80, 0x00])
    }

    @Test func startTLSCarriesTheOID() {
        let bytes = LDAPMessage.startTLS(messageID: 1)
        #expect(Array(bytes.prefix(9)) == [0x30, 0x1D, 0x02, 0x01, 0x01, 0x77, 0x18, 0x80, 0x16])
        #expect(String(decoding: bytes[9...], as: UTF8.self) == "1.3.6.1.4.1.1466.20037")
        #expect(bytes.count == 0x1D + 2)
    }

    @Test func decodesBindResponse() throws {
        let bytes: [UInt8] = [0x30, 0x0C, 0x02, 0x01, 0x01, 0x61, 0x07, 0x0A, 0x01, 0x00, 0x04, 0x00, 0x04, 0x00]
        #expect(try LDAPMessage.frameLength(bytes, maximum: 65536) == 14)
        let response = try LDAPMessage.decodeResponse(bytes)
        #expect(response == LDAPMessage.Response(messageID: 1, operation: 0x61, resultCode: 0, diagnostic: ""))
    }

    @Test func decodesLongFormLengthAndDiagnostic() throws {
        let diagnostic = Array("anonymous bind disallowed".utf8)
        let result: [UInt8] = [0x0A, 0x01, 0x30, 0x04, 0x00, 0x04, UInt8(diagnostic.count)] + diagnostic
        let op: [UInt8] = [0x61, 0x81, UInt8(result.count)] + result
        let body: [UInt8] = [0x02, 0x01, 0x02] + op
        let bytes: [UInt8] = [0x30, 0x81, UInt8(body.count)] + body
        #expect(try LDAPMessage.frameLength(bytes, maximum: 65536) == bytes.count)
        let response = try LDAPMessage.decodeResponse(bytes)
        #expect(response.messageID == 2)
        #expect(response.resultCode == 48)
        #expect(response.diagnostic == "anonymous bind disallowed")
    }

    @Test func incompleteHeaderWaitsAndGarbageFails() throws {
        #expect(try LDAPMessage.frameLength([0x30], maximum: 65536) == nil)
        #expect(throws: LDAPMessage.DecodingError.notAMessage) { try LDAPMessage.frameLength(Array("SSH-2.0".utf8), maximum: 65536) }
    }
}

@Suite struct PyzorMessageTests {
    @Test func sha1MatchesFIPSVectors() {
        #expect(SHA1.hex(Array("abc".utf8)) == "a9993e364706816aba3e25717850c26c9cd0d89d")
        #expect(SHA1.hex([]) == "da39a3ee5e6b4b0d3255bfef95601890afd80709")
        #expect(SHA1.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)) == "84983e441c3bd26ebaae4aa1f95129e5e54670f1")
    }

    @Test func pingCarriesFieldsInOrderAndSignature() {
        let ping = PyzorMessage.ping(thread: 4242, time: 1_700_000_000)
        #expect(ping.fields.map(\.0) == ["Op", "Thread", "PV", "User", "Time", "Sig"])
        #expect(ping["Op"] == "ping")
        #expect(ping["PV"] == "2.1")
        #expect(ping["User"] == "anonymous")
        let unsigned = "Op: ping\nThread: 4242\nPV: 2.1\nUser: anonymous\nTime: 1700000000"
        let key = SHA1.hex(Array("anonymous:".utf8))
        #expect(ping["Sig"] == SHA1.hex(SHA1.digest(Array(unsigned.utf8)) + Array(":1700000000:\(key)".utf8)))
    }

    @Test func parsesServerAnswer() {
        let answer = PyzorMessage(decoding: Array("Code: 200\r\nDiag: OK\r\nPV: 2.1\r\nThread: 4242\r\n\r\n".utf8))
        #expect(answer["code"] == "200")
        #expect(answer["Diag"] == "OK")
        #expect(answer["Thread"] == "4242")
    }
}

@Suite struct RegistryTests {
    @Test func everyProtocolIsRegisteredByName() {
        let expected = ["dns", "http", "https", "imap", "imaps", "ldap", "ldaps", "pop3", "pop3s", "pyzor", "razor",
                        "rsync", "smtp", "sntp", "ssh", "syslog-tls", "tcp", "tls", "udp"]
        #expect(ProbeRegistry.standard.names == expected)
    }
}
