import PortMatrixConfiguration
import Testing
@testable import PortMatrixHTTP

/// The `status_endpoint:` section read through the shared reader: its refusals, each said
/// where the value is written.
@Suite struct StatusEndpointConfigurationYAMLTests {
    /// The section of `text` and every error recorded while reading it.
    static func read(_ text: String) throws -> (StatusEndpointConfiguration, [String]) {
        let reader = YAMLReader(file: "site.yaml")
        let root = try #require(reader.root(of: text))
        let section = try StatusEndpointConfiguration(yaml: try #require(root.child("status_endpoint")))
        return (section, reader.errors.map(\.description))
    }

    /// Without allowed_hosts only loopback addresses may listen: 127.0.0.0/8 and ::1.
    @Test func loopbackOnlyWithoutAllowedHosts() throws {
        let (section, errors) = try Self.read("status_endpoint: { listen: [\"127.0.0.2:9166\", \"[::1]:9166\"] }")
        #expect(errors.isEmpty)
        #expect(section.listen == ["127.0.0.2:9166", "[::1]:9166"])
        #expect(try Self.read("status_endpoint: { listen: [\"[::2]:9166\"] }").1 == [
            "site.yaml:1:29: status_endpoint.listen[0]: '[::2]:9166' is not a loopback address (127.0.0.0/8 or [::1]): the endpoint has no authentication; set allowed_hosts to open it to other peers",
        ])
        let (open, openErrors) = try Self.read("status_endpoint: { listen: [\"0.0.0.0:9166\"], allowed_hosts: [10.0.0.0/8] }")
        #expect(openErrors.isEmpty)
        #expect(open.listen == ["0.0.0.0:9166"] && open.allowedHosts == ["10.0.0.0/8"])
    }

    @Test func badValuesAreRefusedWhereTheyStand() throws {
        #expect(try Self.read("status_endpoint:\n  allowed_hosts: []\n").1 == [
            "site.yaml:2:18: status_endpoint.allowed_hosts: an empty allowed_hosts; list the monitoring servers' addresses or networks, or remove the key (loopback only)",
        ])
        #expect(try Self.read("status_endpoint:\n  allowed_hosts: [10.0.0.1, monitor.example.internal]\n").1 == [
            "site.yaml:2:29: status_endpoint.allowed_hosts[1]: 'monitor.example.internal' is not an address or network; the status endpoint does not resolve names",
        ])
        #expect(try Self.read("status_endpoint:\n  server_names: [status.example.internal, 192.0.2.1, bad_name]\n").1 == [
            "site.yaml:2:43: status_endpoint.server_names[1]: '192.0.2.1' is not a host name (addresses need no entry here)",
        ])
    }
}
