import PortMatrixConfiguration
import Testing
@testable import PortMatrixSNMP

/// The `snmp:` section read through the shared reader (moved here from the model's
/// ConfigurationTests with the section; the trap sink cases run through `config validate`
/// in the CLI's HostileInputTests).
@Suite struct SNMPAgentConfigurationYAMLTests {
    /// The section of `text` and every error recorded while reading it.
    static func read(_ text: String) throws -> (SNMPAgentConfiguration, [ConfigurationError]) {
        let reader = YAMLReader(file: "site.yaml")
        let root = try #require(reader.root(of: text))
        let snmp = try SNMPAgentConfiguration(yaml: try #require(root.child("snmp")))
        return (snmp, reader.errors)
    }

    @Test func designExampleParses() throws {
        let (snmp, errors) = try Self.read("""
        snmp:
          mode: agentx
          agentx_socket: /var/agentx/master
          listen: ["udp:161"]
          communities: [{ name: public, source: 10.0.0.0/8 }, { name: any }]
          users: [{ name: nms, auth: SHA, auth_pass: secret123, priv: AES-128, priv_pass: secret456 }]
          ping_interval: 1500ms
          root_oid: .1.3.6.1.4.1.99999
        """)
        #expect(errors.isEmpty)
        #expect(snmp.users == [.init(name: "nms", authentication: .sha1, authenticationPassphrase: "secret123",
                                     privacy: .aes, privacyPassphrase: "secret456")])
        #expect(snmp.communities == [.init(name: "public", source: "10.0.0.0/8"), .init(name: "any", source: "default")])
        #expect(snmp.agentXPingInterval == 2 && snmp.rootOID == "1.3.6.1.4.1.99999")
        #expect(snmp.validate().isEmpty)
    }

    @Test func defaultsAreTheDesignDefaults() throws {
        let (snmp, errors) = try Self.read("snmp: {}")
        #expect(errors.isEmpty)
        #expect(snmp == SNMPAgentConfiguration())
        #expect(snmp.mode == .agentx && snmp.agentXSocket == "/var/agentx/master" && snmp.agentXPingInterval == 15)
        #expect(snmp.rootOID == SNMPAgentConfiguration.placeholderRootOID && snmp.stateDirectory == "/var/lib/portmatrix/snmp")
    }

    @Test func yaml11BooleansAreAcceptedForModes() throws {
        #expect(try Self.read("snmp: { mode: off }").0.mode == .off)
        #expect(try Self.read("snmp: { mode: \"off\" }").0.mode == .off)
        #expect(try Self.read("snmp: { mode: master }").0.mode == .master)
    }

    /// validate()'s rules are placed where the entry they concern is written.
    @Test func rulesAreSaidWhereTheEntryIsWritten() throws {
        let errors = try Self.read("""
        snmp:
          users:
            - { name: nms, auth_pass: secret123 }
            - { name: ops, auth_pass: secret123, priv: DES }
          trap_sinks: [{ address: "udp:192.0.2.5:162", community: pmread }]
          communities: [{ name: pmread }]
        """).1
        #expect(errors.map(\.description) == [
            "site.yaml:4:7: snmp.users[1]: priv and priv_pass go together",
            "site.yaml:5:59: snmp.trap_sinks[0].community: 'pmread' is a read community (snmp.communities); a trap carries its community in clear, so give traps their own",
        ])
    }

    @Test func valuesAreCheckedWhereTheyStand() throws {
        let errors = try Self.read("""
        snmp:
          mode: agentz
          root_oid: 1.3.x
          users: [{ name: nms, auth: SHA-512, auth_pass: short }]
          comunities: []
        """).1
        #expect(errors.map(\.description) == [
            "site.yaml:5:3: snmp.comunities: unknown key 'comunities' in 'snmp'; did you mean 'communities'?",
            "site.yaml:2:9: snmp.mode: 'agentz' is not one of agentx, master, off; did you mean 'agentx'?",
            "site.yaml:3:13: snmp.root_oid: '1.3.x' is not a numeric OID such as 1.3.6.1.4.1.99999",
            "site.yaml:4:30: snmp.users[0].auth: 'SHA-512' is not one of SHA-256, SHA-1, SHA, MD5; did you mean 'SHA-1'?",
        ])
    }

    /// Each entry of communities, users and trap_sinks is refused where it is written.
    @Test func entriesAreRefusedWhereTheyStand() throws {
        let errors = try Self.read("""
        snmp:
          communities: [{ source: 10.0.0.0/8 }]
          users: [{ name: nms, auth_pass: short }]
          trap_sinks:
            - "udp:192.0.2.5:162"
            - { address: "udp:192.0.2.5:162", community: public }
            - { address: "udp:192.0.2.5:162", community: "a b" }
            - { community: traps }
            - { address: "udp:192.0.2.5:162" }
        """).1
        #expect(errors.map(\.description) == [
            "site.yaml:2:17: snmp.communities[0]: a community needs 'name'",
            "site.yaml:3:35: snmp.users[0].auth_pass: SNMPv3 passphrases need at least 8 characters",
            "site.yaml:5:7: snmp.trap_sinks[0]: trap sink 'udp:192.0.2.5:162' has no community; write { address: udp:192.0.2.5:162, community: NAME } with a community of its own (not a read community)",
            "site.yaml:6:50: snmp.trap_sinks[1].community: 'public' is everyone's default community; give the trap receiver a community of its own",
            "site.yaml:7:50: snmp.trap_sinks[2].community: 'a b' has characters a net-snmp configuration line cannot carry (letters, digits and ._-:/[]@ only)",
            "site.yaml:8:7: snmp.trap_sinks[3]: a trap sink needs 'address', e.g. udp:192.0.2.5:162",
            "site.yaml:9:7: snmp.trap_sinks[4]: trap sink 'udp:192.0.2.5:162' has no community; add community: NAME, one of its own (not a read community)",
        ])
        #expect(try Self.read("snmp: { users: [{ auth_pass: secret123 }] }").1.map(\.description) == [
            "site.yaml:1:17: snmp.users[0]: a user needs 'name' and 'auth_pass'",
        ])
        #expect(try Self.read("snmp: { communities: [{ name: pm, source: 10.0.0.1/8 }] }").1.count == 1)
    }

    /// The rules a file cannot break (its reader refuses the value first) hold for a
    /// configuration built in code too: SNMPAgent.bind() refuses to start on them.
    @Test func validateCoversConfigurationsBuiltInCode() {
        let configuration = SNMPAgentConfiguration(rootOID: "1")
        #expect(configuration.validate().map(\.description) == ["snmp.root_oid: '1' is not a numeric OID such as 1.3.6.1.4.1.99999"])
        let agentx = SNMPAgentConfiguration(agentXPingInterval: 0)
        #expect(agentx.validate().map(\.key) == [.pingInterval])
        #expect(SNMPAgentConfiguration(mode: .master, agentXPingInterval: 0).validate().isEmpty)
    }
}
