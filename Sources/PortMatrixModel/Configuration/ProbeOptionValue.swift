import PortMatrixConfiguration

/// One `paths.<id>.probe` setting as written, with its place in the file. The model keeps it
/// until the probe that runs the check reads it: a probe's own option needs no model or loader
/// change, and a bad value is still reported at FILE:LINE:COL by `config validate`.
public struct ProbeOptionValue: Sendable, Hashable {
    public var key: String
    public var text: String
    public var file: String
    public var line: Int
    public var column: Int
    /// `paths.smtp-in.probe.starttls`.
    public var keyPath: String

    public init(key: String, text: String, file: String, line: Int, column: Int, keyPath: String) {
        self.key = key
        self.text = text
        self.file = file
        self.line = line
        self.column = column
        self.keyPath = keyPath
    }

    /// A scalar of the configuration; lists and mappings are refused where they stand.
    public init(key: String, _ value: YAMLValue) throws {
        self.init(key: key, text: try value.string(), file: value.reader.file, line: value.line,
                  column: value.column, keyPath: value.path)
    }

    public func error(_ message: String) -> ConfigurationError {
        ConfigurationError(file: file, line: line, column: column, keyPath: keyPath, message: message)
    }

    public func nonEmptyString() throws -> String {
        guard !text.trimmingCharacters(in: .whitespaces).isEmpty else { throw error("must not be empty") }
        return text
    }

    /// `true`/`false` and YAML 1.1's `on`/`off`, `yes`/`no`, as everywhere in the file.
    public func bool() throws -> Bool {
        guard let value = YAMLBoolean.parse(text) else {
            throw error("expected true or false (or on/off, yes/no), found '\(text.lowercased())'")
        }
        return value
    }

    public func oneOf(_ values: [String]) throws -> String {
        guard values.contains(text) else {
            let hint = suggestion(for: text, among: values).map { "; did you mean '\($0)'?" } ?? ""
            throw error("'\(text)' is not one of \(values.joined(separator: ", "))\(hint)")
        }
        return text
    }

    public func int(in range: ClosedRange<Int>) throws -> Int {
        guard let value = Int(text) else { throw error("expected a whole number, found '\(text)'") }
        guard range.contains(value) else { throw error("\(value) is out of range \(range.lowerBound)-\(range.upperBound)") }
        return value
    }

    /// Equal when the setting is: moving it to another line changes no check.
    public static func == (lhs: ProbeOptionValue, rhs: ProbeOptionValue) -> Bool {
        lhs.key == rhs.key && lhs.text == rhs.text
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(key)
        hasher.combine(text)
    }
}
