import Foundation
import PortMatrixTestSupport
import Testing

/// `portmatrix config validate` on a dozen broken files: each error names file, line, column and
/// what was expected; exit status 2; the file and its folder are left exactly as they were.
struct ConfigValidateTests {
    struct BrokenCase: CustomTestStringConvertible, Sendable {
        var name: String
        var yaml: String
        var line: Int
        var column: Int
        var expected: String
        var testDescription: String { name }
    }

    static let cases: [BrokenCase] = [
        BrokenCase(name: "bad YAML", yaml: "roles: [appliance\nchoices: {}\n", line: 2, column: 8,
                   expected: "invalid YAML"),
        BrokenCase(name: "unknown key", yaml: "roles: [appliance]\nfeatrues: [nrpe]\n", line: 2, column: 1,
                   expected: "featrues: unknown key 'featrues' at the top level; did you mean 'features'?"),
        BrokenCase(name: "wrong type", yaml: "schedule:\n  concurrency: many\n", line: 2, column: 16,
                   expected: "schedule.concurrency: expected a whole number, found 'many'"),
        BrokenCase(name: "bad duration", yaml: "schedule:\n  interval: 5 parsecs\n", line: 2, column: 13,
                   expected: "schedule.interval: '5 parsecs' is not a duration"),
        BrokenCase(name: "bad range", yaml: "thresholds:\n  cert_days: { warning: \"30:7\" }\n", line: 2, column: 25,
                   expected: "thresholds.cert_days.warning: '30:7': start is greater than end"),
        BrokenCase(name: "unknown path id", yaml: "paths:\n  smtp-to-mailsever: { targets: [mail] }\n", line: 2, column: 22,
                   expected: "unknown path id 'smtp-to-mailsever'; did you mean 'smtp-to-mailserver'?"),
        BrokenCase(name: "unknown role", yaml: "roles: [appliance, mail-server]\n", line: 1, column: 20,
                   expected: "roles[1]: unknown role 'mail-server'"),
        BrokenCase(name: "port 70000", yaml: "hosts:\n  email-server: [\"mail.example.internal:70000\"]\n", line: 2, column: 18,
                   expected: "hosts.email-server[0]: port 70000 is out of range 1-65535"),
        BrokenCase(name: "empty targets", yaml: "paths:\n  smtp-out-internet: { targets: [] }\n", line: 2, column: 33,
                   expected: "paths.smtp-out-internet.targets: an empty target list"),
        BrokenCase(name: "bad CIDR", yaml: "nrpe:\n  allowed_hosts: [127.0.0.1, 10.0.0.0/33]\n", line: 2, column: 30,
                   expected: "nrpe.allowed_hosts[1]: '10.0.0.0/33': prefix length must be 0-32"),
        // A blank key used to validate and then answer every address.
        BrokenCase(name: "blank allowed_hosts", yaml: "nrpe:\n  allowed_hosts:\n", line: 2, column: 17,
                   expected: "nrpe.allowed_hosts: is empty; list the monitoring servers, or write [any] to allow every address"),
        BrokenCase(name: "empty allowed_hosts", yaml: "nrpe:\n  allowed_hosts: []\n", line: 2, column: 18,
                   expected: "nrpe.allowed_hosts: is empty; list the monitoring servers, or write [any]"),
        BrokenCase(name: "any with others", yaml: "nrpe:\n  allowed_hosts: [any, 10.0.0.1]\n", line: 2, column: 18,
                   expected: "nrpe.allowed_hosts: 'any' allows every address and goes alone"),
        BrokenCase(name: "bad client pin", yaml: "nrpe:\n  tls: { client_certs: require, ca_file: /x, allowed_clients: [\"sha256:AB\"] }\n", line: 2, column: 64,
                   expected: "nrpe.tls.allowed_clients[0]: 'sha256:AB' is not a SHA-256 fingerprint"),
        BrokenCase(name: "status endpoint off loopback", yaml: "status_endpoint:\n  listen: [\"0.0.0.0:9166\"]\n", line: 2, column: 12,
                   expected: "status_endpoint.listen[0]: '0.0.0.0:9166' is not a loopback address"),
        BrokenCase(name: "bad user name", yaml: "agent: { user: \"mail admin\" }\n", line: 1, column: 16,
                   expected: "agent.user: 'mail admin' is not a user or group name"),
        // Probe names are checked against the engine's registry, not found out at run time.
        BrokenCase(name: "misspelt probe", yaml: "paths:\n  fetchmail: { endpoints: [{ port: tcp/10995, probe: smpt }] }\n", line: 2, column: 54,
                   expected: "paths.fetchmail.endpoints[0].probe: unknown probe 'smpt'; did you mean 'smtp'?"),
        BrokenCase(name: "misspelt probe after the port", yaml: "paths:\n  fetchmail: { endpoints: [\"tcp/10995:pop3ss\"] }\n", line: 2, column: 28,
                   expected: "paths.fetchmail.endpoints[0]: unknown probe 'pop3ss'; did you mean 'pop3s'?"),
        // Probe options are the ones the path's probes take.
        BrokenCase(name: "misspelt probe option", yaml: "paths:\n  smtp-in-internet: { probe: { helo_nam: gw.example } }\n", line: 2, column: 42,
                   expected: "paths.smtp-in-internet.probe.helo_nam: unknown option 'helo_nam'; did you mean 'helo_name'? (this path's probe smtp takes"),
        BrokenCase(name: "another probe's option", yaml: "paths:\n  dns-internal: { probe: { http_path: /x } }\n", line: 2, column: 39,
                   expected: "paths.dns-internal.probe.http_path: 'http_path' is an option of probes http, https, not of this path's probe dns (it takes query_name, query_type)"),
    ]

