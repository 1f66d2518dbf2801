import PortMatrixModel
import Testing

/// `probe.starttls` (design §8): the four policies, SMTP's default left to the probe, and a
/// misspelt value as a FILE:LINE:COL error with a suggestion.
@Suite struct StartTLSPolicyConfigurationTests {
    func load(_ text: String) throws -> SiteConfiguration { try ConfigurationLoader.parse(text, file: "site.yaml").0 }

    @Test func policiesAndTheUnsetDefault() throws {
        for policy in ["expected", "required", "auto", "off"] {
            let config = try load("paths:\n  smtp-to-mailserver: { probe: { starttls: \(policy) } }\n")
            #expect(config.paths["smtp-to-mailserver"]?.probe?.starttlsSetting?.rawValue == policy)
        }
        // Not given: nil, which SMTP reads as expected and POP3/IMAP/LDAP as auto.
        let unset = try load("paths:\n  smtp-to-mailserver: { probe: { helo_name: gw.example } }\n")
        #expect(unset.paths["smtp-to-mailserver"]?.probe?.starttlsSetting == nil)
        #expect(unset.paths["smtp-to-mailserver"]?.probe?.starttls == .auto)
    }

    @Test func misspeltPolicyIsAnErrorWithASuggestion() {
        #expect {
            _ = try load("paths:\n  smtp-to-mailserver: { probe: { starttls: expectd } }\n")
        } throws: { error in
            let text = "\(error)"
            return text.contains("site.yaml:2:") && text.contains("'expectd' is not one of") && text.contains("did you mean 'expected'?")
        }
    }
}
