import NIOConcurrencyHelpers
import NIOCore

/// Open connections across every listener and event loop: enforces the limit and lets
/// shutdown close them all.
final class StatusHTTPConnections: Sendable {
    private struct State {
        var open: [ObjectIdentifier: any Channel] = [:]
        var closed = false
    }

    private let state = NIOLockedValueBox(State())
    let limit: Int

    init(limit: Int) {
        self.limit = limit
    }

    var count: Int { state.withLockedValue { $0.open.count } }

    /// Counts `channel` unless the limit is reached or the server is shutting down.
    func admit(_ channel: any Channel) -> Bool {
        let admitted = state.withLockedValue { state in
            guard !state.closed, state.open.count < limit else { return false }
            state.open[ObjectIdentifier(channel)] = channel
            return true
        }
        if admitted {
            channel.closeFuture.whenComplete { [self] _ in
                _ = state.withLockedValue { $0.open.removeValue(forKey: ObjectIdentifier(channel)) }
            }
        }
        return admitted
    }

    /// Stops admitting and closes every open connection; answers are written whole before
    /// they are flushed, so a connection is never cut inside one of its own writes.
    func closeAll() -> [EventLoopFuture<Void>] {
        let channels = state.withLockedValue { state in
            state.closed = true
            return Array(state.open.values)
        }
        for channel in channels { channel.close(promise: nil) }
        return channels.map(\.closeFuture)
    }
}
