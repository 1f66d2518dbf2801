/// When a path of the matrix applies to a site.
public enum Applicability: Sendable, Hashable, CustomStringConvertible {
    /// Always needed.
    case required
    /// Needed when the site picks `value` for choice `name` (e.g. `dns=internal`).
    case choice(name: String, value: String)
    /// Needed when the site enables the optional feature.
    case feature(String)
    /// Tolerated but not recommended (admin HTTP on 8080): an open path warns unless allowed.
    case discouraged

    /// Parses the profile spelling: `required`, `discouraged`, `choice:NAME=VALUE`, `feature:NAME`.
    public init?(parsing text: String) {
        if text == "required" { self = .required; return }
        if text == "discouraged" { self = .discouraged; return }
        if text.hasPrefix("feature:") {
            let name = String(text.dropFirst("feature:".count))
            guard !name.isEmpty else { return nil }
            self = .feature(name)
            return
        }
        if text.hasPrefix("choice:") {
            let rest = text.dropFirst("choice:".count)
            let parts = rest.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { return nil }
            self = .choice(name: String(parts[0]), value: String(parts[1]))
            return
        }
        return nil
    }

    /// The spelling used in profiles and in `matrix --format json`.
    public var description: String {
        switch self {
        case .required: return "required"
        case .discouraged: return "discouraged"
        case .feature(let name): return "feature:\(name)"
        case .choice(let name, let value): return "choice:\(name)=\(value)"
        }
    }
}

/// Whether every check of a path must pass or one is enough.
public enum PathRule: String, Sendable, Hashable, Codable {
    case all
    case any
}

/// Whether the source allows reaching the target through the site's HTTP proxy.
public enum ProxyPolicy: String, Sendable, Hashable, Codable {
    case none
    case fallback
}
