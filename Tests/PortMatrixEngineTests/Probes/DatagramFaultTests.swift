import Foundation
import NIOCore
@testable import PortMatrixEngine
import PortMatrixModel
import PortMatrixTestSupport
import Testing

/// Wall-clock seconds, as the fixture servers stamp them.
private func now() -> Double { Date().timeIntervalSince1970 }

/// An SNTP server whose clock is `skew` seconds off, answering with `stratum`, `leap`, `refid`.
private func ntpServer(skew: Double = 0, stratum: UInt8 = 2, leap: UInt8 = 0, refid: [UInt8] = [192, 0, 2, 1],
                       echoOrigin: Bool = true) async throws -> UDPFixture {
    try await UDPFixture.start { request in
        guard let query = try? SNTPPacket(decoding: request) else { return nil }
        let stamp = NTPTimestamp(unixSeconds: now() + skew)
        let reply = SNTPPacket(leap: leap, version: 4, mode: 4, stratum: stratum, referenceID: refid,
                               originTime: echoOrigin ? query.transmitTime : NTPTimestamp(raw: 42),
                               receiveTime: stamp, transmitTime: stamp)
        return reply.encoded()
    }
}

@Suite struct SNTPFaultTests {
    @Test func serverTwoSecondsAheadGivesPositiveOffset() async throws {
        try await withRunning(ntpServer(skew: 2)) { server in
            let outcome = await Probing.run("sntp", port: server.port, transport: .udp)
            #expect(outcome.status == .ok)
            let ntp = try #require(outcome.observations.ntp)
            #expect(ntp.offset > 1.5 && ntp.offset < 2.5)
            #expect(ntp.stratum == 2)
            #expect(ntp.refid == "192.0.2.1")
            #expect(outcome.observations.udp == .answered)
        }
    }

    @Test func kissOfDeathCarriesTheCode() async throws {
        try await withRunning(ntpServer(stratum: 0, refid: Array("RATE".utf8))) { server in
            let outcome = await Probing.run("sntp", port: server.port, transport: .udp)
            #expect(outcome.reason == .kissOfDeath)
            #expect(outcome.message.contains("RATE"))
        }
    }

    @Test func unsynchronisedServerIsCritical() async throws {
        try await withRunning(ntpServer(stratum: 16, leap: 3)) { server in
            let outcome = await Probing.run("sntp", port: server.port, transport: .udp)
            #expect(outcome.status == .critical)
            #expect(outcome.reason == .protocolError)
        }
    }

    @Test func leapThreeAloneIsUnsynchronised() async throws {
        try await withRunning(ntpServer(stratum: 3, leap: 3)) { server in
            let outcome = await Probing.run("sntp", port: server.port, transport: .udp)
            #expect(outcome.reason == .protocolError)
            #expect(outcome.message.contains("not synchronised"))
            #expect(outcome.observations.ntp?.leap == 3)
        }
    }

    @Test func answerNotEchoingT1IsRejected() async throws {
        try await withRunning(ntpServer(echoOrigin: false)) { server in
            let outcome = await Probing.run("sntp", port: server.port, transport: .udp)
            #expect(outcome.reason == .protocolError)
        }
    }

    @Test func silentServerIsNoAnswer() async throws {
        try await withRunning(UDPFixture.start { _ in nil }) { server in
            let outcome = await Probing.run("sntp", port: server.port, transport: .udp, seconds: 1)
            #expect(outcome.reason == .noAnswer)
            #expect(outcome.observations.udp == .noAnswer)
        }
    }
}

/// A DNS server that answers every query with `rcode`, optionally truncated.
private func dnsAnswer(_ request: [UInt8], rcode: UInt16, truncated: Bool = false, answers: UInt16 = 0) -> [UInt8]? {
    guard let query = try? DNSMessage(decoding: request) else { return nil }
    var flags: UInt16 = 0x8180 | rcode
    if truncated { flags |= DNSMessage.flagTruncated }
    return try? DNSMessage(id: query.id, flags: flags, questions: query.questions, answerCount: answers).encoded()
}

@Suite struct DNSFaultTests {
    @Test func servfailIsCritical() async throws {
        try await withRunning(UDPFixture.start { dnsAnswer($0, rcode: 2) }) { server in
            let outcome = await Probing.run("dns", port: server.port, transport: .udp)
            #expect(outcome.status == .critical)
            #expect(outcome.reason == .protocolError)
            #expect(outcome.observations.dns?.rcode == "SERVFAIL")
        }
    }

    @Test func nxdomainIsAnAnswer() async throws {
        try await withRunning(UDPFixture.start { dnsAnswer($0, rcode: 3) }) { server in
            let outcome = await Probing.run("dns", port: server.port, transport: .udp) { $0.dnsQueryName = "nothing.invalid" }
            #expect(outcome.status == .ok)
            #expect(outcome.observations.dns?.rcode == "NXDOMAIN")
        }
    }

