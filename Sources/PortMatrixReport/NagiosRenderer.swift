import Foundation
import PortMatrixEngine
import PortMatrixModel

/// Nagios plugin output for `check` and every NRPE built-in, in one format:
/// `PORTMATRIX <STATE> - <summary> | <perfdata>`, then one long-output line per path or check.
public enum NagiosRenderer {
    /// What an NRPE v2 reply carries; the status line and its perfdata must fit within it.
    public static let firstLineBudget = 1023

    /// Overall compliance: `check`, `check_portmatrix`.
    public static func compliance(_ snapshot: Snapshot, paths only: Set<String>? = nil) -> PluginOutput {
        complianceParts(snapshot, paths: only).output
    }

    /// What a compliance answer says, before it is laid out as plugin text (Checkmk and PRTG
    /// lay out the same state, summary and perfdata in their own way).
    static func complianceParts(_ snapshot: Snapshot, paths only: Set<String>? = nil) -> PluginParts {
        let selected = snapshot.paths.filter { only?.contains($0.id) ?? true }
        let applicable = selected.filter { $0.status != .skipped }
        var status = Status.worst(applicable.map(\.status))
        var summary = snapshot.summary
        var findings = snapshot.findings
        if only != nil {
            findings = []
            summary = Aggregation.summaryLine(selected)
        } else {
            status = snapshot.status
        }
        var perf = [PerfDatum("paths", Double(applicable.count), min: 0, max: Double(selected.count))]
        for state in [Status.ok, .warning, .critical, .unknown] {
            perf.append(PerfDatum("paths_\(state.rawValue)", Double(applicable.filter { $0.status == state }.count), min: 0,
                                  max: Double(applicable.count)))
        }
        if let duration = snapshot.health.lastCycleDuration {
            perf.append(PerfDatum("cycle_duration", (duration * 1_000_000).rounded() / 1_000_000, unit: "s", min: 0))
        }
        var long: [String] = findings.map { "[\($0.status.nagiosName)] \($0.ruleID): \($0.message)" }
        for path in selected.sorted(by: { $0.status.severity > $1.status.severity }) where path.status != .skipped {
            long.append("[\(path.status.nagiosName)] \(path.id): \(path.message)")
        }
        let skipped = selected.filter { $0.status == .skipped }
        if !skipped.isEmpty { long.append("skipped: \(skipped.map(\.id).joined(separator: ", "))") }
        let checkPerf = applicable.flatMap { path in path.checks.flatMap { perfData(for: $0, label: "\($0.check.id)") } }
        return PluginParts(status: status, summary: summary, perf: perf, long: long, trailingPerf: checkPerf)
    }

    /// One path: `check_path -a <id>`, `check --path ID` with one id.
    public static func path(_ snapshot: Snapshot, id: String) -> PluginOutput {
        guard let path = snapshot.path(id) else {
            let known = snapshot.paths.map(\.id)
            let hint = suggestion(for: id, among: known).map { "; did you mean '\($0)'?" } ?? ""
            return PluginOutput(status: .unknown, text: "PORTMATRIX UNKNOWN - no path '\(id)'\(hint)")
        }
        let perf = path.checks.flatMap { perfData(for: $0, label: $0.check.targetLabel) }
        let long = path.checks.map { "[\($0.status.nagiosName)] \(Aggregation.describe($0))" + ($0.trace.map { " (trace: \($0))" } ?? "") }
        let status = path.status == .skipped ? Status.ok : path.status
        let summary = path.status == .skipped ? "\(path.id): not applicable here (\(path.message))" : "\(path.id): \(path.message)"
        return render(status: status, summary: summary, perf: perf, long: long, trailingPerf: [])
    }

    /// The engine's own health: `check_agent`. `links` are extra components (the SNMP master link).
    public static func agent(_ snapshot: Snapshot, links: [(name: String, status: Status, message: String)] = [], now: Date = Date()) -> PluginOutput {
        agentParts(snapshot, links: links, now: now).output
    }

    static func agentParts(_ snapshot: Snapshot, links: [(name: String, status: Status, message: String)] = [], now: Date = Date()) -> PluginParts {
        let health = snapshot.health
        var status = Status.ok
        var parts: [String] = []
        var perf: [PerfDatum] = []
        if let start = health.lastCycleStart, let duration = health.lastCycleDuration {
            let age = now.timeIntervalSince(start)
            parts.append("last cycle \(Int(age)) s ago took \(Format.seconds(duration)), \(health.totalChecks) checks")
            if age > Aggregation.staleAfterIntervals * health.interval {
                status = .critical
                parts.append("no cycle for \(Int(age)) s")
            }
            perf.append(PerfDatum("cycle_age", age.rounded(), unit: "s", min: 0))
            perf.append(PerfDatum("cycle_duration", (duration * 1_000_000).rounded() / 1_000_000, unit: "s", min: 0))
        } else {
            status = .unknown
            parts.append("no cycle completed yet")
        }
        if health.overdueChecks > 0 {
            status = Status.worst([status, .warning])
            parts.append("\(health.overdueChecks) checks overdue")
        }
        if health.staleChecks > 0 {
            status = Status.worst([status, .warning])
            parts.append("\(health.staleChecks) results stale")
        }
        perf.append(PerfDatum("checks", Double(health.totalChecks), min: 0))
        perf.append(PerfDatum("checks_overdue", Double(health.overdueChecks), min: 0))
        perf.append(PerfDatum("checks_stale", Double(health.staleChecks), min: 0))
        perf.append(PerfDatum("cycles", Double(health.cycles), unit: "c", min: 0))
        var long: [String] = []
        for link in links {
            status = Status.worst([status, link.status])
            parts.append("\(link.name) \(link.message)")
            long.append("[\(link.status.nagiosName)] \(link.name): \(link.message)")
        }
        return PluginParts(status: status, summary: "agent: " + parts.joined(separator: ", "), perf: perf, long: long, trailingPerf: [])
    }

