import NIOConcurrencyHelpers
import NIOCore

/// Open connections across all listeners and event loops: enforces a limit, and lets shutdown
/// close idle connections at once while busy ones (marked by their handler) finish their reply.
public final class ConnectionRegistry: Sendable {
    private struct Entry {
        var channel: any Channel
        var busy = false
    }

    private struct State {
        var open: [ObjectIdentifier: Entry] = [:]
        var draining = false
    }

    private let state = NIOLockedValueBox(State())
    public let limit: Int

    public init(limit: Int) {
        self.limit = limit
    }

    public var count: Int { state.withLockedValue { $0.open.count } }

    /// Registers `channel` unless the limit is reached or the server is shutting down.
    public func admit(_ channel: any Channel) -> Bool {
        let admitted = state.withLockedValue { state in
            guard !state.draining, state.open.count < limit else { return false }
            state.open[ObjectIdentifier(channel)] = Entry(channel: channel)
            return true
        }
        if admitted {
            channel.closeFuture.whenComplete { [self] _ in
                _ = state.withLockedValue { $0.open.removeValue(forKey: ObjectIdentifier(channel)) }
            }
        }
        return admitted
    }

    /// A request arrived: shutdown lets this connection finish.
    public func markBusy(_ channel: any Channel) {
        state.withLockedValue { $0.open[ObjectIdentifier(channel)]?.busy = true }
    }

    /// Stops admitting, closes connections without a request, and returns every close future.
    public func drain() -> [EventLoopFuture<Void>] {
        let entries = state.withLockedValue { state in
            state.draining = true
            return Array(state.open.values)
        }
        for entry in entries where !entry.busy {
            entry.channel.close(promise: nil)
        }
        return entries.map(\.channel.closeFuture)
    }
}
