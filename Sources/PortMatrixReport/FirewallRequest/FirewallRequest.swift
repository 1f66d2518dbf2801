/// `--format firewall-request`: one row per concrete check and address of its target (failing
/// checks for `check`, all for `plan`) as a firewall change an integrator can hand over: CSV
/// with a header, or Markdown.
public struct FirewallRequest: Sendable {
    public struct Row: Sendable, Hashable {
        /// The probe's local address (the configured source address, else the one the kernel
        /// picks toward the destination).
        public var sourceAddress: String
        public var destinationAddress: String
        public var destinationName: String
        public var transport: String
        public var port: Int
        /// The path's purpose as the seed names it.
        public var purpose: String
        public var verdict: String
        /// Where the path's packet died (a trace's verdict), empty when not traced.
        public var whereItDied: String

        public init(sourceAddress: String, destinationAddress: String, destinationName: String, transport: String, port: Int,
                    purpose: String, verdict: String, whereItDied: String) {
            self.sourceAddress = sourceAddress
            self.destinationAddress = destinationAddress
            self.destinationName = destinationName
            self.transport = transport
            self.port = port
            self.purpose = purpose
            self.verdict = verdict
            self.whereItDied = whereItDied
        }

        var cells: [String] {
            [sourceAddress, destinationAddress, destinationName, transport, String(port), purpose, verdict, whereItDied]
        }
    }

    public var rows: [Row]

    public init(rows: [Row]) { self.rows = rows }

    public static let header = ["source_address", "destination_address", "destination_name", "protocol", "port", "purpose",
                                "verdict", "where_it_died"]

    /// RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled. A field
    /// that a spreadsheet would run as a formula (`=`, `+`, `-`, `@` first) gets a leading `'`.
    public var csv: String {
        ([Self.header] + rows.map(\.cells)).map { $0.map(Self.csvField).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }

    public var markdown: String {
        let header = ["source address", "destination address", "destination name", "protocol", "port", "purpose", "verdict", "where it died"]
        var lines = ["| " + header.joined(separator: " | ") + " |", "|" + String(repeating: "---|", count: header.count)]
        for row in rows {
            lines.append("| " + row.cells.map(Self.markdownCell).joined(separator: " | ") + " |")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func csvField(_ text: String) -> String {
        var value = text
        if let first = value.first, "=+-@".contains(first) { value = "'" + value }
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    static func markdownCell(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "|", with: "\\|")
            .replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")
    }
}
