import Foundation

/// Polls `condition` until it holds or `timeout` passes; never asserts on durations.
@discardableResult
public func eventually(timeout: TimeInterval = 20, every interval: TimeInterval = 0.1, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    repeat {
        if try condition() { return true }
        Thread.sleep(forTimeInterval: interval)
    } while Date() < deadline
    return try condition()
}

/// `eventually` for async tests and conditions: sleeps between tries without holding a thread,
/// so a server in this process keeps the cooperative pool to answer. Its own name, since an
/// async overload of `eventually` would be chosen in async tests that poll synchronously.
@discardableResult
public func pollUntil(timeout: TimeInterval = 20, every interval: TimeInterval = 0.1,
                      _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    repeat {
        if try await condition() { return true }
        try? await Task.sleep(for: .seconds(interval))
    } while Date() < deadline
    return try await condition()
}