    @Test(arguments: cases)
    func brokenFileGivesAPreciseErrorAndTouchesNothing(_ broken: BrokenCase) throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = try writeFile(broken.yaml, "portmatrix.yaml", in: dir)
        let before = try FileManager.default.attributesOfItem(atPath: file.path)[.modificationDate] as? Date

        let result = try CLIRunner.run(["config", "validate", file.path])

        #expect(result.status == 2)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 1, "one error expected, got: \(lines)")
        let prefix = "\(file.path):\(broken.line):\(broken.column): "
        #expect(lines.first?.hasPrefix(prefix) == true, "\(lines.first ?? "") should start with \(prefix)")
        #expect(lines.first?.contains(broken.expected) == true, "\(lines.first ?? "") should say \(broken.expected)")
        // Nothing else is touched: same content, same time, no new files.
        #expect(try String(contentsOf: file, encoding: .utf8) == broken.yaml)
        #expect(try FileManager.default.attributesOfItem(atPath: file.path)[.modificationDate] as? Date == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["portmatrix.yaml"])
    }

    @Test func validFileExitsZero() throws {
        let file = CLIRunner.repository.appendingPathComponent("docs/examples/standalone-smarthost.yaml").path
        let result = try CLIRunner.run(["config", "validate", file])
        #expect(result.status == 0)
        #expect(result.stdout.contains("OK (profile seppmail"))
    }

    @Test func missingFileIsAClearError() throws {
        let result = try CLIRunner.run(["config", "validate", "/nonexistent/portmatrix.yaml"])
        #expect(result.status == 2)
        #expect(result.stdout.contains("/nonexistent/portmatrix.yaml:0:0: cannot read configuration file"))
    }

    @Test func planAndCheckRefuseABrokenFileToo() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("bad.yaml")
        try "roles: [nobody]\n".write(to: file, atomically: true, encoding: .utf8)
        let plan = try CLIRunner.run(["plan", "--config", file.path])
        #expect(plan.status == 2)
        #expect(plan.stderr.contains("unknown role 'nobody'"))
        let check = try CLIRunner.run(["check", "--config", file.path])
        #expect(check.status == 3)
        #expect(check.stdout.hasPrefix("PORTMATRIX UNKNOWN - configuration error"))
    }

    @Test func aProfileFileWithAnUnknownProbeIsRefusedWhereItSaysSo() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let builtin = CLIRunner.repository.appendingPathComponent("Sources/PortMatrixModel/Resources/profiles/seppmail.yaml")
        let text = try String(contentsOf: builtin, encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // The first endpoint naming the ssh probe gets a misspelt one.
        let index = try #require(lines.firstIndex { $0.contains("probe: ssh") })
        var broken = lines
        broken[index] = lines[index].replacingOccurrences(of: "probe: ssh", with: "probe: shh")
        let profile = try writeFile(broken.joined(separator: "\n"), "appliance.yaml", in: dir)
        let site = dir.appendingPathComponent("site.yaml")
        try "profile: appliance.yaml\nroles: [appliance]\n".write(to: site, atomically: true, encoding: .utf8)

        let validate = try CLIRunner.run(["config", "validate", site.path])
        #expect(validate.status == 2)
        #expect(validate.stdout.contains("\(profile.path):\(index + 1):"), "\(validate.stdout)")
        #expect(validate.stdout.contains("unknown probe 'shh'; did you mean 'ssh'?"), "\(validate.stdout)")
        let matrix = try CLIRunner.run(["matrix", "--profile", profile.path])
        #expect(matrix.status == 2)
        #expect(matrix.stderr.contains("unknown probe 'shh'"), "\(matrix.stderr)")
    }

    @Test func anUnknownPathOrProfileIsNamedWithAHint() throws {
        // Refused before any probe runs, so nothing leaves the machine.
        let check = try CLIRunner.run(["check", "--path", "licence-sh"])
        #expect(check.status == 3)
        #expect(check.stdout == "PORTMATRIX UNKNOWN - no path 'licence-sh'; did you mean 'licence-ssh'?\n")
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("site.yaml")
        try "roles: [appliance]\nprofile: sepmail\n".write(to: file, atomically: true, encoding: .utf8)
        let validate = try CLIRunner.run(["config", "validate", file.path])
        #expect(validate.status == 2)
        #expect(validate.stdout.hasPrefix("\(file.path):2:10: profile: unknown built-in profile 'sepmail'; did you mean 'seppmail'?"))
    }
}
