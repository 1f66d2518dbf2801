import PortMatrixConfiguration
import PortMatrixHTTP
import PortMatrixEngine
import PortMatrixModel
import PortMatrixNRPE
import PortMatrixSNMP

/// The whole portmatrix.yaml: the model's sections (what is checked) and each component's own
/// settings, each read by the component that owns it. `config validate`, `check`, `plan`, the
/// agent's start and its reload all read it here.
struct AgentConfiguration: Sendable {
    var site: SiteConfiguration
    var profile: Profile
    var nrpe: NRPEConfiguration
    var snmp: SNMPAgentConfiguration
    var statusEndpoint: StatusEndpointConfiguration
    var agent: AgentSettings
    var checkmk: CheckmkSettings
    var trace: TraceSettings

    private init(site: SiteConfiguration, profile: Profile, sections: Sections) {
        self.site = site
        self.profile = profile
        nrpe = sections.nrpe
        snmp = sections.snmp
        statusEndpoint = sections.statusEndpoint
        agent = sections.agent
        checkmk = sections.checkmk
        trace = sections.trace
    }

    /// The components' top-level sections, handed over by the model's reader in document order;
    /// the switch covers every ``ComponentSection``.
    struct Sections: ConfigurationSections {
        var nrpe = NRPEConfiguration()
        var snmp = SNMPAgentConfiguration()
        var statusEndpoint = StatusEndpointConfiguration()
        var agent = AgentSettings()
        var checkmk = CheckmkSettings()
        var trace = TraceSettings()

        mutating func read(_ section: ComponentSection, value: YAMLValue) throws {
            switch section {
            case .nrpe: nrpe = try NRPEConfiguration(yaml: value)
            case .snmp: snmp = try SNMPAgentConfiguration(yaml: value)
            case .statusEndpoint: statusEndpoint = try StatusEndpointConfiguration(yaml: value)
            case .agent: agent = try AgentSettings(yaml: value)
            case .checkmk: checkmk = try CheckmkSettings(yaml: value)
            case .trace: trace = try TraceSettings(yaml: value)
            }
        }
    }

    /// `path`, else /etc/portmatrix/portmatrix.yaml if present, else the embedded default.
    static func resolve(path: String?) throws -> AgentConfiguration {
        try read { try ConfigurationLoader.resolve(path: path, sections: &$0, catalog: ProbeRegistry.standard) }
    }

    static func load(file path: String) throws -> AgentConfiguration {
        try read { try ConfigurationLoader.load(file: path, sections: &$0, catalog: ProbeRegistry.standard) }
    }

    static func parse(_ text: String, file: String) throws -> AgentConfiguration {
        try read { try ConfigurationLoader.parse(text, file: file, sections: &$0, catalog: ProbeRegistry.standard) }
    }

    /// One loader call with fresh sections, which it fills as it reads the document.
    private static func read(_ loader: (inout Sections) throws -> (SiteConfiguration, Profile)) throws -> AgentConfiguration {
        var sections = Sections()
        let (site, profile) = try loader(&sections)
        return AgentConfiguration(site: site, profile: profile, sections: sections)
    }
}
