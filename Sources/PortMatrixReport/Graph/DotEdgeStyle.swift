import PortMatrixModel

/// How a path's edge looks: the colour of its latest status, grey and dashed where the path
/// does not apply here, black while no status is known.
struct DotEdgeStyle: Equatable {
    var colour: String
    var dashed: Bool
    /// Coloured edges are drawn heavier so the status reads at a glance.
    var bold: Bool
    /// What the legend says about it.
    var caption: String

    static let ok = DotEdgeStyle(colour: "#2e7d32", dashed: false, bold: true, caption: "ok")
    static let warning = DotEdgeStyle(colour: "#ef6c00", dashed: false, bold: true, caption: "warning")
    static let critical = DotEdgeStyle(colour: "#c62828", dashed: false, bold: true, caption: "critical")
    static let unknown = DotEdgeStyle(colour: "#7b1fa2", dashed: false, bold: true, caption: "unknown")
    static let noStatus = DotEdgeStyle(colour: "#000000", dashed: false, bold: false, caption: "no status")
    static let notApplicable = DotEdgeStyle(colour: "#9e9e9e", dashed: true, bold: false, caption: "not applicable here")

    /// The legend, in the order of the statuses' severity as people read it.
    static let legend: [DotEdgeStyle] = [.ok, .warning, .critical, .unknown, .noStatus, .notApplicable]

    /// A status that is known wins over the local plan (the document may come from the agent);
    /// `skipped`, or no status for a path that does not apply here, is drawn as not applicable.
    static func of(applies: Bool, status: Status?) -> DotEdgeStyle {
        switch status {
        case .ok: return .ok
        case .warning: return .warning
        case .critical: return .critical
        case .unknown: return .unknown
        case .skipped: return .notApplicable
        case nil: return applies ? .noStatus : .notApplicable
        }
    }
}
