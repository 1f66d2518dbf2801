import Logging
import PortMatrixEngine
import ServiceLifecycle

/// The check engine's schedule as a lifecycle service; logs one line per path status change
/// and hands every snapshot on (the SNMP agent serves it).
struct EngineService: Service {
    let engine: Engine
    let logger: Logger
    let onPublish: @Sendable ([PathStatusChange], Snapshot) -> Void

    func run() async throws {
        let logger = self.logger
        let onPublish = self.onPublish
        @Sendable func published(_ changes: [PathStatusChange], _ snapshot: Snapshot) {
            for change in changes {
                logger.notice("path \(change.pathID): \(change.old.rawValue) -> \(change.new.rawValue): \(change.message)")
            }
            onPublish(changes, snapshot)
        }
        // Cancelled on shutdown: a cycle in flight stops, and so does the republish sleep.
        await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                group.addTask { await engine.run(onPublish: published) }
                // Staleness shows even if a cycle hangs: rebuild the snapshot every few seconds.
                group.addTask {
                    while !Task.isCancelled {
                        try? await Task.sleep(for: .seconds(5))
                        if Task.isCancelled { return }
                        let changes = engine.republish()
                        published(changes, engine.store.snapshot)
                    }
                }
            }
        }
    }
}
