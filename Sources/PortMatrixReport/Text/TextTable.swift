/// A plain-text table that fits a terminal width: the widest column gives way and wraps.
public struct TextTable: Sendable {
    public var headers: [String]
    public var rows: [[String]]
    /// Per-row colour (ANSI SGR code), used only when colour is on.
    public var rowColours: [String?]

    public init(headers: [String]) {
        self.headers = headers
        self.rows = []
        self.rowColours = []
    }

    public mutating func append(_ row: [String], colour: String? = nil) {
        rows.append(row)
        rowColours.append(colour)
    }

    public func render(width: Int = 100, colour: Bool = false) -> String {
        let columns = headers.count
        var widths = (0..<columns).map { column in
            ([headers[column]] + rows.map { $0[column] }).map(\.count).max() ?? 0
        }
        let separator = 2
        while widths.reduce(0, +) + separator * (columns - 1) > width {
            guard let widest = widths.indices.max(by: { widths[$0] < widths[$1] }), widths[widest] > 8 else { break }
            widths[widest] -= 1
        }
        var lines: [String] = [line(headers, widths)]
        lines.append(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  "))
        for (index, row) in rows.enumerated() {
            let wrapped = row.enumerated().map { Self.wrap($1, width: widths[$0]) }
            let height = wrapped.map(\.count).max() ?? 1
            for lineIndex in 0..<height {
                let cells = wrapped.map { lineIndex < $0.count ? $0[lineIndex] : "" }
                var text = line(cells, widths)
                if colour, let code = rowColours[index] { text = "\u{1B}[\(code)m\(text)\u{1B}[0m" }
                lines.append(text)
            }
        }
        return lines.joined(separator: "\n")
    }

    private func line(_ cells: [String], _ widths: [Int]) -> String {
        var parts: [String] = []
        for (index, cell) in cells.enumerated() {
            let isLast = index == cells.count - 1
            parts.append(isLast ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0))
        }
        var text = parts.joined(separator: "  ")
        while text.hasSuffix(" ") { text.removeLast() }
        return text
    }

    /// Word wrap; words longer than the width are cut.
    static func wrap(_ text: String, width: Int) -> [String] {
        guard text.count > width, width > 0 else { return [text] }
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: false) {
            var word = String(word)
            while word.count > width {
                if !current.isEmpty { lines.append(current); current = "" }
                lines.append(String(word.prefix(width)))
                word = String(word.dropFirst(width))
            }
            if current.isEmpty {
                current = word
            } else if current.count + 1 + word.count <= width {
                current += " " + word
            } else {
                lines.append(current)
                current = word
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }
}

import Foundation

/// ANSI colour per status, applied only on a terminal.
public enum StatusColour {
    public static func code(for status: String) -> String? {
        switch status {
        case "ok": return "32"
        case "warning": return "33"
        case "critical": return "31"
        case "unknown": return "35"
        case "skipped": return "2"
        default: return nil
        }
    }

    /// Colour only when standard output is a terminal and NO_COLOR is unset.
    public static var enabled: Bool {
        isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
    }
}
