import PortMatrixEngine
import ServiceLifecycle

/// The check engine's schedule as a lifecycle service; hands every snapshot on with the path
/// status changes it brought (the engine logs them; the SNMP agent serves and notifies them).
struct EngineService: Service {
    let engine: Engine
    let onPublish: @Sendable ([PathStatusChange], Snapshot) -> Void

    func run() async throws {
        let published = self.onPublish
        // Cancelled on shutdown: a cycle in flight stops, and so does the republish sleep.
        await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                group.addTask { await engine.run(onPublish: published) }
                // Staleness shows even if a cycle hangs: republish the snapshot every few seconds.
                group.addTask {
                    while !Task.isCancelled {
                        try? await Task.sleep(for: .seconds(5))
                        if Task.isCancelled { return }
                        engine.publish(to: published)
                    }
                }
            }
        }
    }
}
