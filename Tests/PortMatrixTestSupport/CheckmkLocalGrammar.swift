import Foundation

/// Checkmk's local-check grammar as documented (docs.checkmk.com "Local checks";
/// cmk/base/plugins/agent_based/local.py): after `<<<local:sep(0)>>>`, lines
/// `STATE NAME METRICS [TEXT]`, NAME quoted when it has spaces, METRICS `-` or
/// `NAME=VALUE[;[[WARN_LOWER:]WARN_UPPER][;[[CRIT_LOWER:]CRIT_UPPER][;[MIN][;MAX]]]]` joined by `|`.
/// Strict: what Checkmk would file under "Invalid data" throws.
public enum CheckmkLocalGrammar {
    public struct Metric: Equatable, Sendable {
        public var name: String
        public var value: Double
        public var warnLower: Double?, warnUpper: Double?, critLower: Double?, critUpper: Double?
        public var min: Double?, max: Double?

        public init(name: String, value: Double, warnLower: Double? = nil, warnUpper: Double? = nil, critLower: Double? = nil,
                    critUpper: Double? = nil, min: Double? = nil, max: Double? = nil) {
            self.name = name; self.value = value; self.warnLower = warnLower; self.warnUpper = warnUpper
            self.critLower = critLower; self.critUpper = critUpper; self.min = min; self.max = max
        }
    }

    public struct Service: Sendable {
        public var state: Int
        public var name: String
        public var metrics: [Metric]
        public var text: String
    }

    public enum GrammarError: Error, CustomStringConvertible {
        case line(String, String)
        public var description: String { if case .line(let line, let why) = self { return "\(why): \(line)" }; return "" }
    }

    /// The documented grammar, strictly: anything Checkmk would put into "Invalid data" fails here.
    public static func parse(_ output: String) throws -> [Service] {
        var lines = output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard lines.first == "<<<local:sep(0)>>>" else { throw GrammarError.line(lines.first ?? "", "no local section header") }
        lines.removeFirst()
        if lines.last == "" { lines.removeLast() }
        let pattern = try Regex(#"^([0-3P]) ("([^"']+)"|'([^"']+)'|([^ "']+)) ([^ ]+)( +(.*))?$"#)
        return try lines.map { line in
            guard let match = try pattern.wholeMatch(in: line) else { throw GrammarError.line(line, "not STATE NAME METRICS TEXT") }
            let state = String(match.output[1].substring ?? "")
            let name = String(match.output[3].substring ?? match.output[4].substring ?? match.output[5].substring ?? "")
            let perf = String(match.output[6].substring ?? "")
            return Service(state: Int(state) ?? -1, name: name, metrics: try metrics(perf, line: line),
                           text: String(match.output[8].substring ?? ""))
        }
    }

    static func metrics(_ text: String, line: String) throws -> [Metric] {
        if text == "-" { return [] }
        let number = #"-?[0-9]+(\.[0-9]+)?"#
        let level = "((\(number))?:)?(\(number))?"
        let entry = try Regex("^[A-Za-z0-9_]+=\(number)(;\(level)(;\(level)(;(\(number))?(;(\(number))?)?)?)?)?$")
        return try text.split(separator: "|").map { item in
            guard try entry.wholeMatch(in: item) != nil else { throw GrammarError.line(line, "metric '\(item)' breaks the grammar") }
            let parts = item.split(separator: "=", maxSplits: 1)
            let fields = parts[1].split(separator: ";", omittingEmptySubsequences: false).map(String.init)
            func field(_ i: Int) -> String { i < fields.count ? fields[i] : "" }
            func levels(_ text: String) -> (Double?, Double?) {
                let pieces = text.split(separator: ":", omittingEmptySubsequences: false)
                return pieces.count == 2 ? (Double(pieces[0]), Double(pieces[1])) : (nil, Double(text))
            }
            let warn = levels(field(1)), crit = levels(field(2))
            return Metric(name: String(parts[0]), value: Double(field(0)) ?? .nan, warnLower: warn.0, warnUpper: warn.1,
                          critLower: crit.0, critUpper: crit.1, min: Double(field(3)), max: Double(field(4)))
        }
    }

}
