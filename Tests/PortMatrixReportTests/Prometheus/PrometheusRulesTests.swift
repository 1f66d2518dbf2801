import Foundation
import PortMatrixTestSupport
import Testing
@testable import PortMatrixEngine
import PortMatrixEngineTestSupport
import PortMatrixModel
@testable import PortMatrixReport

/// dist/prometheus/portmatrix-rules.yml: promtool accepts it, its unit tests
/// (portmatrix-rules.test.yml) pass, and every metric it reads is one /metrics serves.
@Suite(.enabled(if: Promtool.isInstalled))
struct PrometheusRulesTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("dist/prometheus")

    @Test func promtoolChecksAndUnitTestsTheRules() async throws {
        let check = try await runTool(Promtool.path, ["check", "rules", Self.directory.appendingPathComponent("portmatrix-rules.yml").path])
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        #expect(check.stdout.contains("SUCCESS: 10 rules found"))
        let test = try await runTool(Promtool.path, ["test", "rules", Self.directory.appendingPathComponent("portmatrix-rules.test.yml").path])
        #expect(test.status == 0, "\(test.stdout)\(test.stderr)")
        #expect(test.stdout.contains("SUCCESS"))
    }

    @Test func everyMetricTheRulesReadExists() async throws {
        let rules = try String(contentsOf: Self.directory.appendingPathComponent("portmatrix-rules.yml"), encoding: .utf8)
        let used = Set(rules.split(separator: "\n").filter { $0.contains("expr:") }.flatMap { line in
            line.split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "_") }).map(String.init)
                .filter { $0.hasPrefix("portmatrix_") || $0.hasPrefix("probe_") }
        })
        #expect(used.count >= 4)
        let engine = EngineFixtures.engine(try EngineFixtures.plan("hosts: { vendor-servers: [ok.test] }"), probes: [EngineFixtures.byHost("ssh")])
        let snapshot = await engine.runCycle().snapshot
        var exposition = PrometheusRenderer.render(snapshot, version: "test")
        // probe_ssl_earliest_cert_expiry appears only with a TLS check; its name is in the renderer.
        exposition += "\n" + (try String(contentsOf: Self.directory.deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/PortMatrixReport/Prometheus/PrometheusRenderer.swift"), encoding: .utf8))
        for name in used { #expect(exposition.contains("\(name)"), "\(name) is not served by /metrics") }
        #expect(PrometheusRenderer.render(snapshot, version: "test").contains("# TYPE portmatrix_path_status gauge"))
    }
}
