import NIOCore
import PortMatrixEngine
import PortMatrixModel
import PortMatrixReport

extension FirewallRequest {
    /// One concrete check and what is known about it.
    struct Item: Sendable {
        var check: PlannedCheck
        var purpose: String
        var verdict: String
        /// Trace it for the "where it died" column (a drop, a rejection, an unreachable).
        var traced: Bool
    }

    /// Rows for `items`: one per resolved address of each target (the firewall rule is per
    /// address), the source the probe sends from, and where a traced check's packet died.
    /// Traces run `settings.concurrency` at a time, each bounded by max hops x hop timeout.
    static func build(_ items: [Item], settings: TraceSettings, group: any EventLoopGroup) async -> FirewallRequest {
        let traces = await withTaskGroup(of: (Int, [Trace]).self) { tasks in
            var found: [Int: [Trace]] = [:]
            var running = 0
            for (index, item) in items.enumerated() where item.traced {
                if running >= max(1, settings.concurrency), let (done, traces) = await tasks.next() {
                    found[done] = traces
                    running -= 1
                }
                let request = TraceRequest(check: item.check, settings: settings)
                tasks.addTask { (index, (try? await Tracer.trace(request, group: group)) ?? []) }
                running += 1
            }
            for await (done, traces) in tasks { found[done] = traces }
            return found
        }
        var rows: [Row] = []
        for (index, item) in items.enumerated() {
            let check = item.check
            var addresses = await LocalRoute.addresses(of: check.host, group: group)
            if let source = check.sourceAddress, let wanted = try? SocketAddress(ipAddress: source, port: 0) {
                addresses = addresses.filter { (try? SocketAddress(ipAddress: $0, port: 0)).map { $0.protocol == wanted.protocol } ?? false }
            }
            if addresses.isEmpty { addresses = [""] }
            for address in addresses {
                let source = check.sourceAddress ?? (address.isEmpty ? "" : LocalRoute.sourceAddress(toward: address) ?? "")
                let died = traces[index]?.first { $0.address == address }?.verdict ?? ""
                rows.append(Row(sourceAddress: source, destinationAddress: address, destinationName: check.host,
                                transport: check.transport.rawValue, port: check.port, purpose: item.purpose,
                                verdict: item.verdict, whereItDied: died))
            }
        }
        return FirewallRequest(rows: rows)
    }

    /// `check`: the failing probes of the snapshot.
    static func items(failingIn snapshot: Snapshot, paths only: Set<String>?) -> [Item] {
        let traceable: Set<FailureReason> = [.connectTimeout, .rejected, .unreachable]
        return snapshot.paths.filter { only?.contains($0.id) ?? true }.flatMap { path in
            path.checks.filter { $0.check.kind == .probe && $0.status != .ok }.map { result in
                let reason = result.reason.map { " \($0.rawValue)" } ?? ""
                return Item(check: result.check, purpose: path.planned.path.function,
                            verdict: "\(result.status.rawValue)\(reason): \(result.message)",
                            traced: result.reason.map(traceable.contains) ?? false)
            }
        }
    }

    /// `plan`: every probe of every path that applies here, to be opened before go-live.
    static func items(plannedIn plan: Plan) -> [Item] {
        plan.paths.filter(\.applies).flatMap { path in
            path.checks.filter { $0.kind == .probe }.map {
                Item(check: $0, purpose: path.path.function, verdict: "planned", traced: false)
            }
        }
    }

    func render(markdown: Bool) -> String { markdown ? self.markdown : csv }
}
