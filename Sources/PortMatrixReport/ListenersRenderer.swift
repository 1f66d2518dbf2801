import PortMatrixEngine
import PortMatrixModel

/// `portmatrix listeners`: expected listeners and every other socket, with owners.
public enum ListenersRenderer {
    public static func render(_ report: ListenerReport, format: OutputFormat, showIgnored: Bool = false, colour: Bool = false) throws -> String {
        if format == .json { return try JSON.encode(report) }
        var expected = TextTable(headers: ["PATH", "PORT", "STATUS", "FOUND"])
        for result in report.expected {
            expected.append([result.pathID, result.port.description, result.status.rawValue, result.message],
                            colour: StatusColour.code(for: result.status.rawValue))
        }
        var others = TextTable(headers: ["LISTENER", "VERDICT"])
        for listener in report.unexpected { others.append([listener.description, "unexpected (\(report.unexpectedStatus.rawValue))"], colour: StatusColour.code(for: report.unexpectedStatus.rawValue)) }
        for listener in report.allowed { others.append([listener.description, "allowed (listeners.allow)"]) }
        if showIgnored {
            for listener in report.ignored { others.append([listener.description, "ignored (loopback only)"]) }
        }
        var text = "\(report.status.nagiosName): \(report.summary)\n"
        if !report.expected.isEmpty { text += "\n" + expected.render(colour: colour) + "\n" }
        if !others.rows.isEmpty { text += "\n" + others.render(colour: colour) + "\n" }
        if !showIgnored && !report.ignored.isEmpty {
            text += "\n\(report.ignored.count) loopback-only listeners not shown (--all shows them)\n"
        }
        return text
    }
}
