import Foundation
import Testing
@testable import PortMatrixModel

struct PlannerTests {
    func plan(_ yaml: String) throws -> Plan {
        let (config, profile) = try ConfigurationLoader.parse(yaml, file: "site.yaml")
        return Planner(profile: profile, configuration: config).plan()
    }

    static let choiceCases: [(String, String, String)] = [
        ("mail_inbound", "direct", "smtp-in-internet"), ("mail_inbound", "smarthost", "smtp-in-smarthost"),
        ("mail_outbound", "direct", "smtp-out-internet"), ("mail_outbound", "smarthost", "smtp-out-smarthost"),
        ("dns", "internal", "dns-internal"), ("dns", "external", "dns-external"), ("dns", "builtin", "dns-builtin"),
        ("ntp", "internet", "ntp-internet"), ("ntp", "internal", "ntp-internal"),
    ]

    @Test(arguments: choiceCases)
    func eachChoiceValueSelectsExactlyItsPath(choice: String, value: String, pathID: String) throws {
        let plan = try plan("choices: { \(choice): \(value) }\nroles: [appliance, internet, smarthost]")
        let choicePaths = plan.paths.filter {
            if case .choice(let name, _) = $0.path.applies { return name == choice }
            return false
        }
        #expect(choicePaths.filter(\.applies).map(\.id) == [pathID])
        for other in choicePaths where other.id != pathID {
            #expect(other.skipReason == "choice \(choice)=\(value) (applies when \(choice)=\(other.path.applies.description.split(separator: "=").last!))")
        }
    }

    @Test func eachFeatureEnablesItsPaths() throws {
        let profile = try Profile.seppmail()
        for feature in profile.features {
            let roles = "[appliance, internal-network, firewall, frontend, gina-frontend, admin-pc]"
            let on = try plan("features: [\(feature)]\nroles: \(roles)")
            let off = try plan("features: []\nroles: \(roles)")
            let expected = profile.paths.filter { $0.applies == .feature(feature) }.map(\.id)
            for id in expected {
                #expect(on.path(id)?.applies == true, "\(feature) should enable \(id)")
                #expect(off.path(id)?.skipReason == "feature \(feature) not enabled")
            }
        }
    }

    @Test func clusterMakesNTPMandatory() throws {
        let missing = try plan("features: [cluster]\nchoices: { dns: internal }")
        #expect(missing.findings.count == 1)
        #expect(missing.findings.first?.status == .critical)
        #expect(missing.findings.first?.message.contains("set choices.ntp to one of internal, internet") == true)
        #expect(try plan("features: [frontend-backend]").findings.count == 1)
        #expect(try plan("features: [cluster]\nchoices: { ntp: internal }").findings.isEmpty)
        #expect(try plan("features: []").findings.isEmpty)
    }

    @Test func localRoleDecidesProbeOrListener() throws {
        let plan = try plan("""
        roles: [appliance]
        features: [nrpe]
        hosts: { email-server: [mail.example.internal] }
        """)
        #expect(plan.path("smtp-to-mailserver")?.checks.map(\.kind) == [.probe])
        #expect(plan.path("smtp-from-mailserver")?.checks.map(\.kind) == [.listener])
        #expect(plan.path("nrpe")?.checks.map(\.portSpec) == [PortSpec(.tcp, 5666)])
        #expect(plan.path("nrpe")?.checks.first?.kind == .listener)
        let remote = try self.plan("roles: [internal-network]\nfeatures: [nrpe]\nhosts: { appliance: [gw.example.internal] }")
        #expect(remote.path("nrpe")?.checks.first?.kind == .probe)
        #expect(remote.path("nrpe")?.checks.first?.targetDescription == "gw.example.internal:5666")
        #expect(remote.path("smtp-to-mailserver")?.skipReason?.hasPrefix("not checked here") == true)
    }

    @Test func missingTargetsAreReportedNeverGuessed() throws {
        let plan = try plan("choices: { mail_outbound: direct }")
        #expect(plan.path("smtp-out-internet")?.missingTargets == ["internet"])
        #expect(plan.path("smtp-out-internet")?.checks.isEmpty == true)
        #expect(plan.path("licence-ssh")?.checks.map(\.host) == ["update.seppmail.ch", "support.seppmail.ch"])
        let builtin = try self.plan("choices: { dns: builtin }")
        #expect(builtin.path("dns-builtin")?.checks.count == 26)
        #expect(builtin.path("dns-builtin")?.checks.first?.host == "198.41.0.4")
    }

