/// A server a test starts for itself and must stop before it ends.
public protocol TestFixture: Sendable {
    func stop() async
}

/// Runs `body` with a started fixture, then stops it, also when `body` throws. A
/// `defer { Task { await server.stop() } }` left the stop to a task that ran after the test,
/// while the next test was already starting its own servers.
public func withRunning<Fixture: TestFixture, T>(_ fixture: Fixture, _ body: (Fixture) async throws -> T) async throws -> T {
    do {
        let result = try await body(fixture)
        await fixture.stop()
        return result
    } catch {
        await fixture.stop()
        throw error
    }
}
