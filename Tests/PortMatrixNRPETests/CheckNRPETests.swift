import Foundation
import PortMatrixTestSupport
import Testing
@testable import PortMatrixNRPE

/// The real check_nrpe 4.1.0 against the server in-process on 127.0.0.1 port 0.
@Suite(.enabled(if: CheckNRPE.isInstalled, "needs nagios-nrpe-plugin"))
struct CheckNRPETests {
    @Test func defaultTLSWithGeneratedCertificate() async throws {
        let server = try await TestServer.start()
        let result = await server.check()
        await server.stop()
        #expect(result.text == "NRPE v4.1.0 (portmatrix)")
        #expect(result.status == 0)
    }

    @Test(arguments: [["-n"], ["-2"], ["-3"], ["-n", "-2"], ["-n", "-3"]])
    func packetVersionsAndPlaintext(flags: [String]) async throws {
        let server = try await TestServer.start { $0.tlsMode = flags.contains("-n") ? .off : .on }
        let result = await server.check(flags + ["-c", "check_path", "-a", "admin-http"])
        await server.stop()
        #expect(result.text == "PORTMATRIX WARNING - admin-http: tcp/8080 open")
        #expect(result.status == 1)
        // Answered at the first try in the version asked for: no fallback to v2, no refusal.
        let version = flags.contains("-2") ? "v2" : flags.contains("-3") ? "v3" : "v4"
        #expect(server.log.messages(containing: "answered") == server.log.messages(containing: "with a \(version) packet"))
        #expect(server.log.messages(containing: "answered").count == 1)
        #expect(server.log.refusals.isEmpty)
    }

    @Test(arguments: ["TLSv1.2", "TLSv1.2+"])
    func tlsVersions(version: String) async throws {
        let server = try await TestServer.start()
        let result = await server.check(["-S", version])
        await server.stop()
        #expect(result.status == 0)
        #expect(result.text == "NRPE v4.1.0 (portmatrix)")
    }

    @Test func tls11IsRefused() async throws {
        let server = try await TestServer.start()
        let result = await server.check(["-S", "TLSv1.1"])
        await server.stop()
        #expect(result.status != 0)
        #expect(!server.log.messages(containing: "TLS handshake failed: the client offers no TLS version of 1.2").isEmpty)
    }

    @Test func ipv6Loopback() async throws {
        let server = try await TestServer.start {
            $0.listen = ["[::1]:0"]
            $0.allowedHosts = ["::1/128"]
        }
        let result = await server.check(host: "::1")
        await server.stop()
        #expect(result.status == 0)
        #expect(result.text == "NRPE v4.1.0 (portmatrix)")
    }

    @Test func askedClientCertificatesAreOptional() async throws {
        let certificates = TestCertificates.shared
        let server = try await TestServer.start {
            $0.certFile = certificates.serverCert
            $0.keyFile = certificates.serverKey
            $0.caFile = certificates.caFile
            $0.clientCertificates = .ask
        }
        let with = await server.check(["-C", certificates.clientCert, "-K", certificates.clientKey])
        let without = await server.check()
        // A certificate from another CA is verified, and refused.
        let foreign = await server.check(["-C", "\(certificates.directory)/other-ca.pem", "-K", "\(certificates.directory)/other-ca.key"])
        await server.stop()
        #expect(with.status == 0)
        #expect(without.status == 0)
        #expect(foreign.status != 0)
    }

    @Test func builtinsTakeArgumentsAlways() async throws {
        let server = try await TestServer.start()
        let ok = await server.check(["-c", "check_path", "-a", "smtp-in-internet"])
        let args = await server.check(["-c", "echo_args", "-a", "x;y", "a|b"])
        await server.stop()
        #expect(ok.status == 0)
        #expect(ok.text == "PORTMATRIX OK - smtp-in-internet: tcp/25 listening")
        #expect(args.text == "x;y,a|b")
    }