    @Test func overridesApply() throws {
        let plan = try plan("""
        features: [fetchmail, syslog]
        hosts:
          internet: [pop.example.net]
          syslog-server: ["[::1]:1514"]
          name-server-internal: ["127.0.0.1:5353"]
        choices: { dns: internal }
        source_address: 192.0.2.10
        proxy: { url: "http://127.0.0.1:3128" }
        thresholds: { latency: { warning: 2s } }
        paths:
          fetchmail: { endpoints: [tcp/995, "tcp/10143:imap"], source_address: 192.0.2.11, timeout: 2s }
          licence-ssh: { targets: [127.0.0.1:2222], via_proxy: always, thresholds: { latency: { critical: 500ms } } }
          dns-internal: { probe: { query_name: example.internal, query_type: SOA } }
        """)
        let fetch = plan.path("fetchmail")!.checks
        #expect(fetch.map(\.probe) == ["pop3s", "imap"])
        #expect(fetch.map(\.port) == [995, 10143])
        #expect(fetch.allSatisfy { $0.sourceAddress == "192.0.2.11" && $0.timeout == .seconds(2) })
        #expect(fetch.allSatisfy { $0.proxy == nil })  // fetchmail has no proxy fallback
        let ssh = plan.path("licence-ssh")!.checks
        #expect(ssh.map(\.targetDescription) == ["127.0.0.1:2222"])
        #expect(ssh.first?.proxyUse == .always && ssh.first?.proxy?.port == 3128)
        #expect(ssh.first?.sourceAddress == "192.0.2.10")
        #expect(ssh.first?.thresholds.latency.critical == NagiosRange(end: 0.5))
        #expect(ssh.first?.thresholds.latency.warning == NagiosRange(end: 2))
        let syslog = plan.path("syslog")!.checks
        #expect(syslog.map(\.targetDescription) == ["[::1]:1514", "[::1]:1514"])
        let dns = plan.path("dns-internal")!.checks
        #expect(dns.map(\.portSpec) == [PortSpec(.tcp, 5353), PortSpec(.udp, 5353)])
        #expect(dns.first?.options.dnsQueryType == "SOA")
        #expect(plan.path("mpki")?.applies == false)
    }

    @Test func discouragedAdminHTTPExpectsClosedUnlessAllowed() throws {
        #expect(try plan("roles: [appliance]").path("admin-http")?.expectClosed == true)
        #expect(try plan("roles: [appliance]\npaths: { admin-http: { allowed: true } }").path("admin-http")?.expectClosed == false)
        #expect(try plan("roles: [appliance]").path("admin-https")?.expectClosed == false)
    }

    static let examples = ["standalone-smarthost", "cluster-frontend-gina", "monitoring-host"]

    @Test(arguments: examples)
    func examplesPlanAsDocumented(name: String) throws {
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let file = repo.appendingPathComponent("docs/examples/\(name).yaml").path
        let (config, profile) = try ConfigurationLoader.load(file: file)
        let plan = Planner(profile: profile, configuration: config).plan()
        #expect(plan.findings.isEmpty)
        let applicable = Set(plan.paths.filter(\.applies).map(\.id))
        switch name {
        case "standalone-smarthost":
            #expect(applicable.isSuperset(of: ["smtp-out-smarthost", "smtp-in-internet", "dns-internal", "ntp-internal", "syslog", "ocsp-crl"]))
            #expect(!applicable.contains("smtp-out-internet"))
            #expect(plan.path("smtp-out-smarthost")?.checks.first?.options.starttls == .required)
            #expect(plan.path("ocsp-crl")?.checks.allSatisfy { $0.proxyUse == .fallback } == true)
            #expect(plan.paths.allSatisfy { $0.missingTargets.isEmpty })
        case "cluster-frontend-gina":
            #expect(applicable.isSuperset(of: ["frontend-backend-ssh", "frontend-state-ssh", "gina-satellite-smtp", "ntp-internet"]))
            #expect(plan.path("frontend-backend-ssh")?.checks.first?.host == "seppmail-backend.example.internal")
            #expect(plan.path("smtp-out-internet")?.checks.first?.host == "mx.example.org")
            #expect(plan.paths.allSatisfy { $0.missingTargets.isEmpty })
        default:
            #expect(applicable == ["admin-http", "admin-https", "admin-restapi", "snmp", "nrpe", "keyserver-smime"])
            #expect(plan.checks.allSatisfy { $0.kind == .probe && $0.host == "seppmail.example.internal" })
        }
    }
}
