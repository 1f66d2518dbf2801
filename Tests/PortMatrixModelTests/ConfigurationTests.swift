import PortMatrixTestSupport
import Testing
@testable import PortMatrixModel

struct ConfigurationTests {
    func load(_ text: String) throws -> SiteConfiguration { try ConfigurationLoader.parse(text, file: "site.yaml").0 }

    func errors(_ text: String) -> [ConfigurationError] {
        configurationErrors { _ = try ConfigurationLoader.parse(text, file: "site.yaml") }
    }

    @Test func embeddedDefaultIsTheDesignDefault() throws {
        let (config, profile) = try ConfigurationLoader.embeddedDefault()
        #expect(profile.name == "seppmail")
        #expect(config.roles == ["appliance"])
        #expect(config.choices == ["mail_inbound": "direct", "mail_outbound": "direct", "dns": "builtin", "ntp": "internet"])
        #expect(config.features == ["nrpe", "snmp"])
        #expect(config.schedule.interval == .seconds(60))
    }

    @Test func designExampleParses() throws {
        let config = try load("""
        profile: seppmail
        roles: [appliance]
        choices: { mail_inbound: direct, mail_outbound: smarthost, dns: internal, ntp: internet }
        features: [nrpe, snmp, syslog]
        hosts:
          email-server: [mail.example.internal]
          smarthost: [relay.provider.example]
          name-server-internal: [10.0.0.53]
        paths:
          smtp-out-internet: { targets: [mx.example.org] }
          fetchmail: { endpoints: [tcp/995] }
          licence-ssh: { via_proxy: fallback }
        proxy: { url: "http://proxy.example.internal:3128" }
        source_address: 192.0.2.10
        thresholds:
          latency: { warning: 1s, critical: 3s }
          cert_days: { warning: "30:", critical: "7:" }
          ntp_offset: { warning: 0.5s, critical: 1s }
        schedule: { interval: 60s, timeout: 5s, concurrency: 32 }
        listeners: { unexpected: warning, allow: [tcp/22] }
        nrpe:
          listen: ["0.0.0.0:5666"]
          allowed_hosts: [127.0.0.1, "::1", 10.0.0.0/8]
          tls: { mode: on, cert_file: /etc/c.pem, key_file: /etc/k.pem, ca_file: /etc/ca.pem, client_certs: none }
          commands: { check_disk: "/usr/lib/nagios/plugins/check_disk -w 20% -c 10%" }
          allow_arguments: false
          include: /etc/nagios/nrpe.cfg
        snmp:
          mode: agentx
          agentx_socket: /var/agentx/master
          listen: ["udp:161"]
          communities: [{ name: public, source: 10.0.0.0/8 }]
          users: [{ name: nms, auth: SHA-256, auth_pass: secret123, priv: AES, priv_pass: secret456 }]
        """)
        #expect(config.proxy?.host == "proxy.example.internal")
        #expect(config.proxy?.port == 3128)
        #expect(config.paths["licence-ssh"]?.viaProxy == .fallback)
        #expect(config.paths["fetchmail"]?.endpoints == [EndpointOverride(port: PortSpec(.tcp, 995))])
        #expect(config.thresholds.ntpOffset.critical == NagiosRange(end: 1))
        #expect(config.thresholds.certDays.warning == NagiosRange(start: 30))
        #expect(config.sourceAddress == "192.0.2.10")
    }

    @Test func yaml11BooleansAreAcceptedForModes() throws {
        let config = try load("""
        nrpe: { tls: { mode: off } }
        snmp: { mode: off }
        paths: { mpki: { via_proxy: on } }
        """)
        #expect(config.paths["mpki"]?.viaProxy == .fallback)
    }

    @Test func allMistakesOfAFileAreReportedTogether() {
        let found = errors("""
        roles: [appliance]
        schedul: { interval: 60s }
        choices: { dns: intern }
        features: [nrpe, clustr]
        """)
        #expect(found.count == 3)
        #expect(found[0].description == "site.yaml:2:1: schedul: unknown key 'schedul' at the top level; did you mean 'schedule'?")
        #expect(found[1].keyPath == "choices.dns")
        #expect(found[1].message.contains("did you mean 'internal'?"))
        #expect(found[2].line == 4 && found[2].column == 18)
        #expect(found[2].message.contains("did you mean 'cluster'?"))
    }

    @Test func timeoutMustBeShorterThanInterval() {
        let found = errors("schedule: { interval: 5s, timeout: 10s }")
        #expect(found.first?.message.contains("must be shorter than schedule.interval") == true)
    }
}
