import Foundation
import PortMatrixEngine
import PortMatrixModel

/// Checkmk local checks (`check --format checkmk`, and the agent's spool file): the section
/// header `<<<local:sep(0)>>>`, then one line per service, `STATE "NAME" METRICS TEXT`.
///
/// Services: `portmatrix compliance` (the overall state, as `check_portmatrix`),
/// `portmatrix agent` (probe health, as `check_agent`) and `portmatrix <path-id>` for every path
/// that applies here. The states are the ones the Nagios renderer computes; Checkmk takes them
/// as given (never `P`), so the levels in the metrics only draw lines in the graphs.
public enum CheckmkLocalRenderer {
    public static let sectionHeader = "<<<local:sep(0)>>>"

    public static func render(_ snapshot: Snapshot, paths only: Set<String>? = nil,
                              links: [(name: String, status: Status, message: String)] = [], now: Date = Date()) -> String {
        var lines = [sectionHeader]
        let compliance = NagiosRenderer.complianceParts(snapshot, paths: only)
        lines.append(line(compliance.status, service: "portmatrix compliance", metrics: compliance.perf,
                          text: compliance.summary, details: compliance.long))
        let agent = NagiosRenderer.agentParts(snapshot, links: links, now: now)
        lines.append(line(agent.status, service: "portmatrix agent", metrics: agent.perf, text: agent.summary, details: agent.long))
        for path in snapshot.paths where path.status != .skipped && (only?.contains(path.id) ?? true) {
            let metrics = path.checks.flatMap { NagiosRenderer.perfData(for: $0, label: $0.check.targetLabel) }
            let details = path.checks.map { "[\($0.status.nagiosName)] \(Aggregation.describe($0))" }
            lines.append(line(path.status, service: "portmatrix \(path.id)", metrics: metrics, text: path.message, details: details))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `2 "portmatrix smtp-to-mailserver" smtp_tcp_mail_25_time=0.003;1;3;0 text\nmore`.
    static func line(_ status: Status, service: String, metrics: [PerfDatum], text: String, details: [String]) -> String {
        let name = service.replacingOccurrences(of: "\"", with: "").replacingOccurrences(of: "'", with: "")
        var seen = Set<String>()
        let rendered = metrics.compactMap { datum -> String? in
            let metric = metricName(datum.label)
            guard seen.insert(metric).inserted else { return nil }
            return metricText(datum, name: metric)
        }
        // Checkmk turns a literal `\n` in the text into a line break of the long output.
        let body = ([text] + details).map(oneLine).joined(separator: "\\n")
        return "\(status.exitCode) \"\(name)\" \(rendered.isEmpty ? "-" : rendered.joined(separator: "|")) \(body)"
    }

    /// `name=value;warn;crit;min;max`, levels as `[LOWER:]UPPER`; no unit (Checkmk ignores it).
    static func metricText(_ datum: PerfDatum, name: String) -> String {
        let fields = [NagiosRange.formatNumber(datum.value), level(datum.warning), level(datum.critical),
                      datum.min.map(NagiosRange.formatNumber) ?? "", datum.max.map(NagiosRange.formatNumber) ?? ""]
        var text = "\(name)=" + fields.joined(separator: ";")
        while text.hasSuffix(";") { text.removeLast() }
        return text
    }

    /// A Nagios range as Checkmk's `[LOWER:]UPPER`: `1` (above 1), `30:` (below 30), `-0.5:0.5`.
    /// An inside range (`@`) has no Checkmk spelling and is left out.
    static func level(_ range: NagiosRange?) -> String {
        guard let range, !range.alertsInside else { return "" }
        let upper = range.end.isFinite ? NagiosRange.formatNumber(range.end) : ""
        if range.start == 0 || range.start == -.infinity { return upper }
        return "\(NagiosRange.formatNumber(range.start)):\(upper)"
    }

    /// Checkmk metric names are `[A-Za-z0-9_]`: `ssh tcp/ok.test:22 time` -> `ssh_tcp_ok_test_22_time`.
    static func metricName(_ label: String) -> String {
        var name = ""
        for scalar in label.unicodeScalars {
            let keep = (scalar >= "a" && scalar <= "z") || (scalar >= "A" && scalar <= "Z") || (scalar >= "0" && scalar <= "9")
            if keep {
                name.unicodeScalars.append(scalar)
            } else if !name.hasSuffix("_") {
                name += "_"
            }
        }
        while name.hasSuffix("_") { name.removeLast() }
        return name.isEmpty ? "value" : name
    }

    private static func oneLine(_ text: String) -> String {
        text.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")
    }
}
