import Foundation
import NIOPosix
import PortMatrixTestSupport
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

    /// Attack: a plugin closes stdout and keeps running. waitpid without a deadline used to
    /// block the command thread for as long as the plugin liked.
    @Test func closedStdoutAndStillRunningTimesOut() {
        let marker = "617.\(getpid())"
        let result = runner.run(commandLine: "sh -c 'exec >&-; exec sleep \(marker)'", timeoutSeconds: 1, outputLimit: 100)
        #expect(result == NRPEResult(state: .unknown, output: "NRPE: Command timed out after 1 seconds"))
        #expect(livingProcesses(withArgument: marker) == [])
    }

    /// Attack: the unit gives the agent CAP_NET_BIND_SERVICE as an ambient capability, which
    /// every plugin inherited. The test raises it on its own thread (needs root); the plugin
    /// must see an empty ambient set.
    @Test(.enabled(if: getuid() == 0, "raising an ambient capability needs root"))
    func pluginsInheritNoAmbientCapabilities() async throws {
        let (raised, output) = await offCooperativePool { () -> (String, String) in
            guard AmbientCapability.raiseNetBindService() else { return ("", "") }
            let raised = AmbientCapability.line(of: "/proc/thread-self/status")
            let result = NRPEProcessRunner().run(commandLine: "grep CapAmb /proc/self/status", timeoutSeconds: 10, outputLimit: 200)
            return (raised, result.output)
        }
        #expect(raised == "CapAmb:\t0000000000000400", "the test could not raise the capability")
        #expect(output == "CapAmb:\t0000000000000000")
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

/// Processes (not zombies) with `argument` in their command line.
func livingProcesses(withArgument argument: String) -> [String] {
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    return entries.filter { $0.allSatisfy(\.isNumber) }.filter { pid in
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return false }
        let words = data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
        let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
        return words.contains(argument) && !stat.contains(") Z ")
    }
}

/// Raises CAP_NET_BIND_SERVICE in the calling thread's inheritable and ambient sets, as
/// systemd's AmbientCapabilities= does for the whole process.
enum AmbientCapability {
    private typealias Capget = @convention(c) (UnsafeMutableRawPointer, UnsafeMutableRawPointer) -> Int32
    private typealias Prctl = @convention(c) (Int32, UInt, UInt, UInt, UInt) -> Int32

    static func raiseNetBindService() -> Bool {
        guard let handle = dlopen(nil, RTLD_NOW), let get = dlsym(handle, "capget"), let set = dlsym(handle, "capset"),
              let prctl = dlsym(handle, "prctl") else { return false }
        // _LINUX_CAPABILITY_VERSION_3: a header {version, pid} and two data words of
        // {effective, permitted, inheritable}.
        var header: [UInt32] = [0x2008_0522, 0]
        var data = [UInt32](repeating: 0, count: 6)
        guard unsafeBitCast(get, to: Capget.self)(&header, &data) == 0 else { return false }
        data[2] |= 1 << 10  // CAP_NET_BIND_SERVICE = 10, inheritable of the low word
        guard unsafeBitCast(set, to: Capget.self)(&header, &data) == 0 else { return false }
        return unsafeBitCast(prctl, to: Prctl.self)(47, 2, 10, 0, 0) == 0  // PR_CAP_AMBIENT_RAISE
    }

    static func line(of file: String) -> String {
        let text = (try? String(contentsOfFile: file, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").first { $0.hasPrefix("CapAmb") }.map(String.init) ?? ""
    }
}
