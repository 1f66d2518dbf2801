/// One row of the port matrix: a network path the appliance needs.
public struct MatrixPath: Sendable, Hashable, Identifiable {
    public var id: String
    /// The source table's "Function / Feature" column.
    public var function: String
    public var endpoints: [Endpoint]
    public var source: String
    public var target: String
    public var applies: Applicability
    public var rule: PathRule
    public var proxy: ProxyPolicy
    /// The source table's description, kept verbatim so operators see the vendor's words.
    public var description: String
    /// Where the setting lives in the appliance's administration interface.
    public var settings: String
    public var note: String?
    /// Targets used when the site configures none (e.g. the DNS root servers).
    public var defaultTargets: [String]

    public init(
        id: String, function: String, endpoints: [Endpoint], source: String, target: String,
        applies: Applicability, rule: PathRule, proxy: ProxyPolicy = .none, description: String,
        settings: String, note: String? = nil, defaultTargets: [String] = []
    ) {
        self.id = id
        self.function = function
        self.endpoints = endpoints
        self.source = source
        self.target = target
        self.applies = applies
        self.rule = rule
        self.proxy = proxy
        self.description = description
        self.settings = settings
        self.note = note
        self.defaultTargets = defaultTargets
    }
}

/// A rule of the source that spans paths: "time synchronisation is mandatory in a cluster".
public struct MatrixRule: Sendable, Hashable {
    public var id: String
    public var description: String
    /// The rule is in force when any of these features is enabled.
    public var whenFeatures: [String]
    /// ... and then the site must pick a value for this choice.
    public var requireChoice: String

    public init(id: String, description: String, whenFeatures: [String], requireChoice: String) {
        self.id = id
        self.description = description
        self.whenFeatures = whenFeatures
        self.requireChoice = requireChoice
    }
}
