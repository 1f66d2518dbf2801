import Foundation
import Yams

/// One node of the document and the key path that leads to it. Its scalar readers
/// (`bool()`, `int(in:)`, ...) are ``ScalarSetting``'s.
public struct YAMLValue: ScalarSetting {
    public let node: Node
    /// Dotted key path, `nrpe.tls.mode`, `paths.fetchmail.targets[0]`.
    public let path: String
    public unowned let reader: YAMLReader

    public init(node: Node, path: String, reader: YAMLReader) {
        self.node = node
        self.path = path
        self.reader = reader
    }

    public var line: Int { node.mark?.line ?? 1 }
    public var column: Int { node.mark?.column ?? 1 }

    public func error(_ message: String) -> ConfigurationError {
        ConfigurationError(file: reader.file, line: line, column: column, keyPath: path, message: message)
    }

    private func child(_ node: Node, key: String) -> YAMLValue {
        YAMLValue(node: node, path: path.isEmpty ? key : "\(path).\(key)", reader: reader)
    }

    private func element(_ node: Node, index: Int) -> YAMLValue {
        YAMLValue(node: node, path: "\(path)[\(index)]", reader: reader)
    }

    public var isNull: Bool {
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
    public func mapping(allowed: [String]? = nil) throws -> [(key: String, value: YAMLValue)] {
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

    public func list() throws -> [YAMLValue] {
        if isNull { return [] }
        guard case .sequence(let sequence) = node else { throw error("expected a list, found \(kind)") }
        return sequence.enumerated().map { element($1, index: $0) }
    }

    public func string() throws -> String {
        guard case .scalar(let scalar) = node else { throw error("expected a text value, found \(kind)") }
        return scalar.string
    }

    /// One of a mode's raw values; a YAML 1.1 boolean reads as `on` or `off` where the mode has
    /// such a value (`via_proxy: on`, `starttls: off`), else it is refused like any other word.
    public func mode<Mode: RawRepresentable & CaseIterable>(on: Mode? = nil, off: Mode? = nil) throws -> Mode
    where Mode.RawValue == String {
        let text = try string()
        switch YAMLBoolean.parse(text) {
        case true?: if let on { return on }
        case false?: if let off { return off }
        case nil: break
        }
        let raw = try oneOf(Mode.allCases.map(\.rawValue))
        guard let mode = Mode(rawValue: raw) else { throw error("'\(raw)' is not a value here") }
        return mode
    }

    /// One of `choices`' names, as the value it stands for; several names may stand for one
    /// value (`SHA` and `SHA-1`). Refused as ``oneOf(_:)`` refuses, with every name listed.
    public func oneOf<Value>(_ choices: KeyValuePairs<String, Value>) throws -> Value {
        let name = try oneOf(choices.map(\.key))
        guard let value = choices.first(where: { $0.key == name })?.value else { throw error("'\(name)' is not a value here") }
        return value
    }

    /// A list of text values; a single scalar is accepted as a one-element list.
    public func stringList() throws -> [String] {
        if case .scalar = node, !isNull { return [try nonEmptyString()] }
        return try list().map { try $0.nonEmptyString() }
    }

    public func duration() throws -> Duration {
        let text = try string()
        guard let value = DurationParser.parse(text) else {
            throw error("'\(text)' is not a duration; use a number with ms, s, m or h, e.g. 500ms, 5s, 2m")
        }
        return value
    }
}

/// YAML 1.1's booleans, the one table every on/off key and mode reads: operators write
/// `mode: on` and older parsers (PyYAML, Ansible) turn it into true, so both must mean the same.
public enum YAMLBoolean {
    /// `true`/`yes`/`on`/`y` or `false`/`no`/`off`/`n`, in any case; nil for anything else.
    public static func parse(_ text: String) -> Bool? {
        switch text.lowercased() {
        case "true", "yes", "on", "y": true
        case "false", "no", "off", "n": false
        default: nil
        }
    }
}
