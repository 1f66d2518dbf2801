import PortMatrixConfiguration

/// One `paths.<id>.probe` setting as written, with its place in the file. The model keeps it
/// until the probe that runs the check reads it: a probe's own option needs no model or loader
/// change, and a bad value is still reported at FILE:LINE:COL by `config validate`.
public struct ProbeOptionValue: ScalarSetting, Sendable, Hashable {
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

    /// The text as written; its readers (`bool()`, `int(in:)`, ...) are ``ScalarSetting``'s,
    /// the same as the file's.
    public func string() -> String { text }

    /// Equal when the setting is: moving it to another line changes no check.
    public static func == (lhs: ProbeOptionValue, rhs: ProbeOptionValue) -> Bool {
        lhs.key == rhs.key && lhs.text == rhs.text
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(key)
        hasher.combine(text)
    }
}
