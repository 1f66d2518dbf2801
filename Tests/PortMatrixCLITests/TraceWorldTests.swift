import Foundation
import PortMatrixTestSupport
import Testing

/// `portmatrix trace` in the routed world of Tests/World/world.sh: the path's own TCP connect
/// or UDP datagram with growing TTLs, run inside the gateway namespace, through a real nftables
/// firewall (hop 1) to the far side (hop 2). docs/trace.md shows the same paths beside mtr and tracepath.
@Suite(.serialized, .enabled(if: World.unavailableReason == nil, "\(World.unavailableReason ?? "")"))
struct TraceWorldTests {
    let world: World
    let firewall4: String
    let far4: String

    init() throws {
        world = try World.located.get()
        firewall4 = try world["FIREWALL_IPV4"]
        far4 = try world["FAR_IPV4"]
    }

    /// A configuration with `smtp-to-mailserver` (TCP) and `dns-internal` (UDP) toward `host`.
    func configuration(in dir: URL, host: String, tcp: [String], udp: [String] = ["udp/53:dns"]) throws -> URL {
        let file = dir.appendingPathComponent("world.yaml")
        try """
        choices: { dns: internal }
        hosts:
          email-server: ["\(host)"]
          name-server-internal: ["\(host)"]
        schedule: { interval: 30s, timeout: 3s }
        trace: { hop_timeout: 500ms }
        paths:
          smtp-to-mailserver: { endpoints: [\(tcp.map { "\"\($0)\"" }.joined(separator: ", "))] }
          dns-internal:
            endpoints: [\(udp.map { "\"\($0)\"" }.joined(separator: ", "))]
            probe: { query_name: mx.world, query_type: A }
        """.write(to: file, atomically: true, encoding: .utf8)
        chmod(dir.path, 0o755)
        chmod(file.path, 0o644)
        return file
    }

    /// `trace PATH --format json` in the gateway; the exit status and the traces.
    func trace(_ path: String, host: String, tcp: [String], udp: [String] = ["udp/53:dns"], extra: [String] = [],
               binary: String = CLIRunner.executable.path, prefix: [String] = []) throws -> (status: Int32, traces: [[String: Any]], stderr: String) {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = try configuration(in: dir, host: host, tcp: tcp, udp: udp)
        let (tool, arguments) = world.inGateway(prefix + [binary, "trace", path, "--config", file.path, "--format", "json"] + extra)
        let result = try CLIRunner.tool(tool, arguments)
        let object = try #require(try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "\(result.stdout) \(result.stderr)")
        #expect(object["path"] as? String == path)
        return (result.status, object["traces"] as? [[String: Any]] ?? [], result.stderr)
    }

    func hops(_ trace: [String: Any]) -> [[String: Any]] { trace["hops"] as? [[String: Any]] ?? [] }

    @Test func droppedPathDiesAfterTheFirewall() throws {
        let result = try trace("smtp-to-mailserver", host: far4, tcp: ["tcp/\(try world["DROPPED_TCP_PORT"]):tcp"])
        #expect(result.status == 2)
        let trace = try #require(result.traces.first)
        #expect(trace["outcome"] as? String == "dropped")
        #expect(trace["transport"] as? String == "tcp")
        #expect((trace["last_hop"] as? [String: Any])?["address"] as? String == firewall4)
        #expect((trace["last_hop"] as? [String: Any])?["ttl"] as? Int == 1)
        let hops = hops(trace)
        #expect(hops.first?["response"] as? String == "time_exceeded")
        #expect(hops.dropFirst().allSatisfy { $0["response"] as? String == "silent" && $0["address"] is NSNull })
    }

    @Test(arguments: ["FAR_IPV4", "FAR_IPV6"])
    func rejectedNamesTheFirewallAtHopTwo(_ far: String) throws {
        let firewall = try world[far == "FAR_IPV4" ? "FIREWALL_IPV4" : "FIREWALL_IPV6"]
        let result = try trace("smtp-to-mailserver", host: try world[far], tcp: ["tcp/\(try world["ADMIN_PROHIBITED_PORT"]):tcp"])
        #expect(result.status == 2)
        let trace = try #require(result.traces.first)
        #expect(trace["outcome"] as? String == "rejected")
        #expect(hops(trace).map { $0["response"] as? String } == ["time_exceeded", "rejected"])
        #expect(hops(trace).map { $0["address"] as? String } == [firewall, firewall])
    }

