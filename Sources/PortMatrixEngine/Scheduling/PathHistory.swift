import Foundation
import PortMatrixModel

/// A path's status across snapshots, kept by the `ResultStore` by path id (a reload that keeps
/// the path keeps it): where each `PathResult`'s previous status and last change come from, and
/// the one place a status change is found. Front ends read it from the snapshot.
struct PathHistory: Sendable, Equatable {
    var status: Status
    /// The status before the last change; the status itself while it never changed.
    var previous: Status
    /// When the status last changed, or when the path was first seen.
    var since: Date

    /// A path seen for the first time: no change yet.
    init(status: Status, since: Date) {
        self.status = status
        self.previous = status
        self.since = since
    }

    /// Moves to `status` as of `now`; true if that is a change.
    mutating func advance(to status: Status, at now: Date) -> Bool {
        guard status != self.status else { return false }
        previous = self.status
        self.status = status
        since = now
        return true
    }
}
