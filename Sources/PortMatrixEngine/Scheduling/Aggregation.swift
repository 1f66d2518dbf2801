import Foundation
import PortMatrixModel

/// Checks -> paths (by each path's rule) -> overall compliance.
public enum Aggregation {
    /// Results older than this many intervals are UNKNOWN ("stale").
    public static let staleAfterIntervals = 3.0

    /// The snapshot as of `now`, with the paths whose status changed since the last one.
    /// `history` moves along; paths no longer planned leave it, so one that comes back is new.
    static func snapshot(plan: Plan, results: [String: CheckResult], health: EngineHealth,
                         history: inout [String: PathHistory], now: Date) -> (Snapshot, [PathStatusChange]) {
        let interval = plan.configuration.schedule.interval.seconds
        let timeout = plan.configuration.schedule.timeout.seconds
        var health = health
        health.totalChecks = plan.checks.count
        health.overdueChecks = 0
        health.staleChecks = 0
        var paths: [PathResult] = []
        var changes: [PathStatusChange] = []
        var seen: [String: PathHistory] = [:]
        for planned in plan.paths {
            var checks: [CheckResult] = []
            for check in planned.checks {
                guard var result = results[check.id] else { continue }
                let age = now.timeIntervalSince(result.startedAt)
                if age > interval + timeout * 2 + 1 { health.overdueChecks += 1 }
                if age > staleAfterIntervals * interval {
                    health.staleChecks += 1
                    result.status = .unknown
                    result.reason = .stale
                    result.message = "stale: last result \(Int(age)) s old (\(result.message))"
                }
                checks.append(result)
            }
            let (status, message) = judge(planned, checks: checks)
            var entry = history[planned.id] ?? PathHistory(status: status, since: now)
            if entry.advance(to: status, at: now) {
                changes.append(PathStatusChange(
                    pathID: planned.id, pathIndex: paths.count + 1, old: entry.previous, new: status, message: message))
            }
            seen[planned.id] = entry
            paths.append(PathResult(planned: planned, status: status, message: message, checks: checks,
                                    previousStatus: entry.previous, lastChange: entry.since))
        }
        history = seen
        let overall = Status.worst(paths.map(\.status) + plan.findings.map(\.status))
        let snapshot = Snapshot(generatedAt: now, status: overall, summary: summary(paths, plan.findings), paths: paths,
                                findings: plan.findings, health: health)
        return (snapshot, changes)
    }

    /// A path's status and one line saying why.
    public static func judge(_ planned: PlannedPath, checks: [CheckResult]) -> (Status, String) {
        if let reason = planned.skipReason { return (.skipped, reason) }
        if !planned.missingTargets.isEmpty {
            let roles = planned.missingTargets
            return (.unknown, "no target configured for \(roles.joined(separator: ", ")) (set hosts.\(roles[0]) or paths.\(planned.id).targets)")
        }
        guard !planned.checks.isEmpty else { return (.unknown, "nothing to check") }
        guard checks.count == planned.checks.count else {
            return (.unknown, "pending: \(checks.count) of \(planned.checks.count) checks have run")
        }
        let failing = checks.filter { $0.status != .ok }
        switch planned.path.rule {
        case .all:
            if failing.isEmpty { return (.ok, allOK(checks)) }
            let prefix = failing.count == checks.count ? "" : "\(failing.count) of \(checks.count) checks failing: "
            return (Status.worst(failing.map(\.status)), prefix + listed(failing))
        case .any:
            if let passing = checks.first(where: { $0.status == .ok }) {
                return (.ok, "\(checks.count - failing.count) of \(checks.count) reachable, e.g. \(describe(passing))")
            }
            let best = checks.min { $0.status.severity < $1.status.severity }!.status
            return (best, "none of \(checks.count) reachable: " + listed(failing))
        }
    }

    /// The worst few, so one path's line stays readable (13 root servers x 2 transports).
    static func listed(_ failing: [CheckResult], limit: Int = 3) -> String {
        let worst = failing.sorted { $0.status.severity > $1.status.severity }
        let shown = worst.prefix(limit).map(describe).joined(separator: "; ")
        return worst.count > limit ? "\(shown); and \(worst.count - limit) more" : shown
    }

    static func allOK(_ checks: [CheckResult]) -> String {
        checks.count == 1 ? describe(checks[0]) : "all \(checks.count) checks ok"
    }

    /// `smtp 10.0.0.25:25: 220 mail ESMTP, 3.1 ms`
    public static func describe(_ result: CheckResult) -> String {
        let check = result.check
        let target = check.kind == .listener ? "listen \(check.portSpec)" : "\(check.probe) \(check.transport.rawValue)://\(check.targetDescription)"
        return "\(target): \(result.message)"
    }

    /// `11 of 12 paths compliant; dns-builtin critical`: the line every front end shows.
    public static func summaryLine(_ paths: [PathResult]) -> String { summary(paths, []) }

    static func summary(_ paths: [PathResult], _ findings: [PlanFinding]) -> String {
        let applicable = paths.filter { $0.status != .skipped }
        let bad = applicable.filter { $0.status != .ok }
        var text: String
        if bad.isEmpty {
            text = "\(applicable.count) of \(applicable.count) paths compliant"
        } else {
            let named = bad.sorted { $0.status.severity > $1.status.severity }.prefix(5)
                .map { "\($0.id) \($0.status.rawValue)" }.joined(separator: ", ")
            text = "\(applicable.count - bad.count) of \(applicable.count) paths compliant; \(named)" + (bad.count > 5 ? ", ..." : "")
        }
        if !findings.isEmpty { text += "; " + findings.map(\.message).joined(separator: "; ") }
        return text
    }
}
