import PortMatrixModel

/// The verdict on one expected listener: one table row, one JSON object.
///
/// Encodes flat, as the checks of `check --format json` do:
/// `{"path_id": "nrpe", "transport": "tcp", "port": 5666, "status": "ok", "message": "...", "listeners": [...]}`;
/// `reason` is absent when the status is ok.
public struct ExpectedListenerResult: Sendable, Hashable, Codable {
    public var pathID: String
    public var port: PortSpec
    public var status: Status
    public var reason: FailureReason?
    /// One line for people, naming the owning process when known: `tcp/25 on 0.0.0.0 (smtpd, pid 812)`.
    public var message: String
    /// The sockets found on this port, any address.
    public var listeners: [Listener]

    public init(pathID: String, port: PortSpec, status: Status, reason: FailureReason? = nil, message: String, listeners: [Listener] = []) {
        self.pathID = pathID
        self.port = port
        self.status = status
        self.reason = reason
        self.message = message
        self.listeners = listeners
    }

    enum CodingKeys: String, CodingKey {
        case pathID = "path_id"
        case transport, port, status, reason, message, listeners
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.pathID = try container.decode(String.self, forKey: .pathID)
        self.port = PortSpec(try container.decode(Transport.self, forKey: .transport), try container.decode(Int.self, forKey: .port))
        self.status = try container.decode(Status.self, forKey: .status)
        self.reason = try container.decodeIfPresent(FailureReason.self, forKey: .reason)
        self.message = try container.decode(String.self, forKey: .message)
        self.listeners = try container.decodeIfPresent([Listener].self, forKey: .listeners) ?? []
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(pathID, forKey: .pathID)
        try container.encode(port.transport, forKey: .transport)
        try container.encode(port.port, forKey: .port)
        try container.encode(status, forKey: .status)
        try container.encodeIfPresent(reason, forKey: .reason)
        try container.encode(message, forKey: .message)
        try container.encode(listeners, forKey: .listeners)
    }
}

extension ExpectedListenerResult {
    /// The verdict as a probe outcome, so a listener check sits in a path beside active probes.
    public var outcome: ProbeOutcome {
        ProbeOutcome(status: status, reason: reason, message: message)
    }
}
