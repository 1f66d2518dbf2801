import Foundation
import PortMatrixEngine
import PortMatrixModel

/// A snapshot as Prometheus text (`/metrics` of the status endpoint).
///
/// Per check the names are blackbox_exporter's (`probe_success`, `probe_duration_seconds`,
/// `probe_ssl_earliest_cert_expiry`...), so its dashboards and alerts carry over; what
/// blackbox has no word for is `portmatrix_`-prefixed. Statuses are Nagios codes (0 ok,
/// 1 warning, 2 critical, 3 unknown). Skipped paths have no series of their own: they are
/// counted in `portmatrix_paths{status="skipped"}`.
public enum PrometheusRenderer {
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    public static func render(_ snapshot: Snapshot, version: String) -> String {
        var out = PrometheusExposition()
        let applicable = snapshot.paths.filter { $0.status != .skipped }
        checkFamilies(applicable.flatMap(\.checks), into: &out)
        pathFamilies(snapshot, applicable: applicable, into: &out)
        engineFamilies(snapshot, version: version, into: &out)
        return out.text
    }

    typealias Sample = PrometheusExposition.Sample

    /// `path`, `check`, `target`, `transport`, `port`: the same identity `check --format json` gives a check.
    static func labels(_ result: CheckResult) -> [(name: String, value: String)] {
        let check = result.check
        return [("path", check.pathID), ("check", check.id), ("target", check.reportedTarget),
                ("transport", check.transport.rawValue), ("port", String(check.port))]
    }

    static func checkFamilies(_ checks: [CheckResult], into out: inout PrometheusExposition) {
        func add(_ name: String, _ type: PrometheusExposition.MetricType = .gauge, help: String, _ value: (CheckResult) -> Double?) {
            out.add(name, type, help: help, checks.compactMap { result in value(result).map { Sample(labels(result), $0) } })
        }
        func timestamp(_ date: Date?) -> Double? { date?.timeIntervalSince1970 }

        add("probe_success", help: "Whether the check passed: 1 when its status is ok or warning, 0 when critical or unknown.") {
            $0.status == .ok || $0.status == .warning ? 1 : 0
        }
        add("probe_duration_seconds", help: "How long the check's probe took, in seconds.") { $0.latency }
        out.add("portmatrix_check_phase_duration_seconds", help: "Seconds spent in each phase of the probe (resolve, connect, tls, first_byte).",
                checks.flatMap { result in
                    let phases = result.phases
                    return [("resolve", phases.resolve), ("connect", phases.connect), ("tls", phases.tls), ("first_byte", phases.firstByte)]
                        .compactMap { phase, seconds in seconds.map { Sample(labels(result) + [("phase", phase)], $0) } }
                })
        add("probe_ssl_earliest_cert_expiry", help: "Expiry of the certificate the peer presented, in seconds since 1970.") {
            $0.observations.tls?.notAfter
        }
        add("probe_http_status_code", help: "HTTP status code of the response.") { $0.observations.http.map { Double($0.statusCode) } }
        add("probe_dns_answer_rrs", help: "Resource records in the DNS answer section.") { $0.observations.dns.map { Double($0.answers) } }
        add("probe_ntp_offset_seconds", help: "Offset of the local clock to the NTP server, in seconds (positive: local clock behind).") {
            $0.observations.ntp?.offset
        }
        add("probe_ntp_stratum", help: "Stratum the NTP server reported.") { $0.observations.ntp.map { Double($0.stratum) } }
        add("portmatrix_check_status", help: "Status of the check as a Nagios code: 0 ok, 1 warning, 2 critical, 3 unknown.") {
            Double($0.status.exitCode)
        }
        add("portmatrix_check_consecutive_failures", help: "Runs in a row that did not pass.") { Double($0.consecutiveFailures) }
        add("portmatrix_check_last_run_timestamp_seconds", help: "When the check last ran, in seconds since 1970.") { timestamp($0.startedAt) }
        add("portmatrix_check_last_success_timestamp_seconds", help: "When the check last passed, in seconds since 1970.") {
            timestamp($0.lastSuccess)
        }
    }

    static func pathFamilies(_ snapshot: Snapshot, applicable: [PathResult], into out: inout PrometheusExposition) {
        out.add("portmatrix_path_status", help: "Status of each path that applies here as a Nagios code: 0 ok, 1 warning, 2 critical, 3 unknown.",
                applicable.map { Sample([("path", $0.id)], Double($0.status.exitCode)) })
        out.add("portmatrix_path_last_change_timestamp_seconds", help: "When the path last changed status, in seconds since 1970.",
                applicable.map { Sample([("path", $0.id)], $0.lastChange.timeIntervalSince1970) })
        out.add("portmatrix_compliance_status", help: "Overall compliance as a Nagios code: 0 ok, 1 warning, 2 critical, 3 unknown.",
                [Sample(Double(snapshot.status.exitCode))])
        out.add("portmatrix_paths", help: "Paths of the matrix by status; skipped paths do not apply here.",
                Status.allCases.map { Sample([("status", $0.rawValue)], Double(snapshot.count($0))) })
        if let report = snapshot.listeners {
            out.add("portmatrix_listeners_status", help: "Listener compliance as a Nagios code: 0 ok, 1 warning, 2 critical, 3 unknown.",
                    [Sample(Double(report.status.exitCode))])
            let counts = [("expected", report.expected.count), ("missing", report.missing.count), ("loopback_only", report.loopbackOnly.count),
                          ("discouraged_open", report.discouragedOpen.count), ("unexpected", report.unexpected.count)]
            out.add("portmatrix_listeners", help: "Local listeners by verdict of the latest scan.",
                    counts.map { Sample([("state", $0.0)], Double($0.1)) })
        }
    }

    static func engineFamilies(_ snapshot: Snapshot, version: String, into out: inout PrometheusExposition) {
        let health = snapshot.health
        out.add("portmatrix_engine_cycles_total", .counter, help: "Check cycles the engine has completed.", [Sample(Double(health.cycles))])
        out.add("portmatrix_engine_last_cycle_timestamp_seconds", help: "When the last completed cycle started, in seconds since 1970.",
                health.lastCycleStart.map { [Sample($0.timeIntervalSince1970)] } ?? [])
        out.add("portmatrix_engine_last_cycle_duration_seconds", help: "How long the last completed cycle took, in seconds.",
                health.lastCycleDuration.map { [Sample($0)] } ?? [])
        out.add("portmatrix_engine_interval_seconds", help: "Configured interval between check cycles, in seconds.", [Sample(health.interval)])
        out.add("portmatrix_engine_checks", help: "Checks the engine runs.", [Sample(Double(health.totalChecks))])
        out.add("portmatrix_engine_checks_overdue", help: "Checks whose latest result is older than one interval plus timeout.",
                [Sample(Double(health.overdueChecks))])
        out.add("portmatrix_engine_checks_stale", help: "Checks whose latest result is older than three intervals (reported unknown).",
                [Sample(Double(health.staleChecks))])
        out.add("portmatrix_snapshot_timestamp_seconds", help: "When the snapshot served was built, in seconds since 1970.",
                [Sample(snapshot.generatedAt.timeIntervalSince1970)])
        out.add("portmatrix_build_info", help: "The portmatrix version, as a label; always 1.", [Sample([("version", version)], 1)])
    }
}
