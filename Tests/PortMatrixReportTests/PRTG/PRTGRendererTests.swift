import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import PortMatrixTestSupport
import Testing
@testable import PortMatrixEngine
import PortMatrixEngineTestSupport
import PortMatrixModel
@testable import PortMatrixReport

/// `check --format prtg` and `/prtg.json` against PRTG's documented JSON for custom sensors
/// (manual: "Custom Sensors", "Define Lookups"), and the shipped value lookup file.
struct PRTGRendererTests {
    func snapshot(_ yaml: String) async throws -> Snapshot {
        let tls = ScriptedProbe(name: "https") { request in
            .success("TLSv1.3", phases: PhaseTimings(total: 0.02),
                     observations: Observations(tls: TLSObservation(version: "TLSv1.3", daysLeft: request.host.hasPrefix("ok2") ? 12 : 40)))
        }
        let probes: [any Probe] = ["dns", "ssh", "smtp", "tcp", "udp", "sntp"].map(EngineFixtures.byHost) + [tls]
        return await EngineFixtures.engine(try EngineFixtures.plan(yaml), probes: probes).runCycle().snapshot
    }

    @Test func channelsFollowTheDocumentedSchema() async throws {
        let snap = try await snapshot("""
        features: [mpki]
        hosts: { vendor-servers: [ok.test, down.test] }
        paths: { mpki: { targets: [ok1.mpki, ok2.mpki] } }
        """)
        let json = PRTGRenderer.render(snap, now: try #require(snap.health.lastCycleStart).addingTimeInterval(5))
        #expect(PRTGSchema.violations(json) == [])
        let body = try #require((try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])?["prtg"] as? [String: Any])
        let channels = try #require(body["result"] as? [[String: Any]])
        let byName = Dictionary(uniqueKeysWithValues: channels.map { ($0["channel"] as? String ?? "", $0) })
        let applicable = snap.paths.filter { $0.status != .skipped }
        #expect(channels.map { $0["channel"] as? String ?? "" }
                == ["Compliance"] + applicable.map(\.id) + ["Last cycle age", "Cycle duration", "Certificate days"])
        #expect(byName["licence-ssh"]?["value"] as? Int == 2)
        #expect(byName["licence-ssh"]?["valuelookup"] as? String == "portmatrix.state")
        #expect(byName["mpki"]?["value"] as? Int == 1)  // 12 days left warns (cert_days 30:)
        #expect(byName["Compliance"]?["value"] as? Int == Int(snap.status.exitCode))
        // The soonest certificate, with the cert_days thresholds as minimum limits.
        #expect(byName["Certificate days"]?["value"] as? Int == 12)
        #expect(byName["Certificate days"]?["limitminwarning"] as? Double == 30)
        #expect(byName["Certificate days"]?["limitminerror"] as? Double == 7)
        #expect(byName["Last cycle age"]?["value"] as? Int == 5)
        #expect(byName["Last cycle age"]?["limitmaxerror"] as? Double == 3 * snap.health.interval)
        #expect(byName["Cycle duration"]?["float"] as? Int == 1)
        #expect((body["text"] as? String)?.contains("licence-ssh") == true)
    }

    @Test func atMostFiftyChannelsAndTheTextSaysWhichPathsAreLeftOut() async throws {
        let snap = try await snapshot("""
        features: [restapi, protection-pack, fetchmail, cluster, frontend-backend, gina-satellite, snmp, nrpe, syslog, mpki, ocsp-crl, keyserver-query, keyserver-smime, keyserver-users, sspm]
        choices: { ntp: internal }
        roles: [appliance, internal-network, frontend, gina-frontend, admin-pc, email-server, firewall, smarthost, internet]
        """)
        let applicable = snap.paths.filter { $0.status != .skipped }
        #expect(applicable.count > 20)
        // The whole profile fits in 50; a limit of 20 shows the cut the same code makes at 50.
        let full = PRTGRenderer.render(snap)
        #expect(PRTGSchema.violations(full) == [])
        for limit in [20, 50] {
            let json = PRTGRenderer.render(snap, paths: nil, now: Date(), channelLimit: limit)
            #expect(PRTGSchema.violations(json) == [])
            let body = try #require((try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])?["prtg"] as? [String: Any])
            let channels = try #require(body["result"] as? [[String: Any]])
            #expect(channels.count == min(limit, 3 + applicable.count))
            let text = try #require(body["text"] as? String)
            let shown = Set(channels.compactMap { $0["channel"] as? String })
            let left = applicable.map(\.id).filter { !shown.contains($0) }
            if limit == 20 {
                #expect(left.count == applicable.count - 17)
                #expect(text.contains("\(left.count) paths have no channel (PRTG reads at most 20), their states count in Compliance: "
                                      + left.joined(separator: ", ")))
            } else {
                #expect(left.isEmpty)
                #expect(!text.contains("no channel"))
            }
        }
    }

    @Test func errorFormBeforeTheFirstCycle() throws {
        let engine = EngineFixtures.engine(try EngineFixtures.plan("hosts: { vendor-servers: [ok.test] }"), probes: [EngineFixtures.byHost("ssh")])
        let json = PRTGRenderer.render(engine.store.snapshot)
        #expect(PRTGSchema.violations(json) == [])
        #expect(json == "{\"prtg\":{\"error\":1,\"text\":\"portmatrix: no check cycle has completed yet\"}}\n")
        // The schema check catches what PRTG refuses.
        #expect(!PRTGSchema.violations("{\"prtg\":{\"result\":[{\"channel\":\"a\",\"value\":1.5}]}}").isEmpty)
        #expect(!PRTGSchema.violations("{\"prtg\":{\"result\":[{\"channel\":\"a\",\"value\":1,\"valuelookup\":\"x\",\"unit\":\"Custom\",\"limitmode\":1,\"limitmaxerror\":2}]}}").isEmpty)
    }

    @Test func theValueLookupFileIsValidAndCoversEveryState() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("dist/prtg/portmatrix.state.ovl")
        let data = try Data(contentsOf: url)
        final class Collector: NSObject, XMLParserDelegate {
            var root: (name: String, attributes: [String: String])?
            var entries: [(state: String, value: String, text: String)] = []
            var text = ""
            var current: [String: String]?
            func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String]) {
                if root == nil { root = (name, attributes) }
                if name == "SingleInt" { current = attributes; text = "" }
            }
            func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }
            func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
                if name == "SingleInt", let current { entries.append((current["state"] ?? "", current["value"] ?? "", text.trimmingCharacters(in: .whitespacesAndNewlines))) }
                current = nil
            }
        }
        let parser = XMLParser(data: data)
        let collector = Collector()
        parser.delegate = collector
        #expect(parser.parse(), "not well-formed XML: \(String(describing: parser.parserError))")
        #expect(collector.root?.name == "ValueLookup")
        #expect(collector.root?.attributes["id"] == PRTGRenderer.valueLookup)
        #expect(collector.root?.attributes["desiredValue"] == "0")
        #expect(collector.entries.map(\.value) == ["0", "1", "2", "3"])
        #expect(collector.entries.map(\.text) == ["OK", "WARNING", "CRITICAL", "UNKNOWN"])
        #expect(collector.entries.allSatisfy { ["Ok", "Warning", "Error", "None"].contains($0.state) })
        #expect(collector.entries.map(\.state) == ["Ok", "Warning", "Error", "Warning"])
    }
}
