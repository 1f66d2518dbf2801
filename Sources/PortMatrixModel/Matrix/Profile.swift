import Foundation

/// A whole port matrix: the roles, the paths between them and the rules across paths.
public struct Profile: Sendable, Hashable {
    public var name: String
    public var title: String
    public var source: String
    public var roles: [Role]
    public var paths: [MatrixPath]
    public var rules: [MatrixRule]

    public init(name: String, title: String, source: String, roles: [Role], paths: [MatrixPath], rules: [MatrixRule]) {
        self.name = name
        self.title = title
        self.source = source
        self.roles = roles
        self.paths = paths
        self.rules = rules
    }

    public func role(_ id: String) -> Role? { roles.first { $0.id == id } }
    public func path(_ id: String) -> MatrixPath? { paths.first { $0.id == id } }

    /// Every choice the matrix offers, with its values (`dns: [builtin, external, internal]`).
    public var choices: [String: [String]] {
        var result: [String: Set<String>] = [:]
        for path in paths {
            if case .choice(let name, let value) = path.applies { result[name, default: []].insert(value) }
        }
        return result.mapValues { $0.sorted() }
    }

    /// Every optional feature the matrix knows.
    public var features: [String] {
        var names = Set<String>()
        for path in paths {
            if case .feature(let name) = path.applies { names.insert(name) }
        }
        for rule in rules { names.formUnion(rule.whenFeatures) }
        return names.sorted()
    }
}
