import PortMatrixConfiguration
import Testing

/// The errors a configuration reader reports for `read`, in order. Reading without an error, or
/// failing with anything but ConfigurationErrors, is an issue of the calling test.
public func configurationErrors(sourceLocation: SourceLocation = #_sourceLocation, _ read: () throws -> Void) -> [ConfigurationError] {
    do {
        try read()
        Issue.record("expected errors", sourceLocation: sourceLocation)
        return []
    } catch let errors as ConfigurationErrors {
        return errors.errors
    } catch {
        Issue.record("unexpected \(error)", sourceLocation: sourceLocation)
        return []
    }
}
