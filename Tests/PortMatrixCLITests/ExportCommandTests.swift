import Foundation
import PortMatrixTestSupport
import Testing

/// `portmatrix export`'s defaults (from the configuration's nrpe section), its overrides and
/// every way to call it wrongly.
struct ExportCommandTests {
    /// One line of a Nagios object definition as the renderer aligns it.
    static func directive(_ name: String, _ value: String) -> String {
        "    " + name.padding(toLength: 24, withPad: " ", startingAt: 0) + value + "\n"
    }

    static func config(_ yaml: String) throws -> (dir: URL, file: String) {
        let dir = try CLIRunner.temporaryDirectory()
        let file = try writeFile(yaml, "portmatrix.yaml", in: dir)
        return (dir, file.path)
    }

    static let loopback = """
    roles: [appliance]
    choices: { ntp: internal }
    hosts: { vendor-servers: [127.0.0.1] }
    schedule: { interval: 150s }
    nrpe: { listen: ["0.0.0.0:5666", "127.0.0.1:15666"], tls: { mode: off } }
    snmp: { mode: off }
    """

    @Test func defaultsFollowTheConfigurationsNRPESection() throws {
        let (dir, file) = try Self.config(Self.loopback)
        defer { try? FileManager.default.removeItem(at: dir) }
        let nagios = try CLIRunner.run(["export", "nagios", "--config", file, "--host-name", "gw1"])
        #expect(nagios.status == 0, "\(nagios.stderr)")
        // The only address check_nrpe can reach, its port, -n for tls off; 150 s is 3 minutes.
        #expect(nagios.stdout.contains("check_portmatrix_nrpe!-H 127.0.0.1 -p 15666 -n!check_path!-a licence-ssh\n"), "\(nagios.stdout)")
        #expect(nagios.stdout.contains(Self.directive("command_line", "/usr/lib/nagios/plugins/check_nrpe $ARG1$ -c $ARG2$ $ARG3$")))
        #expect(nagios.stdout.contains(Self.directive("check_interval", "3")))
        #expect(!nagios.stdout.contains("define host"))

        let icinga = try CLIRunner.run(["export", "icinga2", "--config", file, "--host-name", "gw1"])
        #expect(icinga.status == 0)
        #expect(icinga.stdout.contains("""
        object Service "portmatrix path licence-ssh" {
          host_name = "gw1"
          check_command = "nrpe"
          vars.nrpe_address = "127.0.0.1"
          vars.nrpe_port = 15666
          vars.nrpe_no_ssl = true
          vars.nrpe_command = "check_path"
          vars.nrpe_arguments = [ "licence-ssh" ]
          check_interval = 150s
        """), "\(icinga.stdout)")
    }

    @Test func wildcardListenersLeaveTheAddressToTheHost() throws {
        let (dir, file) = try Self.config("nrpe: { listen: [\"[::]:5667\", \"0.0.0.0:5667\"] }\nsnmp: { mode: off }\nchoices: { ntp: internal }\n")
        defer { try? FileManager.default.removeItem(at: dir) }
        let nagios = try CLIRunner.run(["export", "nagios", "--config", file, "--host-name", "gw1"])
        #expect(nagios.stdout.contains("check_portmatrix_nrpe!-H $HOSTADDRESS$ -p 5667!check_portmatrix\n"), "\(nagios.stdout)")
        let icinga = try CLIRunner.run(["export", "icinga2", "--config", file, "--host-name", "gw1"])
        #expect(!icinga.stdout.contains("nrpe_address"))
        #expect(!icinga.stdout.contains("nrpe_no_ssl"))
        #expect(icinga.stdout.contains("vars.nrpe_port = 5667\n"))
    }

    @Test func optionsOverrideTheConfiguration() throws {
        let (dir, file) = try Self.config(Self.loopback)
        defer { try? FileManager.default.removeItem(at: dir) }
        let nagios = try CLIRunner.run(["export", "nagios", "--config", file, "--host-name", "gw1", "--address", "10.0.0.5",
                                        "--nrpe-port", "5666", "--tls", "--check-nrpe", "/opt/nrpe/check nrpe", "--no-command",
                                        "--service-template", "generic-service", "--contact-groups", "admins, ops"])
        #expect(nagios.status == 0, "\(nagios.stderr)")
        #expect(nagios.stdout.contains("check_portmatrix_nrpe!-H 10.0.0.5 -p 5666!check_agent\n"), "\(nagios.stdout)")
        #expect(!nagios.stdout.contains("define command"))
        #expect(nagios.stdout.contains(Self.directive("use", "generic-service")))
        #expect(!nagios.stdout.contains("max_check_attempts"), "the template brings the required settings")
        #expect(nagios.stdout.contains(Self.directive("contact_groups", "admins,ops")))

        let withHost = try CLIRunner.run(["export", "nagios", "--config", file, "--host-name", "gw1", "--address", "[2001:db8::5]",
                                          "--with-host", "--check-nrpe", "/opt/nrpe/check nrpe"])
        #expect(withHost.stdout.contains("define host {\n" + Self.directive("host_name", "gw1")), "\(withHost.stdout)")
        #expect(withHost.stdout.contains(Self.directive("address", "2001:db8::5")))
        #expect(withHost.stdout.contains("-H $HOSTADDRESS$ -p 15666 -n!"), "the host's address is the NRPE address")
        #expect(withHost.stdout.contains(Self.directive("command_line", "'/opt/nrpe/check nrpe' $ARG1$ -c $ARG2$ $ARG3$")))

        let icinga = try CLIRunner.run(["export", "icinga2", "--config", file, "--host-name", "gw1", "--address", "gw1.example.internal",
                                        "--with-host", "--host-template", "generic-host", "--tls"])
        #expect(icinga.stdout.contains("object Host \"gw1\" {\n  import \"generic-host\"\n  address = \"gw1.example.internal\"\n"), "\(icinga.stdout)")
        #expect(!icinga.stdout.contains("nrpe_address"))
        #expect(!icinga.stdout.contains("nrpe_no_ssl"))
    }

    /// Every exported path applies; the others are named in the header with why not.
    @Test func onlyApplicablePathsAreExported() throws {
        let (dir, file) = try Self.config(Self.loopback)
        defer { try? FileManager.default.removeItem(at: dir) }
        let plan = try CLIRunner.run(["plan", "--config", file, "--format", "json"])
        let document = try #require(try JSONSerialization.jsonObject(with: Data(plan.stdout.utf8)) as? [String: Any])
        let paths = try #require(document["paths"] as? [[String: Any]])
        let nagios = try CLIRunner.run(["export", "nagios", "--config", file, "--host-name", "gw1"]).stdout
        let icinga = try CLIRunner.run(["export", "icinga2", "--config", file, "--host-name", "gw1"]).stdout
        var skipped = 0
        for path in paths {
            let id = try #require(path["id"] as? String)
            if path["applicable"] as? Bool == true {
                #expect(nagios.contains(Self.directive("service_description", "portmatrix path \(id)")), "\(id)")
                #expect(icinga.contains("object Service \"portmatrix path \(id)\" {"), "\(id)")
            } else {
                skipped += 1
                let reason = try #require(path["reason"] as? String)
                #expect(!nagios.contains("portmatrix path \(id)\n"), "\(id) does not apply")
                #expect(nagios.contains("#   \(id): \(reason)\n"), "\(id)")
                #expect(icinga.contains("//   \(id): \(reason)\n"), "\(id)")
            }
        }
        #expect(skipped > 0)
        #expect(nagios.components(separatedBy: "define service {").count - 1 == paths.count - skipped + 3)
    }

    @Test func hostNameDefaultsToThisMachine() throws {
        let (dir, file) = try Self.config(Self.loopback)
        defer { try? FileManager.default.removeItem(at: dir) }
        var buffer = [CChar](repeating: 0, count: 256)
        try #require(gethostname(&buffer, 255) == 0)
        let name = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let result = try CLIRunner.run(["export", "nagios", "--config", file])
        #expect(result.status == 0)
        #expect(result.stdout.contains(Self.directive("host_name", name)), "\(result.stdout.prefix(600))")
    }

    @Test func requiredClientCertificatesAreMentioned() throws {
        let (dir, file) = try Self.config("""
        nrpe: { listen: ["127.0.0.1:5666"], tls: { mode: on, ca_file: /etc/ssl/ca.pem, client_certs: require } }
        snmp: { mode: off }
        """)
        defer { try? FileManager.default.removeItem(at: dir) }
        let bare = try CLIRunner.run(["export", "nagios", "--config", file, "--host-name", "gw1"])
        #expect(bare.status == 0)
        #expect(bare.stderr.contains("client_certs: require; check_nrpe needs --client-cert and --client-key"), "\(bare.stderr)")
        let given = try CLIRunner.run(["export", "nagios", "--config", file, "--host-name", "gw1", "--client-cert", "/c.pem",
                                       "--client-key", "/k.pem", "--ca-cert", "/ca.pem"])
        #expect(given.stderr.isEmpty, "\(given.stderr)")
        #expect(given.stdout.contains("-H 127.0.0.1 -p 5666 -C /c.pem -K /k.pem -A /ca.pem!"), "\(given.stdout)")
    }

    struct BadCall: CustomTestStringConvertible, Sendable {
        var name: String
        var arguments: [String]
        var message: String
        var testDescription: String { name }
    }

    static let badCalls = [
        BadCall(name: "port 0", arguments: ["nagios", "--nrpe-port", "0"], message: "--nrpe-port must be 1-65535, not 0"),
        BadCall(name: "port 70000", arguments: ["icinga2", "--nrpe-port", "70000"], message: "--nrpe-port must be 1-65535, not 70000"),
        BadCall(name: "port not a number", arguments: ["nagios", "--nrpe-port", "nrpe"], message: "The value 'nrpe' is invalid for '--nrpe-port <port>'"),
        BadCall(name: "address with space", arguments: ["nagios", "--address", "10.0.0.5 -c x"],
                message: "--address: '10.0.0.5 -c x' is not a host name or IP address"),
        BadCall(name: "address with port", arguments: ["icinga2", "--address", "10.0.0.5:5666"],
                message: "--address: '10.0.0.5:5666' has a port; give it with --nrpe-port"),
        BadCall(name: "host name with semicolon", arguments: ["nagios", "--host-name", "gw1;x"],
                message: "--host-name: 'gw1;x' contains ';', which Nagios or Icinga 2 do not accept in object names"),
        BadCall(name: "host name with space", arguments: ["icinga2", "--host-name", "gw 1"],
                message: "--host-name: 'gw 1' contains 'whitespace'"),
        BadCall(name: "empty host name", arguments: ["nagios", "--host-name", ""], message: "--host-name: must not be empty"),
        BadCall(name: "template with quote", arguments: ["icinga2", "--service-template", "generic\"service"],
                message: "--service-template: 'generic\"service' contains '\"'"),
        BadCall(name: "host template without host", arguments: ["nagios", "--host-template", "generic-host"],
                message: "--host-template needs --with-host"),
        BadCall(name: "certificate without key", arguments: ["nagios", "--client-cert", "/c.pem"],
                message: "--client-cert and --client-key go together"),
        BadCall(name: "certificate without TLS", arguments: ["icinga2", "--no-tls", "--client-cert", "/c.pem", "--client-key", "/k.pem"],
                message: "--client-cert and --ca-cert need TLS, not --no-tls"),
        BadCall(name: "relative check_nrpe", arguments: ["nagios", "--check-nrpe", "check_nrpe"],
                message: "--check-nrpe must be an absolute path, not 'check_nrpe'"),
        BadCall(name: "check_nrpe for Icinga", arguments: ["icinga2", "--check-nrpe", "/usr/bin/check_nrpe"], message: "Unknown option '--check-nrpe'"),
        BadCall(name: "contact group with space", arguments: ["nagios", "--contact-groups", "admins, ops team"],
                message: "--contact-groups: 'ops team' contains 'whitespace'"),
        BadCall(name: "empty contact group", arguments: ["nagios", "--contact-groups", "admins,"], message: "--contact-groups: must not be empty"),
        BadCall(name: "contact groups for Icinga", arguments: ["icinga2", "--contact-groups", "admins"], message: "Unknown option '--contact-groups'"),
        BadCall(name: "unknown server", arguments: ["checkmk"], message: "Unexpected argument 'checkmk'"),
    ]

    @Test(arguments: badCalls)
    func badCallIsAUsageError(_ call: BadCall) throws {
        let (dir, file) = try Self.config(Self.loopback)
        defer { try? FileManager.default.removeItem(at: dir) }
        // The subcommand's own options only reach a known subcommand.
        let known = ["nagios", "icinga2"].contains(call.arguments[0])
        let result = try CLIRunner.run(["export"] + call.arguments + (known ? ["--config", file] : []))
        #expect(result.status == 64, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains(call.message), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    @Test func badConfigurationExitsTwoWithTheLoadersMessage() throws {
        let (dir, file) = try Self.config("roles: [appliance]\nnrpe: { listen: [\"0.0.0.0:99999\"] }\n")
        defer { try? FileManager.default.removeItem(at: dir) }
        for server in ["nagios", "icinga2"] {
            let result = try CLIRunner.run(["export", server, "--config", file, "--host-name", "gw1"])
            #expect(result.status == 2)
            #expect(result.stderr.contains("\(file):2:"), "\(result.stderr)")
            #expect(result.stderr.contains("is not a listen address"), "\(result.stderr)")
            #expect(result.stdout.isEmpty)
        }
        let missing = try CLIRunner.run(["export", "nagios", "--config", dir.appendingPathComponent("none.yaml").path, "--host-name", "gw1"])
        #expect(missing.status == 2)
        #expect(!missing.stderr.isEmpty)
    }

    @Test func configurationWithoutNRPEHasNothingToExport() throws {
        let (dir, file) = try Self.config("nrpe: { listen: [] }\nsnmp: { mode: off }\n")
        defer { try? FileManager.default.removeItem(at: dir) }
        let result = try CLIRunner.run(["export", "icinga2", "--config", file, "--host-name", "gw1"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("\(file): nrpe.listen is empty, so the agent serves no NRPE: nothing to export"), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }
}
