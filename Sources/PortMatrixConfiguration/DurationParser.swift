import Foundation

/// Durations as operators write them: `500ms`, `5s`, `1.5s`, `2m`, `1h`; a bare number is seconds.
public enum DurationParser {
    public static func parse(_ text: String) -> Duration? {
        seconds(text).map { Duration.milliseconds(Int64(($0 * 1000).rounded())) }
    }

    /// The value in seconds, as a Double (threshold ranges use it).
    public static func seconds(_ text: String) -> Double? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let units: [(String, Double)] = [("ms", 0.001), ("us", 0.000_001), ("s", 1), ("m", 60), ("h", 3600)]
        for (suffix, factor) in units where trimmed.hasSuffix(suffix) {
            guard let number = Double(trimmed.dropLast(suffix.count)), number.isFinite, number >= 0 else { return nil }
            return number * factor
        }
        guard let number = Double(trimmed), number.isFinite, number >= 0 else { return nil }
        return number
    }
}

extension Duration {
    /// Seconds as a Double, for arithmetic and output.
    public var seconds: Double {
        let (s, attoseconds) = components
        return Double(s) + Double(attoseconds) / 1e18
    }

    /// `500ms`, `5s`, `2m`: the shortest exact spelling.
    public var configString: String {
        let ms = Int64((seconds * 1000).rounded())
        if ms % 3_600_000 == 0, ms > 0 { return "\(ms / 3_600_000)h" }
        if ms % 60_000 == 0, ms > 0 { return "\(ms / 60_000)m" }
        if ms % 1000 == 0 { return "\(ms / 1000)s" }
        return "\(ms)ms"
    }
}
