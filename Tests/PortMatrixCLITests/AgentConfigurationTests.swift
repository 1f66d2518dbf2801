import PortMatrixModel
import PortMatrixNRPE
import PortMatrixTestSupport
import Testing
@testable import portmatrix

/// The whole portmatrix.yaml through the executable's reader: the model's sections and each
/// component's, errors in one list with FILE:LINE:COL (moved from the model's
/// ConfigurationTests with the component sections).
struct AgentConfigurationTests {
    func errors(_ text: String) -> [ConfigurationError] {
        configurationErrors { _ = try AgentConfiguration.parse(text, file: "site.yaml") }
    }

    @Test func embeddedDefaultIsTheDesignDefault() throws {
        let configuration = try AgentConfiguration.resolve(path: nil)
        #expect(configuration.profile.name == "seppmail")
        #expect(configuration.nrpe.listen == ["0.0.0.0:5666", "[::]:5666"])
        #expect(configuration.nrpe.tlsMode == .on)
        #expect(configuration.nrpe.allowedHosts == ["127.0.0.1", "::1"])
        #expect(configuration.snmp.mode == .agentx)
        #expect(configuration.snmp.agentXSocket == "/var/agentx/master")
    }

    @Test func clientCertificatesNeedACA() {
        let found = errors("nrpe: { tls: { client_certs: require } }")
        #expect(found.first?.message == "client_certs: require needs ca_file to verify clients against")
        #expect(found.first?.description == "site.yaml:1:14: nrpe.tls: client_certs: require needs ca_file to verify clients against")
    }

    /// Errors of the model's and a component's sections come in the file's order.
    @Test func sectionsKeepTheFilesOrderAndUnknownKeysSeeEverySection() {
        let found = errors("""
        schedule: { interval: 5 parsecs }
        nrpe: { allowed_hosts: [] }
        nrep: {}
        listeners: { unexpected: loud }
        """)
        #expect(found.map(\.description) == [
            "site.yaml:3:1: nrep: unknown key 'nrep' at the top level; did you mean 'nrpe'?",
            "site.yaml:1:23: schedule.interval: '5 parsecs' is not a duration; use a number with ms, s, m or h, e.g. 500ms, 5s, 2m",
            "site.yaml:2:24: nrpe.allowed_hosts: is empty; list the monitoring servers, or write [any] to allow every address",
            "site.yaml:4:26: listeners.unexpected: 'loud' is not one of ok, warning, critical",
        ])
    }

    /// `paths.<id>.probe` keys are the ones the path's probes take (the engine's registry): a
    /// typo gets the nearest key, another probe's option names that probe and the path's, an
    /// endpoint override changes which probes those are; valid keys pass.
    @Test func probeOptionKeysAreCheckedAgainstThePathsProbes() {
        let found = errors("""
        paths:
          smtp-to-mailserver: { probe: { helo_nme: gw.example, starttls: required } }
          dns-internal: { probe: { query_type: MX, starttls: required } }
          fetchmail: { endpoints: ["tcp/10995:tcp"], probe: { starttls: "off" } }
          smtp-in-internet: { probe: { starttls: required, helo_name: gw.example, verify_certificate: yes } }
        """)
        #expect(found.map(\.description) == [
            "site.yaml:2:44: paths.smtp-to-mailserver.probe.helo_nme: unknown option 'helo_nme'; did you mean 'helo_name'? (this path's probe smtp takes ca_file, expect_banner, helo_name, server_name, starttls, verify_certificate)",
            "site.yaml:3:54: paths.dns-internal.probe.starttls: 'starttls' is an option of probes imap, ldap, pop3, smtp, not of this path's probe dns (it takes query_name, query_type)",
            "site.yaml:4:65: paths.fetchmail.probe.starttls: 'starttls' is an option of probes imap, ldap, pop3, smtp, not of this path's probe tcp (it takes expect_banner)",
        ])
    }

    /// Every component section (one list, ComponentSection) reaches its owner: a scalar where
    /// a mapping belongs is refused at its place, and the model's own loader passes over it.
    @Test func everyComponentSectionIsReadByItsOwner() throws {
        for key in ComponentSection.keys {
            #expect(errors("\(key): 5").map(\.description) == ["site.yaml:1:\(key.count + 3): \(key): expected a mapping, found a scalar"])
            #expect(try ConfigurationLoader.parse("\(key): 5", file: "site.yaml").0.roles == ["appliance"])
        }
    }
}
