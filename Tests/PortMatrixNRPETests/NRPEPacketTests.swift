import Testing
@testable import PortMatrixNRPE

@Suite struct NRPEPacketGoldenTests {
    @Test(arguments: [
        ("v4_nrpe_check.query", NRPEPacket.Version.v4, "_NRPE_CHECK"),
        ("v2_nrpe_check.query", .v2, "_NRPE_CHECK"),
        ("v4_check_ok.query", .v4, "check_ok"),
        ("v2_check_ok.query", .v2, "check_ok"),
        ("v4_unknown.query", .v4, "nosuch"),
    ])
    func decodesRealQueries(name: String, version: NRPEPacket.Version, text: String) throws {
        let packet = try NRPEPacket(decoding: Golden.bytes(name))
        #expect(packet.version == version)
        #expect(packet.type == .query)
        #expect(packet.text == text)
    }

    @Test(arguments: [
        ("v4_nrpe_check.response", NRPEPacket.Version.v4, Int16(0), "NRPE v4.1.0"),
        ("v2_nrpe_check.response", .v2, 0, "NRPE v4.1.0"),
        ("v4_check_ok.response", .v4, 0, "OK: all good"),
        ("v2_check_ok.response", .v2, 0, "OK: all good"),
        ("v4_check_long.response", .v4, 0, String(repeating: "x", count: 2000)),
        ("v2_check_long.response", .v2, 0, String(repeating: "x", count: 1023)),
        ("v4_unknown.response", .v4, 3, "NRPE: Command 'nosuch' not defined"),
    ])
    func decodesRealResponses(name: String, version: NRPEPacket.Version, code: Int16, text: String) throws {
        let packet = try NRPEPacket(decoding: Golden.bytes(name))
        #expect(packet.version == version)
        #expect(packet.type == .response)
        #expect(packet.resultCode == code)
        #expect(packet.text == text)
    }

    /// v4 responses are deterministic: ours must be byte-identical to the daemon's.
    @Test(arguments: ["v4_nrpe_check", "v4_check_ok", "v4_check_long", "v4_unknown"])
    func encodesV4ResponsesLikeTheDaemon(name: String) throws {
        let golden = try Golden.bytes("\(name).response")
        let packet = try NRPEPacket(decoding: golden)
        #expect(packet.encoded() == golden)
    }

    /// The daemon fills the 2 v2 padding bytes randomly (so the CRC differs); all else matches.
    @Test(arguments: ["v2_nrpe_check", "v2_check_ok", "v2_check_long"])
    func encodesV2ResponsesLikeTheDaemon(name: String) throws {
        let golden = try Golden.bytes("\(name).response")
        let encoded = try NRPEPacket(decoding: golden).encoded()
        #expect(encoded.count == 1036)
        #expect(encoded[0..<4] == golden[0..<4])
        #expect(encoded[8..<1034] == golden[8..<1034])
    }

    @Test func v2LongOutputIsCutAt1023Bytes() throws {
        let packet = NRPEPacket(version: .v2, type: .response, text: String(repeating: "x", count: 5000))
        let decoded = try NRPEPacket(decoding: packet.encoded())
        #expect(decoded.buffer.count == 1023)
        #expect(try NRPEPacket(decoding: Golden.bytes("v2_check_long.response")) == decoded)
    }

    @Test func v4CarriesUpTo64KiB() throws {
        let text = String(repeating: "z", count: 70000)
        let encoded = NRPEPacket(version: .v4, type: .response, text: text).encoded()
        #expect(encoded.count == 16 + 65536)
        #expect(try NRPEPacket(decoding: encoded).buffer.count == 65535)
    }

    @Test func cutsOnAUTF8Boundary() throws {
        // 1022 ASCII bytes then a 2-byte "é": byte 1023 would split it.
        let text = String(repeating: "a", count: 1022) + "é"
        let decoded = try NRPEPacket(decoding: NRPEPacket(version: .v2, type: .response, text: text).encoded())
        #expect(decoded.buffer.count == 1022)
    }

    @Test func v3HasThreeTrailingBytes() throws {
        let packet = NRPEPacket(version: .v3, type: .query, text: "check_ok")
        let encoded = packet.encoded()
        #expect(encoded.count == 19 + "check_ok".utf8.count + 1)
        #expect(encoded.suffix(3) == [0, 0, 0])
        #expect(try NRPEPacket(decoding: encoded) == packet)
    }
}

@Suite struct NRPEPacketErrorTests {
    let query = NRPEPacket(version: .v4, type: .query, text: "_NRPE_CHECK").encoded()

    @Test func truncated() {
        #expect(throws: NRPEDecodingError.truncated(expected: query.count, received: 20)) {
            try NRPEPacket(decoding: query.prefix(20))
        }
        #expect(throws: NRPEDecodingError.truncated(expected: 16, received: 3)) {
            try NRPEPacket(decoding: query.prefix(3))
        }
    }

    @Test func badCRC() {
        var bytes = query
        bytes[17] ^= 0x01
        #expect {
            try NRPEPacket(decoding: bytes)
        } throws: { error in
            guard case .badCRC = error as? NRPEDecodingError else { return false }
            return "\(error)".contains("CRC")
        }
    }

    @Test func badVersionAndType() {
        var bytes = query
        bytes[1] = 7
        #expect(throws: NRPEDecodingError.badVersion(7)) { try NRPEPacket(decoding: bytes) }
        bytes = query
        bytes[3] = 9
        #expect(throws: NRPEDecodingError.badType(9)) { try NRPEPacket(decoding: bytes) }
    }

    @Test func hugeBufferLengthIsRefusedFromTheHeaderAlone() {
        var header = Array(query.prefix(16))
        header[12...15] = [0x80, 0, 0, 0]
        #expect(throws: NRPEDecodingError.oversizedBufferLength(1 << 31, maximum: 65536)) {
            try NRPEPacket.frameSize(startingWith: header[...], maximumBufferLength: 65536)
        }
    }

    @Test func v2OfWrongSize() throws {
        let v2 = NRPEPacket(version: .v2, type: .query, text: "check_ok").encoded()
        #expect(throws: NRPEDecodingError.wrongV2Size(1000)) { try NRPEPacket(decoding: v2.prefix(1000)) }
        #expect(throws: NRPEDecodingError.wrongV2Size(1040)) { try NRPEPacket(decoding: v2 + [1, 2, 3, 4]) }
    }

    @Test func trailingBytes() {
        #expect(throws: NRPEDecodingError.trailingBytes(2)) { try NRPEPacket(decoding: query + [0, 0]) }
    }

    @Test func tlsClientHelloIsNamed() {
        let hello: [UInt8] = [0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03, 0x03]
        #expect {
            try NRPEPacket(decoding: hello)
        } throws: { error in
            error as? NRPEDecodingError == .badVersion(0x1603) && "\(error)".contains("TLS")
        }
    }
}
