import NIOCore

/// Runs a probe's task on the event loop that owns its channel.
///
/// Without it, every await of a channel future resumes on Swift's global pool: a thread wakes
/// there, and another on the loop for the next read or write. perf showed those wake-ups
/// (futex, eventfd, context switches) as most of a dialogue probe's CPU: SMTP has four
/// exchanges, SSH two. With the loop as the task's executor, a resumption is a job queued on
/// the thread that is already running.
///
/// Probe code that runs this way must not block: it shares the loop with every channel on it.
final class EventLoopTaskExecutor: TaskExecutor {
    let eventLoop: any EventLoop

    init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        eventLoop.execute { job.runSynchronously(on: executor) }
    }
}

extension EventLoop {
    /// `operation`, with this loop as the preferred executor of the task and of its children.
    func runProbe<T: Sendable>(_ operation: () async throws -> T) async rethrows -> T {
        try await withTaskExecutorPreference(EventLoopTaskExecutor(self), operation: operation)
    }
}
