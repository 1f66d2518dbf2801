import Foundation

/// A scalar as written in a configuration file, and where to report a mistake in it: a
/// ``YAMLValue`` while the file is read, or a probe's option value read later by the probe. The
/// readers are shared, so a value is refused in the same words wherever it is read.
public protocol ScalarSetting {
    /// The text as written; a list or a mapping is refused.
    func string() throws -> String
    func error(_ message: String) -> ConfigurationError
}

extension ScalarSetting {
    public func nonEmptyString() throws -> String {
        let text = try string()
        guard !text.trimmingCharacters(in: .whitespaces).isEmpty else { throw error("must not be empty") }
        return text
    }

    public func int(in range: ClosedRange<Int>) throws -> Int {
        let text = try string()
        guard let value = Int(text) else { throw error("expected a whole number, found '\(text)'") }
        guard range.contains(value) else {
            throw error("\(value) is out of range \(range.lowerBound)-\(range.upperBound)")
        }
        return value
    }

    /// `true`/`false`, and YAML 1.1's `on`/`off`, `yes`/`no`: older parsers read them as booleans.
    public func bool() throws -> Bool {
        let text = try string()
        guard let value = YAMLBoolean.parse(text) else {
            throw error("expected true or false (or on/off, yes/no), found '\(text.lowercased())'")
        }
        return value
    }

    public func oneOf(_ values: [String]) throws -> String {
        let text = try string()
        guard values.contains(text) else {
            let hint = suggestion(for: text, among: values).map { "; did you mean '\($0)'?" } ?? ""
            throw error("'\(text)' is not one of \(values.joined(separator: ", "))\(hint)")
        }
        return text
    }
}
