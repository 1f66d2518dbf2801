import ArgumentParser
import PortMatrixModel

extension StatusInput {
    /// `--status` and `--status-timeout` as `plan` and `report` take them: a bad URL or duration is
    /// a usage error before anything runs.
    static func validate(source: String?, timeout: String) throws {
        if let source, StatusInput(source) == nil {
            throw ValidationError("--status '\(source)': a URL must be http://HOST[:PORT]/PATH (the agent's status endpoint)")
        }
        guard let duration = DurationParser.parse(timeout), duration > .zero else {
            throw ValidationError("--status-timeout '\(timeout)' is not a duration such as 5s or 500ms")
        }
    }
}
