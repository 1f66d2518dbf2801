import PortMatrixModel

/// Judges the local listeners against the ports the applicable paths expect; pure, so every rule is testable without sockets.
///
/// - An expected port with no listener is critical (`not_listening`), unless it is discouraged
///   (closed is what we want) or its path's rule is `any` and another endpoint of the path is reachable.
/// - An expected port bound to loopback only is a warning: the service runs but peers cannot reach it.
/// - A discouraged port open to the network is a warning (`discouraged`) unless `listeners.allow` names it.
/// - Any other listener is unexpected (`listeners.unexpected`), unless allowed, or loopback-only and ignored.
public enum ListenerCompliance {
    public static func evaluate(expected: [ExpectedListener], policy: ListenerSettings, listeners: [Listener]) -> ListenerReport {
        let byPort = Dictionary(grouping: listeners, by: \.portSpec)
        let allowed = Set(policy.allow)
        var seen = Set<ExpectedListener>()
        let expected = expected.filter { seen.insert($0).inserted }
        let satisfiedAnyPaths = Set(expected.filter { $0.rule == .any && !reachable(byPort[$0.port] ?? []).isEmpty }.map(\.pathID))

        let results = expected.map { item in
            judge(item, found: (byPort[item.port] ?? []).sorted(), allowed: allowed.contains(item.port),
                  pathSatisfied: satisfiedAnyPaths.contains(item.pathID))
        }

        let expectedPorts = Set(expected.map(\.port))
        var unexpected: [Listener] = [], allowedListeners: [Listener] = [], ignored: [Listener] = []
        for listener in listeners.sorted() where !expectedPorts.contains(listener.portSpec) {
            if allowed.contains(listener.portSpec) {
                allowedListeners.append(listener)
            } else if policy.ignoreLoopback && listener.scope == .loopback {
                ignored.append(listener)
            } else {
                unexpected.append(listener)
            }
        }

        let missing = grouped(results) { $0.status == .critical && $0.reason == .notListening }
        let loopbackOnly = grouped(results) { $0.reason == .notListening && !$0.listeners.isEmpty }
        let discouragedOpen = grouped(results) { $0.reason == .discouraged }
        let status = Status.worst(results.map(\.status) + (unexpected.isEmpty ? [] : [policy.unexpected]))

        var problems: [String] = []
        for (label, group) in [("missing", missing), ("loopback only", loopbackOnly), ("discouraged open", discouragedOpen)] where !group.isEmpty {
            problems.append("\(label): " + group.map { "\($0.port) (\($0.pathIDs.joined(separator: ", ")))" }.joined(separator: ", "))
        }
        if !unexpected.isEmpty {
            problems.append("unexpected: " + unexpected.map(\.description).joined(separator: ", "))
        }
        let okCount = results.filter { $0.status == .ok }.count
        let head = "\(okCount)/\(results.count) expected listeners ok"
        let summary = problems.isEmpty ? "\(head), no unexpected listeners" : ([head] + problems).joined(separator: "; ")

        return ListenerReport(status: status, summary: summary, expected: results,
                              missing: missing.map(\.port), loopbackOnly: loopbackOnly.map(\.port),
                              discouragedOpen: discouragedOpen.map(\.port),
                              unexpected: unexpected, unexpectedStatus: policy.unexpected,
                              allowed: allowedListeners, ignored: ignored)
    }

    /// One expected port on its own, as a single planned listener check needs it.
    ///
    /// A path's `any` rule is not applied here: that is the caller's path aggregation.
    public static func check(_ item: ExpectedListener, policy: ListenerSettings, listeners: [Listener]) -> ExpectedListenerResult {
        judge(item, found: listeners.filter { $0.portSpec == item.port }.sorted(), allowed: policy.allow.contains(item.port),
              pathSatisfied: false)
    }

    /// The verdict on one expected port, given every listener on it.
    static func judge(_ item: ExpectedListener, found: [Listener], allowed: Bool, pathSatisfied: Bool) -> ExpectedListenerResult {
        func result(_ status: Status, _ reason: FailureReason?, _ message: String) -> ExpectedListenerResult {
            ExpectedListenerResult(pathID: item.pathID, port: item.port, status: status, reason: reason, message: message, listeners: found)
        }
        let port = item.port
        if found.isEmpty {
            if item.discouraged { return result(.ok, nil, "\(port) not listening (discouraged port closed)") }
            if pathSatisfied { return result(.ok, nil, "\(port) not listening; \(item.pathID) needs any one of its endpoints") }
            return result(.critical, .notListening, "\(port) not listening")
        }
        let open = reachable(found)
        if open.isEmpty {
            let addresses = found.map(\.address).joined(separator: ", ")
            if item.discouraged { return result(.ok, nil, "\(port) listens on \(addresses) only (discouraged port not exposed)\(owners(found))") }
            return result(.warning, .notListening, "\(port) listens on \(addresses) only: unreachable from the network\(owners(found))")
        }
        let listing = open.map(\.description).joined(separator: ", ")
        if item.discouraged && !allowed {
            return result(.warning, .discouraged, "\(listing): discouraged port open (allow it in listeners.allow)")
        }
        return result(.ok, nil, listing)
    }

    /// Listeners a peer on the network can reach.
    private static func reachable(_ listeners: [Listener]) -> [Listener] {
        listeners.filter { $0.scope != .loopback }
    }

    /// ` (smtpd, pid 812)` for the distinct known owners, or nothing.
    private static func owners(_ listeners: [Listener]) -> String {
        var seen = Set<SocketOwner>()
        let known = listeners.compactMap(\.owner).filter { seen.insert($0).inserted }
        return known.isEmpty ? "" : " (" + known.map(\.description).joined(separator: "; ") + ")"
    }

    /// The rows that match, by port in row order, with the paths that expect each port.
    private static func grouped(_ results: [ExpectedListenerResult],
                                where matches: (ExpectedListenerResult) -> Bool) -> [(port: PortSpec, pathIDs: [String])] {
        var groups: [(port: PortSpec, pathIDs: [String])] = []
        for row in results where matches(row) {
            if let index = groups.firstIndex(where: { $0.port == row.port }) {
                groups[index].pathIDs.append(row.pathID)
            } else {
                groups.append((row.port, [row.pathID]))
            }
        }
        return groups
    }
}
