import PortMatrixModel

/// One scan of this machine's sockets, judged against the plan: what every listener check of
/// a cycle reads, and the report `check_listeners` and `portmatrix listeners` show.
public struct LocalListeners: ListenerLookup {
    public let report: ListenerReport?
    private let results: [String: ExpectedListenerResult]
    private let failure: String?

    /// Scans /proc (or `procRoot`) and evaluates every listener the plan expects.
    public static func scan(plan: Plan, procRoot: String = "/proc") -> LocalListeners {
        let expected = expectations(plan)
        do {
            let listeners = try ListenerScanner.scan(procRoot: procRoot)
            let report = ListenerCompliance.evaluate(expected: expected, policy: plan.configuration.listeners, listeners: listeners)
            return LocalListeners(report: report, results: Dictionary(report.expected.map { (key($0.pathID, $0.port), $0) },
                                                                      uniquingKeysWith: { first, _ in first }), failure: nil)
        } catch {
            return LocalListeners(report: nil, results: [:], failure: "cannot read the socket tables: \(error)")
        }
    }

    /// The listeners the plan's applicable paths expect on this machine.
    public static func expectations(_ plan: Plan) -> [ExpectedListener] {
        plan.paths.flatMap { planned in
            planned.checks.filter { $0.kind == .listener }.map {
                ExpectedListener(pathID: planned.id, port: $0.portSpec, discouraged: planned.expectClosed, rule: planned.path.rule)
            }
        }
    }

    public func outcome(for check: PlannedCheck) -> ProbeOutcome {
        if let failure { return .failure(.internalError, failure, status: .unknown) }
        guard let result = results[Self.key(check.pathID, check.portSpec)] else {
            return .failure(.internalError, "\(check.portSpec) was not part of the scan", status: .unknown)
        }
        return result.outcome
    }

    private static func key(_ pathID: String, _ port: PortSpec) -> String { "\(pathID) \(port)" }
}
