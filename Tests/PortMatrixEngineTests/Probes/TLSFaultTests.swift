import Foundation
import NIOCore
@testable import PortMatrixEngine
import PortMatrixModel
import PortMatrixTestSupport
import Testing

/// Certificates a real peer would need re-provisioning for: expired, expiring, untrusted.
@Suite struct TLSFaultTests {
    @Test func soonExpiringCertificateIsObservedNotJudged() async throws {
        let certificate = try TestCertificate(daysLeft: 3.5)
        try await withRunning(FaultServer.start(tls: try certificate.serverContext(), PeerScript())) { server in
            let outcome = await Probing.run("tls", port: server.port)
            #expect(outcome.status == .ok)
            #expect(outcome.observations.tls?.daysLeft == 3)
            #expect(outcome.observations.tls?.version?.hasPrefix("TLSv1.") == true)
            #expect(outcome.observations.tls?.subject?.contains("portmatrix.test") == true)
            #expect(outcome.phases.tls != nil)
            let mismatch = await Probing.run("tls", port: server.port) { $0.expectBanner = "CN=other.example" }
            #expect(mismatch.reason == .bannerMismatch)
        }
    }

    @Test func expiredCertificateIsCertInvalid() async throws {
        let certificate = try TestCertificate(daysLeft: -2.5)
        try await withRunning(FaultServer.start(tls: try certificate.serverContext(), PeerScript())) { server in
            let outcome = await Probing.run("syslog-tls", port: server.port)
            #expect(outcome.reason == .certInvalid)
            #expect(outcome.observations.tls?.daysLeft == -3)
        }
    }

    @Test func untrustedCertificateFailsOnlyWhenVerifying() async throws {
        let certificate = try TestCertificate(daysLeft: 90)
        try await withRunning(FaultServer.start(tls: try certificate.serverContext(), PeerScript())) { server in
            let verified = await Probing.run("tls", port: server.port) { $0.verifyCertificate = true }
            #expect(verified.reason == .certInvalid)
            let caFile = try certificate.writePEM()
            defer { try? FileManager.default.removeItem(atPath: caFile) }
            let trusted = await Probing.run("tls", port: server.port) {
                $0.verifyCertificate = true
                $0.caFile = caFile
            }
            #expect(trusted.status == .ok)
            #expect(trusted.observations.tls?.verified == true)
            let wrongName = await Probing.run("tls", port: server.port) {
                $0.verifyCertificate = true
                $0.caFile = caFile
                $0.serverName = "other.example"
            }
            #expect(wrongName.reason == .certInvalid, "\(wrongName.message)")
        }
    }

    /// Contexts are cached per configuration, but a CA file replaced in place (as a renewal
    /// would) counts from the next check, in both directions.
    @Test func replacedCAFileTakesEffectAtTheNextCheck() async throws {
        let certificate = try TestCertificate(daysLeft: 90)
        let stranger = try TestCertificate(daysLeft: 90, commonName: "stranger.test")
        try await withRunning(FaultServer.start(tls: try certificate.serverContext(), PeerScript())) { server in
            let caFile = try stranger.writePEM()
            defer { try? FileManager.default.removeItem(atPath: caFile) }
            func check() async -> ProbeOutcome {
                await Probing.run("tls", port: server.port) {
                    $0.verifyCertificate = true
                    $0.caFile = caFile
                }
            }
            #expect(await check().reason == .certInvalid)
            #expect(await check().reason == .certInvalid)
            try certificate.pem.write(toFile: caFile, atomically: false, encoding: .utf8)
            #expect(await check().status == .ok)
            try stranger.pem.write(toFile: caFile, atomically: false, encoding: .utf8)
            #expect(await check().reason == .certInvalid)
        }
    }

    @Test func unchangedConfigurationReusesItsContext() throws {
        let certificate = try TestCertificate(daysLeft: 90)
        let caFile = try certificate.writePEM()
        defer { try? FileManager.default.removeItem(atPath: caFile) }
        var options = ProbeOptions()
        options.verifyCertificate = true
        options.caFile = caFile
        let (first, _) = try TLSInspector.makeContext(options: options, host: "127.0.0.1")
        let (second, _) = try TLSInspector.makeContext(options: options, host: "127.0.0.1")
        #expect(first === second)
        options.verifyCertificate = false
        let (unverified, _) = try TLSInspector.makeContext(options: options, host: "127.0.0.1")
        #expect(unverified !== first)
    }

    @Test func resetDuringHandshakeIsTLSHandshake() async throws {
        try await withRunning(FaultServer.start(PeerScript(onData: { _, link in link.reset() }))) { server in
            let outcome = await Probing.run("https", port: server.port)
            #expect(outcome.reason == .tlsHandshake)
        }
    }

    @Test func plaintextPeerIsTLSHandshake() async throws {
        try await withRunning(FaultServer.start(PeerScript(onData: { _, link in
            link.send("HTTP/1.1 400 Bad Request\r\n\r\n")
            link.close()
        }))) { server in
            let outcome = await Probing.run("tls", port: server.port)
            #expect(outcome.reason == .tlsHandshake)
        }
    }
}
