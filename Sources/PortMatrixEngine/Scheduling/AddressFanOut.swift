import NIOCore
import PortMatrixModel

/// How a host name's addresses are chosen and their results combined into one check
/// (`address_families`): all must pass, any one is enough, or only one family counts.
enum AddressFanOut {
    /// The addresses to probe, in the resolver's order, each once: those of the wanted family
    /// and, with a source address, of the source's family (another cannot be reached from it).
    static func select(_ addresses: [SocketAddress], families: AddressFamilies, sourceAddress: String?) -> [SocketAddress] {
        let source = sourceAddress.flatMap { try? SocketAddress(ipAddress: $0, port: 0) }
        var seen = Set<String>()
        return addresses.filter { address in
            guard let ip = address.ipAddress, seen.insert(ip).inserted else { return false }
            if let source, !address.isSameFamily(as: source) { return false }
            switch (families, address) {
            case (.ipv4, .v6), (.ipv6, .v4): return false
            default: return true
            }
        }
    }

    /// Why nothing was left to probe.
    static func noneMessage(_ host: String, families: AddressFamilies, sourceAddress: String?) -> String {
        if let sourceAddress, families == .all || families == .any {
            return "\(host) has no address of the family of source \(sourceAddress)"
        }
        let family = families == .ipv6 ? "IPv6" : "IPv4"
        let source = sourceAddress.map { " from source \($0)" } ?? ""
        return "\(host) has no \(family) address\(source) (address_families: \(families.rawValue))"
    }

    /// One outcome from each address's (judged or raw) outcome, in `addresses`' order. The
    /// message names every address that did not pass; the observations are those of the first
    /// passing address (else of the deciding one) plus `addresses`.
    static func combine(_ outcomes: [ProbeOutcome], addresses: [SocketAddress], families: AddressFamilies,
                        resolveSeconds: Double, totalSeconds: Double) -> ProbeOutcome {
        let entries = zip(outcomes, addresses).map { outcome, address in
            let latency = (outcome.phases.total ?? totalSeconds) * 1000
            let family: String
            if case .v6 = address { family = "ipv6" } else { family = "ipv4" }
            return AddressResult(address: address.ipAddress ?? "?", family: family, status: outcome.status,
                                 reason: outcome.reason, message: outcome.message,
                                 latencyMilliseconds: (latency * 1000).rounded() / 1000,
                                 peerAddress: outcome.observations.peerAddress)
        }
        guard let first = outcomes.first else {
            return .failure(.internalError, "no address was probed", status: .unknown)
        }
        let severities = outcomes.map(\.status.severity)
        let target = families == .any ? severities.min() : severities.max()
        let decisive = outcomes.first { $0.status.severity == target } ?? first
        let representative = outcomes.first { $0.status == .ok } ?? decisive

        var combined = representative
        combined.status = decisive.status
        combined.reason = decisive.status == .ok ? nil : decisive.reason
        let parts = entries.map { $0.status == .ok ? "\($0.label): ok" : "\($0.label): \($0.message)" }
        if entries.count == 1 {
            combined.message = first.message
        } else if entries.allSatisfy({ $0.status == .ok }) {
            combined.message = "\(representative.message); " + parts.joined(separator: "; ")
        } else {
            combined.message = parts.joined(separator: "; ")
        }
        combined.phases.resolve = resolveSeconds
        combined.phases.total = totalSeconds
        combined.observations[AddressResults.self] = AddressResults(entries)
        return combined
    }
}
