import NIOCore
import Synchronization

/// Closes the probe's channel when the task running it is cancelled, even while it is still
/// being set up, and when the probe is over, whatever way it ended. A lock rather than a
/// promise: a promise completed off the event loop lands on it later, and a probe running on
/// that loop could finish first, leaving a channel attached after the cancellation open.
final class ChannelCloser: Sendable {
    private struct State {
        var cancelled = false
        var channel: (any Channel)?
    }

    private let state = Mutex(State())

    init() {}

    /// The probe's channel from now on (a retry's replaces the first, which is closed).
    func attach(_ channel: any Channel) {
        let (close, previous) = state.withLock { state in
            defer { state.channel = channel }
            return (state.cancelled, state.channel)
        }
        if let previous, previous !== channel { previous.close(promise: nil) }
        if close { channel.close(promise: nil) }
    }

    /// From the task cancellation handler.
    func cancel() {
        let channel = state.withLock { state in
            state.cancelled = true
            return state.channel
        }
        channel?.close(promise: nil)
    }

    /// Once the probe is over. Its channel is usually closed by then; this closes one that an
    /// error between connect and the conversation left open.
    func finish() {
        let channel = state.withLock { state in
            defer { state.channel = nil }
            return state.channel
        }
        channel?.close(promise: nil)
    }
}
