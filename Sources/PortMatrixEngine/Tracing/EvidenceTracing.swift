import NIOCore
import PortMatrixModel

/// Evidence for failing checks: a check that is critical with connect_timeout, rejected or
/// unreachable is traced with its own packet, and the verdict kept with its result.
public enum EvidenceTracing {
    /// The failure reasons a trace can explain: the packet got lost, or a router said no.
    public static let traceable: Set<FailureReason> = [.connectTimeout, .rejected, .unreachable]

    /// Runs a trace: `Tracer.trace` in the agent and `check --trace`, a scripted one in tests.
    public typealias TraceFunction = @Sendable (TraceRequest) async throws -> [Trace]

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
        await run(wanted.map(\.request), concurrency: settings.concurrency, trace: { try await Tracer.trace($0, group: group) }) { index, traces in
            result.paths[wanted[index].path].checks[wanted[index].check].trace = verdict(traces)
        }
        return result
    }

    /// Traces `requests`, at most `concurrency` at a time (each bounded by its budget), and hands
    /// each result to `each` with its index as it finishes, in the caller's task: the one bounded
    /// fan-out of `check --trace`, `--format firewall-request` and the agent's evidence.
    public static func run(_ requests: [TraceRequest], concurrency: Int, trace: @escaping TraceFunction,
                           each: (Int, Result<[Trace], any Error>) -> Void) async {
        await withTaskGroup(of: (Int, Result<[Trace], any Error>).self) { tasks in
            var running = 0
            for (index, request) in requests.enumerated() {
                if running >= max(1, concurrency), let (done, traces) = await tasks.next() {
                    each(done, traces)
                    running -= 1
                }
                if Task.isCancelled { break }
                tasks.addTask {
                    do {
                        return (index, .success(try await trace(request)))
                    } catch {
                        return (index, .failure(error))
                    }
                }
                running += 1
            }
            for await (done, traces) in tasks { each(done, traces) }
        }
    }

    /// One verdict, or one per address when a name has several: `10.0.0.5: dropped after hop 3 (...)`.
    public static func verdict(_ traces: [Trace]) -> String {
        if traces.count == 1, let only = traces.first { return only.verdict }
        return traces.map { "\($0.address): \($0.verdict)" }.joined(separator: "; ")
    }

    /// A trace's verdict, or why there is none: `not traced: <error>`.
    public static func verdict(_ traces: Result<[Trace], any Error>) -> String {
        switch traces {
        case .success(let traces): verdict(traces)
        case .failure(let error): "not traced: \(error)"
        }
    }
}
