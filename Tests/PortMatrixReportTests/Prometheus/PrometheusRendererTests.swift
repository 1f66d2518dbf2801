import Foundation
import PortMatrixTestSupport
import Testing
@testable import PortMatrixEngine
import PortMatrixEngineTestSupport
import PortMatrixModel
@testable import PortMatrixReport

struct PrometheusRendererTests {
    /// licence-ssh probes two vendor servers: ok.test answers, down.test refuses.
    static let twoServers = "hosts: { vendor-servers: [ok.test, down.test] }"

    func snapshot(_ yaml: String, probes: [any Probe]) async throws -> Snapshot {
        await EngineFixtures.engine(try EngineFixtures.plan(yaml), probes: probes).runCycle().snapshot
    }

    /// The sample lines of one family, keyed by their label text.
    func samples(_ text: String, _ name: String) -> [String: String] {
        var samples: [String: String] = [:]
        for line in text.split(separator: "\n") where line.hasPrefix(name + "{") || line.hasPrefix(name + " ") {
            let labelsEnd = line.lastIndex(of: " ")!
            samples[String(line[line.index(line.startIndex, offsetBy: name.count)..<labelsEnd])] = String(line[line.index(after: labelsEnd)...])
        }
        return samples
    }

    func labels(_ check: String, target: String, port: Int = 22, path: String = "licence-ssh") -> String {
        "{path=\"\(path)\",check=\"\(check)\",target=\"\(target)\",transport=\"tcp\",port=\"\(port)\"}"
    }

    @Test func anOKCheckAndAFailedCheck() async throws {
        let snap = try await snapshot(Self.twoServers, probes: [EngineFixtures.byHost("ssh")])
        let text = PrometheusRenderer.render(snap, version: "9.9.9")
        let ok = labels("licence-ssh#1", target: "ok.test"), down = labels("licence-ssh#2", target: "down.test")
        #expect(samples(text, "probe_success")[ok] == "1")
        #expect(samples(text, "probe_success")[down] == "0")
        #expect(samples(text, "probe_duration_seconds")[ok] == "0.002")
        #expect(samples(text, "portmatrix_check_status")[ok] == "0")
        #expect(samples(text, "portmatrix_check_status")[down] == "2")
        #expect(samples(text, "portmatrix_check_consecutive_failures")[ok] == "0")
        #expect(samples(text, "portmatrix_check_consecutive_failures")[down] == "1")
        // Only a check that has passed has a last success; both have run.
        let lastSuccess = try #require(samples(text, "portmatrix_check_last_success_timestamp_seconds")[ok].flatMap(Double.init))
        #expect(abs(lastSuccess - Date().timeIntervalSince1970) < 3600)
        #expect(samples(text, "portmatrix_check_last_success_timestamp_seconds")[down] == nil)
        #expect(samples(text, "portmatrix_check_last_run_timestamp_seconds")[down] != nil)
        // No TLS, no NTP seen: no such series.
        #expect(samples(text, "probe_ssl_earliest_cert_expiry").isEmpty)
        #expect(samples(text, "probe_ntp_offset_seconds").isEmpty)
        // The path is critical (rule all), and so is overall compliance.
        let pathStatus = samples(text, "portmatrix_path_status")
        #expect(pathStatus["{path=\"licence-ssh\"}"] == "2")
        #expect(samples(text, "portmatrix_compliance_status")[""] == String(snap.status.exitCode))
        #expect(samples(text, "portmatrix_build_info")["{version=\"9.9.9\"}"] == "1")
        #expect(samples(text, "portmatrix_engine_cycles_total")[""] == "1")
        #expect(samples(text, "portmatrix_engine_last_cycle_duration_seconds")[""] != nil)
    }

