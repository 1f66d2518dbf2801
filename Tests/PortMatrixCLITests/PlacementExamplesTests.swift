import Foundation
import Testing

/// docs/placement.md: every placement's example configuration passes `config validate` and
/// `plan`, and judges what the document says it judges (and nothing it says it cannot).
struct PlacementExamplesTests {
    struct Planned {
        var probed: Set<String> = []
        var listened: Set<String> = []
        var skipped: [String: String] = [:]
    }

    static func plan(_ example: String) throws -> Planned {
        let file = CLIRunner.repository.appendingPathComponent("docs/examples/\(example).yaml").path
        let validate = try CLIRunner.run(["config", "validate", file])
        #expect(validate.status == 0, "\(example): \(validate.stdout)\(validate.stderr)")
        let result = try CLIRunner.run(["plan", "--config", file, "--format", "json"])
        #expect(result.status == 0, "\(example): \(result.stderr)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        var planned = Planned()
        for path in document["paths"] as? [[String: Any]] ?? [] {
            let id = path["id"] as? String ?? ""
            let kinds = Set((path["checks"] as? [[String: Any]] ?? []).compactMap { $0["kind"] as? String })
            if kinds.contains("probe") { planned.probed.insert(id) }
            if kinds.contains("listener") { planned.listened.insert(id) }
            if path["applicable"] as? Bool == false { planned.skipped[id] = path["reason"] as? String ?? "" }
        }
        return planned
    }

    @Test func onTheGatewayEveryPathIsJudgedHere() throws {
        let plan = try Self.plan("standalone-smarthost")
        #expect(plan.probed.isSuperset(of: ["smtp-to-mailserver", "smtp-out-smarthost", "dns-internal", "ntp-internal", "licence-ssh"]))
        #expect(plan.listened.isSuperset(of: ["smtp-from-mailserver", "gina-https", "admin-https", "nrpe", "snmp"]))
    }

    @Test func besideAClosedApplianceOnlyOutboundPaths() throws {
        let plan = try Self.plan("beside-appliance")
        #expect(plan.probed == ["licence-ssh", "smtp-to-mailserver", "smtp-out-smarthost", "dns-internal", "ntp-internal", "mpki", "ocsp-crl"])
        #expect(plan.listened.isEmpty)
        for inbound in ["smtp-from-mailserver", "smtp-in-smarthost", "gina-https", "admin-https", "nrpe"] {
            #expect(plan.skipped[inbound]?.hasPrefix("not checked here: listeners.local is off") == true, "\(inbound): \(plan.skipped[inbound] ?? "-")")
        }
    }

    @Test func theMonitoringHostProbesTheInboundPorts() throws {
        let plan = try Self.plan("monitoring-host")
        #expect(plan.probed == ["admin-http", "admin-https", "admin-restapi", "snmp", "nrpe", "keyserver-smime"])
        #expect(plan.listened.isEmpty)
        #expect(plan.skipped["smtp-to-mailserver"]?.contains("neither appliance nor email-server is a local role") == true)
    }

    @Test func outsideOnlyTheInternetFacingPorts() throws {
        let plan = try Self.plan("outside")
        #expect(plan.probed == ["smtp-in-internet", "gina-https"])
        #expect(plan.listened.isEmpty)
    }

    @Test func placementDocumentNamesEveryExampleAndTheReadmeLinksIt() throws {
        let doc = try String(contentsOf: CLIRunner.repository.appendingPathComponent("docs/placement.md"), encoding: .utf8)
        for example in ["standalone-smarthost", "beside-appliance", "monitoring-host", "outside"] {
            #expect(doc.contains("(examples/\(example).yaml)"))
        }
        let readme = try String(contentsOf: CLIRunner.repository.appendingPathComponent("README.md"), encoding: .utf8)
        #expect(readme.contains("[docs/placement.md](docs/placement.md)"))
    }
}
