import Foundation
import PortMatrixModel
import Yams

/// Output formats of `matrix`, `plan`, `listeners` and `check`.
public enum OutputFormat: String, Sendable, CaseIterable {
    /// `dot` is a Graphviz picture (`plan` and `check` only); `checkmk` (local-check lines) and
    /// `prtg` (EXE/Script Advanced JSON) are `check` only.
    case table, json, yaml, nagios, dot, checkmk, prtg
    /// Firewall change rows (CSV, Markdown with --markdown): `check` and `plan`.
    case firewallRequest = "firewall-request"
}

/// Renders the matrix and the plan for people and for scripts.
public enum MatrixRenderer {
    public static func matrix(_ profile: Profile, format: OutputFormat, colour: Bool = false) throws -> String {
        let documents = profile.paths.map(MatrixPathDocument.init)
        switch format {
        case .json: return try JSON.encode(documents)
        case .yaml: return try YAMLEncoder().encode(documents)
        case .table, .nagios, .dot, .checkmk, .prtg, .firewallRequest:
            var table = TextTable(headers: ["ID", "ENDPOINTS", "SOURCE -> TARGET", "APPLIES", "RULE"])
            for path in profile.paths {
                table.append([path.id, Endpoint.summary(path.endpoints), "\(path.source) -> \(path.target)",
                              path.applies.description, path.rule.rawValue])
            }
            return "\(profile.title) (\(profile.paths.count) paths)\n" + table.render(colour: colour)
        }
    }

    public static func plan(_ plan: Plan, format: OutputFormat, colour: Bool = false) throws -> String {
        switch format {
        case .json: return try JSON.encode(PlanDocument(plan))
        case .yaml: return try YAMLEncoder().encode(PlanDocument(plan))
        case .dot: return DotRenderer.render(plan)
        case .table, .nagios, .checkmk, .prtg, .firewallRequest:
            var table = TextTable(headers: ["PATH", "HOW", "CHECKS / WHY NOT"])
            for planned in plan.paths {
                if let reason = planned.skipReason {
                    table.append([planned.id, "skipped", reason], colour: StatusColour.code(for: "skipped"))
                    continue
                }
                var parts = planned.checks.map { check in
                    check.kind == .listener
                        ? "listen \(check.portSpec) (\(check.probe))"
                        : "\(check.probe) \(check.transport.rawValue)://\(check.targetDescription)" + (check.proxy != nil ? " via proxy (\(check.proxyUse.rawValue))" : "")
                }
                if !planned.missingTargets.isEmpty {
                    parts.append("no target configured for \(planned.missingTargets.joined(separator: ", ")) (set hosts.\(planned.missingTargets[0]))")
                }
                let how = Set(planned.checks.map(\.kind.rawValue)).sorted().joined(separator: "+")
                table.append([planned.id, how.isEmpty ? "probe" : how, parts.joined(separator: "; ")],
                             colour: planned.missingTargets.isEmpty ? nil : StatusColour.code(for: "unknown"))
            }
            var text = "configuration \(plan.configuration.origin)\nprofile \(plan.profile.name), roles \(plan.configuration.roles.joined(separator: ", "))\n"
            text += table.render(colour: colour)
            let applicable = plan.paths.filter(\.applies)
            text += "\n\(applicable.count) of \(plan.paths.count) paths apply here, \(plan.checks.count) checks"
            for finding in plan.findings {
                text += "\n\(finding.status.nagiosName): \(finding.message)"
            }
            return text
        }
    }
}

/// JSON as every command prints it: pretty, stable key order, slashes unescaped.
public enum JSON {
    public static func encode<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
