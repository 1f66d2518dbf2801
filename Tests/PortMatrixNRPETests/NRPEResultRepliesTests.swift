import Testing
@testable import PortMatrixNRPE

/// Reply packets encoded ahead (a built-in's answer kept for a snapshot) are the bytes the
/// handler would encode per request, and never outlive a change of state or output.
@Suite struct NRPEResultRepliesTests {
    /// Longer than a v2 packet carries, with a multi-byte character across the cut.
    static let output = "PORTMATRIX OK - " + String(repeating: "x", count: 1005) + "äöü\nlong output | perf=1"

    @Test(arguments: NRPEPacket.Version.allCases)
    func encodedAheadEqualsEncodedPerRequest(version: NRPEPacket.Version) throws {
        let result = NRPEResult(state: .warning, output: Self.output)
        let prepared = result.encodingReplies()
        let expected = NRPEPacket(version: version, type: .response, resultCode: 1, text: Self.output).encoded()
        #expect(prepared.reply(version) == expected)
        #expect(result.reply(version) == expected)
        #expect(prepared == result)
        let decoded = try NRPEPacket(decoding: prepared.reply(version))
        #expect(decoded.resultCode == 1)
    }

    @Test func changingStateOrOutputDropsThePreparedPackets() throws {
        var result = NRPEResult(state: .ok, output: "before").encodingReplies()
        result.output = "after"
        #expect(try NRPEPacket(decoding: result.reply(.v4)).text == "after")
        result = result.encodingReplies()
        result.state = .critical
        #expect(try NRPEPacket(decoding: result.reply(.v2)).resultCode == 2)
    }
}
