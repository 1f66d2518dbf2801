import Foundation
import PortMatrixNRPE
import PortMatrixTestSupport
import Testing

/// `NRPEServer.reconfigure`, what SIGHUP calls, on the paths where the new configuration
/// cannot be applied whole. Real check_nrpe against the in-process server.
@Suite(.serialized, .enabled(if: FileManager.default.isExecutableFile(atPath: CheckNRPE.path)))
struct ReconfigureTests {
    @Test func unreadableTLSFilesAreRefusedAndTheRunningSettingsStay() async throws {
        try await TestServer.withRunning({ $0.commands = ["greet": "/bin/echo hello"] }) { server in
            var broken = server.server.configuration
            broken.commands = ["greet": "/bin/echo bonjour"]
            broken.certFile = "/nonexistent/portmatrix-cert.pem"
            broken.keyFile = "/nonexistent/portmatrix-key.pem"
            await #expect(throws: (any Error).self) { try await server.server.reconfigure(broken) }
            let answer = await server.check(["-c", "greet"])
            #expect(answer.status == 0 && answer.text == "hello", "\(answer.text)")
            #expect(server.server.configuration.certFile == nil)

            var invalid = server.server.configuration
            invalid.allowedHosts = ["10.0.0.0/33"]
            await #expect(throws: NRPEConfigurationErrors.self) { try await server.server.reconfigure(invalid) }
            #expect(await server.check(["-c", "greet"]).text == "hello")
        }
    }

    @Test func anAddressThatCannotBindIsLoggedAndTheOthersApply() async throws {
        try await TestServer.withRunning({ $0.commands = ["greet": "/bin/echo hello"] }) { server in
            let taken = try TCPListener()
            defer { taken.close() }
            let fresh = try freePort()
            var next = server.server.configuration
            next.commands = ["greet": "/bin/echo bonjour"]
            next.listen += ["127.0.0.1:\(taken.port)", "127.0.0.1:\(fresh)"]
            let opened = try await server.server.reconfigure(next)
            #expect(opened.compactMap(\.port) == [fresh])
            #expect(server.log.messages(containing: "cannot listen on 127.0.0.1:\(taken.port): Address already in use").count == 1,
                    "\(server.log.all)")
            #expect(await server.check(["-c", "greet"]).text == "bonjour", "the kept listener serves the new commands")
            #expect(await CheckNRPE.run(port: fresh, ["-c", "greet"]).text == "bonjour")
        }
    }
}
