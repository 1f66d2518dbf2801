import PortMatrixEngine
import PortMatrixModel

/// `check --format table`: one row per path, its checks indented below it.
public enum CheckTableRenderer {
    public static func render(_ snapshot: Snapshot, paths only: Set<String>? = nil, colour: Bool = false) -> String {
        var table = TextTable(headers: ["PATH / CHECK", "STATUS", "MESSAGE"])
        for path in snapshot.paths where only?.contains(path.id) ?? true {
            table.append([path.id, path.status.rawValue, path.status == .skipped ? path.message : (path.checks.count > 1 ? "" : path.message)],
                         colour: StatusColour.code(for: path.status.rawValue))
            guard path.checks.count > 1 else { continue }
            for result in path.checks {
                table.append(["  " + result.check.targetLabel, result.status.rawValue, result.message],
                             colour: StatusColour.code(for: result.status.rawValue))
            }
        }
        var text = "\(snapshot.status.nagiosName): \(snapshot.summary)\n" + table.render(colour: colour)
        if let duration = snapshot.health.lastCycleDuration {
            text += "\n\(snapshot.health.totalChecks) checks in \(Format.seconds(duration))"
        }
        return text
    }
}
