/// One port of a path and the protocol spoken there. The probe is named, not implemented,
/// here: the engine maps the name to code.
public struct Endpoint: Sendable, Hashable, Codable, CustomStringConvertible {
    public var port: PortSpec
    public var probe: String

    public init(_ port: PortSpec, probe: String) {
        self.port = port
        self.probe = probe
    }

    public var transport: Transport { port.transport }
    public var description: String { "\(port) (\(probe))" }
}
