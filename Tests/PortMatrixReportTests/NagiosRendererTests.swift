import Foundation
import Testing
@testable import PortMatrixEngine
import PortMatrixEngineTestSupport
import PortMatrixModel
@testable import PortMatrixReport

struct NagiosRendererTests {
    func snapshot(_ yaml: String, probes: [any Probe]) async throws -> Snapshot {
        await EngineFixtures.engine(try EngineFixtures.plan(yaml), probes: probes).runCycle().snapshot
    }

    @Test func statusLineAndPerfdataFitTheFirst1023BytesEvenWithHugeOutput() async throws {
        // 13 root servers x 2 transports all failing, plus many more paths: long output is huge.
        let refuse = ["dns", "ssh", "smtp", "sntp", "https", "http", "tcp", "udp"].map(EngineFixtures.byHost)
        let snap = try await snapshot("""
        choices: { dns: builtin, mail_outbound: direct, ntp: internet }
        hosts: { internet: [r1.test, r2.test, r3.test, r4.test, r5.test] , vendor-servers: [r6.test, r7.test] }
        """, probes: refuse)
        let output = NagiosRenderer.compliance(snap)
        #expect(output.status == .critical)
        #expect(output.text.utf8.count > 1023)
        let firstLine = String(output.text.split(separator: "\n", maxSplits: 1)[0])
        #expect(firstLine.utf8.count <= 1023)
        #expect(firstLine.hasPrefix("PORTMATRIX CRITICAL - "))
        let perf = try #require(firstLine.split(separator: "|", maxSplits: 1).last)
        #expect(perf.contains("'paths_critical'="))
        #expect(perf.contains("'cycle_duration'="))
        // v2 cut: what the first 1023 bytes carry still parses as status line + full perfdata.
        let cut = String(decoding: Array(output.text.utf8.prefix(1023)), as: UTF8.self)
        #expect(cut.hasPrefix(firstLine))
    }

    @Test func perfdataFollowsThePluginGuidelines() {
        #expect(PerfDatum("time", 0.0012, unit: "s", warning: NagiosRange(end: 1), critical: NagiosRange(end: 3), min: 0).text
                == "'time'=0.0012s;1;3;0")
        #expect(PerfDatum("cert_days", 12, warning: NagiosRange(start: 30), critical: NagiosRange(start: 7)).text
                == "'cert_days'=12;30:;7:")
        #expect(PerfDatum("it's", 1, min: 0, max: 5).text == "'it_s'=1;;;0;5")
        #expect(PerfDatum("offset", -0.25, unit: "s", warning: NagiosRange(start: -0.5, end: 0.5)).text == "'offset'=-0.25s;-0.5:0.5")
    }

    @Test func onePathAndAnUnknownPath() async throws {
        let snap = try await snapshot("hosts: { vendor-servers: [ok.test, ok2.test] }", probes: [EngineFixtures.byHost("ssh")])
        let output = NagiosRenderer.path(snap, id: "licence-ssh")
        #expect(output.status == .ok)
        #expect(output.text.hasPrefix("PORTMATRIX OK - licence-ssh: all 2 checks ok | 'ssh tcp/ok.test:22 time'=0.002s;1;3;0"))
        #expect(output.text.split(separator: "\n").count == 3)
        let missing = NagiosRenderer.path(snap, id: "licence-sh")
        #expect(missing.status == .unknown)
        #expect(missing.text == "PORTMATRIX UNKNOWN - no path 'licence-sh'; did you mean 'licence-ssh'?")
        let skipped = NagiosRenderer.path(snap, id: "mpki")
        #expect(skipped.status == .ok)
        #expect(skipped.text.contains("not applicable here (feature mpki not enabled)"))
    }

    @Test func agentHealthGoesStaleWithoutCycles() async throws {
        let engine = EngineFixtures.engine(try EngineFixtures.plan("hosts: { vendor-servers: [ok.test] }\nschedule: { interval: 10s, timeout: 1s }"),
                                           probes: [EngineFixtures.byHost("ssh")])
        #expect(NagiosRenderer.agent(engine.store.snapshot).status == .unknown)
        let fresh = await engine.runCycle().snapshot
        let healthy = NagiosRenderer.agent(fresh, links: [("snmp", .ok, "connected to /var/agentx/master")])
        #expect(healthy.status == .ok)
        #expect(healthy.text.contains("'checks_stale'=0"))
        #expect(healthy.text.contains("[OK] snmp: connected"))
        // 40 s later with no new cycle: results are older than 3 intervals.
        let later = engine.store.publish(now: Date().addingTimeInterval(40)).snapshot
        #expect(later.path("licence-ssh")?.status == .unknown)
        #expect(later.path("licence-ssh")?.checks.first?.reason == .stale)
        let ran = fresh.paths.flatMap(\.checks).count
        #expect(ran > 1)
        #expect(later.health.staleChecks == ran)
        let stale = NagiosRenderer.agent(later, now: Date().addingTimeInterval(40))
        #expect(stale.status == .critical)
        #expect(stale.text.contains("\(ran) results stale"))
        let broken = NagiosRenderer.agent(fresh, links: [("snmp", .critical, "no AgentX master at /x")])
        #expect(broken.status == .critical)
    }

    @Test func jsonCarriesTheContractFields() async throws {
        let snap = try await snapshot("hosts: { vendor-servers: [ok.test] }", probes: [EngineFixtures.byHost("ssh")])
        let json = try JSON.encodeReport(CheckDocument(snap))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(object["status"] as? String != nil)
        #expect(object["summary"] as? String != nil)
        #expect(object["engine"] as? [String: Any] != nil)
        let paths = try #require(object["paths"] as? [[String: Any]])
        #expect(paths.count == (try Profile.load(SiteConfiguration().profile).paths.count))
        let statuses = Set(paths.compactMap { $0["status"] as? String })
        #expect(statuses.isSubset(of: ["ok", "warning", "critical", "unknown", "skipped"]))
        let licence = try #require(paths.first { $0["id"] as? String == "licence-ssh" })
        let check = try #require((licence["checks"] as? [[String: Any]])?.first)
        for key in ["target", "transport", "port", "status", "message", "latency_ms", "phases"] {
            #expect(check[key] != nil, "check lacks \(key)")
        }
        #expect(check["target"] as? String == "ok.test")
        #expect(check["port"] as? Int == 22)
    }
}