    @Test func silenceIsNoAnswer() async throws {
        try await withRunning(UDPFixture.start { _ in nil }) { server in
            let outcome = await Probing.run("dns", port: server.port, transport: .udp, seconds: 1)
            #expect(outcome.reason == .noAnswer)
            #expect(outcome.status == .critical)
        }
    }

    @Test func answerWithWrongIDIsIgnored() async throws {
        try await withRunning(UDPFixture.start { request in
            guard var bytes = dnsAnswer(request, rcode: 0) else { return nil }
            bytes[0] ^= 0xFF
            return bytes
        }) { server in
            let outcome = await Probing.run("dns", port: server.port, transport: .udp, seconds: 1)
            #expect(outcome.reason == .noAnswer)
        }
    }

    @Test func truncatedAnswerIsRetriedOverTCP() async throws {
        // TCP and UDP on the same port number, as a real name server.
        try await withRunning(FaultServer.start(PeerScript(onData: { data, link in
            var buffer = data
            guard let length = buffer.readInteger(as: UInt16.self), let query = buffer.readBytes(length: Int(length)),
                  let answer = dnsAnswer(query, rcode: 0, answers: 13) else { return }
            link.send(bytes: [UInt8(answer.count >> 8), UInt8(answer.count & 0xFF)] + answer)
        }))) { tcp in
            try await withRunning(UDPFixture.start(port: tcp.port) { dnsAnswer($0, rcode: 0, truncated: true) }) { udp in
                let outcome = await Probing.run("dns", port: tcp.port, transport: .udp)
                #expect(outcome.status == .ok)
                #expect(outcome.observations.dns?.truncated == true)
                #expect(outcome.observations.dns?.answers == 13)
            }
        }
    }

    @Test func closedPortIsRefused() async throws {
        let port = try await UDPFixture.closedPort()
        let outcome = await Probing.run("dns", port: port, transport: .udp)
        #expect(outcome.reason == .refused)
        #expect(outcome.observations.udp == .refused)
    }
}

@Suite struct UDPFaultTests {
    @Test func answeringPortIsAnswered() async throws {
        try await withRunning(UDPFixture.start { _ in Array("pong".utf8) }) { server in
            let outcome = await Probing.run("udp", port: server.port, transport: .udp)
            #expect(outcome.status == .ok)
            #expect(outcome.observations.udp == .answered)
            #expect(outcome.observations.banner == "pong")
        }
    }

    @Test func closedPortIsRefused() async throws {
        let port = try await UDPFixture.closedPort()
        let outcome = await Probing.run("udp", port: port, transport: .udp)
        #expect(outcome.status == .critical)
        #expect(outcome.reason == .refused)
        #expect(outcome.observations.udp == .refused)
    }

    @Test func silentPortIsOkButUndecided() async throws {
        try await withRunning(UDPFixture.start { _ in nil }) { server in
            let outcome = await Probing.run("udp", port: server.port, transport: .udp, seconds: 1)
            #expect(outcome.status == .ok)
            #expect(outcome.observations.udp == .noAnswer)
            #expect(outcome.message == "no answer: open or filtered")
        }
    }

    @Test func nonLocalSourceAddressIsSourceAddress() async throws {
        try await withRunning(UDPFixture.start { _ in Array("pong".utf8) }) { server in
            let outcome = await Probing.run("udp", port: server.port, transport: .udp, sourceAddress: "192.0.2.1")
            #expect(outcome.reason == .sourceAddress)
        }
    }

    @Test func pyzorPingIsAnsweredWithCode200() async throws {
        try await withRunning(UDPFixture.start { request in
            let ping = PyzorMessage(decoding: request)
            guard ping["Op"] == "ping", ping["Sig"]?.count == 40, let thread = ping["Thread"] else { return nil }
            return Array("Code: 200\nDiag: OK\nPV: 2.1\nThread: \(thread)\n\n".utf8)
        }) { server in
            let outcome = await Probing.run("pyzor", port: server.port, transport: .udp)
            #expect(outcome.status == .ok)
            #expect(outcome.observations.banner == "Code: 200 OK")
        }
    }

    @Test func pyzorErrorCodeIsCritical() async throws {
        try await withRunning(UDPFixture.start { request in
            guard let thread = PyzorMessage(decoding: request)["Thread"] else { return nil }
            return Array("Code: 401\nDiag: Unauthorized\nPV: 2.1\nThread: \(thread)\n\n".utf8)
        }) { server in
            let outcome = await Probing.run("pyzor", port: server.port, transport: .udp)
            #expect(outcome.reason == .protocolError)
        }
    }
}
