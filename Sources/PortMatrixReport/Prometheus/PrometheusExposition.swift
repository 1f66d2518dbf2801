/// The Prometheus text exposition format, version 0.0.4: `# HELP`, `# TYPE`, then one line
/// per sample, each family's lines together. A pure value: renderers add families, `text` is
/// what a scrape reads.
public struct PrometheusExposition: Sendable {
    public enum MetricType: String, Sendable {
        case gauge
        case counter
    }

    /// One line of a family: its labels (in order) and value.
    public struct Sample: Sendable {
        public var labels: [(name: String, value: String)]
        public var value: Double

        public init(_ labels: [(name: String, value: String)], _ value: Double) {
            self.labels = labels
            self.value = value
        }

        /// A sample without labels.
        public init(_ value: Double) {
            self.init([], value)
        }
    }

    public private(set) var text = ""

    public init() {}

    /// Appends one family; a family without samples is left out, HELP and TYPE included.
    public mutating func add(_ name: String, _ type: MetricType = .gauge, help: String, _ samples: [Sample]) {
        guard !samples.isEmpty else { return }
        text += "# HELP \(name) \(Self.escapeHelp(help))\n# TYPE \(name) \(type.rawValue)\n"
        for sample in samples {
            text += name
            if !sample.labels.isEmpty {
                text += "{" + sample.labels.map { "\($0.name)=\"\(Self.escapeLabelValue($0.value))\"" }.joined(separator: ",") + "}"
            }
            text += " " + Self.number(sample.value) + "\n"
        }
    }

    /// Backslash, double quote and line feed are the three characters a label value escapes.
    public static func escapeLabelValue(_ value: String) -> String { escape(value, quote: true) }

    /// HELP text escapes backslash and line feed only.
    public static func escapeHelp(_ text: String) -> String { escape(text, quote: false) }

    private static func escape(_ value: String, quote: Bool) -> String {
        var escaped = ""
        escaped.reserveCapacity(value.utf8.count)
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\\": escaped += "\\\\"
            case "\"" where quote: escaped += "\\\""
            case "\n": escaped += "\\n"
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }

    /// A sample value in the C locale: integers without a fraction, others in the shortest
    /// form that reads back exactly (`0.0123`, `1.5e-07`), `NaN`, `+Inf`, `-Inf`.
    public static func number(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }
}
