import Foundation

/// Runs blocking work on a thread of its own: the cooperative pool has one thread per core
/// (two here) and the server under test needs it to answer; GCD's global queue is about as
/// narrow on Linux, so parallel tests would queue behind each other's blocking waits.
func offCooperativePool<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        Thread { continuation.resume(returning: work()) }.start()
    }
}