    /// Latency (with the check's thresholds), certificate days and NTP offset of one check.
    static func perfData(for result: CheckResult, label: String) -> [PerfDatum] {
        var data: [PerfDatum] = []
        let thresholds = result.check.thresholds
        if result.check.kind == .probe, let total = result.phases.total {
            data.append(PerfDatum("\(label) time", (total * 1_000_000).rounded() / 1_000_000, unit: "s",
                                  warning: thresholds.latency.warning, critical: thresholds.latency.critical, min: 0))
        }
        if let days = result.observations.tls?.daysLeft {
            data.append(PerfDatum("\(label) cert_days", Double(days), warning: thresholds.certDays.warning, critical: thresholds.certDays.critical))
        }
        if let ntp = result.observations.ntp {
            data.append(PerfDatum("\(label) offset", (ntp.offset * 1_000_000).rounded() / 1_000_000, unit: "s",
                                  warning: thresholds.ntpOffset.warning, critical: thresholds.ntpOffset.critical))
        }
        return data
    }

    /// A plugin answer in pieces: state, summary, status-line perfdata, long output, and the
    /// perfdata that follows the long output.
    struct PluginParts {
        var status: Status
        var summary: String
        var perf: [PerfDatum]
        var long: [String]
        var trailingPerf: [PerfDatum]

        var output: PluginOutput {
            NagiosRenderer.render(status: status, summary: summary, perf: perf, long: long, trailingPerf: trailingPerf)
        }
    }

    /// Assembles the text so the status line and its perfdata always fit the first 1023 bytes.
    static func render(status: Status, summary: String, perf: [PerfDatum], long: [String], trailingPerf: [PerfDatum]) -> PluginOutput {
        let perfText = perf.map(\.text).joined(separator: " ")
        let head = "PORTMATRIX \(status.nagiosName) - "
        let tail = perfText.isEmpty ? "" : " | \(perfText)"
        let room = firstLineBudget - head.utf8.count - tail.utf8.count
        var line = summary.replacingOccurrences(of: "|", with: "/").replacingOccurrences(of: "\n", with: " ")
        if line.utf8.count > room {
            line = String(decoding: Array(line.utf8.prefix(max(0, room - 3))), as: UTF8.self)
            while line.utf8.count > room - 3 { line.removeLast() }
            line += "..."
        }
        var text = head + line + tail
        let body = long.map { $0.replacingOccurrences(of: "|", with: "/") }
        if !body.isEmpty { text += "\n" + body.joined(separator: "\n") }
        if !trailingPerf.isEmpty { text += " | " + trailingPerf.map(\.text).joined(separator: " ") }
        return PluginOutput(status: status, text: text)
    }
}

extension PlannedCheck {
    /// `smtp 10.0.0.25:25` or `listen tcp/25`, unique within a path.
    public var targetLabel: String {
        kind == .listener ? "listen \(portSpec)" : "\(probe) \(transport.rawValue)/\(targetDescription)"
    }
}

extension NagiosRenderer {
    /// Listener compliance: `check_listeners`, from the latest scan (expected, missing, unexpected).
    public static func listeners(_ snapshot: Snapshot) -> PluginOutput {
        guard let report = snapshot.listeners else {
            let expectsAny = snapshot.paths.contains { $0.checks.contains { $0.check.kind == .listener } }
            return expectsAny
                ? PluginOutput(status: .unknown, text: "PORTMATRIX UNKNOWN - listeners: no scan of local sockets yet")
                : PluginOutput(status: .ok, text: "PORTMATRIX OK - listeners: no path expects a local listener here")
        }
        let perf = [PerfDatum("expected", Double(report.expected.count), min: 0),
                    PerfDatum("missing", Double(report.missing.count), min: 0),
                    PerfDatum("loopback_only", Double(report.loopbackOnly.count), min: 0),
                    PerfDatum("unexpected", Double(report.unexpected.count), min: 0)]
        var long = report.expected.map { "[\($0.status.nagiosName)] \($0.pathID): \($0.port) \($0.message)" }
        long += report.unexpected.map { "[\(report.unexpectedStatus.nagiosName)] unexpected: \($0.description)" }
        return render(status: report.status, summary: "listeners: \(report.summary)", perf: perf, long: long, trailingPerf: [])
    }
}
