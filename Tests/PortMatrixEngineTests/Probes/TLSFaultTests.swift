import Foundation
import NIOCore
@testable import PortMatrixEngine
import PortMatrixModel
import Testing

/// Certificates a real peer would need re-provisioning for: expired, expiring, untrusted.
@Suite struct TLSFaultTests {
    @Test func soonExpiringCertificateIsObservedNotJudged() async throws {
        let certificate = try TestCertificate(daysLeft: 3.5)
        let server = try await FaultServer.start(tls: try certificate.serverContext(), PeerScript())
        defer { Task { await server.stop() } }
        let outcome = await Probing.run("tls", port: server.port)
        #expect(outcome.status == .ok)
        #expect(outcome.observations.tls?.daysLeft == 3)
        #expect(outcome.observations.tls?.version?.hasPrefix("TLSv1.") == true)
        #expect(outcome.observations.tls?.subject?.contains("portmatrix.test") == true)
        #expect(outcome.phases.tls != nil)
        let mismatch = await Probing.run("tls", port: server.port) { $0.expectBanner = "CN=other.example" }
        #expect(mismatch.reason == .bannerMismatch)
    }

    @Test func expiredCertificateIsCertInvalid() async throws {
        let certificate = try TestCertificate(daysLeft: -2.5)
        let server = try await FaultServer.start(tls: try certificate.serverContext(), PeerScript())
        defer { Task { await server.stop() } }
        let outcome = await Probing.run("syslog-tls", port: server.port)
        #expect(outcome.reason == .certInvalid)
        #expect(outcome.observations.tls?.daysLeft == -3)
    }

    @Test func untrustedCertificateFailsOnlyWhenVerifying() async throws {
        let certificate = try TestCertificate(daysLeft: 90)
        let server = try await FaultServer.start(tls: try certificate.serverContext(), PeerScript())
        defer { Task { await server.stop() } }
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

    @Test func resetDuringHandshakeIsTLSHandshake() async throws {
        let server = try await FaultServer.start(PeerScript(onData: { _, link in link.reset() }))
        defer { Task { await server.stop() } }
        let outcome = await Probing.run("https", port: server.port)
        #expect(outcome.reason == .tlsHandshake)
    }

    @Test func plaintextPeerIsTLSHandshake() async throws {
        let server = try await FaultServer.start(PeerScript(onData: { _, link in
            link.send("HTTP/1.1 400 Bad Request\r\n\r\n")
            link.close()
        }))
        defer { Task { await server.stop() } }
        let outcome = await Probing.run("tls", port: server.port)
        #expect(outcome.reason == .tlsHandshake)
    }
}
