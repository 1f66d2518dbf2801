import Foundation
import PortMatrixTestSupport
import Testing
@testable import PortMatrixNRPE

/// Arguments written to reach `/bin/sh` as code, against `echo $ARG1$` with arguments allowed:
/// through the real check_nrpe and as raw packets. An injected `touch` must never create its
/// file and every refusal must leave a log line.
@Suite(.enabled(if: CheckNRPE.isInstalled, "needs nagios-nrpe-plugin"))
struct InjectionTests {
    /// `%F` becomes the file an injection would create. Prepend characters (U+0600…U+0605,
    /// U+06DD, U+110BD) glue the `$` to themselves into one Character; combining marks glue to
    /// the `(`, so a Character search for "$(" misses both while sh reads bytes.
    static let corpus: [String] = [
        "\u{0600}$(touch %F)", "\u{0605}$(touch %F)", "\u{06DD}$(touch %F)", "\u{110BD}$(touch %F)",
        "x\u{0600}$(touch %F)", "$(\u{0301}touch %F)", "a\u{0301}$(touch %F)", "\u{0600}$((1))$(touch %F)",
        "\u{0600}`touch %F`", "`\u{0301}touch %F`", "$(touch %F)", "x${IFS}$(touch${IFS}%F)",
        "x\ntouch %F", "x\r\ntouch %F", "x\u{0600}\ntouch %F",
    ]

    private static func payloads(in directory: String) -> [String] {
        corpus.enumerated().map { index, text in text.replacingOccurrences(of: "%F", with: "\(directory)/injected-\(index)") }
    }

    private static func createdFiles(_ directory: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasPrefix("injected") }
    }

    private static func start(tls: Bool) async throws -> TestServer {
        try await TestServer.start {
            $0.tlsMode = tls ? .on : .off
            $0.allowArguments = true
            $0.commands = ["echo": "echo $ARG1$", "words": "printf '<%s>' $ARG1$"]
        }
    }

    @Test func corpusThroughCheckNRPE() async throws {
        let directory = makeTemporaryDirectory("nrpe-inject")
        let server = try await Self.start(tls: true)
        var answered: [String] = []
        for payload in Self.payloads(in: directory) {
            let result = await server.check(["-c", "echo", "-a", payload])
            if result.status != 3 || !result.text.contains("CHECK_NRPE") { answered.append("\(payload.debugDescription): \(result.text)") }
        }
        await server.stop()
        #expect(Self.createdFiles(directory) == [])
        #expect(answered == [], "answered instead of refused")
        // check_nrpe retries v2 after a silent close: at least one line per payload.
        let refusals = server.log.refusals.filter { $0.contains("metacharacter") || $0.contains("command substitution") }
        #expect(refusals.count >= Self.corpus.count)
    }

    /// Bytes check_nrpe cannot send: invalid and overlong UTF-8 around `$(`, and a NUL (nrpe reads
    /// the buffer as a C string: what follows is never run).
    static let rawCorpus: [(bytes: [UInt8], refused: Bool)] = [
        ([0xFF] + Array("$(touch %F)".utf8), true),
        ([0xC0, 0xA4] + Array("(touch %F)".utf8), true),  // overlong "$"
        (Array("$".utf8) + [0xC0, 0xA8] + Array("touch %F)".utf8), true),  // overlong "("
        ([0xE0, 0x80, 0xA4] + Array("(touch %F)".utf8), true),  // 3-byte overlong "$"
        ([0xD8] + Array("$(touch %F)".utf8), true),  // a lone lead byte of U+0600
        (Array("\u{0600}$(touch %F)".utf8), true),
        (Array("x".utf8) + [0] + Array(";touch %F".utf8), false),
    ]

    @Test func corpusAsRawPackets() async throws {
        let directory = makeTemporaryDirectory("nrpe-inject")
        let server = try await Self.start(tls: false)
        var replies: [[UInt8]?] = []
        for (index, entry) in Self.rawCorpus.enumerated() {
            let file = Array("\(directory)/injected-raw-\(index)".utf8)
            var argument: [UInt8] = []
            var rest = entry.bytes[...]
            while let range = rest.firstRange(of: Array("%F".utf8)) {
                argument += rest[..<range.lowerBound] + file
                rest = rest[range.upperBound...]
            }
            argument += rest
            let packet = NRPEPacket(version: .v4, type: .query, buffer: Array("echo!".utf8) + argument).encoded()
            replies.append(try await offCooperativePool { () -> Result<[UInt8]?, any Error> in
                Result {
                    let client = try LoopbackClient(port: server.port)
                    try client.write(packet)
                    return client.readUntilClosed(seconds: 15)
                }
            }.get())
        }
        await server.stop()
        #expect(Self.createdFiles(directory) == [])
        for (entry, reply) in zip(Self.rawCorpus, replies) {
            if entry.refused {
                #expect(reply == [], "answered \(entry.bytes)")
            } else {
                #expect(try NRPEPacket(decoding: #require(reply)).text == "x")
            }
        }
        #expect(server.log.refusals.count == Self.rawCorpus.filter(\.refused).count)
    }

    /// nrpe substitutes `$ARGn$` unquoted: users pass several options in one argument.
    @Test func argumentsAreStillSplitIntoWords() async throws {
        let server = try await Self.start(tls: true)
        let result = await server.check(["-c", "words", "-a", "-w 1 -c 2", "x"])
        await server.stop()
        #expect(result.text == "<-w><1><-c><2>")
        #expect(result.status == 0)
    }
}
