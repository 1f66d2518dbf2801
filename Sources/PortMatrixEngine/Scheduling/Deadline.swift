import Foundation
import Synchronization

/// Runs `operation`, but returns `fallback` once `seconds` have passed even if the operation
/// ignores cancellation: a misbehaving probe can never stall a cycle.
func withHardDeadline<T: Sendable>(seconds: Double, fallback: @escaping @Sendable () -> T,
                                   operation: @escaping @Sendable () async -> T) async -> T {
    let race = Race<T>()
    let value = await withCheckedContinuation { (continuation: CheckedContinuation<T, Never>) in
        race.start(continuation,
                   work: Task { race.finish(await operation()) },
                   timer: Task {
                       try? await Task.sleep(for: .milliseconds(Int64(seconds * 1000)))
                       if !Task.isCancelled { race.finish(fallback()) }
                   })
    }
    race.cancelLoser()
    return value
}

/// The first of two tasks to finish resumes the continuation; the other is cancelled.
private final class Race<T: Sendable>: Sendable {
    private struct State {
        var continuation: CheckedContinuation<T, Never>?
        var pending: T?
        var tasks: [Task<Void, Never>] = []
    }

    private let state = Mutex(State())

    func start(_ continuation: CheckedContinuation<T, Never>, work: Task<Void, Never>, timer: Task<Void, Never>) {
        let early: T? = state.withLock { state in
            state.tasks = [work, timer]
            if let pending = state.pending { return pending }
            state.continuation = continuation
            return nil
        }
        if let early { continuation.resume(returning: early) }
    }

    func finish(_ value: T) {
        let continuation: CheckedContinuation<T, Never>? = state.withLock { state in
            if let continuation = state.continuation {
                state.continuation = nil
                state.pending = value  // marks the race as decided
                return continuation
            }
            if state.pending == nil { state.pending = value }
            return nil
        }
        continuation?.resume(returning: value)
    }

    func cancelLoser() {
        state.withLock { $0.tasks }.forEach { $0.cancel() }
    }
}
