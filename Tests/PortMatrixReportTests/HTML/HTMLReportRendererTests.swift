import Testing
@testable import PortMatrixEngine
import PortMatrixEngineTestSupport
import PortMatrixModel
import PortMatrixReport

/// The commissioning report carries what an integrator needs to act: for a failing check, where
/// its packet died, in the check's evidence and in the firewall changes it asks for.
struct HTMLReportRendererTests {
    @Test func aTracedCheckShowsWhereItDiedInItsEvidenceAndTheFirewallChanges() async throws {
        let plan = try EngineFixtures.plan("hosts: { vendor-servers: [dropped.test, ok.test] }")
        var snapshot = await EngineFixtures.engine(plan, probes: ["ssh", "tcp", "sntp"].map(EngineFixtures.byHost)).runCycle().snapshot
        let path = try #require(snapshot.paths.firstIndex { $0.id == "licence-ssh" })
        let failing = try #require(snapshot.paths[path].checks.firstIndex { $0.check.host == "dropped.test" })
        snapshot.paths[path].checks[failing].trace = "dropped after hop 3 (192.0.2.1) <b>"
        let html = HTMLReportRenderer.render(.init(plan: plan, document: CheckDocument(snapshot), svg: nil, source: "this cycle",
                                                   hostName: "gw1", version: "test"))
        let verdict = "trace: dropped after hop 3 (192.0.2.1) &lt;b&gt;"
        #expect(html.components(separatedBy: verdict).count - 1 == 2, "once in the evidence, once in the firewall changes")
        let firewall = try #require(html.range(of: "<h2>Firewall changes</h2>"))
        #expect(html[firewall.upperBound...].contains(verdict))
        #expect(!html.contains("<b>"), "the verdict is escaped")
    }
}
