import Foundation
import Testing
@testable import portmatrix

/// Usage mistakes at the front ends the change wired: each is answered with what to do instead.
struct WiringUsageErrorTests {
    @Test func checkPathWithoutAnIdSaysHowToAsk() async throws {
        let engine = try await NRPEBuiltinsTests.engine()
        let commands = EngineNRPECommands(store: engine.store, links: { [] })
        for arguments in [[], [""]] {
            let answer = try #require(await commands.run(command: "check_path", arguments: arguments))
            #expect(answer.state == .unknown)
            #expect(answer.output == "PORTMATRIX UNKNOWN - check_path needs a path id: check_nrpe -c check_path -a <path-id>")
        }
        #expect(commands.paths.renders == 0)
        #expect(await commands.run(command: "check_nothing", arguments: []) == nil, "not a built-in: the NRPE commands answer it")
    }

    @Test func checkMarkdownNeedsTheFirewallRequestFormat() throws {
        for arguments in [["--markdown"], ["--format", "json", "--markdown"]] {
            let result = try CLIRunner.run(["check"] + arguments)
            #expect(result.status == 64, "\(arguments)")
            #expect(result.stderr.contains("--markdown goes with --format firewall-request"), "\(arguments): \(result.stderr)")
            #expect(result.stdout.isEmpty)
        }
    }
}