    /// Built-ins run on the connection's event loop, so answering one costs no thread hop.
    @Test func builtinsRunOnTheConnectionsLoop() async throws {
        let server = try await TestServer.start()
        let answer = await server.check(["-c", "on_event_loop"])
        await server.stop()
        #expect(answer.status == 0)
        #expect(answer.text == "on an event loop")
    }

    @Test func verifiesAgainstCA() async throws {
        let certificates = TestCertificates.shared
        let server = try await TestServer.start {
            $0.certFile = certificates.serverCert
            $0.keyFile = certificates.serverKey
        }
        let good = await server.check(["-A", certificates.caFile])
        let bad = await server.check(["-A", certificates.otherCAFile])
        await server.stop()
        #expect(good.status == 0)
        #expect(good.text == "NRPE v4.1.0 (portmatrix)")
        #expect(bad.status != 0)
    }

    @Test func requiresClientCertificates() async throws {
        let certificates = TestCertificates.shared
        let server = try await TestServer.start {
            $0.certFile = certificates.serverCert
            $0.keyFile = certificates.serverKey
            $0.caFile = certificates.caFile
            $0.clientCertificates = .require
        }
        let with = await server.check(["-A", certificates.caFile, "-C", certificates.clientCert, "-K", certificates.clientKey])
        let without = await server.check(["-A", certificates.caFile])
        await server.stop()
        #expect(with.status == 0)
        #expect(with.text == "NRPE v4.1.0 (portmatrix)")
        #expect(without.status != 0)
        #expect(!without.text.contains("NRPE v4.1.0"))
        #expect(server.log.messages(containing: "TLS handshake failed: no client certificate while client_certs is require").count >= 1)
    }

    @Test func longOutputWholeInV4CutInV2() async throws {
        let server = try await TestServer.start()
        let v4 = await server.check(["-c", "long_output", "-a", "3000"])
        let v2 = await server.check(["-2", "-c", "long_output", "-a", "3000"])
        await server.stop()
        #expect(v4.status == 2)
        #expect(v4.text == String(repeating: "y", count: 3000))
        #expect(v2.status == 2)
        #expect(v2.text == String(repeating: "y", count: 1023))
    }

    @Test func externalCommandsAndUnknown() async throws {
        let server = try await TestServer.start {
            $0.commands = ["check_dummy": "/usr/lib/nagios/plugins/check_dummy 1 'from plugin'", "check_echo": "echo \"[$ARG1$]\""]
        }
        let dummy = await server.check(["-c", "check_dummy"])
        let unknown = await server.check(["-c", "nosuch"])
        let refused = await server.check(["-c", "check_echo", "-a", "x"])
        await server.stop()
        #expect(dummy.status == 1)
        #expect(dummy.text == "WARNING: from plugin")
        #expect(unknown.status == 3)
        #expect(unknown.text == "NRPE: Command 'nosuch' not defined")
        #expect(refused.status != 0)
        #expect(server.log.refusals.contains { $0.contains("allow_arguments is off") })
    }

    @Test func argumentsWhenAllowedAndMetacharactersRefused() async throws {
        let server = try await TestServer.start {
            $0.allowArguments = true
            $0.commands = ["check_echo": "echo \"($ARG1$/$ARG2$)\""]
        }
        let ok = await server.check(["-c", "check_echo", "-a", "one", "two"])
        let nasty = await server.check(["-c", "check_echo", "-a", "x;reboot"])
        await server.stop()
        #expect(ok.text == "(one/two)")
        #expect(ok.status == 0)
        #expect(nasty.status != 0)
        #expect(server.log.refusals.filter { $0.contains("metacharacter \";\"") }.count >= 1)
    }

