import PortMatrixModel

/// `plan --format dot` and `check --format dot`: the plan as a Graphviz picture. Roles are
/// nodes (the roles this host plays as double boxes), paths are edges from source to target
/// labelled with their id and endpoints, one edge per path. Given statuses (after a check, or
/// the agent's), every edge takes its path's colour and a legend explains the colours.
///
/// The text depends only on its input: roles in the profile's order, paths in the plan's.
public enum DotRenderer {
    public struct Options: Sendable, Equatable {
        /// Leave out paths that do not apply here, and the roles only they connect.
        public var applicableOnly: Bool

        public init(applicableOnly: Bool = false) {
            self.applicableOnly = applicableOnly
        }
    }

    public static func render(_ plan: Plan, statuses: [String: Status]? = nil, options: Options = Options()) -> String {
        let drawn = plan.paths
            .filter { !options.applicableOnly || $0.applies }
            .map { ($0, DotEdgeStyle.of(applies: $0.applies, status: statuses?[$0.id])) }
        let local = plan.configuration.roles

        var lines = ["// portmatrix: render with `dot -Tsvg -o matrix.svg`", "digraph \"portmatrix\" {"]
        lines.append("  graph [rankdir=LR, ranksep=1.1, nodesep=0.25, fontname=\"Helvetica\", fontsize=13, labelloc=t, label=\(DotText.text(title(plan, drawn: drawn, coloured: statuses != nil)))];")
        lines.append("  node [shape=box, style=\"rounded,filled\", fillcolor=\"#fafafa\", color=\"#424242\", fontname=\"Helvetica\", fontsize=11];")
        lines.append("  edge [fontname=\"Helvetica\", fontsize=9, arrowsize=0.7];")
        lines.append("")

        // Every role a drawn path connects, and the local ones; grey when no drawn path is in use.
        var present = Set(local), active = Set(local)
        for (planned, style) in drawn {
            present.formUnion([planned.path.source, planned.path.target])
            if style != .notApplicable { active.formUnion([planned.path.source, planned.path.target]) }
        }
        let known = plan.profile.roles.map(\.id)
        for id in known.filter(present.contains) + present.subtracting(known).sorted() {
            lines.append("  " + node(id, plan.profile.role(id), local: local.contains(id), active: active.contains(id)))
        }
        lines.append("")
        for (planned, style) in drawn {
            lines.append("  " + edge(planned, style: style, status: statuses?[planned.id]))
        }
        if statuses != nil {
            lines.append("")
            lines += legend(drawn.map(\.1))
        }
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }

    private static func title(_ plan: Plan, drawn: [(PlannedPath, DotEdgeStyle)], coloured: Bool) -> [String] {
        let applicable = plan.paths.filter(\.applies).count
        var lines = [plan.profile.title,
                     "roles here: \(plan.configuration.roles.joined(separator: ", ")); \(applicable) of \(plan.paths.count) paths apply; configuration \(plan.configuration.origin)"]
        if coloured {
            let counts = DotEdgeStyle.legend.compactMap { style -> String? in
                let count = drawn.filter { $0.1 == style }.count
                return count == 0 ? nil : "\(count) \(style.caption)"
            }
            lines.append(counts.joined(separator: ", "))
        }
        return lines
    }

    private static func node(_ id: String, _ role: Role?, local: Bool, active: Bool) -> String {
        var attributes = [("id", DotText.id("role:" + id)),
                          ("label", DotText.text([id] + DotText.wrap(role?.description ?? "", width: 26)))]
        if let role { attributes.append(("tooltip", DotText.text(role.description))) }
        if local {
            attributes += [("style", "\"filled,bold\""), ("peripheries", "2"), ("fillcolor", "\"#e3f2fd\"")]
        } else if !active {
            attributes += [("style", "\"rounded,dashed,filled\""), ("fillcolor", "\"#ffffff\""),
                           ("color", quoted(DotEdgeStyle.notApplicable.colour)), ("fontcolor", quoted(DotEdgeStyle.notApplicable.colour))]
        }
        return DotText.id(id) + " " + list(attributes) + ";"
    }

    private static func edge(_ planned: PlannedPath, style: DotEdgeStyle, status: Status?) -> String {
        let path = planned.path
        var about = ["\(path.id): \(path.function) (\(path.applies))"]
        if let status {
            about.append("status: \(status.rawValue)")
        } else if let reason = planned.skipReason {
            about.append("not applicable here: \(reason)")
        }
        if !planned.missingTargets.isEmpty {
            about.append("no target configured for \(planned.missingTargets.joined(separator: ", "))")
        }
        about.append(path.description)
        var attributes = [("id", DotText.id("path:" + path.id)),
                          ("label", DotText.text([path.id] + endpoints(planned))),
                          ("tooltip", DotText.text(about)),
                          ("color", quoted(style.colour)), ("fontcolor", quoted(style.colour))]
        if style.dashed { attributes.append(("style", "dashed")) }
        if style.bold { attributes.append(("penwidth", "2")) }
        return DotText.id(path.source) + " -> " + DotText.id(path.target) + " " + list(attributes) + ";"
    }

    /// The ports actually checked (overrides included), else the profile's; three to a line.
    private static func endpoints(_ planned: PlannedPath) -> [String] {
        var seen = Set<PortSpec>()
        var ports = planned.checks.map(\.portSpec).filter { seen.insert($0).inserted }
        if ports.isEmpty { ports = planned.path.endpoints.map(\.port) }
        return stride(from: 0, to: ports.count, by: 3).map { start in
            ports[start..<min(start + 3, ports.count)].map(\.description).joined(separator: " ")
        }
    }

    /// A small table of line samples, one per colour in use (the four statuses always). An
    /// HTML-like label of fixed text: sample edges would stretch across a whole rank.
    private static func legend(_ styles: [DotEdgeStyle]) -> [String] {
        let always: [DotEdgeStyle] = [.ok, .warning, .critical, .unknown]
        let rows = DotEdgeStyle.legend.filter { always.contains($0) || styles.contains($0) }.map { style in
            let line = style.dashed ? "- - - - \u{25B8}" : (style.bold ? "\u{2501}\u{2501}\u{2501}\u{2501}\u{25B6}" : "\u{2500}\u{2500}\u{2500}\u{2500}\u{25B8}")
            return "<tr><td align=\"left\"><font color=\"\(style.colour)\">\(line)</font></td>"
                + "<td align=\"left\"><font color=\"\(style.colour)\">\(style.caption)</font></td></tr>"
        }
        return ["  subgraph \"cluster_legend\" {",
                "    graph [id=\"legend\", label=\"status\", style=\"rounded\", color=\"#bdbdbd\", fontsize=10];",
                "    \"portmatrix:legend\" [shape=plaintext, style=\"\", fontsize=10, label=<<table border=\"0\" cellspacing=\"0\" cellpadding=\"2\">"
                    + rows.joined() + "</table>>];",
                "  }"]
    }

    private static func quoted(_ value: String) -> String { DotText.id(value) }

    private static func list(_ attributes: [(String, String)]) -> String {
        "[" + attributes.map { "\($0.0)=\($0.1)" }.joined(separator: ", ") + "]"
    }
}
