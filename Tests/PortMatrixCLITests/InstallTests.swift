import Foundation
import PortMatrixTestSupport
import Testing

/// `scripts/install` into a staging root and out again, the systemd unit as systemd itself
/// reads it, and the unit's way of running the agent (unprivileged, CAP_NET_BIND_SERVICE only).
@Suite(.serialized)
struct InstallTests {
    static let script = CLIRunner.repository.appendingPathComponent("scripts/install").path
    static let systemdAnalyze = "/usr/bin/systemd-analyze"

    @Test func installPutsEachFileInPlaceAndUninstallTakesThemAway() throws {
        let root = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let staging = ["DESTDIR": root.path, "BINARY": CLIRunner.executable.path]
        let install = try CLIRunner.tool(Self.script, [], environment: staging)
        try #require(install.status == 0, "\(install.stdout)\(install.stderr)")

        let expected: [(String, Int)] = [
            ("usr/local/bin/portmatrix", 0o755), ("etc/systemd/system/portmatrix.service", 0o644),
            ("etc/portmatrix/portmatrix.yaml", 0o640), ("usr/share/snmp/mibs/PORTMATRIX-MIB.txt", 0o644),
            ("usr/local/share/doc/portmatrix/README.md", 0o644),
        ]
        // One file: the profiles and the default configuration are compiled into the binary.
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("usr/local/bin").path) == ["portmatrix"])
        for (path, mode) in expected {
            let attributes = try FileManager.default.attributesOfItem(atPath: root.appendingPathComponent(path).path)
            #expect((attributes[.posixPermissions] as? Int).map { $0 & 0o777 } == mode, "\(path)")
        }
        // The installed configuration is the embedded default, comments and all, and valid.
        let installedConfig = root.appendingPathComponent("etc/portmatrix/portmatrix.yaml")
        let embedded = CLIRunner.repository.appendingPathComponent("Sources/PortMatrixModel/Resources/default-config.yaml")
        #expect(try Data(contentsOf: installedConfig) == Data(contentsOf: embedded))
        let binary = root.appendingPathComponent("usr/local/bin/portmatrix").path
        #expect(try CLIRunner.tool(binary, ["config", "validate", installedConfig.path]).status == 0)
        let unit = try String(contentsOf: root.appendingPathComponent("etc/systemd/system/portmatrix.service"), encoding: .utf8)
        #expect(unit.contains("ExecStart=/usr/local/bin/portmatrix agent --config /etc/portmatrix/portmatrix.yaml"))
        #expect(!unit.contains("@BINDIR@") && !unit.contains("@DOCDIR@"), "every placeholder is filled")

        // A second install keeps the operator's configuration.
        try "roles: [appliance]\n".write(to: installedConfig, atomically: true, encoding: .utf8)
        let again = try CLIRunner.tool(Self.script, [], environment: staging)
        #expect(again.status == 0)
        #expect(again.stdout.contains("kept"))
        #expect(try String(contentsOf: installedConfig, encoding: .utf8) == "roles: [appliance]\n")

        let uninstall = try CLIRunner.tool(Self.script, ["--uninstall"], environment: ["DESTDIR": root.path])
        #expect(uninstall.status == 0, "\(uninstall.stderr)")
        for (path, _) in expected where !path.hasPrefix("etc/portmatrix") {
            #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent(path).path), "\(path) left behind")
        }
        #expect(FileManager.default.fileExists(atPath: installedConfig.path), "the configuration stays without PURGE=1")
        let purge = try CLIRunner.tool(Self.script, ["--uninstall"], environment: ["DESTDIR": root.path, "PURGE": "1"])
        #expect(purge.status == 0)
        #expect(!FileManager.default.fileExists(atPath: installedConfig.path))
    }

    @Test func installRefusesAMissingBinary() throws {
        let root = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let result = try CLIRunner.tool(Self.script, [], environment: ["DESTDIR": root.path, "BINARY": root.appendingPathComponent("nothing").path])
        #expect(result.status != 0)
        #expect(result.stderr.contains("no executable at"))
    }

    /// systemd's own reading of the unit: it verifies, and its exposure score stays low.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: InstallTests.systemdAnalyze)))
    func theUnitVerifiesAndIsHardened() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let template = try String(contentsOf: CLIRunner.repository.appendingPathComponent("dist/portmatrix.service"), encoding: .utf8)
        let unit = dir.appendingPathComponent("portmatrix.service")
        // Pointed at the built binary: verify checks that ExecStart exists.
        try template.replacingOccurrences(of: "@BINDIR@", with: CLIRunner.executable.deletingLastPathComponent().path)
            .replacingOccurrences(of: "@DOCDIR@", with: dir.path)
            .write(to: unit, atomically: true, encoding: .utf8)
        let verify = try CLIRunner.tool(Self.systemdAnalyze, ["verify", "--man=no", unit.path])
        #expect(verify.status == 0 && verify.stderr.isEmpty, "\(verify.stdout)\(verify.stderr)")
        // --threshold is the exposure x 10: "2.5" or better, what systemd calls OK.
        let security = try CLIRunner.tool(Self.systemdAnalyze, ["security", "--offline=yes", "--threshold=25", unit.path])
        #expect(security.status == 0, "\(security.stdout.split(separator: "\n").suffix(3).joined(separator: "\n"))")
        for setting in ["NoNewPrivileges=yes", "ProtectSystem=strict", "PrivateTmp=yes", "CapabilityBoundingSet=CAP_NET_BIND_SERVICE",
                        "User=portmatrix", "ExecReload=/bin/kill -HUP $MAINPID"] {
            #expect(template.contains(setting), "\(setting)")
        }
    }

    /// Ports below this need CAP_NET_BIND_SERVICE: 1024, unless the sysctl lowered it (some
    /// containers set 0, and then no port is privileged).
    static let privilegedBelow: Int = {
        let text = (try? String(contentsOfFile: "/proc/sys/net/ipv4/ip_unprivileged_port_start", encoding: .utf8)) ?? "1024"
        return Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 1024
    }()

    /// What the unit does: start as an ordinary user with CAP_NET_BIND_SERVICE alone and listen
    /// below 1024; without the capability the start fails with the reason.
    @Test(.enabled(if: geteuid() == 0 && privilegedBelow > 600 && FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv")
        && CheckNRPE.isInstalled))
    func unprivilegedWithCapNetBindServiceItListensBelow1024() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        chmod(dir.path, 0o777)
        // nobody's own copy of the binary: a checkout under /root (0700) is out of its reach,
        // and the binary needs nothing beside it.
        let binary = dir.appendingPathComponent("portmatrix")
        try FileManager.default.copyItem(at: CLIRunner.executable, to: binary)
        let port = try #require((600..<min(1000, Self.privilegedBelow)).first(where: isFreeLoopbackPort), "no free port below 1024")
        let config = dir.appendingPathComponent("portmatrix.yaml")
        try """
        roles: [appliance]
        choices: { ntp: internal }
        hosts: { vendor-servers: ["127.0.0.1:1"], name-server-internal: ["127.0.0.1:1"] }
        schedule: { interval: 1s, timeout: 500ms, jitter: 0s }
        nrpe: { listen: ["127.0.0.1:\(port)"], tls: { mode: off } }
        snmp: { mode: off }
        """.write(to: config, atomically: true, encoding: .utf8)
        chmod(config.path, 0o644)
        let asNobody = ["--reuid=nobody", "--regid=nogroup", "--clear-groups", "--inh-caps=-all,+net_bind_service",
                        "--ambient-caps=-all,+net_bind_service", "--bounding-set=-all,+net_bind_service"]
        let log = dir.appendingPathComponent("agent.log")
        let agent = try CLIRunner.spawn("/usr/bin/setpriv", asNobody + [binary.path, "agent", "--config", config.path],
                                        in: dir, output: log)
        defer { agent.terminate(signal: SIGKILL) }
        var answer = CLIRunner.Result(status: -1, stdout: "", stderr: "")
        let up = eventually(timeout: 30, every: 0.3) {
            answer = (try? CheckNRPE.run(port, ["-c", "_NRPE_CHECK"])) ?? answer
            return answer.status == 0
        }
        #expect(up, "\(answer.stdout)\n\(CLIRunner.text(log))")
        let status = (try? String(contentsOfFile: "/proc/\(agent.pid)/status", encoding: .utf8)) ?? ""
        #expect(status.contains("Uid:\t65534\t65534\t65534\t65534"), "\(status)")
        #expect(status.contains("CapEff:\t0000000000000400"), "CAP_NET_BIND_SERVICE (bit 10) and nothing else")
        kill(agent.pid, SIGTERM)
        #expect(agent.wait(timeout: 20) == 0)

        // The same start without the capability: a clear reason, exit status 2.
        let denied = try CLIRunner.tool("/usr/bin/setpriv", ["--reuid=nobody", "--regid=nogroup", "--clear-groups",
                                                             binary.path, "agent", "--config", config.path])
        #expect(denied.status == 2)
        #expect(denied.stderr.contains("cannot listen on 127.0.0.1:\(port): Permission denied"), "\(denied.stderr)")
    }
}
