import Foundation
import PortMatrixTestSupport
import Testing

/// `portmatrix export icinga2` validated by Debian's real Icinga 2 (`icinga2 daemon -C`)
/// with the ITL, as a default icinga2.conf includes it.
@Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/sbin/icinga2"), "icinga2 is not installed (scripts/install-deps test)"))
struct ExportIcinga2Tests {
    /// What the default icinga2.conf and conf.d/templates.conf provide.
    static func prelude() -> String {
        """
        const PluginDir = "/usr/lib/nagios/plugins"
        include <itl>
        include <plugins>
        template Host "generic-host" {
          max_check_attempts = 3
          check_interval = 1m
          retry_interval = 30s
          check_command = "hostalive"
        }
        template Service "generic-service" {
          max_check_attempts = 5
          check_interval = 1m
          retry_interval = 30s
        }

        """
    }

    static func existingHost(_ name: String) -> String {
        "object Host \"\(name)\" {\n  import \"generic-host\"\n  address = \"192.0.2.1\"\n}\n"
    }

    /// `icinga2 daemon -C` on `text` in a fresh directory, running as the current user and
    /// caching there (not in /var/cache/icinga2).
    static func validate(_ text: String) throws -> CLIRunner.Result {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = try writeFile(text, "icinga2.conf", in: dir)
        let (user, group) = CLIRunner.currentUserAndGroup
        return try CLIRunner.tool("/usr/sbin/icinga2", ["daemon", "-C", "-c", file.path, "-DRunAsUser=\(user)", "-DRunAsGroup=\(group)",
                                                        "-DConfiguration.CacheDir=\(dir.path)", "-x", "warning"])
    }

    static func export(_ arguments: [String]) throws -> String {
        let result = try CLIRunner.run(["export", "icinga2"] + arguments)
        #expect(result.status == 0, "portmatrix export icinga2 \(arguments.joined(separator: " ")): \(result.stderr)")
        return result.stdout
    }

    static let variants: [(name: String, arguments: [String], definesHost: Bool)] = [
        ("services only", [], false),
        ("with host", ["--with-host", "--address", "10.0.0.5"], true),
        ("templates", ["--with-host", "--host-template", "generic-host", "--service-template", "generic-service"], true),
        ("plaintext, own address and port", ["--no-tls", "--address", "2001:db8::5", "--nrpe-port", "15666"], false),
        ("client certificate", ["--client-cert", "/etc/icinga2/portmatrix \"client\".pem", "--client-key", "/etc/icinga2/key$1.pem",
                                "--ca-cert", "/etc/ssl/ca.pem"], false),
    ]

    @Test(arguments: ExportNagiosTests.examples)
    func everyExampleConfigurationPassesIcingaValidation(_ example: String) throws {
        let config = CLIRunner.repository.appendingPathComponent("docs/examples/\(example).yaml").path
        let plan = try CLIRunner.run(["plan", "--config", config, "--format", "json"])
        let applicable = try ExportNagiosTests.applicablePaths(plan.stdout)
        for variant in Self.variants {
            let objects = try Self.export(["--config", config, "--host-name", "gw1"] + variant.arguments)
            let result = try Self.validate(Self.prelude() + (variant.definesHost ? "" : Self.existingHost("gw1")) + objects)
            #expect(result.status == 0, "\(example), \(variant.name):\n\(result.stdout)\n\(objects)")
            #expect(!result.stdout.contains("warning/"), "\(example), \(variant.name):\n\(result.stdout)")
            #expect(objects.components(separatedBy: "object Service ").count - 1 == applicable.count + 3)
        }
    }

    /// Icinga really resolves the objects: without the ITL there is no `nrpe` CheckCommand.
    @Test func validationFailsWithoutTheITL() throws {
        let config = CLIRunner.repository.appendingPathComponent("docs/examples/standalone-smarthost.yaml").path
        let objects = try Self.export(["--config", config, "--host-name", "gw1"])
        let host = "object CheckCommand \"up\" {\n  command = [ \"/bin/true\" ]\n}\nobject Host \"gw1\" {\n  check_command = \"up\"\n}\n"
        let result = try Self.validate(host + objects)
        #expect(result.status != 0)
        #expect(result.stdout.contains("Object 'nrpe' of type 'CheckCommand' does not exist"), "\(result.stdout)")
    }

    /// Quotes, backslashes, `$` and newlines in ids, functions and descriptions stay inside
    /// their strings; the real id reaches nrpe_arguments with `$` escaped for macro resolution.
    @Test func oddPathIDsValidate() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let config = try ExportNagiosTests.labConfiguration(in: dir)
        let objects = try Self.export(["--config", config, "--host-name", "gw1", "--with-host"])
        #expect(objects.contains(#"vars.nrpe_arguments = [ "odd id;$$x!'\"`\\" ]"#), "\(objects)")
        let result = try Self.validate(Self.prelude() + objects)
        #expect(result.status == 0, "\(result.stdout)\n\(objects)")
        #expect(objects.components(separatedBy: "object Service ").count - 1 == 5)
    }

    /// Exports for two gateways define nothing global, so they coexist.
    @Test func twoGatewaysCoexist() throws {
        let first = CLIRunner.repository.appendingPathComponent("docs/examples/standalone-smarthost.yaml").path
        let second = CLIRunner.repository.appendingPathComponent("docs/examples/cluster-frontend-gina.yaml").path
        let one = try Self.export(["--config", first, "--host-name", "gw1", "--with-host", "--address", "10.0.0.5"])
        let two = try Self.export(["--config", second, "--host-name", "gw2", "--with-host", "--address", "10.0.0.6"])
        let result = try Self.validate(Self.prelude() + one + two)
        #expect(result.status == 0, "\(result.stdout)")
    }
}
