import NIOCore

/// Runs Swift tasks on a NIO event loop: `withTaskExecutorPreference(EventLoopTaskExecutor(loop))`
/// or `Task(executorPreference: EventLoopTaskExecutor(loop))`.
///
/// Without it, every await of a channel's future resumes on Swift's global pool: a thread wakes
/// there, and another on the loop for the next read or write. perf showed those wake-ups
/// (futex, eventfd, context switches) as most of a dialogue probe's CPU (SMTP has four
/// exchanges) and as a per-request cost of the NRPE listener. With the loop as the task's
/// executor, a resumption is a job queued on the thread that is already running.
///
/// Code run this way must not block: it shares the loop with every channel on it.
public final class EventLoopTaskExecutor: TaskExecutor {
    public let eventLoop: any EventLoop

    public init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        eventLoop.execute { job.runSynchronously(on: executor) }
    }
}
