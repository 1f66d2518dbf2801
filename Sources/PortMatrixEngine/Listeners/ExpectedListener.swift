import PortMatrixModel

/// A port that should listen here because an applicable path has this machine as its target.
public struct ExpectedListener: Sendable, Hashable {
    /// The matrix path that expects it, e.g. `smtp-in-internet`.
    public var pathID: String
    public var port: PortSpec
    /// Open is a warning rather than a requirement: admin-http on tcp/8080, where HTTPS on 8443 is recommended.
    public var discouraged: Bool
    /// The path's rule: with `.any`, one listening endpoint of the path is enough and the others may be absent.
    public var rule: PathRule

    public init(pathID: String, port: PortSpec, discouraged: Bool = false, rule: PathRule = .all) {
        self.pathID = pathID
        self.port = port
        self.discouraged = discouraged
        self.rule = rule
    }
}
