import Foundation
import PortMatrixTestSupport
import Synchronization
import Testing

/// The agent as an operator lives with it: SIGHUP reloads (a broken file is refused while NRPE
/// keeps answering, a changed one is applied without dropping unchanged listeners), and a start
/// as root ends up running as the configured user. Real check_nrpe and snmpget, loopback only.
@Suite(.serialized, .enabled(if: CheckNRPE.isInstalled))
struct AgentLifecycleTests {
    static func nrpe(_ port: Int, tls: Bool = false, _ arguments: [String]) -> CLIRunner.Result {
        (try? CheckNRPE.run(port, tls: tls, arguments)) ?? CLIRunner.Result(status: -1, stdout: "", stderr: "check_nrpe did not run")
    }

    /// check_nrpe found nothing listening.
    static func refused(_ result: CLIRunner.Result) -> Bool {
        result.status != 0 && (result.stdout + result.stderr).contains("Connection refused")
    }

    /// The site: licence-ssh probes `sshPort` with plain TCP; `greet` is an external command;
    /// `slow` touches `marker` and answers once the test creates `marker.go`.
    static func site(listen: [Int], sshPort: Int, greeting: String, extra: String = "", marker: String = "/dev/null") -> String {
        """
        roles: [appliance]
        choices: { ntp: internal }
        hosts: { vendor-servers: [127.0.0.1], name-server-internal: ["127.0.0.1:1"] }
        paths: { licence-ssh: { endpoints: ["tcp/\(sshPort):tcp"] } }
        schedule: { interval: 1s, timeout: 500ms, jitter: 0s }
        nrpe:
          listen: [\(listen.map { "\"127.0.0.1:\($0)\"" }.joined(separator: ", "))]
          tls: { mode: off }
          commands: { greet: "/bin/echo \(greeting)", slow: "touch \(marker); while [ ! -e \(marker).go ]; do sleep 0.05; done; echo slept" }
        snmp: { mode: off }
        agent: { user: root }
        \(extra)
        """
    }

    @Test func sighupRefusesABrokenFileKeepsServingAndAppliesAChangedOne() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let peer = try TCPListener()
        defer { peer.close() }
        let first = try freePort(SOCK_STREAM), second = try freePort(SOCK_STREAM), closed = try freePort(SOCK_STREAM)
        let statusPort = try freePort(SOCK_STREAM)
        let statusEndpoint = "status_endpoint: { listen: [\"127.0.0.1:\(statusPort)\"] }"
        func metrics() -> Int32 { (try? CLIRunner.tool("/usr/bin/curl", ["-sf", "-o", "/dev/null", "http://127.0.0.1:\(statusPort)/metrics"]).status) ?? -1 }
        let config = try writeFile(Self.site(listen: [first], sshPort: peer.port, greeting: "hello"), "portmatrix.yaml", in: dir)
        let log = dir.appendingPathComponent("agent.log")
        let agent = try CLIRunner.spawn(CLIRunner.executable.path, ["agent", "--config", config.path], in: dir, output: log)
        defer { agent.terminate(signal: SIGKILL) }
        let up = eventually(timeout: 30, every: 0.3) { Self.nrpe(first, ["-c", "check_path", "-a", "licence-ssh"]).status == 0 }
        try #require(up, "agent not up: \(CLIRunner.text(log))")

        // check_nrpe runs without pause through both reloads; every answer must be a greeting.
        let answers = Mutex<[CLIRunner.Result]>([])
        let stop = Mutex(false)
        let hammer = Thread {
            while !stop.withLock({ $0 }) {
                let answer = Self.nrpe(first, ["-c", "greet"])
                answers.withLock { $0.append(answer) }
            }
        }
        hammer.start()

        // Broken: a misspelt key. Refused with the file's line, and everything stays as it was.
        try Self.site(listen: [first], sshPort: closed, greeting: "bonjour", extra: "schedlue: { interval: 5s }")
            .write(to: config, atomically: true, encoding: .utf8)
        kill(agent.pid, SIGHUP)
        #expect(eventually(timeout: 20) { CLIRunner.text(log).contains("reload refused") }, "\(CLIRunner.text(log))")
        #expect(CLIRunner.text(log).contains("portmatrix.yaml:12:1: schedlue: unknown key 'schedlue' at the top level; did you mean 'schedule'?"))
        #expect(Self.nrpe(first, ["-c", "greet"]).stdout == "hello\n")
        #expect(Self.nrpe(second, ["-c", "greet"]).status != 0, "the refused file's second listener must not open")
        #expect(Self.nrpe(first, ["-c", "check_path", "-a", "licence-ssh"]).status == 0)

        #expect(metrics() != 0, "no status endpoint before the reload that adds it")

