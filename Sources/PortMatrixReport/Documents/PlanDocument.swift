import PortMatrixModel

/// The plan as `plan --format json` prints it.
public struct PlanDocument: Codable, Sendable {
    public struct CheckDocument: Codable, Sendable {
        public var id: String
        public var kind: String
        public var target: String
        public var transport: String
        public var port: Int
        public var probe: String
        public var proxy: String?
        public var via_proxy: String
        public var source_address: String?
        public var timeout_ms: Int
    }

    public struct PathDocument: Codable, Sendable {
        public var id: String
        public var function: String
        public var source: String
        public var target: String
        public var applies: String
        public var applicable: Bool
        public var reason: String?
        public var missing_targets: [String]
        public var expect_closed: Bool
        public var notes: [String]
        public var checks: [CheckDocument]
    }

    public struct FindingDocument: Codable, Sendable {
        public var status: String
        public var rule: String
        public var message: String
    }

    public var profile: String
    public var configuration: String
    public var roles: [String]
    public var findings: [FindingDocument]
    public var paths: [PathDocument]

    public init(_ plan: Plan) {
        profile = plan.profile.name
        configuration = plan.configuration.origin
        roles = plan.configuration.roles
        findings = plan.findings.map { FindingDocument(status: $0.status.rawValue, rule: $0.ruleID, message: $0.message) }
        paths = plan.paths.map { planned in
            PathDocument(
                id: planned.id, function: planned.path.function, source: planned.path.source, target: planned.path.target,
                applies: planned.path.applies.description, applicable: planned.applies, reason: planned.skipReason,
                missing_targets: planned.missingTargets, expect_closed: planned.expectClosed, notes: planned.notes,
                checks: planned.checks.map { check in
                    CheckDocument(id: check.id, kind: check.kind.rawValue, target: check.targetDescription,
                                  transport: check.transport.rawValue, port: check.port, probe: check.probe,
                                  proxy: check.proxy?.url, via_proxy: check.proxyUse.rawValue,
                                  source_address: check.sourceAddress, timeout_ms: Int(check.timeout.seconds * 1000))
                })
        }
    }
}
