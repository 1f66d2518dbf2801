import Foundation
import PortMatrixTestSupport
import Testing
@testable import PortMatrixEngine
import PortMatrixEngineTestSupport
import PortMatrixModel
@testable import PortMatrixReport

/// `check --format checkmk` read back by the grammar Checkmk's local-check parser documents
/// (docs.checkmk.com "Local checks"; cmk/base/plugins/agent_based/local.py):
/// `STATE NAME METRICS [TEXT]`, NAME quoted when it has spaces, METRICS `-` or
/// `NAME=VALUE[;[[WARN_LOWER:]WARN_UPPER][;[[CRIT_LOWER:]CRIT_UPPER][;[MIN][;MAX]]]]` joined by `|`.
struct CheckmkRendererTests {
    func snapshot() async throws -> Snapshot {
        let plan = try EngineFixtures.plan("""
        choices: { ntp: internal, mail_outbound: smarthost }
        features: [mpki]
        hosts: { vendor-servers: [ok.test, down.test], name-server-internal: [ok-ntp.test], smarthost: [ok.relay] }
        paths: { mpki: { targets: [ok.mpki] } }
        thresholds: { latency: { warning: "0.001:1", critical: "~:3" }, cert_days: { warning: "30:", critical: "7:" } }
        """)
        let tls = ScriptedProbe(name: "https") { _ in
            .success("TLSv1.3", phases: PhaseTimings(total: 0.02), observations: Observations(tls: TLSObservation(version: "TLSv1.3", daysLeft: 21)))
        }
        let ntp = ScriptedProbe(name: "sntp") { _ in
            .success("offset 0.012 s", phases: PhaseTimings(total: 0.001),
                     observations: Observations(ntp: NTPObservation(offset: 0.012, delay: 0.001, stratum: 2, leap: 0)))
        }
        let probes: [any Probe] = ["dns", "ssh", "smtp", "tcp", "udp"].map(EngineFixtures.byHost) + [tls, ntp]
        return await EngineFixtures.engine(plan, probes: probes).runCycle().snapshot
    }

    @Test func everyLineParsesByTheDocumentedGrammar() async throws {
        let snap = try await snapshot()
        let output = CheckmkLocalRenderer.render(snap)
        let services = try CheckmkLocalGrammar.parse(output)
        let names = services.map(\.name)
        // Service names with a space, quoted; one per applicable path plus overall and agent.
        let applicable = snap.paths.filter { $0.status != .skipped }
        #expect(names == ["portmatrix compliance", "portmatrix agent"] + applicable.map { "portmatrix \($0.id)" })
        #expect(Set(names).count == names.count)
        #expect(output.contains("\"portmatrix licence-ssh\""))
        // States are the Nagios ones: licence-ssh has one refused target.
        let licence = try #require(services.first { $0.name == "portmatrix licence-ssh" })
        #expect(licence.state == 2)
        #expect(licence.text.contains("\\n[CRITICAL] ssh tcp://down.test:22: connection refused"))
        #expect(services[0].state == Int(snap.status.exitCode))
        #expect(services[0].metrics.contains { $0.name == "paths" && $0.min == 0 })

        // Metrics with ranges: latency 0.001:1 (lower and upper), ~:3 (upper), cert days 30: and 7: (lower only).
        let mpki = try #require(services.first { $0.name == "portmatrix mpki" })
        let time = try #require(mpki.metrics.first { $0.name.hasSuffix("_time") })
        #expect(time.name == "https_tcp_ok_mpki_443_time")
        #expect(time.value == 0.02)
        #expect(time.warnLower == 0.001 && time.warnUpper == 1)
        #expect(time.critLower == nil && time.critUpper == 3)
        #expect(time.min == 0)
        let days = try #require(mpki.metrics.first { $0.name.hasSuffix("_cert_days") })
        #expect(days == CheckmkLocalGrammar.Metric(name: "https_tcp_ok_mpki_443_cert_days", value: 21, warnLower: 30, warnUpper: nil, critLower: 7, critUpper: nil))
        let ntp = try #require(services.first { $0.name == "portmatrix ntp-internal" })
        #expect(ntp.metrics.contains { $0.name.hasSuffix("_offset") && $0.value == 0.012 && $0.warnUpper == 0.5 && $0.critUpper == 1 })
        // Skipped paths have no service.
        #expect(!names.contains("portmatrix sspm-sms"))
    }

    @Test func onlySelectedPathsAndBrokenLinesAreCaught() async throws {
        let snap = try await snapshot()
        let services = try CheckmkLocalGrammar.parse(CheckmkLocalRenderer.render(snap, paths: ["licence-ssh"]))
        #expect(services.map(\.name) == ["portmatrix compliance", "portmatrix agent", "portmatrix licence-ssh"])
        #expect(services[0].state == 2)
        // The parser is strict: it would catch what Checkmk rejects.
        #expect(throws: CheckmkLocalGrammar.GrammarError.self) { try CheckmkLocalGrammar.parse("<<<local:sep(0)>>>\n0 \"a b\" x=1;2;3;4;5;6 text") }
        #expect(throws: CheckmkLocalGrammar.GrammarError.self) { try CheckmkLocalGrammar.parse("<<<local:sep(0)>>>\n0 a b - text") }
        #expect(throws: CheckmkLocalGrammar.GrammarError.self) { try CheckmkLocalGrammar.parse("<<<local:sep(0)>>>\n0 \"a\" bad-name=1 text") }
        #expect(CheckmkLocalRenderer.level(NagiosRange(start: 10, end: 20, alertsInside: true)) == "")
        #expect(CheckmkLocalRenderer.metricName("ssh tcp/[::1]:22 time") == "ssh_tcp_1_22_time")
    }
}
