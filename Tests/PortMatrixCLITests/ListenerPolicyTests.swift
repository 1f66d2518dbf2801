import Foundation
import PortMatrixTestSupport
import Testing

/// NRPE and the status endpoint move their listeners the same way, through the one listener set
/// they share: on SIGHUP an unchanged address stays open with its connections, a removed one
/// closes, a new one binds, and one that cannot bind is logged while the others apply; at start
/// an address that cannot bind stops the agent. Real agent, check_nrpe and curl, loopback only.
@Suite(.serialized, .enabled(if: CheckNRPE.isInstalled))
struct ListenerPolicyTests {
    static func site(nrpe: [Int], status: [Int]) -> String {
        func list(_ ports: [Int]) -> String { "[" + ports.map { "\"127.0.0.1:\($0)\"" }.joined(separator: ", ") + "]" }
        return """
        roles: [appliance]
        choices: { ntp: internal }
        hosts: { vendor-servers: [127.0.0.1], name-server-internal: ["127.0.0.1:1"] }
        schedule: { interval: 5s, timeout: 500ms, jitter: 0s }
        nrpe:
          listen: \(list(nrpe))
          tls: { mode: off }
          commands: { greet: "/bin/echo hello" }
        status_endpoint: { listen: \(list(status)) }
        snmp: { mode: off }
        agent: { user: root }
        """
    }

    static func greets(_ port: Int) -> Bool {
        (try? CheckNRPE.run(port, ["-c", "greet"]))?.stdout == "hello\n"
    }

    static func serves(_ port: Int) -> Bool {
        (try? CLIRunner.tool("/usr/bin/curl", ["-sf", "--max-time", "10", "-o", "/dev/null", "http://127.0.0.1:\(port)/metrics"]))?.status == 0
    }

    @Test func sighupKeepsClosesAndBindsBothServersListenersAndLogsWhatCannotBind() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let takenNRPE = try TCPListener(), takenStatus = try TCPListener()
        defer { takenNRPE.close(); takenStatus.close() }
        let (nrpeKept, nrpeRemoved, nrpeAdded) = (try freePort(), try freePort(), try freePort())
        let (statusKept, statusRemoved, statusAdded) = (try freePort(), try freePort(), try freePort())
        let config = try writeFile(Self.site(nrpe: [nrpeKept, nrpeRemoved], status: [statusKept, statusRemoved]), "portmatrix.yaml", in: dir)
        let log = dir.appendingPathComponent("agent.log")
        let agent = try CLIRunner.spawn(CLIRunner.executable.path, ["agent", "--config", config.path], in: dir, output: log)
        defer { agent.terminate(signal: SIGKILL) }
        try #require(eventually(timeout: 30, every: 0.3) { Self.greets(nrpeKept) && Self.serves(statusKept) }, "agent not up: \(CLIRunner.text(log))")
        #expect(Self.greets(nrpeRemoved) && Self.serves(statusRemoved))

        // A keep-alive connection to the status endpoint's unchanged address, open across the reload.
        let held = try LoopbackClient(port: statusKept)
        try held.write("GET /metrics HTTP/1.1\r\nHost: localhost\r\n\r\n")

        try Self.site(nrpe: [nrpeKept, takenNRPE.port, nrpeAdded], status: [statusKept, takenStatus.port, statusAdded])
            .write(to: config, atomically: true, encoding: .utf8)
        kill(agent.pid, SIGHUP)
        #expect(eventually(timeout: 20) { CLIRunner.text(log).contains("reloaded") }, "\(CLIRunner.text(log))")
        // The connection accepted before the reload still answers on the same socket (asked at
        // once: an idle keep-alive connection is closed after the 10 s request timeout).
        try held.write("GET /metrics HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        let (answers, closed) = try Self.readAll(held)
        #expect(closed && answers.components(separatedBy: "HTTP/1.1 200 OK").count - 1 == 2, "\(answers.prefix(400))")
        let output = CLIRunner.text(log)
        #expect(output.contains("NRPE: cannot listen on 127.0.0.1:\(takenNRPE.port): Address already in use (the other listen addresses apply)"), "\(output)")
        #expect(output.contains("status endpoint: cannot listen on 127.0.0.1:\(takenStatus.port): Address already in use (the other listen addresses apply)"), "\(output)")
        #expect(!output.contains("reload refused"), "\(output)")

        #expect(Self.greets(nrpeKept) && Self.greets(nrpeAdded), "kept and new NRPE listeners answer")
        #expect(Self.serves(statusKept) && Self.serves(statusAdded), "kept and new status endpoint listeners answer")
        #expect(!Self.greets(nrpeRemoved), "the removed NRPE listener is closed")
        #expect(!Self.serves(statusRemoved), "the removed status endpoint listener is closed")
        #expect(output.contains("kept=[\"127.0.0.1:\(nrpeKept)\"]") && output.contains("kept=[\"127.0.0.1:\(statusKept)\"]"), "\(output)")

        kill(agent.pid, SIGTERM)
        #expect(agent.wait(timeout: 20) == 0)
    }

    @Test(arguments: ["nrpe", "status"])
    func anAddressThatCannotBindAtStartStopsTheAgent(_ server: String) throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let taken = try TCPListener()
        defer { taken.close() }
        let free = try freePort()
        let config = dir.appendingPathComponent("portmatrix.yaml")
        let site = server == "nrpe" ? Self.site(nrpe: [free, taken.port], status: []) : Self.site(nrpe: [free], status: [taken.port])
        try site.write(to: config, atomically: true, encoding: .utf8)
        let result = try CLIRunner.run(["agent", "--config", config.path])
        let name = server == "nrpe" ? "NRPE" : "status endpoint"
        #expect(result.status == 2)
        #expect(result.stderr.contains("portmatrix agent: \(name): cannot listen on 127.0.0.1:\(taken.port): Address already in use"), "\(result.stderr)")
        #expect(isFreeLoopbackPort(free), "nothing stays bound")
    }

    /// Reads until the server closes (the client's reads give up after 20 s).
    static func readAll(_ client: LoopbackClient) throws -> (String, Bool) {
        guard let bytes = client.readUntilClosed(seconds: 20) else { return ("", false) }
        return (String(decoding: bytes, as: UTF8.self), true)
    }
}
