import PortMatrixModel

/// One path of the matrix as `matrix --format json|yaml` prints it (design §4).
public struct MatrixPathDocument: Codable, Sendable, Equatable {
    public struct EndpointDocument: Codable, Sendable, Equatable {
        public var transport: String
        public var port: Int
        public var probe: String
    }

    public var id: String
    public var function: String
    public var source: String
    public var target: String
    public var endpoints: [EndpointDocument]
    public var rule: String
    public var applies: String
    public var proxy: String
    public var description: String
    public var settings: String
    public var note: String?

    public init(_ path: MatrixPath) {
        id = path.id
        function = path.function
        source = path.source
        target = path.target
        endpoints = path.endpoints.map { EndpointDocument(transport: $0.transport.rawValue, port: $0.port.port, probe: $0.probe) }
        rule = path.rule.rawValue
        applies = path.applies.description
        proxy = path.proxy.rawValue
        description = path.description
        settings = path.settings
        note = path.note
    }
}

extension Endpoint {
    /// `tcp/53 udp/53` as tables and SNMP show endpoint lists.
    public static func summary(_ endpoints: [Endpoint]) -> String {
        endpoints.map(\.port.description).joined(separator: " ")
    }
}
