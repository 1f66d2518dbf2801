import Foundation
import Yams

/// Reads a YAML document into typed values while remembering where each value came from,
/// so that every error names file, line, column and key path. Errors are collected, and
/// reading goes on with the next key, so one run reports every mistake in a file.
public final class YAMLReader {
    public let file: String
    public private(set) var errors: [ConfigurationError] = []

    public init(file: String) { self.file = file }

    /// Parses the text; a syntax error, a complex key or too many aliases is recorded and `nil` returned.
    public func root(of text: String) -> YAMLValue? {
        if let violation = YAMLBounds.check(text) {
            errors.append(ConfigurationError(file: file, line: violation.line, column: violation.column, keyPath: "",
                                             message: "invalid YAML: \(violation.message)"))
            return nil
        }
        do {
            guard let node = try Yams.compose(yaml: text) else {
                return YAMLValue(node: Node.Mapping([]).asNode, path: "", reader: self)
            }
            return YAMLValue(node: node, path: "", reader: self)
        } catch let error as YamlError {
            let (mark, problem) = Self.describe(error)
            errors.append(ConfigurationError(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1,
                                             keyPath: "", message: "invalid YAML: \(problem)"))
            return nil
        } catch {
            errors.append(ConfigurationError(file: file, line: 1, column: 1, keyPath: "", message: "invalid YAML: \(error)"))
            return nil
        }
    }

    public func record(_ error: ConfigurationError) { errors.append(error) }

    /// Runs `body`, recording a thrown configuration error instead of propagating it.
    @discardableResult
    public func attempt<T>(_ body: () throws -> T) -> T? {
        do { return try body() } catch let error as ConfigurationError {
            errors.append(error)
            return nil
        } catch {
            errors.append(ConfigurationError(file: file, line: 1, column: 1, keyPath: "", message: "\(error)"))
            return nil
        }
    }

    /// Every error recorded so far, thrown together; nothing when the document was clean.
    public func throwIfFailed() throws(ConfigurationErrors) {
        if !errors.isEmpty { throw ConfigurationErrors(errors) }
    }

    private static func describe(_ error: YamlError) -> (Mark?, String) {
        switch error {
        case .scanner(let context, let problem, let mark, _),
             .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            let text = context.map { "\(problem) \($0.text)" } ?? problem
            return (mark, text)
        default:
            return (nil, "\(error)")
        }
    }
}

extension Node.Mapping {
    var asNode: Node { .mapping(self) }
}