        // Changed: another greeting, a second listener, licence-ssh pointed at a closed port,
        // and the status endpoint turned on.
        try Self.site(listen: [first, second], sshPort: closed, greeting: "bonjour", extra: statusEndpoint)
            .write(to: config, atomically: true, encoding: .utf8)
        kill(agent.pid, SIGHUP)
        #expect(eventually(timeout: 20) { CLIRunner.text(log).contains("reloaded") }, "\(CLIRunner.text(log))")
        #expect(Self.nrpe(first, ["-c", "greet"]).stdout == "bonjour\n")
        #expect(Self.nrpe(second, ["-c", "greet"]).stdout == "bonjour\n")
        #expect(metrics() == 0, "the status endpoint listens after the reload")
        var path = CLIRunner.Result(status: -1, stdout: "", stderr: "")
        #expect(eventually(timeout: 20, every: 0.3) {
            path = Self.nrpe(second, ["-c", "check_path", "-a", "licence-ssh"])
            return path.status == 2
        }, "\(path.stdout)")
        #expect(path.stdout.contains("tcp://127.0.0.1:\(closed):") && path.stdout.contains("refused"), "\(path.stdout)")

        stop.withLock { $0 = true }
        while !hammer.isFinished { usleep(10_000) }
        let heard = answers.withLock { $0 }
        #expect(heard.count >= 2)
        for answer in heard {
            #expect(answer.status == 0 && ["hello\n", "bonjour\n"].contains(answer.stdout),
                    "check_nrpe during reloads: \(answer.status) \(answer.stdout) \(answer.stderr)")
        }
        #expect(CLIRunner.text(log).contains("kept=[\"127.0.0.1:\(first)\"]"), "the unchanged listener stays open")

        // Removed: only the second listener remains.
        try Self.site(listen: [second], sshPort: closed, greeting: "bonjour").write(to: config, atomically: true, encoding: .utf8)
        kill(agent.pid, SIGHUP)
        #expect(eventually(timeout: 20) { Self.refused(Self.nrpe(first, ["-c", "greet"])) })
        #expect(Self.nrpe(second, ["-c", "greet"]).stdout == "bonjour\n")

        // `listen: []` turns NRPE off only at the next restart; until then it keeps serving.
        try Self.site(listen: [], sshPort: closed, greeting: "bonjour").write(to: config, atomically: true, encoding: .utf8)
        kill(agent.pid, SIGHUP)
        #expect(eventually(timeout: 20) { CLIRunner.text(log).contains("NRPE listener stops with the next restart") }, "\(CLIRunner.text(log))")
        #expect(Self.nrpe(second, ["-c", "greet"]).stdout == "bonjour\n")

        kill(agent.pid, SIGTERM)
        #expect(agent.wait(timeout: 20) == 0)
        #expect(CLIRunner.text(log).contains("stopped"))
    }

    @Test func sigtermAnswersTheRequestInFlightThenExits() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let port = try freePort(SOCK_STREAM)
        let marker = dir.appendingPathComponent("started")
        let config = try writeFile(Self.site(listen: [port], sshPort: 1, greeting: "hello", marker: marker.path), "portmatrix.yaml", in: dir)
        let agent = try CLIRunner.spawn(CLIRunner.executable.path, ["agent", "--config", config.path], in: dir)
        defer { agent.terminate(signal: SIGKILL) }
        try #require(eventually(timeout: 30, every: 0.2) { Self.nrpe(port, ["-c", "greet"]).status == 0 })
        let output = dir.appendingPathComponent("slow.out")
        let client = try CLIRunner.spawn(CheckNRPE.path, CheckNRPE.arguments(port, timeout: 20, ["-c", "slow"]), in: dir, output: output)
        defer { client.terminate(signal: SIGKILL) }
        try #require(eventually(timeout: 20) { FileManager.default.fileExists(atPath: marker.path) }, "the command never started")
        kill(agent.pid, SIGTERM)
        // The command finishes only now, so SIGTERM surely came while it ran.
        try Data().write(to: URL(fileURLWithPath: marker.path + ".go"))
        #expect(client.wait(timeout: 30) == 0)
        #expect(CLIRunner.text(output) == "slept\n")
        #expect(agent.wait(timeout: 30) == 0)
        #expect(Self.refused(Self.nrpe(port, ["-c", "greet"])), "no listener after the stop")
    }

    /// Started as root with `agent.user: nobody`: every thread runs as nobody, the generated TLS
    /// key is nobody's with mode 0600, and NRPE (TLS), SNMP (master on its port), the status
    /// endpoint and the probes still work.
    @Test(.enabled(if: geteuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/snmpget")))
    func startedAsRootItRunsAsTheConfiguredUser() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let peer = try TCPListener()
        defer { peer.close() }
        let nrpePort = try freePort(SOCK_STREAM), snmpPort = try freePort(SOCK_DGRAM), statusPort = try freePort(SOCK_STREAM)
        let config = dir.appendingPathComponent("portmatrix.yaml")
        try """
        roles: [appliance]
        choices: { ntp: internal }
        hosts: { vendor-servers: [127.0.0.1], name-server-internal: ["127.0.0.1:1"] }
        paths: { licence-ssh: { endpoints: ["tcp/\(peer.port):tcp"] } }
        schedule: { interval: 1s, timeout: 500ms, jitter: 0s }
        nrpe: { listen: ["127.0.0.1:\(nrpePort)"], state_directory: \(dir.path)/state }
        snmp:
          mode: master
          listen: ["udp:127.0.0.1:\(snmpPort)"]
          communities: [{ name: public, source: 127.0.0.1 }]
          state_directory: \(dir.path)/snmp
        agent: { user: nobody }
        status_endpoint: { listen: ["127.0.0.1:\(statusPort)"] }
        """.write(to: config, atomically: true, encoding: .utf8)
        let log = dir.appendingPathComponent("agent.log")
        let agent = try CLIRunner.spawn(CLIRunner.executable.path, ["agent", "--config", config.path], in: dir, output: log)
        defer { agent.terminate(signal: SIGKILL) }
        var path = CLIRunner.Result(status: -1, stdout: "", stderr: "")
        let up = eventually(timeout: 30, every: 0.3) {
            path = Self.nrpe(nrpePort, tls: true, ["-c", "check_path", "-a", "licence-ssh"])
            return path.status == 0
        }
        #expect(up, "TLS check_nrpe and the ssh probe after the drop: \(path.stdout) \(path.stderr)\n\(CLIRunner.text(log))")
        #expect(CLIRunner.text(log).contains("running as nobody"))

        let tasks = try FileManager.default.contentsOfDirectory(atPath: "/proc/\(agent.pid)/task")
        #expect(!tasks.isEmpty)
        for task in tasks {
            let status = CLIRunner.text(URL(fileURLWithPath: "/proc/\(agent.pid)/task/\(task)/status"))
            let ids = status.split(separator: "\n").filter { $0.hasPrefix("Uid:") || $0.hasPrefix("Gid:") }
            #expect(ids.count == 2)
            for line in ids {
                #expect(line.split(whereSeparator: \.isWhitespace).dropFirst().allSatisfy { $0 == "65534" }, "thread \(task): \(line)")
            }
        }
        let key = try FileManager.default.attributesOfItem(atPath: dir.appendingPathComponent("state/nrpe-key.pem").path)
        #expect(key[.ownerAccountID] as? Int == 65534)
        #expect((key[.posixPermissions] as? Int).map { $0 & 0o777 } == 0o600)
        let snmpState = try FileManager.default.attributesOfItem(atPath: dir.appendingPathComponent("snmp").path)
        #expect(snmpState[.ownerAccountID] as? Int == 65534)

        let total = try CLIRunner.tool("/usr/bin/snmpget", ["-v2c", "-c", "public", "-On", "-Oqv", "127.0.0.1:\(snmpPort)",
                                                            "\(AgentProcessTests.pmRoot).1.1.2.0"])
        #expect(total.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "\(try CLIRunner.profilePathCount())", "\(total.stdout) \(total.stderr)")
        let metrics = try CLIRunner.tool("/usr/bin/curl", ["-sf", "http://127.0.0.1:\(statusPort)/metrics"])
        #expect(metrics.status == 0 && metrics.stdout.contains("probe_success{"), "status endpoint after the drop: \(metrics.stderr)")

        kill(agent.pid, SIGTERM)
        #expect(agent.wait(timeout: 20) == 0)
    }

    @Test(.enabled(if: geteuid() == 0))
    func aConfiguredUserThatDoesNotExistStopsTheStartWithAClearError() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let port = try freePort(SOCK_STREAM)
        let config = dir.appendingPathComponent("portmatrix.yaml")
        try Self.site(listen: [port], sshPort: 1, greeting: "hello").replacingOccurrences(of: "agent: { user: root }", with: "agent: { user: pm-nobody-here }")
            .write(to: config, atomically: true, encoding: .utf8)
        let result = try CLIRunner.run(["agent", "--config", config.path])
        #expect(result.status == 2)
        #expect(result.stderr.contains("agent.user 'pm-nobody-here' does not exist"), "\(result.stderr)")
        #expect(!result.stderr.contains("NRPE: listening"), "nothing may listen after a refused start: \(result.stderr)")
    }
}
