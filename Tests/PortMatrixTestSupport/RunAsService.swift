import Logging
import ServiceLifecycle

/// Runs `service` in a service group for the length of `body`, as the agent runs it, then
/// triggers the group's graceful shutdown and waits for the service to finish draining.
public func runAsService<T>(_ service: any Service, body: () async throws -> T) async throws -> T {
    let group = ServiceGroup(configuration: .init(services: [service], logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }))
    return try await withThrowingTaskGroup(of: Void.self) { tasks in
        tasks.addTask { try await group.run() }
        let result: Result<T, any Error>
        do { result = .success(try await body()) } catch { result = .failure(error) }
        await group.triggerGracefulShutdown()
        try await tasks.waitForAll()
        return try result.get()
    }
}