    @Test func importsNRPECfg() async throws {
        let directory = makeTemporaryDirectory("nrpe-include")
        try "command[from_cfg]=/usr/lib/nagios/plugins/check_dummy 0 imported\n".write(toFile: "\(directory)/nrpe.cfg", atomically: true, encoding: .utf8)
        let server = try await TestServer.start { $0.includeFile = "\(directory)/nrpe.cfg" }
        let result = await server.check(["-c", "from_cfg"])
        await server.stop()
        #expect(result.text == "OK: imported")
    }

    @Test func clientTimeoutAgainstSlowCommand() async throws {
        let server = try await TestServer.start { $0.commands = ["slow": "sleep 4; echo late"] }
        let result = await CheckNRPE.run(port: server.port, ["-t", "1", "-c", "slow"])
        await server.stop()
        #expect(result.status == 2)
        #expect(result.text.contains("timeout"))
    }

    @Test func commandTimeoutKillsHungCommand() async throws {
        let server = try await TestServer.start {
            $0.commandTimeout = 1
            $0.commands = ["hung": "trap '' TERM; sleep 300"]
        }
        let result = await server.check(["-c", "hung"])
        await server.stop()
        #expect(result.status == 3)
        #expect(result.text == "NRPE: Command timed out after 1 seconds")
    }

    @Test func deniedHostIsClosedAndLogged() async throws {
        let server = try await TestServer.start { $0.allowedHosts = ["127.0.0.1"] }
        let denied = await server.check(["-b", "127.0.0.2"])
        let allowed = await server.check()
        await server.stop()
        #expect(denied.status != 0)
        // check_nrpe retries with v2 after the silent close: one line per connection.
        #expect((1...2).contains(server.log.refusals.count))
        #expect(server.log.refusals.allSatisfy { $0.contains("from 127.0.0.2:") && $0.contains("allowed_hosts") })
        #expect(allowed.status == 0)
    }

    @Test func networksAndHostNamesInAllowedHosts() async throws {
        let server = try await TestServer.start { $0.allowedHosts = ["10.0.0.0/8", "localhost"] }
        let byName = await server.check()
        await server.stop()
        #expect(byName.status == 0)
    }

    @Test func generatedCertificateIsKeptAndReused() async throws {
        let state = makeTemporaryDirectory("nrpe-state-reuse") + "/sub"
        let first = try await TestServer.start { $0.stateDirectory = state }
        await first.stop()
        let certificate = try String(contentsOfFile: "\(state)/nrpe-cert.pem", encoding: .utf8)
        #expect(POSIXFile.mode(of: "\(state)/nrpe-key.pem") == 0o600)
        let second = try await TestServer.start { $0.stateDirectory = state }
        let result = await second.check()
        await second.stop()
        #expect(try String(contentsOfFile: "\(state)/nrpe-cert.pem", encoding: .utf8) == certificate)
        #expect(result.status == 0)
        #expect(second.log.messages(containing: "generated").isEmpty)
        #expect(first.log.messages(containing: "generated").count == 1)
    }

    @Test func halfAGeneratedPairIsNotOverwritten() async throws {
        let state = makeTemporaryDirectory("nrpe-state-half")
        try "not a key".write(toFile: "\(state)/nrpe-key.pem", atomically: true, encoding: .utf8)
        await #expect(throws: NRPESelfSignedCertificate.IncompletePair.self) {
            _ = try await TestServer.start { $0.stateDirectory = state }
        }
        #expect(try String(contentsOfFile: "\(state)/nrpe-key.pem", encoding: .utf8) == "not a key")
    }

    @Test func shutdownAnswersRequestInFlight() async throws {
        let marker = makeTemporaryDirectory("nrpe-inflight") + "/started"
        let server = try await TestServer.start { $0.commands = ["slowish": "touch \(marker); sleep 1; echo done"] }
        async let result = server.check(["-c", "slowish"])
        // Shut down only once the command runs, so the request is really in flight.
        let started = await pollUntil(every: 0.02) { FileManager.default.fileExists(atPath: marker) }
        await server.stop()
        try #require(started, "the command never started")
        #expect(await result.text == "done")
    }
}
