import Foundation
import PortMatrixEngine
import PortMatrixModel

/// `portmatrix report`: one self-contained HTML commissioning report (inline CSS, no script, no
/// external resource), readable offline and printable: the site, the time, overall compliance,
/// a sources x targets grid coloured by status, the Graphviz drawing when given, one section
/// per path with its purpose, checks and evidence, and the firewall changes for what fails.
public enum HTMLReportRenderer {
    public struct Input: Sendable {
        public var plan: Plan
        public var document: CheckDocument
        /// The status as `dot -Tsvg` drew it, or nil where Graphviz is not installed.
        public var svg: String?
        /// Where the results came from, as the report's "Results" line shows it (`report` says
        /// "one cycle run by this command" or "read from" the --status source).
        public var source: String
        public var hostName: String
        public var version: String

        public init(plan: Plan, document: CheckDocument, svg: String?, source: String, hostName: String, version: String) {
            self.plan = plan
            self.document = document
            self.svg = svg
            self.source = source
            self.hostName = hostName
            self.version = version
        }
    }

    public static func render(_ input: Input) -> String {
        let plan = input.plan, document = input.document
        let byID = Dictionary(document.paths.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let applicable = plan.paths.filter(\.applies)
        let statuses = applicable.map { byID[$0.id]?.status ?? "unknown" }
        let compliant = statuses.filter { $0 == "ok" }.count
        var html = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(e("Port matrix report: \(input.hostName)"))</title>
        <style>\(style)</style>
        </head>
        <body>
        <header>
        <h1>Port matrix commissioning report</h1>
        <p class="sub">\(e(plan.profile.title))</p>
        <dl class="facts">
        <dt>Site</dt><dd>\(e(input.hostName)), roles \(e(plan.configuration.roles.joined(separator: ", ")))</dd>
        <dt>Configuration</dt><dd>\(e(plan.configuration.origin))</dd>
        <dt>Results</dt><dd>\(e(input.source)), \(e(timestamp(document.generated_at)))</dd>
        <dt>Compliance</dt><dd><span class="badge s-\(e(document.status))">\(e(document.status.uppercased()))</span> \(e(document.summary))</dd>
        <dt>Paths</dt><dd>\(compliant) of \(applicable.count) applicable paths ok; \(plan.paths.count - applicable.count) of \(plan.paths.count) do not apply here</dd>
        </dl>
        </header>

        """
        if !document.findings.isEmpty {
            html += "<section><h2>Findings</h2><ul>"
            html += document.findings.map { "<li><span class=\"badge s-\(e($0.status))\">\(e($0.status.uppercased()))</span> \(e($0.message))</li>" }.joined()
            html += "</ul></section>\n"
        }
        html += grid(plan, byID: byID)
        if let svg = input.svg {
            html += "<section class=\"drawing\"><h2>Drawing</h2><div class=\"svg\">\(inlineSVG(svg))</div></section>\n"
        }
        html += firewallChanges(plan, byID: byID)
        html += "<section><h2>Paths</h2>\n"
        for planned in applicable { html += pathSection(planned, byID[planned.id]) }
        html += "</section>\n"
        let skipped = plan.paths.filter { !$0.applies }
        if !skipped.isEmpty {
            html += "<section class=\"skipped\"><h2>Not checked here</h2><table><thead><tr><th>Path</th><th>Function</th><th>Why not</th></tr></thead><tbody>"
            html += skipped.map { "<tr id=\"path-\(e($0.id))\"><td><code>\(e($0.id))</code></td><td>\(e($0.path.function))</td><td>\(e($0.skipReason ?? ""))</td></tr>" }.joined()
            html += "</tbody></table></section>\n"
        }
        html += "<footer>portmatrix \(e(input.version)) &middot; generated \(e(timestamp(Date())))</footer>\n</body>\n</html>\n"
        return html
    }

    /// Sources down, targets across; each cell lists the paths between the two, coloured.
    private static func grid(_ plan: Plan, byID: [String: CheckDocument.Path]) -> String {
        let used = plan.profile.roles.map(\.id)
        let sources = used.filter { role in plan.paths.contains { $0.path.source == role } }
        let targets = used.filter { role in plan.paths.contains { $0.path.target == role } }
        let local = Set(plan.configuration.roles)
        var html = "<section><h2>Matrix</h2><p class=\"legend\">"
        html += ["ok", "warning", "critical", "unknown", "skipped"].map { "<span class=\"chip s-\($0)\">\($0 == "skipped" ? "not checked here" : $0)</span>" }.joined(separator: " ")
        html += "</p><div class=\"gridwrap\"><table class=\"grid\"><thead><tr><th class=\"corner\">source &darr; / target &rarr;</th>"
        html += targets.map { "<th class=\"\(local.contains($0) ? "local" : "")\">\(e($0))</th>" }.joined()
        html += "</tr></thead><tbody>"
        for source in sources {
            html += "<tr><th class=\"\(local.contains(source) ? "local" : "")\">\(e(source))</th>"
            for target in targets {
                let cell = plan.paths.filter { $0.path.source == source && $0.path.target == target }
                html += "<td>" + cell.map { planned in
                    let status = planned.applies ? (byID[planned.id]?.status ?? "unknown") : "skipped"
                    // Applicable paths link to their section, the others to their row under "Not checked here".
                    return "<a class=\"chip s-\(e(status))\" href=\"#path-\(e(planned.id))\" title=\"\(e(planned.path.function)): \(e(status))\">\(e(planned.id))</a>"
                }.joined(separator: " ") + "</td>"
            }
            html += "</tr>"
        }
        return html + "</tbody></table></div></section>\n"
    }

    private static func pathSection(_ planned: PlannedPath, _ path: CheckDocument.Path?) -> String {
        let status = path?.status ?? "unknown"
        var html = "<article class=\"path\" id=\"path-\(e(planned.id))\" data-path=\"\(e(planned.id))\">"
        html += "<h3><span class=\"badge s-\(e(status))\">\(e(status.uppercased()))</span> <code>\(e(planned.id))</code> \(e(planned.path.function))</h3>"
        html += "<p class=\"route\">\(e(planned.path.source)) &rarr; \(e(planned.path.target)) &middot; \(e(Endpoint.summary(planned.path.endpoints))) &middot; applies: \(e(planned.path.applies.description)) &middot; rule: \(e(planned.path.rule.rawValue))</p>"
        html += "<p class=\"purpose\">\(e(planned.path.description))</p>"
        if !planned.path.settings.isEmpty { html += "<p class=\"settings\">Settings: \(e(planned.path.settings))</p>" }
        for note in planned.notes { html += "<p class=\"note\">\(e(note))</p>" }
        html += "<p class=\"message\">\(e(path?.message ?? "no result"))</p>"
        guard let checks = path?.checks, !checks.isEmpty else { return html + "</article>\n" }
        html += "<table class=\"checks\"><thead><tr><th>Check</th><th>Status</th><th>Latency</th><th>Evidence</th></tr></thead><tbody>"
        for check in checks {
            let what = check.kind == "listener" ? "listen \(check.transport)/\(check.port)" : "\(check.probe) \(check.transport)://\(check.target):\(check.port)"
            html += "<tr><td><code>\(e(what))</code></td><td><span class=\"chip s-\(e(check.status))\">\(e(check.status))</span></td>"
            html += "<td class=\"num\">\(check.kind == "listener" ? "" : e(String(format: "%.1f ms", check.latency_ms)))</td>"
            html += "<td>\(evidence(check))</td></tr>"
        }
        return html + "</tbody></table></article>\n"
    }

    /// What the check saw: message and reason, banner, TLS, NTP, SMTP, HTTP, DNS, UDP outcome,
    /// and where its packet died when it was traced.
    private static func evidence(_ check: CheckDocument.Check) -> String {
        var items: [String] = [e(check.message)]
        if let reason = check.reason { items.append("reason <code>\(e(reason))</code>") }
        if let banner = check.observations.banner { items.append("banner <code>\(e(banner))</code>") }
        if let tls = check.observations.tls {
            var text = "TLS \(tls.version ?? "?")"
            if let days = tls.daysLeft { text += ", certificate \(days) days left" }
            if let subject = tls.subject { text += " (\(subject))" }
            items.append(e(text))
        }
        if let ntp = check.observations.ntp { items.append(e(String(format: "NTP offset %+.3f s, stratum %d", ntp.offset, ntp.stratum))) }
        if let smtp = check.observations.smtp { items.append(e("SMTP STARTTLS \(smtp.starttls ? "offered" : "not offered")")) }
        if let http = check.observations.http { items.append(e("HTTP \(http.statusLine)")) }
        if let dns = check.observations.dns { items.append(e("DNS \(dns.rcode), \(dns.answers) answers")) }
        if let udp = check.observations.udp { items.append(e("UDP \(udp.rawValue)")) }
        if let peer = check.observations.peerAddress { items.append("peer \(e(peer))") }
        if let trace = check.trace { items.append("trace: \(e(trace))") }
        return items.joined(separator: "<br>")
    }

    /// One row per failing probe a firewall can explain: from this host to the target's port,
    /// with the trace's verdict (the hop to look at) when there is one.
    private static func firewallChanges(_ plan: Plan, byID: [String: CheckDocument.Path]) -> String {
        var rows: [String] = []
        for planned in plan.paths where planned.applies {
            for check in byID[planned.id]?.checks ?? [] where check.kind == "probe" && (check.status == "critical" || check.status == "warning") {
                guard let reason = check.reason, firewallReasons.contains(reason) || check.observations.udp == .noAnswer else { continue }
                rows.append("<tr><td>\(e(planned.path.source)) (this host)</td><td>\(e(check.target))</td><td>\(e(check.transport))/\(check.port)</td><td>allow</td><td><code>\(e(planned.id))</code></td><td>\(e(reason)): \(e(check.message))\(check.trace.map { "<br>trace: \(e($0))" } ?? "")</td></tr>")
            }
        }
        guard !rows.isEmpty else {
            return "<section><h2>Firewall changes</h2><p>No failing probe points to a firewall: none needed.</p></section>\n"
        }
        return "<section class=\"firewall\"><h2>Firewall changes</h2><p>Each failing probe below was refused, dropped or filtered on the way: open these flows.</p>"
            + "<table><thead><tr><th>Source</th><th>Destination</th><th>Service</th><th>Action</th><th>Path</th><th>Observed</th></tr></thead><tbody>"
            + rows.joined() + "</tbody></table></section>\n"
    }

    /// The failure reasons a firewall on the way can cause, as the document spells them.
    private static let firewallReasons = Set([FailureReason.refused, .connectTimeout, .rejected, .unreachable, .mtuBlackhole,
                                              .proxyDenied, .readTimeout].map(\.rawValue))

    /// The SVG element only: no XML prolog or DOCTYPE inside HTML.
    static func inlineSVG(_ svg: String) -> String {
        guard let start = svg.range(of: "<svg") else { return "" }
        return String(svg[start.lowerBound...])
    }

    private static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }

    /// HTML text and attribute escaping.
    static func e(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }

    private static let style = """
    :root{--ok:#2e7d32;--warning:#ef6c00;--critical:#c62828;--unknown:#6a1b9a;--skipped:#9e9e9e;--ink:#212121;--line:#e0e0e0}
    *{box-sizing:border-box}body{font:14px/1.45 -apple-system,"Segoe UI",Helvetica,Arial,sans-serif;color:var(--ink);margin:0 auto;max-width:1200px;padding:24px}
    h1{font-size:24px;margin:0}h2{font-size:18px;border-bottom:2px solid var(--line);padding-bottom:4px;margin-top:32px}h3{font-size:15px;margin:0 0 6px}
    .sub{color:#616161;margin:4px 0 12px}code{font:12px/1.3 Menlo,Consolas,monospace;background:#f5f5f5;padding:1px 4px;border-radius:3px}
    .facts{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px;margin:0}.facts dt{font-weight:600;color:#616161}.facts dd{margin:0}
    .badge,.chip{display:inline-block;border-radius:3px;color:#fff;font-weight:600;white-space:nowrap}.badge{padding:1px 8px;font-size:12px}
    .chip{padding:1px 6px;font-size:11px;margin:1px 0;text-decoration:none}
    .s-ok{background:var(--ok)}.s-warning{background:var(--warning)}.s-critical{background:var(--critical)}.s-unknown{background:var(--unknown)}.s-skipped{background:var(--skipped)}
    table{border-collapse:collapse;width:100%}th,td{border:1px solid var(--line);padding:4px 6px;text-align:left;vertical-align:top}thead th{background:#fafafa}
    .gridwrap{overflow-x:auto}.grid{table-layout:fixed}.grid th{font-size:11px;overflow-wrap:anywhere}.grid thead th{writing-mode:horizontal-tb}.grid td{padding:3px}.grid .chip{display:block;white-space:normal;overflow-wrap:anywhere;margin:2px 0}.grid th:first-child{width:110px}.grid .local{background:#e3f2fd}.corner{color:#757575;font-weight:400}
    .legend .chip{margin-right:4px}.drawing .svg svg{max-width:100%;height:auto;max-height:900px}
    .path{border:1px solid var(--line);border-radius:6px;padding:10px 12px;margin:12px 0;page-break-inside:avoid}
    .route,.settings,.note{color:#616161;font-size:12px;margin:2px 0}.purpose{margin:6px 0}.message{font-weight:600;margin:6px 0}
    .checks td{font-size:12px}.num{text-align:right;white-space:nowrap}.firewall table td{font-size:12px}
    footer{margin-top:32px;color:#9e9e9e;font-size:11px}
    @media print{body{padding:0;max-width:none;font-size:11px}a{color:inherit}.chip,.badge{-webkit-print-color-adjust:exact;print-color-adjust:exact}h2{page-break-after:avoid}.gridwrap{overflow:visible}}
    """
}
