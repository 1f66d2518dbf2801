import Foundation
import PortMatrixEngine
import PortMatrixModel

/// A snapshot as `check --format json` prints it (design §4).
public struct CheckDocument: Codable, Sendable {
    public struct Check: Codable, Sendable {
        public var id: String
        public var kind: String
        public var target: String
        public var transport: String
        public var port: Int
        public var probe: String
        public var status: String
        public var reason: String?
        public var message: String
        public var latency_ms: Double
        public var phases: PhaseTimings
        /// Banner, peer address, route and each protocol's observation, flat in the check
        /// object under their own keys (`tls`, `smtp`...): a new observation type needs no change here.
        public var observations: Observations
        public var last_run: Date
        public var consecutive_failures: Int
        public var last_success: Date?
        /// Where the check's packet died (`trace`), when it was traced.
        public var trace: String?

        enum CodingKeys: String, CodingKey {
            case id, kind, target, transport, port, probe, status, reason, message, latency_ms, phases
            case last_run, consecutive_failures, last_success, trace
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            id = try container.decode(String.self, forKey: .id)
            kind = try container.decode(String.self, forKey: .kind)
            target = try container.decode(String.self, forKey: .target)
            transport = try container.decode(String.self, forKey: .transport)
            port = try container.decode(Int.self, forKey: .port)
            probe = try container.decode(String.self, forKey: .probe)
            status = try container.decode(String.self, forKey: .status)
            reason = try container.decodeIfPresent(String.self, forKey: .reason)
            message = try container.decode(String.self, forKey: .message)
            latency_ms = try container.decode(Double.self, forKey: .latency_ms)
            phases = try container.decode(PhaseTimings.self, forKey: .phases)
            observations = try Observations(from: decoder)
            last_run = try container.decode(Date.self, forKey: .last_run)
            consecutive_failures = try container.decode(Int.self, forKey: .consecutive_failures)
            last_success = try container.decodeIfPresent(Date.self, forKey: .last_success)
            trace = try container.decodeIfPresent(String.self, forKey: .trace)
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id, forKey: .id)
            try container.encode(kind, forKey: .kind)
            try container.encode(target, forKey: .target)
            try container.encode(transport, forKey: .transport)
            try container.encode(port, forKey: .port)
            try container.encode(probe, forKey: .probe)
            try container.encode(status, forKey: .status)
            try container.encodeIfPresent(reason, forKey: .reason)
            try container.encode(message, forKey: .message)
            try container.encode(latency_ms, forKey: .latency_ms)
            try container.encode(phases, forKey: .phases)
            try container.encode(last_run, forKey: .last_run)
            try container.encode(consecutive_failures, forKey: .consecutive_failures)
            try container.encodeIfPresent(last_success, forKey: .last_success)
            try container.encodeIfPresent(trace, forKey: .trace)
            try observations.encode(to: encoder)
        }
    }

    public struct Path: Codable, Sendable {
        public var id: String
        public var function: String
        public var source: String
        public var target: String
        public var status: String
        public var message: String
        public var applies: String
        public var rule: String
        public var description: String
        public var last_change: Date
        public var checks: [Check]
    }

    public struct Finding: Codable, Sendable {
        public var status: String
        public var rule: String
        public var message: String
    }

    public var status: String
    public var summary: String
    public var generated_at: Date
    public var findings: [Finding]
    public var paths: [Path]
    public var engine: EngineHealth

    public init(_ snapshot: Snapshot, paths only: Set<String>? = nil) {
        let selected = snapshot.paths.filter { only?.contains($0.id) ?? true }
        status = only == nil ? snapshot.status.rawValue : Status.worst(selected.map(\.status)).rawValue
        summary = only == nil ? snapshot.summary : Aggregation.summaryLine(selected)
        generated_at = snapshot.generatedAt
        findings = snapshot.findings.map { Finding(status: $0.status.rawValue, rule: $0.ruleID, message: $0.message) }
        engine = snapshot.health
        paths = selected.map { path in
            Path(id: path.id, function: path.planned.path.function, source: path.planned.path.source,
                 target: path.planned.path.target, status: path.status.rawValue, message: path.message,
                 applies: path.planned.path.applies.description, rule: path.planned.path.rule.rawValue,
                 description: path.planned.path.description, last_change: path.lastChange,
                 checks: path.checks.map(Check.init))
        }
    }
}

extension CheckDocument.Check {
    init(_ result: CheckResult) {
        let check = result.check
        id = check.id
        kind = check.kind.rawValue
        target = check.reportedTarget
        transport = check.transport.rawValue
        port = check.port
        probe = check.probe
        status = result.status.rawValue
        reason = result.reason?.rawValue
        message = result.message
        trace = result.trace
        latency_ms = (result.latencyMilliseconds * 1000).rounded() / 1000
        phases = result.phases
        observations = result.observations
        last_run = result.startedAt
        consecutive_failures = result.consecutiveFailures
        last_success = result.lastSuccess
    }
}

extension JSON {
    /// Dates as ISO 8601, which every JSON consumer reads.
    public static func encodeReport<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
