import Foundation
import Logging
import NIOPosix
import PortMatrixTestSupport
import Synchronization
import Testing
@testable import PortMatrixNRPE

/// allowed_hosts (empty, `[any]`, names resolved in the background) and TLS (cipher suites,
/// pinned client certificates), attacked with real check_nrpe and openssl.
@Suite(.enabled(if: CheckNRPE.isInstalled, "needs nagios-nrpe-plugin"))
struct HardeningTests {
    // MARK: allowed_hosts

    @Test func emptyAllowedHostsIsRefusedAndAnyMustBeExplicit() async throws {
        var configuration = NRPEConfiguration()
        configuration.allowedHosts = []
        #expect(configuration.validate().map(\.description) == ["nrpe.allowed_hosts: is empty; list the monitoring servers, or write [any] to allow every address"])
        #expect(throws: NRPEConfigurationErrors.self) { try NRPEServer(configuration: configuration, logger: Logger(label: "t")) }
        configuration.allowedHosts = ["any", "10.0.0.1"]
        #expect(configuration.validate().map(\.description) == ["nrpe.allowed_hosts: 'any' allows every address and goes alone"])
        configuration.allowedHosts = ["any"]
        #expect(configuration.validate().isEmpty)
    }

    @Test func anyAnswersEveryAddressWithAWarning() async throws {
        let server = try await TestServer.start {
            $0.tlsMode = .off
            $0.allowedHosts = ["any"]
        }
        let reply = try await offCooperativePool { () -> Result<[UInt8]?, any Error> in
            Result {
                let client = try LoopbackClient(port: server.port, bindTo: "127.0.0.2")
                try client.write(NRPEPacket(version: .v4, type: .query, text: "_NRPE_CHECK").encoded())
                return client.readUntilClosed(seconds: 10)
            }
        }.get()
        await server.stop()
        #expect(try NRPEPacket(decoding: #require(reply)).text == "NRPE v4.1.0 (portmatrix)")
        #expect(server.log.messages(containing: "allowed_hosts is [any]: every address may query this agent").count == 1)
    }

    @Test func hostNameIsHonoured() async throws {
        let server = try await TestServer.start { $0.allowedHosts = ["localhost"] }
        let result = await server.check()
        await server.stop()
        #expect(result.text == "NRPE v4.1.0 (portmatrix)")
    }

    /// Attack: a flood from a refused address. Each connection used to run getaddrinfo for
    /// every allowed name on the command threads; now no connection resolves anything.
    @Test func floodOfRefusedConnectionsResolvesNothing() async throws {
        let lookups = Mutex(0)
        var configuration = NRPEConfiguration()
        configuration.listen = ["127.0.0.1:0"]
        configuration.allowedHosts = ["monitoring.example"]
        configuration.stateDirectory = makeTemporaryDirectory("nrpe-state")
        configuration.tlsMode = .off
        configuration.commandThreads = 1
        configuration.commands = ["hello": "echo hello"]
        let log = LogRecord()
        let server = try NRPEServer(
            configuration: configuration, builtins: TestBuiltins(), logger: log.logger(label: "nrpe-test"),
            eventLoopGroup: MultiThreadedEventLoopGroup.singleton,
            resolver: { name in
                lookups.withLock { $0 += 1 }
                return name == "monitoring.example" ? [[127, 0, 0, 1]] : []
            })
        let port = try #require(try await server.start().first?.port)
        #expect(lookups.withLock { $0 } == 1)
        let refused = try await offCooperativePool { () -> Result<Int, any Error> in
            Result {
                var closed = 0
                for _ in 0..<200 {
                    let client = try LoopbackClient(port: port, bindTo: "127.0.0.2")
                    if client.readUntilClosed(seconds: 10) == [] { closed += 1 }
                }
                return closed
            }
        }.get()
        let result = await CheckNRPE.run(port: port, ["-n", "-c", "hello"])
        await server.shutdown()
        #expect(refused == 200)
        #expect(result.text == "hello")
        #expect(lookups.withLock { $0 } == 1)
    }

    // MARK: TLS

    private static func tlsServer(_ configure: (inout NRPEConfiguration) -> Void = { _ in }) async throws -> TestServer {
        let certificates = TestCertificates.shared
        return try await TestServer.start {
            $0.certFile = certificates.serverCert
            $0.keyFile = certificates.serverKey
            configure(&$0)
        }
    }

