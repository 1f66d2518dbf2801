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
        public var banner: String?
        public var tls: TLSObservation?
        public var ntp: NTPObservation?
        public var dns: DNSObservation?
        public var smtp: SMTPObservation?
        public var http: HTTPObservation?
        public var udp: UDPOutcome?
        public var peer_address: String?
        public var route: String?
        public var last_run: Date
        public var consecutive_failures: Int
        public var last_success: Date?
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
        let selected = snapshot.paths.filter { only == nil || only!.contains($0.id) }
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
        self.init(
            id: check.id, kind: check.kind.rawValue, target: check.reportedTarget,
            transport: check.transport.rawValue, port: check.port, probe: check.probe, status: result.status.rawValue,
            reason: result.reason?.rawValue, message: result.message,
            latency_ms: (result.latencyMilliseconds * 1000).rounded() / 1000, phases: result.phases,
            banner: result.observations.banner, tls: result.observations.tls, ntp: result.observations.ntp,
            dns: result.observations.dns, smtp: result.observations.smtp, http: result.observations.http,
            udp: result.observations.udp, peer_address: result.observations.peerAddress, route: result.observations.route,
            last_run: result.startedAt, consecutive_failures: result.consecutiveFailures, last_success: result.lastSuccess)
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
