import PortMatrixModel
import Testing

/// `address_families` (design §8): per path and globally, `all` by default, carried into
/// every planned check; an unknown value is a FILE:LINE:COL error with a suggestion.
@Suite struct AddressFamiliesConfigurationTests {
    func load(_ text: String) throws -> SiteConfiguration { try ConfigurationLoader.parse(text, file: "site.yaml").0 }

    @Test func defaultGlobalAndPerPath() throws {
        #expect(try load("roles: [appliance]\n").addressFamilies == .all)
        let config = try load("address_families: any\npaths:\n  smtp-to-mailserver: { address_families: ipv6 }\n")
        #expect(config.addressFamilies == .any)
        #expect(config.paths["smtp-to-mailserver"]?.addressFamilies == .ipv6)
        #expect(config.paths["dns-internal"]?.addressFamilies == nil)
    }

    @Test func thePlanCarriesThePathsValueElseTheGlobalOne() throws {
        let (config, profile) = try ConfigurationLoader.parse("""
            address_families: ipv4
            choices: { dns: internal }
            hosts: { email-server: [mx.example], name-server-internal: [ns.example] }
            paths:
              smtp-to-mailserver: { address_families: any }
            """, file: "site.yaml")
        let plan = Planner(profile: profile, configuration: config).plan()
        let smtp = plan.paths.first { $0.path.id == "smtp-to-mailserver" }?.checks ?? []
        let dns = plan.paths.first { $0.path.id == "dns-internal" }?.checks ?? []
        #expect(!smtp.isEmpty && smtp.allSatisfy { $0.addressFamilies == .any })
        #expect(!dns.isEmpty && dns.allSatisfy { $0.addressFamilies == .ipv4 })
    }

    @Test(arguments: [("address_families: ipv7\n", "site.yaml:1:", "did you mean 'ipv4'?"),
                      ("paths:\n  smtp-to-mailserver: { address_families: alll }\n", "site.yaml:2:", "did you mean 'all'?")])
    func unknownValueIsAnErrorWithASuggestion(_ text: String, _ position: String, _ hint: String) {
        #expect {
            _ = try load(text)
        } throws: { error in
            let message = "\(error)"
            return message.contains(position) && message.contains("is not one of all, ipv4, ipv6, any") && message.contains(hint)
        }
    }
}