    @Test func skippedPathsAreOnlyCounted() async throws {
        let snap = try await snapshot(Self.twoServers, probes: [EngineFixtures.byHost("ssh")])
        let text = PrometheusRenderer.render(snap, version: "1")
        let skipped = snap.paths.filter { $0.status == .skipped }
        #expect(!skipped.isEmpty)
        let pathStatus = samples(text, "portmatrix_path_status")
        #expect(pathStatus.count == snap.paths.count - skipped.count)
        for path in skipped { #expect(pathStatus["{path=\"\(path.id)\"}"] == nil, "\(path.id) is skipped") }
        let counts = samples(text, "portmatrix_paths")
        #expect(counts["{status=\"skipped\"}"] == String(skipped.count))
        #expect(counts.count == 5)
        #expect(counts.values.compactMap(Int.init).reduce(0, +) == snap.paths.count)
    }

    @Test func certificateExpiryAndNTPOffsetWhereSeen() async throws {
        let notAfter = 1_900_000_000.0
        let tls = ScriptedProbe(name: "ssh") { _ in
            .success("TLSv1.3", phases: PhaseTimings(connect: 0.001, tls: 0.003, total: 0.004),
                     observations: Observations(tls: TLSObservation(version: "TLSv1.3", notAfter: notAfter, daysLeft: 400)))
        }
        let ntp = ScriptedProbe(name: "sntp") { _ in
            .success("offset", phases: PhaseTimings(total: 0.001), observations: Observations(ntp: NTPObservation(offset: -0.000125, delay: 0.0002, stratum: 2, leap: 0)))
        }
        let snap = try await snapshot("choices: { ntp: internal }\nhosts: { vendor-servers: [ok.test], name-server-internal: [ntp.test] }",
                                      probes: [tls, ntp])
        let text = PrometheusRenderer.render(snap, version: "1")
        let ok = labels("licence-ssh#1", target: "ok.test")
        #expect(samples(text, "probe_ssl_earliest_cert_expiry")[ok] == "1900000000")
        #expect(samples(text, "portmatrix_check_phase_duration_seconds")[String(ok.dropLast()) + ",phase=\"tls\"}"] == "0.003")
        #expect(samples(text, "portmatrix_check_phase_duration_seconds")[String(ok.dropLast()) + ",phase=\"resolve\"}"] == nil)
        let offsets = samples(text, "probe_ntp_offset_seconds")
        #expect(!offsets.isEmpty)
        #expect(offsets.values.allSatisfy { $0 == "-0.000125" })
        #expect(offsets.keys.allSatisfy { $0.contains("target=\"ntp.test\"") && $0.contains("transport=\"udp\"") })
        #expect(samples(text, "probe_ntp_stratum").values.allSatisfy { $0 == "2" })
    }

    @Test func oddLabelValuesAreEscaped() async throws {
        var snap = try await snapshot(Self.twoServers, probes: [EngineFixtures.byHost("ssh")])
        let path = try #require(snap.paths.firstIndex { $0.id == "licence-ssh" })
        snap.paths[path].checks[0].check.host = "we\"ird\\host\nname ü"
        let text = PrometheusRenderer.render(snap, version: "1\"\\\n")
        #expect(text.contains(#"probe_success{path="licence-ssh",check="licence-ssh#1",target="we\"ird\\host\nname ü",transport="tcp",port="22"} 1"#))
        #expect(text.contains(#"portmatrix_build_info{version="1\"\\\n"} 1"#))
        #expect(!text.contains("\nname"), "a raw line feed would split the sample")
        #expect(PrometheusExposition.escapeHelp("a \\ \"b\"\nc") == #"a \\ "b"\nc"#)
    }

    @Test func numbersAreCLocaleAndRoundTrip() {
        #expect(PrometheusExposition.number(3) == "3")
        #expect(PrometheusExposition.number(-2) == "-2")
        #expect(PrometheusExposition.number(0.0123) == "0.0123")
        #expect(PrometheusExposition.number(1.5e-7) == "1.5e-07")
        #expect(PrometheusExposition.number(1_764_412_345.123456) == "1764412345.123456")
        #expect(PrometheusExposition.number(1e300) == "1e+300")
        #expect(PrometheusExposition.number(.nan) == "NaN")
        #expect(PrometheusExposition.number(.infinity) == "+Inf")
        #expect(PrometheusExposition.number(-.infinity) == "-Inf")
        #expect(Double(PrometheusExposition.number(0.1 + 0.2)) == 0.1 + 0.2)
    }

    /// Each family: HELP and TYPE once, before its samples, which stay together.
    @Test func familiesAreWellFormed() async throws {
        let snap = try await snapshot(Self.twoServers, probes: [EngineFixtures.byHost("ssh")])
        let text = PrometheusRenderer.render(snap, version: "1")
        #expect(text.hasSuffix("\n"))
        var seen: Set<String> = [], current = ""
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
            let parts = line.split(separator: " ")
            if line.hasPrefix("# HELP ") {
                current = String(parts[2])
                #expect(seen.insert(current).inserted, "\(current) appears twice")
            } else if line.hasPrefix("# TYPE ") {
                #expect(parts[2] == current)
                #expect(["gauge", "counter"].contains(parts[3]))
            } else {
                let name = line.prefix { $0 != "{" && $0 != " " }
                #expect(name == current, "\(line) outside its family")
                #expect(Double(parts.last!) != nil, "\(line)")
            }
        }
    }

    @Test(.enabled(if: Promtool.isInstalled)) func promtoolAcceptsTheOutput() async throws {
        let tls = ScriptedProbe(name: "ssh") { request in
            request.host.hasPrefix("ok")
                ? .success("fine", phases: PhaseTimings(total: 0.002), observations: Observations(tls: TLSObservation(notAfter: 1.9e9, daysLeft: 400)))
                : .failure(.refused, "connection refused")
        }
        var snap = try await snapshot(Self.twoServers, probes: [tls])
        snap.paths[try #require(snap.paths.firstIndex { $0.id == "licence-ssh" })].checks[0].check.host = "a\"b\\c\nd"
        let result = try await Promtool.checkMetrics(PrometheusRenderer.render(snap, version: "0.1.0"))
        #expect(result.status == 0, "promtool: \(result.stdout)\(result.stderr)")
        #expect(result.stdout + result.stderr == "")
        // And the linter can fail: a counter without _total.
        let bad = try await Promtool.checkMetrics("# HELP x_count c\n# TYPE x_count counter\nx_count 1\n")
        #expect(bad.status != 0)
    }
}
