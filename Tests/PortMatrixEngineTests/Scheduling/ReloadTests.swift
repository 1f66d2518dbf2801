import Foundation
import Testing
@testable import PortMatrixEngine
import PortMatrixEngineTestSupport
import PortMatrixModel

/// A reloaded plan keeps what is still true and forgets what is not.
struct ReloadTests {
    let probes: [any Probe] = ["ssh", "tcp", "sntp"].map(EngineFixtures.byHost)

    @Test func aResultIsKeptOnlyForACheckPlannedExactlyAsBefore() async throws {
        let before = try EngineFixtures.plan("""
        choices: { ntp: internal }
        hosts: { vendor-servers: [ok1.test, ok2.test], name-server-internal: [ok.test] }
        """)
        let engine = EngineFixtures.engine(before, probes: probes)
        let first = await engine.runCycle().snapshot
        #expect(first.path("licence-ssh")?.status == .ok)
        #expect(first.path("ntp-internal")?.status == .ok)

        // licence-ssh#1 now names another host; ntp-internal is planned as before.
        let after = try EngineFixtures.plan("""
        choices: { ntp: internal }
        hosts: { vendor-servers: [refused.test, ok2.test], name-server-internal: [ok.test] }
        """)
        engine.reload(plan: after)
        let reloaded = engine.store.snapshot
        #expect(reloaded.path("ntp-internal")?.status == .ok, "an unchanged check keeps its result")
        let licence = try #require(reloaded.path("licence-ssh"))
        #expect(licence.checks.map(\.check.host) == ["ok2.test"], "the check now aimed elsewhere starts without a result")
        #expect(licence.status == .unknown && licence.message.hasPrefix("pending: 1 of 2"), "\(licence.message)")

        let next = await engine.runCycle().snapshot
        #expect(next.path("licence-ssh")?.status == .critical)
    }
}
