import PortMatrixConfiguration
import Testing
@testable import PortMatrixNRPE

/// The `nrpe:` section read through the shared reader (moved here from the model's
/// ConfigurationTests with the section).
@Suite struct NRPEConfigurationYAMLTests {
    /// The section of `text` and every error recorded while reading it.
    static func read(_ text: String) throws -> (NRPEConfiguration, [ConfigurationError]) {
        let reader = YAMLReader(file: "site.yaml")
        let root = try #require(reader.root(of: text))
        let nrpe = try NRPEConfiguration(yaml: try #require(root.child("nrpe")))
        return (nrpe, reader.errors)
    }

    @Test func designExampleParses() throws {
        let (nrpe, errors) = try Self.read("""
        nrpe:
          listen: ["0.0.0.0:5666"]
          allowed_hosts: [127.0.0.1, "::1", 10.0.0.0/8]
          tls: { mode: on, cert_file: /etc/c.pem, key_file: /etc/k.pem, ca_file: /etc/ca.pem, client_certs: none }
          commands: { check_disk: "/usr/lib/nagios/plugins/check_disk -w 20% -c 10%" }
          allow_arguments: false
          include: /etc/nagios/nrpe.cfg
          command_timeout: 1500ms
        """)
        #expect(errors.isEmpty)
        #expect(nrpe.commands["check_disk"]?.hasPrefix("/usr/lib/nagios") == true)
        #expect(nrpe.allowedHosts == ["127.0.0.1", "::1", "10.0.0.0/8"])
        #expect(nrpe.includeFile == "/etc/nagios/nrpe.cfg" && nrpe.certFile == "/etc/c.pem" && nrpe.clientCertificates == .none)
        #expect(nrpe.commandTimeout == 2 && nrpe.connectionTimeout == 10)
        #expect(nrpe.validate().isEmpty)
    }

    @Test func yaml11BooleansAreAcceptedForModes() throws {
        #expect(try Self.read("nrpe: { tls: { mode: off } }").0.tlsMode == .off)
        #expect(try Self.read("nrpe: { tls: { mode: \"on\" } }").0.tlsMode == .on)
    }

    @Test func clientCertificatesNeedACA() throws {
        let errors = try Self.read("nrpe: { tls: { client_certs: require } }").1
        #expect(errors.map(\.description) == ["site.yaml:1:14: nrpe.tls: client_certs: require needs ca_file to verify clients against"])
    }

    /// The rules between tls keys are the ones validate() says, placed at nrpe.tls.
    @Test func tlsCombinationsAreSaidOnceAtTheirSection() throws {
        let errors = try Self.read("nrpe:\n  tls: { cert_file: /c.pem, client_certs: ask, ca_file: /ca.pem, allowed_clients: [CN=nagios] }\n").1
        #expect(errors.map(\.description) == [
            "site.yaml:2:8: nrpe.tls: cert_file and key_file go together",
            "site.yaml:2:8: nrpe.tls: allowed_clients needs client_certs: require",
        ])
    }

    /// Each value is refused where it is written, and the others of the section still read.
    @Test func badValuesAreRefusedWhereTheyStand() throws {
        let (nrpe, errors) = try Self.read("""
        nrpe:
          connection_timeout: 0s
          max_connections: 0
          commands: { check_empty: "", check_ok: /bin/true }
          tls: { allowed_clients: [] }
        """)
        #expect(errors.map(\.description) == [
            "site.yaml:2:23: nrpe.connection_timeout: must be greater than zero",
            "site.yaml:3:20: nrpe.max_connections: 0 is out of range 1-100000",
            "site.yaml:4:28: nrpe.commands.check_empty: must not be empty",
            "site.yaml:5:27: nrpe.tls.allowed_clients: is empty; leave the key out to accept any client certificate that chains to ca_file",
        ])
        #expect(nrpe.commands == ["check_ok": "/bin/true"])
        #expect(try Self.read("nrpe: { tls: { allowed_clients: [\"sha256:12\"] } }").1.map(\.keyPath) == ["nrpe.tls.allowed_clients[0]"])
    }

    @Test func unknownKeysGetAHint() throws {
        let errors = try Self.read("nrpe: { alowed_hosts: [10.0.0.1] }").1
        #expect(errors.map(\.description) == ["site.yaml:1:9: nrpe.alowed_hosts: unknown key 'alowed_hosts' in 'nrpe'; did you mean 'allowed_hosts'?"])
    }
}
