import NIOCore
import PortMatrixModel

/// Evidence for failing checks: a check that is critical with connect_timeout, rejected or
/// unreachable is traced with its own packet, and the verdict kept with its result.
public enum EvidenceTracing {
    static let traceable: Set<FailureReason> = [.connectTimeout, .rejected, .unreachable]

    /// Whether `result` is one a trace can explain.
    public static func wants(_ result: CheckResult) -> Bool {
        result.status == .critical && result.check.kind == .probe && result.reason.map(traceable.contains) == true
    }

    /// `snapshot` with `trace` set on every check `wants` picks, `settings.concurrency` traces
    /// at a time, each bounded by max hops x hop timeout (`portmatrix check --trace`).
    public static func traced(_ snapshot: Snapshot, paths only: Set<String>?, settings: TraceSettings,
                              group: any EventLoopGroup) async -> Snapshot {
        var wanted: [(path: Int, check: Int, request: TraceRequest)] = []
        for (p, path) in snapshot.paths.enumerated() where only?.contains(path.id) ?? true {
            for (c, result) in path.checks.enumerated() where wants(result) {
                wanted.append((p, c, TraceRequest(check: result.check, settings: settings)))
            }
        }
        var result = snapshot
        let verdicts = await withTaskGroup(of: (Int, String).self) { tasks in
            var found: [Int: String] = [:]
            var running = 0
            for (index, item) in wanted.enumerated() {
                if running >= max(1, settings.concurrency), let (done, verdict) = await tasks.next() {
                    found[done] = verdict
                    running -= 1
                }
                let request = item.request
                tasks.addTask {
                    do {
                        return (index, verdict(try await Tracer.trace(request, group: group)))
                    } catch {
                        return (index, "not traced: \(error)")
                    }
                }
                running += 1
            }
            for await (done, verdict) in tasks { found[done] = verdict }
            return found
        }
        for (index, item) in wanted.enumerated() {
            result.paths[item.path].checks[item.check].trace = verdicts[index]
        }
        return result
    }

    /// One verdict, or one per address when a name has several: `10.0.0.5: dropped after hop 3 (...)`.
    public static func verdict(_ traces: [Trace]) -> String {
        if traces.count == 1, let only = traces.first { return only.verdict }
        return traces.map { "\($0.address): \($0.verdict)" }.joined(separator: "; ")
    }
}
