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
        let traced = items.indices.filter { items[$0].traced }
        var traces: [Int: [Trace]] = [:]
        await EvidenceTracing.run(traced.map { TraceRequest(check: items[$0].check, settings: settings) },
                                  concurrency: settings.concurrency, trace: { try await Tracer.trace($0, group: group) }) { index, result in
            traces[traced[index]] = (try? result.get()) ?? []
        }
        var rows: [Row] = []
        // Each host is resolved once: several of its ports (or paths) would each wait out the
        // same lookup, up to its 5 s deadline when the name does not resolve yet.
        var resolved: [String: [String]] = [:]
        for (index, item) in items.enumerated() {
            let check = item.check
            if resolved[check.host] == nil { resolved[check.host] = await LocalRoute.addresses(of: check.host, group: group) }
            var addresses = resolved[check.host] ?? []
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
        return snapshot.paths.filter { only?.contains($0.id) ?? true }.flatMap { path in
            path.checks.filter { $0.check.kind == .probe && $0.status != .ok }.map { result in
                let reason = result.reason.map { " \($0.rawValue)" } ?? ""
                return Item(check: result.check, purpose: path.planned.path.function,
                            verdict: "\(result.status.rawValue)\(reason): \(result.message)",
                            traced: result.reason.map(EvidenceTracing.traceable.contains) ?? false)
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
