import NIOCore
import NIOSSL
@testable import PortMatrixEngine
import PortMatrixModel
import PortMatrixTestSupport
import Testing

/// SMTP peers that real daemons do not imitate on demand.
@Suite struct SMTPFaultTests {
    /// Multi-line greeting and a capability list whose LAST line is `250 STARTTLS`.
    static func script(tls: NIOSSLContext?, greeting: [String] = ["220-fixture.test ESMTP", "220-second line", "220 ready"]) -> PeerScript {
        PeerScript(
            onConnect: { link in link.send(greeting.map { $0 + "\r\n" }.joined()) },
            onLine: { line, link in
                let command = line.uppercased()
                if command.hasPrefix("EHLO") {
                    if tls != nil {
                        link.send("250-fixture.test\r\n250-PIPELINING\r\n250-8BITMIME\r\n250 STARTTLS\r\n")
                    } else {
                        link.send("250-fixture.test\r\n250-PIPELINING\r\n250 8BITMIME\r\n")
                    }
                } else if command == "STARTTLS", let tls {
                    link.send("220 2.0.0 go ahead\r\n")
                    link.startTLS(tls)
                } else if command == "QUIT" {
                    link.send("221 bye\r\n")
                    link.close()
                } else {
                    link.send("502 unknown\r\n")
                }
            })
    }

    @Test func multiLineGreetingAndStartTLSAsLastCapability() async throws {
        let certificate = try TestCertificate(daysLeft: 40)
        try await withRunning(FaultServer.start(Self.script(tls: try certificate.serverContext()))) { server in
            let outcome = await Probing.run("smtp", port: server.port)
            #expect(outcome.status == .ok)
            #expect(outcome.observations.banner == "fixture.test ESMTP")
            #expect(outcome.observations.smtp?.starttls == true)
            #expect(outcome.observations.smtp?.extensions.contains("PIPELINING") == true)
            #expect(outcome.observations.tls?.daysLeft == 39 || outcome.observations.tls?.daysLeft == 40)
        }
    }

    @Test func startTLSOffIsNotAttempted() async throws {
        let certificate = try TestCertificate(daysLeft: 40)
        try await withRunning(FaultServer.start(Self.script(tls: try certificate.serverContext()))) { server in
            let outcome = await Probing.run("smtp", port: server.port) { $0.starttls = .off }
            #expect(outcome.status == .ok)
            #expect(outcome.observations.smtp?.starttls == false)
            #expect(outcome.observations.smtp?.extensions.contains("STARTTLS") == true)
            #expect(outcome.observations.tls == nil)
        }
    }

    @Test func startTLSRequiredButNotOffered() async throws {
        try await withRunning(FaultServer.start(Self.script(tls: nil))) { server in
            let auto = await Probing.run("smtp", port: server.port) { $0.starttls = .auto }
            #expect(auto.status == .ok)
            #expect(auto.observations.smtp?.starttls == false)
            // Without a setting SMTP expects STARTTLS: missing is a warning, the dialogue completes.
            let expected = await Probing.run("smtp", port: server.port)
            #expect(expected.status == .warning)
            #expect(expected.message.hasPrefix("STARTTLS not offered, expected on this path (fixture.test ESMTP)"))
            #expect(expected.observations.smtp?.starttls == false)
            let required = await Probing.run("smtp", port: server.port) { $0.starttls = .required }
            #expect(required.reason == .protocolError)
            #expect(required.status == .critical)
        }
    }

    @Test func rejectingGreetingIsProtocolErrorWithText() async throws {
        try await withRunning(FaultServer.start(Self.script(tls: nil, greeting: ["554 5.3.2 no service for you"]))) { server in
            let outcome = await Probing.run("smtp", port: server.port)
            #expect(outcome.reason == .protocolError)
            #expect(outcome.status == .critical)
            #expect(outcome.message.contains("no service for you"))
        }
    }

    @Test func greetingWithoutCodeIsProtocolError() async throws {
        try await withRunning(FaultServer.start(Self.script(tls: nil, greeting: ["SSH-2.0-OpenSSH_9.2"]))) { server in
            let outcome = await Probing.run("smtp", port: server.port)
            #expect(outcome.reason == .protocolError)
        }
    }

    @Test func expectBannerAppliesToTheGreeting() async throws {
        try await withRunning(FaultServer.start(Self.script(tls: nil))) { server in
            let outcome = await Probing.run("smtp", port: server.port) { $0.expectBanner = "Postfix" }
            #expect(outcome.reason == .bannerMismatch)
        }
    }

    /// Cisco ESMTP inspection: `250-XXXXXXXA` where the server said `250-STARTTLS`. No Debian
    /// package rewrites EHLO, hence this fixture; before, the check was OK.
    @Test(arguments: [StartTLSPolicy.auto, .expected, .required, nil])
    func maskedStartTLSIsCritical(_ policy: StartTLSPolicy?) async throws {
        try await withRunning(FaultServer.start(PeerScript(
            onConnect: { link in link.send("220 fixture.test ESMTP\r\n") },
            onLine: { line, link in
                if line.uppercased().hasPrefix("EHLO") {
                    link.send("250-fixture.test\r\n250-PIPELINING\r\n250-XXXXXXXA\r\n250 8BITMIME\r\n")
                } else if line.uppercased() == "QUIT" {
                    link.send("221 bye\r\n")
                    link.close()
                } else {
                    link.send("502 unknown\r\n")
                }
            }))) { server in
            let outcome = await Probing.run("smtp", port: server.port) { options in
                if let policy { options.starttls = policy }
            }
            #expect(outcome.status == .critical)
            #expect(outcome.message == "STARTTLS masked by an inspecting middlebox (EHLO shows XXXXXXXA)")
            let off = await Probing.run("smtp", port: server.port) { $0.starttls = .off }
            #expect(off.status == .ok)
        }
    }
}

typealias StartTLSPolicy = ProbeOptions.StartTLS
