import Foundation

/// A threshold range in the Nagios plugin development guidelines' syntax.
///
/// `10` alerts outside 0...10, `10:` below 10, `~:10` above 10, `10:20` outside 10...20,
/// `@10:20` inside 10...20. Numbers may carry a unit when the range is parsed with one
/// (latency `1s`, `500ms`): the range then holds base units (seconds).
public struct NagiosRange: Sendable, Hashable, CustomStringConvertible {
    public var start: Double
    public var end: Double
    /// `@`: alert when the value lies inside rather than outside.
    public var alertsInside: Bool

    public init(start: Double = 0, end: Double = .infinity, alertsInside: Bool = false) {
        self.start = start
        self.end = end
        self.alertsInside = alertsInside
    }

    /// Whether `value` is in alert according to this range.
    public func alerts(_ value: Double) -> Bool {
        let inside = value >= start && value <= end
        return alertsInside ? inside : !inside
    }

    public enum ParseError: Error, Equatable, CustomStringConvertible {
        case empty
        case badNumber(String)
        case startAfterEnd(String)

        public var description: String {
            switch self {
            case .empty: return "a range must not be empty"
            case .badNumber(let text): return "'\(text)' is not a number"
            case .startAfterEnd(let text): return "'\(text)': start is greater than end"
            }
        }
    }

    /// Parses a range; `number` reads one bound (plain numbers by default, durations for latency).
    public static func parse(_ text: String, number: (String) -> Double? = { Double($0) }) -> Result<NagiosRange, ParseError> {
        var body = Substring(text.trimmingCharacters(in: .whitespaces))
        guard !body.isEmpty else { return .failure(.empty) }
        var range = NagiosRange()
        if body.hasPrefix("@") {
            range.alertsInside = true
            body = body.dropFirst()
        }
        guard !body.isEmpty else { return .failure(.empty) }
        if let colon = body.firstIndex(of: ":") {
            let low = body[..<colon], high = body[body.index(after: colon)...]
            if low == "~" {
                range.start = -.infinity
            } else if !low.isEmpty {
                guard let value = number(String(low)) else { return .failure(.badNumber(String(low))) }
                range.start = value
            }
            if !high.isEmpty {
                guard let value = number(String(high)) else { return .failure(.badNumber(String(high))) }
                range.end = value
            }
        } else {
            guard let value = number(String(body)) else { return .failure(.badNumber(String(body))) }
            range.end = value
        }
        guard range.start <= range.end else { return .failure(.startAfterEnd(text)) }
        return .success(range)
    }

    /// The canonical spelling in base units, as perfdata carries it.
    public var description: String {
        func format(_ value: Double) -> String { Self.formatNumber(value) }
        let prefix = alertsInside ? "@" : ""
        if start == 0 && !alertsInside && end.isFinite { return format(end) }
        let low = start == -.infinity ? "~" : format(start)
        let high = end == .infinity ? "" : format(end)
        return "\(prefix)\(low):\(high)"
    }

    /// C-locale number without trailing zeros (`0.5`, `3`, `0.000123`).
    public static func formatNumber(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        var text = String(format: "%.6f", value)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }
}
