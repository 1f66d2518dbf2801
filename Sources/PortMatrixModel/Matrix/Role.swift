/// A participant of the matrix: the appliance itself, the e-mail server, "the Internet"...
public struct Role: Sendable, Hashable {
    public var id: String
    public var description: String
    /// Well-known hosts from the source table (e.g. the vendor's update servers).
    public var defaultHosts: [String]

    public init(id: String, description: String, defaultHosts: [String] = []) {
        self.id = id
        self.description = description
        self.defaultHosts = defaultHosts
    }
}
