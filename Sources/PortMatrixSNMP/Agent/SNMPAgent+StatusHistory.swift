/// Status of a path across snapshots, for pmPathPreviousStatus and pmPathStatusChange.
struct PathStatusHistory: Sendable {
    var status: MIBStatus
    var previous: MIBStatus
}

extension SNMPAgent {
    /// Moves the history to `snapshot`; returns each path's previous status (in snapshot order)
    /// and the changes to notify. Paths are matched by id, so reordering the profile does not
    /// count as a change; paths that are new or gone are not changes either.
    static func advance(
        _ history: inout [String: PathStatusHistory], to snapshot: MIBSnapshot, notify: Bool
    ) -> (previousStatuses: [MIBStatus], changes: [PathStatusChange]) {
        var next: [String: PathStatusHistory] = [:]
        var previousStatuses: [MIBStatus] = []
        var changes: [PathStatusChange] = []
        for (offset, path) in snapshot.paths.enumerated() {
            var entry = history[path.id] ?? PathStatusHistory(status: path.status, previous: path.status)
            if entry.status != path.status {
                if notify {
                    changes.append(PathStatusChange(
                        pathIndex: offset + 1, id: path.id, previous: entry.status, current: path.status, message: path.message))
                }
                entry.previous = entry.status
                entry.status = path.status
            }
            next[path.id] = entry
            previousStatuses.append(entry.previous)
        }
        history = next
        return (previousStatuses, changes)
    }
}
