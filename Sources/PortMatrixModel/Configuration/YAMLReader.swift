import Foundation
import Yams

/// Reads a YAML document into typed values while remembering where each value came from,
/// so that every error names file, line, column and key path. Errors are collected, and
/// reading goes on with the next key, so one run reports every mistake in a file.
final class YAMLReader {
    let file: String
    private(set) var errors: [ConfigurationError] = []

    init(file: String) { self.file = file }

    /// Parses the text; a syntax error is recorded and `nil` returned.
    func root(of text: String) -> YAMLValue? {
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

    func record(_ error: ConfigurationError) { errors.append(error) }

    /// Runs `body`, recording a thrown configuration error instead of propagating it.
    @discardableResult
    func attempt<T>(_ body: () throws -> T) -> T? {
        do { return try body() } catch let error as ConfigurationError {
            errors.append(error)
            return nil
        } catch {
            errors.append(ConfigurationError(file: file, line: 1, column: 1, keyPath: "", message: "\(error)"))
            return nil
        }
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

/// One node of the document and the key path that leads to it.
struct YAMLValue {
    let node: Node
    let path: String
    unowned let reader: YAMLReader

    var line: Int { node.mark?.line ?? 1 }
    var column: Int { node.mark?.column ?? 1 }

    func error(_ message: String) -> ConfigurationError {
        ConfigurationError(file: reader.file, line: line, column: column, keyPath: path, message: message)
    }

    private func child(_ node: Node, key: String) -> YAMLValue {
        YAMLValue(node: node, path: path.isEmpty ? key : "\(path).\(key)", reader: reader)
    }

    private func element(_ node: Node, index: Int) -> YAMLValue {
        YAMLValue(node: node, path: "\(path)[\(index)]", reader: reader)
    }

    var isNull: Bool {
        if case .scalar(let scalar) = node, scalar.style == .plain, ["", "~", "null", "Null", "NULL"].contains(scalar.string) {
            return true
        }
        return false
    }

    private var kind: String {
        switch node {
        case .scalar: return "a scalar"
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }

    /// The entries of a mapping; keys outside `allowed` are recorded as errors with a hint.
    func mapping(allowed: [String]? = nil) throws -> [(key: String, value: YAMLValue)] {
        if isNull { return [] }
        guard case .mapping(let mapping) = node else { throw error("expected a mapping, found \(kind)") }
        var seen = Set<String>()
        var result: [(String, YAMLValue)] = []
        for (keyNode, valueNode) in mapping {
            let keyValue = YAMLValue(node: keyNode, path: path, reader: reader)
            guard case .scalar(let scalar) = keyNode else {
                reader.record(keyValue.error("keys must be plain names"))
                continue
            }
            let key = scalar.string
            let value = child(valueNode, key: key)
            if !seen.insert(key).inserted {
                reader.record(YAMLValue(node: keyNode, path: value.path, reader: reader).error("duplicate key '\(key)'"))
                continue
            }
            if let allowed, !allowed.contains(key) {
                let hint = suggestion(for: key, among: allowed).map { "; did you mean '\($0)'?" } ?? ""
                let where_ = path.isEmpty ? "at the top level" : "in '\(path)'"
                reader.record(ConfigurationError(
                    file: reader.file, line: keyNode.mark?.line ?? 1, column: keyNode.mark?.column ?? 1,
                    keyPath: value.path, message: "unknown key '\(key)' \(where_)\(hint)"))
                continue
            }
            result.append((key, value))
        }
        return result
    }

    func list() throws -> [YAMLValue] {
        if isNull { return [] }
        guard case .sequence(let sequence) = node else { throw error("expected a list, found \(kind)") }
        return sequence.enumerated().map { element($1, index: $0) }
    }

    func string() throws -> String {
        guard case .scalar(let scalar) = node else { throw error("expected a text value, found \(kind)") }
        return scalar.string
    }

    func nonEmptyString() throws -> String {
        let text = try string()
        guard !text.trimmingCharacters(in: .whitespaces).isEmpty else { throw error("must not be empty") }
        return text
    }

    func int(in range: ClosedRange<Int>) throws -> Int {
        let text = try string()
        guard let value = Int(text) else { throw error("expected a whole number, found '\(text)'") }
        guard range.contains(value) else {
            throw error("\(value) is out of range \(range.lowerBound)-\(range.upperBound)")
        }
        return value
    }

    /// YAML 1.1 spellings as well (`on`/`off`, `yes`/`no`): older parsers read them as booleans.
    func bool() throws -> Bool {
        let text = try string().lowercased()
        switch text {
        case "true", "yes", "on", "y": return true
        case "false", "no", "off", "n": return false
        default: throw error("expected true or false (or on/off, yes/no), found '\(text)'")
        }
    }

    func oneOf(_ values: [String]) throws -> String {
        let text = try string()
        guard values.contains(text) else {
            let hint = suggestion(for: text, among: values).map { "; did you mean '\($0)'?" } ?? ""
            throw error("'\(text)' is not one of \(values.joined(separator: ", "))\(hint)")
        }
        return text
    }

    /// A list of text values; a single scalar is accepted as a one-element list.
    func stringList() throws -> [String] {
        if case .scalar = node, !isNull { return [try nonEmptyString()] }
        return try list().map { try $0.nonEmptyString() }
    }

    func duration() throws -> Duration {
        let text = try string()
        guard let value = DurationParser.parse(text) else {
            throw error("'\(text)' is not a duration; use a number with ms, s, m or h, e.g. 500ms, 5s, 2m")
        }
        return value
    }

    func portSpec() throws -> PortSpec {
        switch PortSpec.parse(try string()) {
        case .success(let spec): return spec
        case .failure(let failure): throw error(failure.description)
        }
    }
}