    /// A self-signed RSA certificate: RSA key exchange needs one (the shared test certificates are EC).
    static let rsaCertificate: (cert: String, key: String) = {
        let directory = makeTemporaryDirectory("nrpe-rsa")
        let made = run("/bin/sh", ["-c", "openssl req -x509 -newkey rsa:2048 -nodes -keyout '\(directory)/key.pem' -out '\(directory)/cert.pem' -days 2 -subj /CN=nrpe-rsa 2>&1"])
        precondition(made.status == 0, made.output)
        return ("\(directory)/cert.pem", "\(directory)/key.pem")
    }()

    /// Attack: a TLS 1.2 client asking for RSA key exchange (no forward secrecy) or CBC; NIOSSL's
    /// default list offered both (RSA+AES, ECDH+AES128). check_nrpe's defaults still connect.
    @Test(arguments: [("rsa", "AES128-SHA", "ECDHE-RSA-AES128-GCM-SHA256"), ("rsa", "AES256-GCM-SHA384", "ECDHE-RSA-CHACHA20-POLY1305"),
                      ("ec", "ECDHE-ECDSA-AES128-SHA", "ECDHE-ECDSA-AES128-GCM-SHA256")])
    func onlyECDHEWithAEAD(key: String, weakCipher: String, strongCipher: String) async throws {
        let server = try await TestServer.start {
            if key == "rsa" {
                ($0.certFile, $0.keyFile) = (Self.rsaCertificate.cert, Self.rsaCertificate.key)
            } else {
                ($0.certFile, $0.keyFile) = (TestCertificates.shared.serverCert, TestCertificates.shared.serverKey)
            }
        }
        let byDefault = await server.check()
        let tls12 = await server.check(["-S", "TLSv1.2+"])
        let sClient: @Sendable (String) -> (status: Int32, output: String) = { cipher in
            run("/bin/sh", ["-c", "openssl s_client -connect 127.0.0.1:\(server.port) -tls1_2 -cipher \(cipher) </dev/null 2>&1"])
        }
        let weak = await offCooperativePool { sClient(weakCipher) }
        let strong = await offCooperativePool { sClient(strongCipher) }
        await server.stop()
        #expect(byDefault.text == "NRPE v4.1.0 (portmatrix)")
        #expect(tls12.text == "NRPE v4.1.0 (portmatrix)")
        #expect(weak.status != 0)
        #expect(weak.output.contains("handshake failure"))
        #expect(strong.output.contains("Cipher is \(strongCipher)"))
    }

    static func fingerprint(of pem: String) throws -> String {
        let output = run("/bin/sh", ["-c", "openssl x509 -in '\(pem)' -noout -fingerprint -sha256"]).output
        return "sha256:" + (try #require(output.split(separator: "=", maxSplits: 1).last)).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test(arguments: ["fingerprint", "CN=nrpe-test-client"])
    func pinnedClientCertificateIsServed(pin: String) async throws {
        let certificates = TestCertificates.shared
        let entry = pin == "fingerprint" ? try Self.fingerprint(of: certificates.clientCert) : pin
        let server = try await Self.tlsServer {
            $0.caFile = certificates.caFile
            $0.clientCertificates = .require
            $0.allowedClients = [entry]
        }
        let result = await server.check(["-C", certificates.clientCert, "-K", certificates.clientKey])
        await server.stop()
        #expect(result.text == "NRPE v4.1.0 (portmatrix)")
    }

    /// Attack: a certificate the CA signed for another client (valid, not pinned).
    @Test func validButUnpinnedClientCertificateIsRefused() async throws {
        let certificates = TestCertificates.shared
        let server = try await Self.tlsServer {
            $0.caFile = certificates.caFile
            $0.clientCertificates = .require
            $0.allowedClients = ["CN=nagios", "sha256:" + String(repeating: "AB:", count: 31) + "AB"]
        }
        let result = await server.check(["-C", certificates.clientCert, "-K", certificates.clientKey])
        await server.stop()
        #expect(!result.text.contains("NRPE v4.1.0"))
        let fingerprint = try Self.fingerprint(of: certificates.clientCert)
        #expect(server.log.messages(containing: "client certificate 'CN=nrpe-test-client' \(fingerprint) is not in tls.allowed_clients").count >= 1)
    }

    @Test func allowedClientsNeedRequire() {
        var configuration = NRPEConfiguration()
        configuration.caFile = "/ca.pem"
        configuration.clientCertificates = .ask
        configuration.allowedClients = ["CN=nagios", "sha256:12"]
        #expect(configuration.validate().map(\.description) == [
            "nrpe.tls.allowed_clients: needs client_certs: require",
            "nrpe.tls.allowed_clients[1]: 'sha256:12' is not a SHA-256 fingerprint (sha256: and 64 hex digits, colons allowed)",
        ])
    }
}
