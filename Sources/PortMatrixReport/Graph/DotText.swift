/// Quoting for the DOT language. IDs and attribute values are always quoted, so only what the
/// quoted-string lexer and Graphviz's label escapes read specially needs care.
enum DotText {
    /// A quoted ID: `"` and `\` escaped, line breaks as `\n`, other control characters as spaces.
    static func id(_ text: String) -> String {
        "\"" + escaped(text, entities: false) + "\""
    }

    /// A quoted label or tooltip, its lines joined by `\n`. Graphviz also decodes HTML entities
    /// in these (`&amp;` shows as `&`), so `&` is written `&amp;` to show exactly the text given.
    static func text(_ lines: [String]) -> String {
        "\"" + lines.map { escaped($0, entities: true) }.joined(separator: "\\n") + "\""
    }

    static func text(_ line: String) -> String { text([line]) }

    private static func escaped(_ text: String, entities: Bool) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "\\": result += "\\\\"
            case "\"": result += "\\\""
            case "\n", "\r", "\r\n", "\u{2028}", "\u{2029}": result += "\\n"
            case "&" where entities: result += "&amp;"
            default:
                if character.unicodeScalars.allSatisfy({ $0.properties.generalCategory == .control }) {
                    result += " "
                } else {
                    result.append(character)
                }
            }
        }
        return result
    }

    /// Breaks a description into lines of about `width` characters at spaces, for node labels.
    static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        var line = ""
        for word in text.split(whereSeparator: \.isWhitespace) {
            if !line.isEmpty && line.count + 1 + word.count > width {
                lines.append(line)
                line = ""
            }
            line += (line.isEmpty ? "" : " ") + word
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }
}