    @Test func openPathIsReachedAndRefusedCountsAsReached() throws {
        let result = try trace("smtp-to-mailserver", host: far4,
                               tcp: ["tcp/\(try world["SMTP_PORT"]):smtp", "tcp/\(try world["TCP_RESET_PORT"]):tcp"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.traces.map { $0["outcome"] as? String } == ["reached", "refused"])
        let reached = try #require(result.traces.first)
        #expect(hops(reached).map { $0["response"] as? String } == ["time_exceeded", "connected"])
        #expect(hops(reached).last?["address"] as? String == far4)
        #expect(hops(reached).allSatisfy { $0["rtt_ms"] is NSNumber })
    }

    /// mx.world resolves to both families; its IPv6 tcp/25 is dropped, IPv4 open: one trace each.
    @Test func dualStackNameIsTracedOnEachAddress() throws {
        let result = try trace("smtp-to-mailserver", host: try world["DUAL_STACK_NAME"], tcp: ["tcp/\(try world["SMTP_PORT"]):smtp"])
        #expect(result.status == 2)
        let byAddress = Dictionary(result.traces.map { ($0["address"] as? String ?? "", $0["outcome"] as? String ?? "") },
                                   uniquingKeysWith: { first, _ in first })
        #expect(byAddress == [far4: "reached", try world["FAR_IPV6"]: "dropped"])
        #expect(result.traces.allSatisfy { $0["target"] as? String == "mx.world" })
    }

    /// UDP with the probe's own first datagram: the DNS query is answered, the dropped port is
    /// silent after the firewall, the closed port is refused by the far side, the rejected one
    /// rejected by the firewall.
    @Test func udpUsesTheProbesOwnDatagram() throws {
        let result = try trace("dns-internal", host: far4, tcp: ["tcp/25:smtp"], udp: [
            "udp/\(try world["DNS_PORT"]):dns", "udp/\(try world["DROPPED_UDP_PORT"]):udp",
            "udp/\(try world["CLOSED_UDP_PORT"]):udp", "udp/\(try world["ADMIN_PROHIBITED_PORT"]):udp"])
        #expect(result.status == 2)
        #expect(result.traces.map { $0["outcome"] as? String } == ["reached", "dropped", "refused", "rejected"])
        #expect(hops(result.traces[0]).last?["response"] as? String == "answered")
        #expect(result.traces.allSatisfy { $0["transport"] as? String == "udp" })
    }

    /// The agent's user is unprivileged: no raw socket, no capability. nobody runs its own copy.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv")))
    func tracesAsAnUnprivilegedUser() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        chmod(dir.path, 0o755)
        let binary = dir.appendingPathComponent("portmatrix")
        try FileManager.default.copyItem(at: CLIRunner.executable, to: binary)
        let asNobody = ["/usr/bin/setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--inh-caps=-all", "--bounding-set=-all"]
        let rejected = try trace("smtp-to-mailserver", host: far4, tcp: ["tcp/\(try world["ADMIN_PROHIBITED_PORT"]):tcp"],
                                 binary: binary.path, prefix: asNobody)
        #expect(rejected.traces.first?["outcome"] as? String == "rejected", "\(rejected.stderr)")
        let open = try trace("smtp-to-mailserver", host: far4, tcp: ["tcp/\(try world["SMTP_PORT"]):smtp"], binary: binary.path, prefix: asNobody)
        #expect(open.status == 0)
        #expect(hops(try #require(open.traces.first)).map { $0["address"] as? String } == [firewall4, far4])
    }

