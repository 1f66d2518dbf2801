/// How the daemon runs (`agent:` in portmatrix.yaml). Read by `AgentSettings+YAML.swift`.
struct AgentSettings: Sendable, Hashable {
    /// The user the agent drops to after binding its sockets as root (`agent.user`).
    static let defaultUser = "portmatrix"

    /// Nil: `portmatrix` (the install target creates it); a start as root refuses to run when
    /// that user does not exist. `root` keeps root deliberately.
    var user: String?
    /// Default: the user's primary group.
    var group: String?

    init(user: String? = nil, group: String? = nil) {
        self.user = user
        self.group = group
    }
}
