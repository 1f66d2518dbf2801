import NIOCore

/// Closes the probe's channel when the task running it is cancelled, even while it is still
/// being set up. A promise rather than a lock: NIOCore has no lock, and the promise already
/// orders "attach" against "cancel" whichever comes first.
struct ChannelCloser: Sendable {
    private let cancelled: EventLoopPromise<Void>

    init(eventLoop: any EventLoop) {
        cancelled = eventLoop.makePromise(of: Void.self)
    }

    func attach(_ channel: any Channel) {
        cancelled.futureResult.whenSuccess { channel.close(promise: nil) }
    }

    /// From the task cancellation handler.
    func cancel() {
        cancelled.succeed(())
    }

    /// Once the probe is over; the channel is closed by then. Completing the promise also keeps
    /// NIO from reporting it as leaked.
    func finish() {
        cancelled.fail(ProbeFailure.cancelled)
    }
}
