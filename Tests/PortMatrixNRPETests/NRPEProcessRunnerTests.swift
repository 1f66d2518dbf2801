import Foundation
import NIOPosix
import Testing
@testable import PortMatrixNRPE

@Suite struct NRPEProcessRunnerTests {
    let runner = NRPEProcessRunner(killGraceMilliseconds: 500)

    @Test(arguments: [
        ("echo fine", NRPEState.ok, "fine"), ("echo warn; exit 1", .warning, "warn"),
        ("echo crit; exit 2", .critical, "crit"), ("echo seven; exit 7", .unknown, "seven"),
        ("echo x; exit 255", .unknown, "x"), ("true", .unknown, "NRPE: Unable to read output"),
        ("exit 1", .unknown, "NRPE: Unable to read output"), ("printf 'a\\n\\n'", .ok, "a\n"),
        ("echo out; echo err >&2", .ok, "out"), ("echo sig; kill -9 $$", .unknown, "sig"),
    ])
    func mapsExitCodesAndOutputLikeNRPE(command: String, state: NRPEState, output: String) {
        let result = runner.run(commandLine: command, timeoutSeconds: 10, outputLimit: 1000)
        #expect(result == NRPEResult(state: state, output: output))
    }

    @Test func environmentIsWiped() {
        setenv("PORTMATRIX_SECRET", "leak", 1)
        let result = runner.run(commandLine: "env | sort; pwd", timeoutSeconds: 10, outputLimit: 4000)
        #expect(!result.output.contains("PORTMATRIX_SECRET"))
        #expect(result.output.contains("PATH=/usr/bin:/bin:/usr/sbin:/sbin"))
        #expect(result.output.hasSuffix("\n/"))
    }

    @Test func timeoutKillsTheWholeProcessGroup() throws {
        let pidFile = makeTemporaryDirectory("nrpe-run") + "/pid"
        // The background sleep ignores the shell's death; only a group kill reaches it.
        let result = runner.run(commandLine: "sleep 300 & echo $! > \(pidFile); trap '' TERM; wait", timeoutSeconds: 1, outputLimit: 100)
        #expect(result == NRPEResult(state: .unknown, output: "NRPE: Command timed out after 1 seconds"))
        let pid = try #require(pid_t(String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
        var gone = false
        for _ in 0..<50 where !gone {
            // Dead, or a zombie waiting for a reaper (init may not reap in containers).
            let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
            gone = kill(pid, 0) != 0 || stat.contains(") Z ")
            if !gone { usleep(100_000) }
        }
        #expect(gone)
    }

    @Test func outputIsBoundedButTheCommandIsDrained() {
        let result = runner.run(commandLine: "head -c 200000 /dev/zero | tr '\\0' x; exit 1", timeoutSeconds: 10, outputLimit: 65535)
        #expect(result.state == .warning)
        #expect(result.output.utf8.count <= 65536)
    }

    @Test(arguments: ["a\r\nb", "a\nb", "a\rb", "x;y", "`id`", "$(id)", "a&b", "[x]", "{x}", "<x", ">x", "'x", "a\\b"])
    func refusesNastyMetacharacters(argument: String) async throws {
        let pool = NIOThreadPool(numberOfThreads: 1)
        pool.start()
        let dispatcher = NRPECommandDispatcher(
            builtins: NRPENoBuiltinCommands(), externalCommands: ["echo": "echo $ARG1$"],
            allowArguments: true, commandTimeoutSeconds: 5, threadPool: pool
        )
        let outcome = await dispatcher.respond(to: NRPERequest(command: "echo", arguments: [argument]), outputLimit: 100)
        try await pool.shutdownGracefully()
        guard case .refuse(let reason) = outcome else {
            Issue.record("not refused: \(outcome)")
            return
        }
        #expect(reason.contains("metacharacter") || reason.contains("command substitution"))
    }

    @Test func substitutesArguments() {
        let line = NRPECommandDispatcher.substitute(arguments: ["a", "b"], into: "x $ARG1$ $ARG2$ $ARG3$ $ARG10$")
        #expect(line == "x a b  ")
        let many = (1...16).map { "v\($0)" }
        #expect(NRPECommandDispatcher.substitute(arguments: many, into: "$ARG16$-$ARG1$$ARG10$") == "v16-v1v10")
        #expect(NRPECommandDispatcher.substitute(arguments: ["$ARG2$", "b"], into: "[$ARG1$]") == "[$ARG2$]")
        #expect(NRPECommandDispatcher.substitute(arguments: ["a"], into: "$ARG $ARG17$ $ARGx$ $ARG1") == "$ARG $ARG17$ $ARGx$ $ARG1")
    }
}