    /// `check --format firewall-request`: the failing checks, each with the gateway's own
    /// address as source and the hop where its packet died; the open one is not a row.
    @Test func firewallRequestNamesSourceAndWhereItDied() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = try configuration(in: dir, host: far4, tcp: ["tcp/\(try world["DROPPED_TCP_PORT"]):tcp",
                                                               "tcp/\(try world["ADMIN_PROHIBITED_PORT"]):tcp", "tcp/25:smtp"])
        let (tool, arguments) = world.inGateway([CLIRunner.executable.path, "check", "--config", file.path, "--path", "smtp-to-mailserver",
                                                 "--format", "firewall-request"])
        let result = try CLIRunner.tool(tool, arguments)
        #expect(result.status == 2)
        let lines = result.stdout.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        #expect(lines.count == 3, "\(result.stdout)")
        let gateway = try world["GATEWAY_IPV4"]
        #expect(lines[1].hasPrefix("\(gateway),\(far4),\(far4),tcp,\(try world["DROPPED_TCP_PORT"]),"))
        #expect(lines[1].hasSuffix(",dropped after hop 1 (\(firewall4))"), "\(lines[1])")
        #expect(lines[2].hasSuffix(",rejected at hop 2 by \(firewall4)"), "\(lines[2])")
    }

    /// `check --trace`: each dropped or rejected check carries where it died, in the JSON
    /// (`trace`) and the Nagios long output; without --trace nothing is traced.
    @Test func checkWithTraceKeepsTheVerdictWithTheResult() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = try configuration(in: dir, host: far4, tcp: ["tcp/\(try world["DROPPED_TCP_PORT"]):tcp",
                                                               "tcp/\(try world["ADMIN_PROHIBITED_PORT"]):tcp", "tcp/25:smtp"])
        func check(_ extra: [String]) throws -> CLIRunner.Result {
            let (tool, arguments) = world.inGateway([CLIRunner.executable.path, "check", "--config", file.path, "--path", "smtp-to-mailserver"] + extra)
            return try CLIRunner.tool(tool, arguments)
        }
        let json = try check(["--trace", "--format", "json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let checks = ((object["paths"] as? [[String: Any]])?.first?["checks"] as? [[String: Any]]) ?? []
        #expect(checks.map { $0["trace"] as? String } == ["dropped after hop 1 (\(firewall4))", "rejected at hop 2 by \(firewall4)", nil])
        let nagios = try check(["--trace"])
        #expect(nagios.stdout.contains("refuses tcp/\(try world["ADMIN_PROHIBITED_PORT"]) (trace: rejected at hop 2 by \(firewall4))"), "\(nagios.stdout)")
        let untraced = try check(["--format", "json"])
        #expect(!untraced.stdout.contains("\"trace\""))
    }

    /// The running agent (as the unprivileged nobody, in the gateway) traces its dropped check
    /// by itself, without `--trace` and without waiting for another cycle, and the verdict
    /// shows in /status.json, check_nrpe's long output and the SNMP check table's pmCheckTrace;
    /// the open check of the same path has none.
    @Test(.enabled(if: CheckNRPE.isInstalled && FileManager.default.isExecutableFile(atPath: "/usr/bin/snmpwalk")
        && FileManager.default.isExecutableFile(atPath: "/usr/bin/curl")))
    func theAgentTracesADroppedPathByItself() async throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        chmod(dir.path, 0o755)
        let (nrpePort, snmpPort, statusPort) = (try freePort(), try freePort(SOCK_DGRAM), try freePort())
        let dropped = try world["DROPPED_TCP_PORT"]
        let file = dir.appendingPathComponent("agent.yaml")
        try """
        choices: { dns: internal, ntp: internal }
        features: [nrpe, snmp]
        hosts: { vendor-servers: [127.0.0.1], name-server-internal: ["\(far4)"], email-server: ["\(far4)"] }
        paths: { smtp-to-mailserver: { endpoints: ["tcp/\(dropped):tcp", "tcp/\(try world["SMTP_PORT"]):smtp"] } }
        schedule: { interval: 60s, timeout: 2s, jitter: 0s }
        trace: { hop_timeout: 500ms, concurrency: 1 }
        nrpe: { listen: ["127.0.0.1:\(nrpePort)"], tls: { mode: off } }
        snmp:
          mode: master
          listen: ["udp:127.0.0.1:\(snmpPort)"]
          communities: [{ name: public, source: 127.0.0.1 }]
          state_directory: \(dir.path)/snmp
        status_endpoint: { listen: ["127.0.0.1:\(statusPort)"] }
        agent: { user: nobody }
        """.write(to: file, atomically: true, encoding: .utf8)
        chmod(file.path, 0o644)
        let log = dir.appendingPathComponent("agent.log")
        let (ip, arguments) = world.inGateway([CLIRunner.executable.path, "agent", "--config", file.path])
        let agent = try CLIRunner.spawn(ip, arguments, in: dir, output: log)
        defer { agent.terminate(signal: SIGKILL) }
        func agentLog() -> String { CLIRunner.text(log) }
        func inGateway(_ tool: String, _ arguments: [String]) throws -> CLIRunner.Result {
            let (ip, command) = world.inGateway([tool] + arguments)
            return try CLIRunner.tool(ip, command)
        }

        // /status.json: the dropped check carries the verdict once the agent's trace is done.
        let verdict = "dropped after hop 1 (\(firewall4))"
        var checks: [[String: Any]] = []
        let traced = try eventually(timeout: 60, every: 0.5) {
            let fetched = try inGateway("/usr/bin/curl", ["-sS", "--max-time", "5", "http://127.0.0.1:\(statusPort)/status.json"])
            let object = try? JSONSerialization.jsonObject(with: Data(fetched.stdout.utf8)) as? [String: Any]
            let path = (object?["paths"] as? [[String: Any]])?.first { $0["id"] as? String == "smtp-to-mailserver" }
            checks = path?["checks"] as? [[String: Any]] ?? []
            return checks.contains { $0["trace"] != nil }
        }
        try #require(traced, "no trace on /status.json: \(checks)\n\(agentLog())")
        #expect(checks.map { $0["reason"] as? String } == ["connect_timeout", nil], "\(checks)")
        #expect(checks.map { $0["trace"] as? String } == [verdict, nil])

        // check_nrpe: check_path's long output, as `check --trace` prints it.
        let nrpe = try inGateway(CheckNRPE.path, CheckNRPE.arguments(nrpePort, ["-c", "check_path", "-a", "smtp-to-mailserver"]))
        #expect(nrpe.status == 2)
        #expect(nrpe.stdout.contains("(trace: \(verdict))"), "\(nrpe.stdout)")

        // SNMP: pmCheckTrace (column 12) of every check; only the dropped one has a verdict.
        let walk = try inGateway("/usr/bin/snmpwalk", ["-v2c", "-c", "public", "-On", "-Oqv", "127.0.0.1:\(snmpPort)",
                                                       "\(AgentProcessTests.pmRoot).1.3.1.12"])
        // The column is the MIB's last object: the walk ends on "No more variables left ...".
        let values = walk.stdout.split(separator: "\n").map(String.init).filter { $0.hasPrefix("\"") }
        #expect(values.count == 12, "one value per check of the plan: \(walk.stdout)")
        #expect(values.filter { $0 == "\"\(verdict)\"" }.count == 1, "\(walk.stdout) \(walk.stderr)")
        #expect(values.filter { $0 != "\"\(verdict)\"" }.allSatisfy { $0 == "\"\"" }, "\(walk.stdout)")

        kill(agent.pid, SIGTERM)
        #expect(await agent.exitStatus(timeout: 20) == 0, "\(agentLog())")
    }

    @Test func textIsOneLinePerHopAndTheVerdict() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = try configuration(in: dir, host: far4, tcp: ["tcp/\(try world["DROPPED_TCP_PORT"]):tcp"])
        let (tool, arguments) = world.inGateway([CLIRunner.executable.path, "trace", "smtp-to-mailserver", "--config", file.path, "--max-hops", "4"])
        let result = try CLIRunner.tool(tool, arguments)
        #expect(result.status == 2)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "trace smtp-to-mailserver: \(far4) tcp/\(try world["DROPPED_TCP_PORT"]), max 4 hops")
        #expect(lines.dropFirst().first?.hasPrefix(" 1:  \(firewall4) ") == true)
        #expect(lines.contains(" 2-4:  no reply"), "\(lines)")
        #expect(lines.last == "     dropped after hop 1 (\(firewall4))")
    }
}
